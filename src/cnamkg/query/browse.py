"""Lists of entities per kind, for the home page and ``/{kind}``."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from cnamkg.iris import KINDS, entity_ref
from cnamkg.query.dates import DATE_TYPES, MOMENT_PROPERTIES
from cnamkg.query.sparql_terms import iri_ref, string_literal
from cnamkg.store.base import Store
from cnamkg.text import fold, match_rank
from cnamkg.vocab import (
    DCTERMS_SOURCE,
    PROV_WAS_DERIVED_FROM,
    RDFS_LABEL,
    SCHEMA,
    SKOS,
)


@dataclass(frozen=True)
class EntityItem:
    """One entity in a list.

    :param iri: canonical IRI.
    :param kind: its kind (from the IRI).
    :param slug: its slug.
    """

    iri: str
    kind: str
    slug: str


def entities_by_kind(store: Store, base: str) -> dict[str, list[EntityItem]]:
    """Every entity of the dataset, grouped by kind (in :data:`KINDS` order), sorted by IRI.

    :return: kind → entities; every kind is present, possibly with an empty list.
    """
    prefix = string_literal(f"{base}id/")
    text = (
        f"SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(isIRI(?s) && STRSTARTS(STR(?s), {prefix})) }}"
    )
    grouped: dict[str, list[EntityItem]] = defaultdict(list)
    for row in store.query(text):  # type: ignore[union-attr]
        ref = entity_ref(row["s"].value, base)
        if ref is not None:
            grouped[ref.kind].append(EntityItem(row["s"].value, ref.kind, ref.slug))
    return {k: sorted(grouped.get(k, []), key=lambda e: e.iri) for k in KINDS}


@dataclass(frozen=True)
class Hit:
    """A search result.

    :param item: the entity.
    :param label: the label or alternate label that matched.
    :param rank: 0 exact, 1 prefix, 2 word prefix, 3 substring (lower is better).
    """

    item: EntityItem
    label: str
    rank: int


def search(store: Store, base: str, query: str, *, limit: int = 50) -> list[Hit]:
    """Entities whose label or alternate label (any language) contains ``query``,
    accent- and case-insensitively; exact matches first, then prefixes, word prefixes,
    substrings; one hit per entity (its best label).

    :param query: the text typed by the user (empty: no hits).
    :param limit: most hits returned.
    """
    needle = fold(query.strip())
    if not needle:
        return []
    prefix = string_literal(f"{base}id/")
    text = (
        "SELECT ?s ?l WHERE { VALUES ?p { "
        f"<{RDFS_LABEL}> <{SKOS}altLabel> <{SKOS}prefLabel> <{SCHEMA}name> }} "
        f"?s ?p ?l FILTER(isIRI(?s) && isLiteral(?l) && STRSTARTS(STR(?s), {prefix})) }}"
    )
    best: dict[str, Hit] = {}
    for row in store.query(text):  # type: ignore[union-attr]
        label = row["l"].value
        rank = match_rank(needle, fold(label))
        if rank is None:
            continue
        ref = entity_ref(row["s"].value, base)
        if ref is None:
            continue
        hit = Hit(EntityItem(row["s"].value, ref.kind, ref.slug), label, rank)
        current = best.get(hit.item.iri)
        if current is None or (hit.rank, len(hit.label)) < (current.rank, len(current.label)):
            best[hit.item.iri] = hit
    return sorted(best.values(), key=lambda h: (h.rank, fold(h.label)))[:limit]


def newest(store: Store, base: str, *, limit: int = 5) -> list[tuple[EntityItem, str]]:
    """The entities with the latest dates (:data:`cnamkg.query.dates.MOMENT_PROPERTIES`),
    newest first.

    :return: ``(entity, latest date as its lexical form)``; at most ``limit``.
    """
    prefix = string_literal(f"{base}id/")
    props = " ".join(iri_ref(p) for p in MOMENT_PROPERTIES)
    types = ", ".join(iri_ref(t) for t in DATE_TYPES)
    text = (
        # the latest by lexical form: see DATE_TYPES
        f"SELECT ?s (MAX(STR(?d)) AS ?date) WHERE {{ VALUES ?p {{ {props} }} ?s ?p ?d "
        f"FILTER(isIRI(?s) && STRSTARTS(STR(?s), {prefix}) && DATATYPE(?d) IN ({types})) }} "
        f"GROUP BY ?s ORDER BY DESC(?date) ?s LIMIT {int(limit)}"
    )
    return _items(store, base, text, "date")


#: Links that say where a fact comes from or which scheme holds a concept.
_NOT_LINKS = (DCTERMS_SOURCE, PROV_WAS_DERIVED_FROM, SKOS + "inScheme", SKOS + "topConceptOf")


def most_linked(store: Store, base: str, *, limit: int = 5) -> list[tuple[EntityItem, str]]:
    """The entities with the most incoming links from other entities, provenance links
    (``dcterms:source``, ``prov:wasDerivedFrom``) and concept-scheme membership
    (``skos:inScheme``, ``skos:topConceptOf``: a scheme is a container, like a class)
    aside; most linked first.

    :return: ``(entity, number of links as a decimal string)``; at most ``limit``.
    """
    prefix = string_literal(f"{base}id/")
    text = (
        f"SELECT ?o (COUNT(?s) AS ?n) WHERE {{ ?s ?p ?o "
        f"FILTER(isIRI(?o) && STRSTARTS(STR(?o), {prefix}) && ?s != ?o "
        f"&& ?p NOT IN ({', '.join(iri_ref(p) for p in _NOT_LINKS)})) }} "
        f"GROUP BY ?o ORDER BY DESC(?n) ?o LIMIT {int(limit)}"
    )
    return _items(store, base, text, "n", subject="o")


def _items(
    store: Store, base: str, text: str, value: str, *, subject: str = "s"
) -> list[tuple[EntityItem, str]]:
    found = []
    for row in store.query(text):  # type: ignore[union-attr]
        ref = entity_ref(row[subject].value, base)
        if ref is not None:
            found.append((EntityItem(row[subject].value, ref.kind, ref.slug), row[value].value))
    return found
