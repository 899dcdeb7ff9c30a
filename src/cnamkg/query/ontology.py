"""The ontology's own terms, read from the ontology graph of the store (for /ontology)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from cnamkg.iris import graph_iri, ontology_iri
from cnamkg.pipeline.load import ONTOLOGY_GRAPH_NAME
from cnamkg.query.sparql_terms import iri_ref, string_literal
from cnamkg.store.base import Store

OWL = "http://www.w3.org/2002/07/owl#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"


@dataclass
class Term:
    """One class or property of the ontology, with what the page shows of it."""

    iri: str
    kind: str  # "class" or "property"
    labels: dict[str, str] = field(default_factory=dict)
    comments: dict[str, str] = field(default_factory=dict)
    parents: list[str] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)
    ranges: list[str] = field(default_factory=list)


def ontology_triples(store: Store, base: str) -> list[ox.Triple]:
    """Every triple of the ontology graph about the ontology and its own terms."""
    graph = iri_ref(graph_iri(base, ONTOLOGY_GRAPH_NAME))
    prefix = string_literal(ontology_iri(base))
    text = (
        "CONSTRUCT { ?s ?p ?o } WHERE { "
        f"GRAPH {graph} {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), {prefix})) }} }}"
    )
    return list(store.query(text))  # type: ignore[arg-type]


def own_terms(store: Store, base: str) -> list[Term]:
    """The ontology's own classes and properties, sorted by IRI."""
    terms: dict[str, Term] = {}
    extra: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for t in ontology_triples(store, base):
        s, p, o = t.subject.value, t.predicate.value, t.object
        if "#" not in s:
            continue
        if p == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type":
            if o.value in (OWL + "Class", RDFS + "Class"):
                terms.setdefault(s, Term(s, "class"))
            elif o.value.endswith("Property"):
                terms.setdefault(s, Term(s, "property"))
        elif isinstance(o, ox.Literal) and p in (RDFS + "label", RDFS + "comment"):
            extra[s][p + "@" + (o.language or "")].append(o.value)
        elif isinstance(o, ox.NamedNode):
            extra[s][p].append(o.value)
    for iri, term in terms.items():
        e = extra[iri]
        term.labels = {
            k.rsplit("@", 1)[1]: v[0] for k, v in e.items() if k.startswith(RDFS + "label@")
        }
        term.comments = {
            k.rsplit("@", 1)[1]: v[0] for k, v in e.items() if k.startswith(RDFS + "comment@")
        }
        term.parents = sorted(e[RDFS + "subClassOf"] + e[RDFS + "subPropertyOf"])
        term.domains = sorted(e[RDFS + "domain"])
        term.ranges = sorted(e[RDFS + "range"])
    return sorted(terms.values(), key=lambda t: (t.kind, t.iri))
