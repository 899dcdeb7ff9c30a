"""The description of one entity: what is said of it, what points to it, and labels.

Used by ``/data/…`` (as RDF) and ``/page/…`` (as HTML). The description is the entity's
outgoing triples, the triples of blank nodes it points to (addresses, quantities),
incoming triples, and the labels of every linked IRI (a "symmetric concise bounded
description" with labels).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from cnamkg.query.sparql_terms import iri_ref
from cnamkg.store.base import Store
from cnamkg.vocab import DCTERMS_SOURCE, RDFS_LABEL, SCHEMA_NAME, SKOS_PREFLABEL

#: Label properties, in order of preference.
LABEL_PROPERTIES = (RDFS_LABEL, SKOS_PREFLABEL, SCHEMA_NAME)


def exists(store: Store, iri: str) -> bool:
    """True when the dataset says anything about ``iri`` (as subject)."""
    return bool(store.query(f"ASK {{ {iri_ref(iri)} ?p ?o }}"))


def describe(store: Store, iri: str, *, incoming: bool = True) -> list[ox.Triple]:
    """The entity's description as triples: outgoing; the triples of blank nodes it points
    to, and of blank nodes that point to it (one level); incoming; labels of linked IRIs.

    :param incoming: include the incoming triples (``False``: the page fetches them one
        slice at a time, :mod:`cnamkg.query.incoming`).
    :raises ValueError: ``iri`` is not a valid IRI.
    """
    e = iri_ref(iri)
    label = iri_ref(RDFS_LABEL)
    union = f"""
  UNION
  {{ ?s ?ip {e} OPTIONAL {{ ?s {label} ?sl }}
     OPTIONAL {{ ?s ?sp ?so FILTER(isBlank(?s))
                OPTIONAL {{ ?so {label} ?sol FILTER(isIRI(?so)) }} }} }}"""
    text = f"""
CONSTRUCT {{
  {e} ?p ?o . ?o ?bp ?bo . ?o {label} ?ol . ?bo {label} ?bol .
  ?s ?ip {e} . ?s {label} ?sl . ?s ?sp ?so . ?so {label} ?sol .
}} WHERE {{
  {{ {e} ?p ?o .
     OPTIONAL {{ ?o ?bp ?bo FILTER(isBlank(?o))
                OPTIONAL {{ ?bo {label} ?bol FILTER(isIRI(?bo)) }} }}
     OPTIONAL {{ ?o {label} ?ol FILTER(isIRI(?o)) }} }}{union if incoming else ""}
}}"""
    # A CONSTRUCT result is a set of triples (SPARQL 1.1 Query §16.2); the OPTIONAL joins
    # above yield repeats, which are dropped here, keeping the first-seen order.
    return list(dict.fromkeys(store.query(text)))  # type: ignore[arg-type]


def labels(store: Store, iris: Iterable[str]) -> dict[str, dict[str, str]]:
    """Labels of IRIs by language tag (``""`` for no tag).

    :return: IRI → language → label; IRIs with no label are absent.
    """
    values = " ".join(sorted({iri_ref(i) for i in iris}))
    if not values:
        return {}
    props = ", ".join(iri_ref(p) for p in LABEL_PROPERTIES)
    # VALUES on ?x only, the properties in a FILTER: with a second VALUES block for ?p
    # Oxigraph scans every triple of those properties (500 ms at 10⁵ labels)
    text = f"""
SELECT ?x ?p ?l WHERE {{ VALUES ?x {{ {values} }} ?x ?p ?l
  FILTER(?p IN ({props}) && isLiteral(?l)) }}"""
    rank = {p: i for i, p in enumerate(LABEL_PROPERTIES)}
    found: dict[str, dict[str, tuple[int, str]]] = defaultdict(dict)
    for row in store.query(text):  # type: ignore[union-attr]
        lit = row["l"]
        lang = lit.language or ""
        r = rank[row["p"].value]
        best = found[row["x"].value].get(lang)
        if best is None or (r, lit.value) < best:
            found[row["x"].value][lang] = (r, lit.value)
    return {x: {lang: v for lang, (_, v) in by.items()} for x, by in found.items()}


@dataclass(frozen=True)
class Provenance:
    """Which source states each fact about an entity (DESIGN.md, Provenance).

    :param statements: ``(predicate IRI, str(object))`` → the named graphs stating it.
    :param documents: named graph → the document it transcribes (the document entity that
        is its own ``dcterms:source`` in that graph), when there is one.
    """

    statements: dict[tuple[str, str], tuple[str, ...]]
    documents: dict[str, str]

    @property
    def graphs(self) -> list[str]:
        """Every graph stating something about the entity, sorted."""
        return sorted({g for gs in self.statements.values() for g in gs})


def provenance(store: Store, iri: str) -> Provenance:
    """The named graph of every outgoing statement of ``iri``, and each graph's document:
    among the entity's ``dcterms:source`` values in a graph, the one that is its own
    source there (DESIGN.md, Provenance). Two bounded queries: no scan of every
    document-like node of the store, which a large graph would make slow."""
    source = iri_ref(DCTERMS_SOURCE)
    text = f"SELECT ?g ?p ?o WHERE {{ GRAPH ?g {{ {iri_ref(iri)} ?p ?o }} }}"
    statements: dict[tuple[str, str], set[str]] = defaultdict(set)
    candidates: set[tuple[str, str]] = set()
    for row in store.query(text):  # type: ignore[union-attr]
        graph, predicate, obj = row["g"].value, row["p"].value, row["o"]
        statements[(predicate, str(obj))].add(graph)
        if predicate == DCTERMS_SOURCE and isinstance(obj, ox.NamedNode):
            candidates.add((graph, obj.value))
    documents: dict[str, str] = {}
    if candidates:
        pairs = " ".join(f"({iri_ref(g)} {iri_ref(d)})" for g, d in sorted(candidates))
        text = (
            f"SELECT ?g ?doc WHERE {{ VALUES (?g ?doc) {{ {pairs} }} "
            f"GRAPH ?g {{ ?doc {source} ?doc }} }} ORDER BY ?g ?doc"
        )
        for row in store.query(text):  # type: ignore[union-attr]
            documents.setdefault(row["g"].value, row["doc"].value)
    return Provenance({k: tuple(sorted(v)) for k, v in statements.items()}, documents)


def web_addresses(store: Store, iris: Iterable[str]) -> dict[str, str]:
    """The ``schema:url`` of each IRI (a document's address on the web), if it has one.

    :return: IRI → URL; IRIs without one are absent.
    """
    values = " ".join(sorted({iri_ref(i) for i in iris}))
    if not values:
        return {}
    text = f"SELECT ?x ?u WHERE {{ VALUES ?x {{ {values} }} ?x <https://schema.org/url> ?u }}"
    return {row["x"].value: row["u"].value for row in store.query(text)}  # type: ignore[union-attr]
