"""What an entity page shows "at a glance" above its property table (issue 8 §1), by the
entity's part in the dataset: a project's consortium (coordinator first) and the call and
programmes above it; an event's dates, places and organisers (main organiser first); an
organisation's projects and events; a call's programmes and selected projects; a
programme's parts and calls.

Read with SPARQL over the store, so it grows with the data; a fact two sources state is
one row (``DISTINCT``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from cnamkg.query.sparql_terms import iri_ref
from cnamkg.store.base import Store
from cnamkg.vocab import CNAMKG, DCTERMS, FRAPO, ORG, RDF_TYPE, SCHEMA

#: Roles in a project, in the order a consortium is listed: the coordinator first.
PROJECT_ROLES = (CNAMKG + "coordinator", CNAMKG + "ledBy", CNAMKG + "partner")
#: Roles in an event, the main organiser first.
EVENT_ROLES = (SCHEMA + "organizer", CNAMKG + "coOrganizer")
#: When an event takes place.
EVENT_DATES = (SCHEMA + "startDate", SCHEMA + "endDate")
#: The more precise a date, the earlier it is shown: a source giving the time of day
#: says more than one giving the day without the year.
_PRECISION = {
    "http://www.w3.org/2001/XMLSchema#dateTime": 0,
    "http://www.w3.org/2001/XMLSchema#date": 1,
    "http://www.w3.org/2001/XMLSchema#gYearMonth": 2,
    "http://www.w3.org/2001/XMLSchema#gMonthDay": 3,
    "http://www.w3.org/2001/XMLSchema#gYear": 4,
}


@dataclass(frozen=True)
class Related:
    """An entity linked to the page's entity, and how.

    :param iri: the linked entity.
    :param role: the property IRI that links them (e.g. ``cnamkg:coordinator``).
    """

    iri: str
    role: str


@dataclass(frozen=True)
class Place:
    """Where an event takes place (``schema:location``).

    :param names: language tag (``""`` for none) → name of the place.
    :param iri: the place itself when it is an IRI, else the organisation it is a site
        of (``org:siteOf``), else ``None``.
    """

    names: dict[str, str]
    iri: str | None


@dataclass
class Overview:
    """The "at a glance" box of one entity page; empty lists are not shown.

    :param above: chains of IRIs from the entity up the funding hierarchy: for a
        project, ``[call, programme, parent programme, …]`` per call it was selected in
        (and ``[programme, …]`` per programme funding it directly); for a call or a
        programme, ``[programme, parent programme, …]``.
    :param above_complete: false when ``above`` leaves paths out or cuts them
        (:data:`MAX_CHAINS`, :data:`MAX_CHAIN_LENGTH`).
    :param consortium: a project's organisations, coordinator first, then by IRI.
    :param start: an event's start (``schema:startDate``), the most precise its sources
        give, or ``None``.
    :param end: its end (``schema:endDate``) likewise; shown only with a start.
    :param places: an event's places.
    :param organisers: an event's organisers, the main organiser first.
    :param projects: an organisation's projects and its role in each; a call's selected
        projects (role ``cnamkg:selectedIn``); a programme's directly funded projects.
    :param events: an organisation's events and its role in each.
    :param parts: a programme's sub-programmes and calls (role ``dcterms:isPartOf``).
    """

    above: list[list[str]] = field(default_factory=list)
    above_complete: bool = True
    consortium: list[Related] = field(default_factory=list)
    start: ox.Literal | None = None
    end: ox.Literal | None = None
    places: list[Place] = field(default_factory=list)
    organisers: list[Related] = field(default_factory=list)
    projects: list[Related] = field(default_factory=list)
    events: list[Related] = field(default_factory=list)
    parts: list[Related] = field(default_factory=list)

    def iris(self) -> set[str]:
        """Every IRI shown (entities and roles), for labels."""
        found = {i for chain in self.above for i in chain}
        for r in (*self.consortium, *self.organisers, *self.projects, *self.events, *self.parts):
            found |= {r.iri, r.role}
        found |= {p.iri for p in self.places if p.iri}
        return found

    def __bool__(self) -> bool:
        return any(
            (self.above, self.consortium, self.start, self.places, self.organisers)
            + (self.projects, self.events, self.parts)
        )


def _rows(store: Store, where: str) -> list[dict[str, ox.NamedNode | ox.Literal | None]]:
    """The distinct solutions of ``SELECT ?a ?b ?c WHERE { where }``."""
    text = f"SELECT DISTINCT ?a ?b ?c WHERE {{ {where} }}"
    return [
        {v: row[v] for v in ("a", "b", "c")}
        for row in store.query(text)  # type: ignore[union-attr]
    ]


def _related(
    store: Store, iri: str, roles: tuple[str, ...], *, incoming: bool, of_type: str | None = None
) -> list[Related]:
    """Entities (of type ``of_type``, when given) linked to ``iri`` through one of
    ``roles`` (from it, or to it when ``incoming``), ordered by role as given, then IRI."""
    values = " ".join(iri_ref(r) for r in roles)
    pattern = f"?a ?b {iri_ref(iri)}" if incoming else f"{iri_ref(iri)} ?b ?a"
    if of_type:
        pattern += f" . ?a {iri_ref(RDF_TYPE)} {iri_ref(of_type)}"
    where = f"VALUES ?b {{ {values} }} {pattern} FILTER(isIRI(?a))"
    found = {Related(r["a"].value, r["b"].value) for r in _rows(store, where)}  # type: ignore[union-attr]
    order = {r: i for i, r in enumerate(roles)}
    return sorted(found, key=lambda r: (order[r.role], r.iri))


#: Most chains shown above an entity, and most links in one: a programme with two
#: parents at each of n levels has 2ⁿ paths to the top (break-it review).
MAX_CHAINS = 6
MAX_CHAIN_LENGTH = 12


def _parents(store: Store, iri: str) -> set[str]:
    """The IRIs ``iri`` is ``dcterms:isPartOf``."""
    where = f"{iri_ref(iri)} {iri_ref(DCTERMS + 'isPartOf')} ?a FILTER(isIRI(?a))"
    return {r["a"].value for r in _rows(store, where)}  # type: ignore[union-attr]


def _chains(store: Store, start: str, first: str | None) -> tuple[list[list[str]], bool]:
    """The paths from ``start`` up ``dcterms:isPartOf`` links between calls and
    programmes, each starting with the first step (through ``first`` from ``start``,
    or ``start``'s parents when ``first`` is ``None``), in IRI order, depth first.

    A path stops before it would meet ``start`` or one of its own links again (a cycle);
    at most :data:`MAX_CHAINS` paths of at most :data:`MAX_CHAIN_LENGTH` links are
    walked, without recursion, asking the store for the parents of each node walked
    only: at most ``MAX_CHAINS × MAX_CHAIN_LENGTH`` small queries, however large the
    hierarchy (a project in 500 calls under a chain of 1,500 programmes took 20 s when
    the whole closure was read: second break-it review).

    :return: ``(paths, complete)``; ``complete`` is false when paths were left out or cut.
    """
    if first:
        where = f"{iri_ref(start)} {iri_ref(first)} ?a FILTER(isIRI(?a))"
        firsts = sorted({r["a"].value for r in _rows(store, where)})  # type: ignore[union-attr]
    else:
        firsts = sorted(_parents(store, start))
    firsts = [f for f in firsts if f != start]
    # each first step gives one path at least: the first MAX_CHAINS are all that can show
    complete = len(firsts) <= MAX_CHAINS
    parents: dict[str, set[str]] = {}
    chains: list[list[str]] = []
    todo = [[f] for f in reversed(firsts[:MAX_CHAINS])]
    while todo:
        if len(chains) == MAX_CHAINS:
            return chains, False
        chain = todo.pop()
        if chain[-1] not in parents:
            parents[chain[-1]] = _parents(store, chain[-1])
        ups = sorted(p for p in parents[chain[-1]] if p != start and p not in chain)
        if not ups or len(chain) == MAX_CHAIN_LENGTH:
            complete = complete and not ups
            chains.append(chain)
            continue
        todo.extend([*chain, up] for up in reversed(ups))
    return chains, complete


def _dates(store: Store, iri: str) -> dict[str, ox.Literal]:
    values = " ".join(iri_ref(p) for p in EVENT_DATES)
    where = f"VALUES ?b {{ {values} }} {iri_ref(iri)} ?b ?a FILTER(isLiteral(?a))"
    order = {p: i for i, p in enumerate(EVENT_DATES)}
    found = [(r["b"].value, r["a"]) for r in _rows(store, where)]  # type: ignore[union-attr]
    found.sort(key=lambda d: (order[d[0]], _PRECISION.get(d[1].datatype.value, 9), d[1].value))  # type: ignore[union-attr]
    # the most precise date of each property: a source giving the time of day says more
    # than one giving the day without the year (the property table shows them all)
    best = {}
    for prop, literal in found:
        best.setdefault(prop, literal)
    return best  # type: ignore[return-value]


def _places(store: Store, iri: str) -> list[Place]:
    loc, name = iri_ref(SCHEMA + "location"), iri_ref(SCHEMA + "name")
    site = iri_ref(ORG + "siteOf")
    where = (
        f"{iri_ref(iri)} {loc} ?a OPTIONAL {{ ?a {name} ?b FILTER(isLiteral(?b)) }} "
        f"OPTIONAL {{ ?a {site} ?c FILTER(isIRI(?c)) }}"
    )
    by_node: dict[str, tuple[dict[str, str], str | None]] = {}
    for r in _rows(store, where):
        node = r["a"]
        key = str(node)
        names, target = by_node.setdefault(
            key,
            ({}, node.value if isinstance(node, ox.NamedNode) else None),  # type: ignore[union-attr]
        )
        if isinstance(r["b"], ox.Literal):
            names.setdefault(r["b"].language or "", r["b"].value)
        if target is None and isinstance(r["c"], ox.NamedNode):
            by_node[key] = (names, r["c"].value)
    places = {(tuple(sorted(n.items())), t) for n, t in by_node.values()}
    return [Place(dict(n), t) for n, t in sorted(places, key=lambda p: (p[1] is None, p))]


#: Most calls and programmes under a programme read for its selected projects; the
#: subtree is walked down level by level (the path ``selectedIn/isPartOf+`` was worked
#: out from every project: 2.8 s a programme page: second break-it review).
MAX_SUBTREE = 2000


def _selected_under(store: Store, programme: str) -> list[Related]:
    """The projects selected in a call of ``programme`` or of its parts, at any depth
    (role ``cnamkg:selectedIn``), by IRI; the subtree read breadth first, at most
    :data:`MAX_SUBTREE` nodes of it."""
    part_of = iri_ref(DCTERMS + "isPartOf")
    seen = {programme}
    level = [programme]
    while level and len(seen) < MAX_SUBTREE:
        values = " ".join(iri_ref(x) for x in level)
        where = f"VALUES ?b {{ {values} }} ?a {part_of} ?b FILTER(isIRI(?a))"
        below = sorted({r["a"].value for r in _rows(store, where)} - seen)  # type: ignore[union-attr]
        level = below[: MAX_SUBTREE - len(seen)]
        seen.update(level)
    values = " ".join(iri_ref(x) for x in sorted(seen - {programme}))
    if not values:
        return []
    selected = iri_ref(CNAMKG + "selectedIn")
    where = f"VALUES ?b {{ {values} }} ?a {selected} ?b FILTER(isIRI(?a))"
    found = {r["a"].value for r in _rows(store, where)}  # type: ignore[union-attr]
    return [Related(a, CNAMKG + "selectedIn") for a in sorted(found)]


def overview(store: Store, iri: str, kind: str) -> Overview:
    """The "at a glance" box of the entity ``iri`` of URL kind ``kind``
    (``project``, ``event``, ``organization``, ``call``, ``programme``; other kinds get
    an empty box).

    :return: the :class:`Overview`, its lists ordered as documented there.
    """
    o = Overview()
    selected, funded_by = CNAMKG + "selectedIn", FRAPO + "isFundedBy"
    if kind == "project":
        calls, whole = _chains(store, iri, selected)
        funders, all_funders = _chains(store, iri, funded_by)
        chains = calls + funders
        # a programme funding the project directly that is already above its call is
        # said once
        above = [
            c for c in chains if not any(len(d) > len(c) and d[-len(c) :] == c for d in chains)
        ]
        o.above = above[:MAX_CHAINS]
        o.above_complete = whole and all_funders and len(above) <= MAX_CHAINS
        o.consortium = _related(store, iri, PROJECT_ROLES, incoming=False)
    elif kind == "event":
        dates = _dates(store, iri)
        o.start, o.end = dates.get(SCHEMA + "startDate"), dates.get(SCHEMA + "endDate")
        o.places = _places(store, iri)
        o.organisers = _related(store, iri, EVENT_ROLES, incoming=False)
    elif kind == "organization":
        o.projects = _related(store, iri, PROJECT_ROLES, incoming=True)
        o.events = _related(store, iri, EVENT_ROLES, incoming=True)
    elif kind == "call":
        o.above, o.above_complete = _chains(store, iri, None)
        o.projects = _related(store, iri, (selected,), incoming=True)
    elif kind == "programme":
        o.above, o.above_complete = _chains(store, iri, None)
        parts = _related(store, iri, (DCTERMS + "isPartOf",), incoming=True)
        o.parts = [r for r in parts if r.iri != iri]  # a programme is no part of itself
        # the projects it funds directly, then those selected in its calls and its parts’
        # calls (a project in both is listed once, as directly funded)
        direct = _related(store, iri, (funded_by,), incoming=True, of_type=SCHEMA + "Project")
        known = {r.iri for r in direct}
        o.projects = direct + [r for r in _selected_under(store, iri) if r.iri not in known]
    return o
