"""Who funds what: programmes → calls → projects → organisations, for ``/funding``
(issue 8 §1), read with SPARQL over the store so it grows with the data."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from cnamkg.store.base import Store
from cnamkg.vocab import CNAMKG, DCTERMS, FRAPO


@dataclass
class Project:
    """A project selected in a call, its coordinator first, then its partners (by IRI)."""

    iri: str
    coordinators: list[str] = field(default_factory=list)
    partners: list[str] = field(default_factory=list)


@dataclass
class Programme:
    """A funding programme, the programmes part of it, and its calls with their projects."""

    iri: str
    parts: list[Programme] = field(default_factory=list)
    calls: dict[str, list[Project]] = field(default_factory=dict)

    def iris(self) -> set[str]:
        """Every IRI of this subtree (for labels)."""
        found: set[str] = set()
        for programme, _ in self.walk():
            found |= {programme.iri, *programme.calls}
            for projects in programme.calls.values():
                for p in projects:
                    found |= {p.iri, *p.coordinators, *p.partners}
        return found

    def walk(self) -> list[tuple[Programme, int]]:
        """This programme and every programme under it with its level (0 for this one),
        depth first, parents first (without recursion: a chain of hundreds of parts is
        possible)."""
        found: list[tuple[Programme, int]] = []
        todo = [(self, 0)]
        while todo:
            programme, level = todo.pop()
            found.append((programme, level))
            todo.extend((part, level + 1) for part in reversed(programme.parts))
        return found


def funding_tree(store: Store) -> list[Programme]:
    """The programmes as a forest (:func:`_arrange`: each once, cycles broken), each with
    its parts, its calls, the projects selected in each call and their consortium; every
    level sorted by IRI. Sets throughout: a consortium of thousands is read in linear time.

    :return: the top programmes.
    """
    programmes: dict[str, Programme] = {}
    parents_of: dict[str, set[str]] = defaultdict(set)
    text = f"""
SELECT ?p ?parent WHERE {{ ?p a <{FRAPO}FundingProgramme>
  OPTIONAL {{ ?p <{DCTERMS}isPartOf> ?parent . ?parent a <{FRAPO}FundingProgramme> }} }}"""
    for row in store.query(text):  # type: ignore[union-attr]
        iri = row["p"].value
        programmes.setdefault(iri, Programme(iri))
        if row["parent"] is not None:
            parents_of[iri].add(row["parent"].value)
    text = f"""
SELECT ?call ?programme ?project ?role ?org WHERE {{
  ?call a <{CNAMKG}Call> ; <{DCTERMS}isPartOf> ?programme .
  OPTIONAL {{ ?project <{CNAMKG}selectedIn> ?call
    OPTIONAL {{ VALUES ?role {{ <{CNAMKG}coordinator> <{CNAMKG}partner> }} ?project ?role ?org }} }}
}}"""
    projects: dict[tuple[str, str], Project] = {}
    listed: set[tuple[str, str, str]] = set()
    members: dict[tuple[tuple[str, str], str], set[str]] = defaultdict(set)
    for row in store.query(text):  # type: ignore[union-attr]
        call, programme = row["call"].value, row["programme"].value
        holder = programmes.setdefault(programme, Programme(programme))
        holder.calls.setdefault(call, [])
        if row["project"] is None:
            continue
        key = (call, row["project"].value)
        if key not in projects:
            projects[key] = Project(row["project"].value)
        if (programme, *key) not in listed:  # a call of two programmes is under both
            listed.add((programme, *key))
            holder.calls[call].append(projects[key])
        if row["org"] is not None:
            role = "coordinators" if row["role"].value.endswith("coordinator") else "partners"
            members[key, role].add(row["org"].value)
    for (key, role), orgs in members.items():
        setattr(projects[key], role, sorted(orgs))
    for p in programmes.values():
        p.calls = dict(sorted(p.calls.items()))
        for projects_of_call in p.calls.values():
            projects_of_call.sort(key=lambda x: x.iri)
    return _arrange(programmes, parents_of)


#: Deepest level of sub-programmes under a top; a deeper one starts a tree of its own (a
#: chain of hundreds of parts exhausted the page's recursion: break-it review).
MAX_DEPTH = 20


def _arrange(programmes: dict[str, Programme], parents_of: dict[str, set[str]]) -> list[Programme]:
    """The programmes as a forest: each programme once, under its parent of smallest IRI
    among the programmes (another parent is not shown); the programmes with no parent
    first, then, for programmes reached from none of them (on a ``dcterms:isPartOf``
    cycle) or below :data:`MAX_DEPTH` levels, each as a top in IRI order: every programme
    is shown once."""
    children: dict[str, list[str]] = defaultdict(list)
    for iri in sorted(programmes):
        known = sorted(p for p in parents_of.get(iri, ()) if p in programmes and p != iri)
        if known:
            children[known[0]].append(iri)
    placed: set[str] = set()
    tops: list[Programme] = []

    def place(root: str) -> None:
        placed.add(root)
        tops.append(programmes[root])
        todo = [(root, 0)]
        while todo:
            iri, depth = todo.pop()
            holder = programmes[iri]
            holder.parts = []
            for child in children.get(iri, []):
                if child in placed or depth + 1 >= MAX_DEPTH:
                    continue
                placed.add(child)
                holder.parts.append(programmes[child])
                todo.append((child, depth + 1))

    for iri in sorted(programmes):
        if not any(p in programmes and p != iri for p in parents_of.get(iri, ())):
            place(iri)
    # what no top reaches: a cycle (its smallest IRI becomes a top) or a programme below
    # MAX_DEPTH (it starts a tree of its own): shown all the same
    for iri in sorted(programmes):
        if iri not in placed:
            place(iri)
    return tops
