"""Incoming links of an entity, counted per property and fetched one page at a time.

A hub (a funding programme that 100,000 projects point to) must not make its page large
or slow: the page asks for the count of links per property (one ``GROUP BY`` query) and
for one slice of each property's linking entities (``LIMIT``/``OFFSET``, SPARQL 1.1 Query
§15.4–15.5). A slice is ordered by label when the property has at most
:data:`SORTED_UP_TO` links; beyond that ordering costs a sort of every link on every
request, so slices follow the store's own order, which is stable for one build.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from cnamkg.query.sparql_terms import iri_ref, string_literal
from cnamkg.store.base import Store
from cnamkg.vocab import RDFS_LABEL

#: Largest link count for which a slice is ordered by label rather than by store order.
SORTED_UP_TO = 2_000


@dataclass(frozen=True)
class IncomingSlice:
    """One page of the entities that link to an entity through one property.

    :param predicate: the property IRI.
    :param total: how many triples ``?s predicate entity`` the dataset holds.
    :param offset: index of the first subject of this slice (0-based).
    :param triples: ``(s, predicate, entity)`` for each subject of the slice, followed by
        the outgoing triples of those subjects that are blank nodes (a membership, a
        site), so that they can be shown inline.
    """

    predicate: str
    total: int
    offset: int
    triples: list[ox.Triple]


def incoming_counts(store: Store, iri: str) -> dict[str, int]:
    """Number of incoming triples of ``iri`` per property (self-links excluded).

    :return: property IRI → count, for every property with at least one link.
    :raises ValueError: ``iri`` is not a valid IRI.
    """
    e = iri_ref(iri)
    text = f"SELECT ?p (COUNT(?s) AS ?n) WHERE {{ ?s ?p {e} FILTER(?s != {e}) }} GROUP BY ?p"
    return {
        row["p"].value: int(row["n"].value)
        for row in store.query(text)  # type: ignore[union-attr]
    }


def incoming_slice(
    store: Store, iri: str, predicate: str, total: int, *, offset: int, limit: int, lang: str
) -> IncomingSlice:
    """The subjects ``offset`` … ``offset + limit - 1`` of ``?s predicate iri``.

    :param total: the count from :func:`incoming_counts` (chooses the ordering).
    :param offset: 0-based index of the first subject; past the end gives no triples.
    :param limit: most subjects returned (≥ 1).
    :param lang: language whose ``rdfs:label`` orders the subjects.
    :raises ValueError: an IRI is not valid, or ``offset``/``limit`` out of range.
    """
    if offset < 0 or limit < 1:
        raise ValueError(f"bad slice offset={offset} limit={limit}")
    e, p = iri_ref(iri), iri_ref(predicate)
    if total <= SORTED_UP_TO:
        label, tag = iri_ref(RDFS_LABEL), string_literal(lang)
        inner = (
            f"SELECT ?s (MIN(?k) AS ?key) WHERE {{ ?s {p} {e} FILTER(?s != {e}) "
            f"OPTIONAL {{ ?s {label} ?l FILTER(LANGMATCHES(LANG(?l), {tag})) }} "
            "BIND(LCASE(STR(?l)) AS ?k) } "
            f"GROUP BY ?s ORDER BY ?key ?s LIMIT {limit} OFFSET {offset}"
        )
    else:
        inner = f"SELECT ?s WHERE {{ ?s {p} {e} FILTER(?s != {e}) }} LIMIT {limit} OFFSET {offset}"
    text = (
        f"SELECT ?s ?bp ?bo WHERE {{ {{ {inner} }} OPTIONAL {{ ?s ?bp ?bo FILTER(isBlank(?s)) }} }}"
    )
    entity, prop = ox.NamedNode(iri), ox.NamedNode(predicate)
    links: dict[ox.Triple, None] = {}
    closure: dict[ox.Triple, None] = {}
    for row in store.query(text):  # type: ignore[union-attr]
        s = row["s"]
        links[ox.Triple(s, prop, entity)] = None
        if row["bp"] is not None:
            closure[ox.Triple(s, row["bp"], row["bo"])] = None
    return IncomingSlice(predicate, total, offset, [*links, *closure])
