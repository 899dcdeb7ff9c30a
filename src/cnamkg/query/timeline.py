"""The dated facts of the dataset, in time order, for ``/timeline`` (issue 8 §1)."""

from __future__ import annotations

import re
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
        """The year: the signed digits before the first ``-`` after the sign (XSD dates
        have at least four, may have more, and may be negative: ``-0044``, ``12345``)."""
        found = _YEAR.match(self.date)
        return found.group(0) if found else self.date

    @property
    def order(self) -> tuple[int, str]:
        """A key that sorts moments in time order: the year as a number, then the rest of
        the ISO 8601 form (month, day, time), which sorts as text within a year."""
        year = self.year
        return (int(year) if _YEAR.fullmatch(year) else 0, self.date[len(year) :])


_YEAR = re.compile(r"-?\d{4,}")


def timeline(store: Store, base: str) -> list[Moment]:
    """Every dated fact of :data:`MOMENT_PROPERTIES` about an entity, oldest first; a
    fact several sources state is one moment.

    :return: moments in time order (:attr:`Moment.order`), then by entity IRI and property.
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
    return sorted(moments, key=lambda m: (m.order, m.item.iri, m.prop))
