"""Who funds what: programmes → calls → projects → organisations, for ``/funding``
(issue 8 §1), read with SPARQL over the store so it grows with the data."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from cnamkg.store.base import Store

CNAMKG = "https://w3id.org/cnamkg/ontology#"
DCTERMS = "http://purl.org/dc/terms/"
FRAPO = "http://purl.org/cerif/frapo/"


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
        found = {self.iri, *self.calls}
        for projects in self.calls.values():
            for p in projects:
                found |= {p.iri, *p.coordinators, *p.partners}
        for part in self.parts:
            found |= part.iris()
        return found


def funding_tree(store: Store) -> list[Programme]:
    """The programmes that are part of no other, each with its parts, calls, the projects
    selected in each call and their consortium; every level sorted by IRI.

    :return: the top programmes.
    """
    programmes: dict[str, Programme] = {}
    parent_of: dict[str, str] = {}
    text = f"""
SELECT ?p ?parent WHERE {{ ?p a <{FRAPO}FundingProgramme>
  OPTIONAL {{ ?p <{DCTERMS}isPartOf> ?parent . ?parent a <{FRAPO}FundingProgramme> }} }}"""
    for row in store.query(text):  # type: ignore[union-attr]
        iri = row["p"].value
        programmes.setdefault(iri, Programme(iri))
        if row["parent"] is not None:
            parent_of[iri] = row["parent"].value
    text = f"""
SELECT ?call ?programme ?project ?role ?org WHERE {{
  ?call a <{CNAMKG}Call> ; <{DCTERMS}isPartOf> ?programme .
  OPTIONAL {{ ?project <{CNAMKG}selectedIn> ?call
    OPTIONAL {{ VALUES ?role {{ <{CNAMKG}coordinator> <{CNAMKG}partner> }} ?project ?role ?org }} }}
}}"""
    projects: dict[tuple[str, str], Project] = {}
    calls: dict[str, set[str]] = defaultdict(set)
    for row in store.query(text):  # type: ignore[union-attr]
        call, programme = row["call"].value, row["programme"].value
        holder = programmes.setdefault(programme, Programme(programme))
        holder.calls.setdefault(call, [])
        if row["project"] is None:
            continue
        key = (call, row["project"].value)
        if key not in projects:
            projects[key] = Project(row["project"].value)
            calls[call].add(row["project"].value)
            holder.calls[call].append(projects[key])
        if row["org"] is not None:
            role = "coordinators" if row["role"].value.endswith("coordinator") else "partners"
            people = getattr(projects[key], role)
            if row["org"].value not in people:
                people.append(row["org"].value)
    for iri, parent in sorted(parent_of.items()):
        if parent in programmes:
            programmes[parent].parts.append(programmes[iri])
    for p in programmes.values():
        p.parts.sort(key=lambda x: x.iri)
        p.calls = dict(sorted(p.calls.items()))
        for projects_of_call in p.calls.values():
            projects_of_call.sort(key=lambda x: x.iri)
            for project in projects_of_call:
                project.coordinators.sort()
                project.partners.sort()
    return [p for iri, p in sorted(programmes.items()) if iri not in parent_of]
