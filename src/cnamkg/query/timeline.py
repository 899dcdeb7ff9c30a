"""The dated facts of the dataset, in time order, for ``/timeline`` (issue 8 §1)."""

from __future__ import annotations

from dataclasses import dataclass

from cnamkg.iris import entity_ref
from cnamkg.query.browse import EntityItem
from cnamkg.query.dates import DATE_TYPES, MOMENT_PROPERTIES
from cnamkg.query.sparql_terms import iri_ref, string_literal
from cnamkg.store.base import Store


@dataclass(frozen=True)
class Moment:
    """A dated fact.

    :param date: the date's lexical form (``2025-10-02T09:00:00+02:00``, ``2023-09``,
        ``1794``).
    :param datatype: its XSD datatype IRI.
    :param prop: the property that dates it.
    :param item: the entity it dates.
    """

    date: str
    datatype: str
    prop: str
    item: EntityItem

    @property
    def year(self) -> str:
        """The year (the first four characters of an ISO 8601 date)."""
        return self.date[:4]


def timeline(store: Store, base: str) -> list[Moment]:
    """Every dated fact of :data:`MOMENT_PROPERTIES` about an entity, oldest first; a
    fact several sources state is one moment.

    :return: moments ordered by date (lexical form), then entity IRI and property.
    """
    props = " ".join(iri_ref(p) for p in MOMENT_PROPERTIES)
    types = ", ".join(iri_ref(t) for t in DATE_TYPES)
    prefix = string_literal(f"{base}id/")
    text = (
        f"SELECT DISTINCT ?s ?p ?d WHERE {{ VALUES ?p {{ {props} }} ?s ?p ?d "
        f"FILTER(isIRI(?s) && STRSTARTS(STR(?s), {prefix}) && DATATYPE(?d) IN ({types})) }}"
    )
    moments = []
    for row in store.query(text):  # type: ignore[union-attr]
        ref = entity_ref(row["s"].value, base)
        if ref is None:
            continue
        date = row["d"]
        moments.append(
            Moment(
                date.value,
                date.datatype.value,
                row["p"].value,
                EntityItem(row["s"].value, ref.kind, ref.slug),
            )
        )
    return sorted(moments, key=lambda m: (m.date, m.item.iri, m.prop))
