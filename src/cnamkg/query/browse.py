"""Lists of entities per kind, for the home page and ``/{kind}``."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from cnamkg.iris import KINDS, entity_ref
from cnamkg.query.sparql_terms import string_literal
from cnamkg.store.base import Store


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
