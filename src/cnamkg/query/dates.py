"""Which statements date an entity: one list for the home page's "newest" and for the
timeline, so that both read the same facts."""

from __future__ import annotations

from cnamkg.vocab import CNAMKG, DCTERMS, SCHEMA, XSD

#: Properties whose value dates a moment of an entity's life: founding, creation, start,
#: launch, selection, announcement, publication, recognition.
MOMENT_PROPERTIES = (
    SCHEMA + "foundingDate",
    SCHEMA + "dateCreated",
    SCHEMA + "startDate",
    SCHEMA + "datePublished",
    DCTERMS + "created",
    DCTERMS + "issued",
    DCTERMS + "date",
    CNAMKG + "publicUtilityDate",
    CNAMKG + "announcementDate",
    CNAMKG + "selectionDate",
    CNAMKG + "resultsDate",
)
#: The date types a moment may have. Values of several of them are not comparable as
#: values (SPARQL 1.1 Query §17.3 orders none across them); their ISO 8601 lexical forms
#: are, year first, for years 0001–9999 (a gMonthDay such as ``--10-02``, with no year,
#: is no moment in time and is left out).
DATE_TYPES = (XSD + "date", XSD + "dateTime", XSD + "gYearMonth", XSD + "gYear")
