"""One table of every representation cnamkg serves: media type, extension, and writer.

Media types are the registered ones: ``text/turtle`` (RDF 1.1 Turtle, Appendix B),
``application/n-triples`` (RDF 1.1 N-Triples §8), ``application/ld+json`` (JSON-LD 1.1
§C), ``application/rdf+xml`` (RFC 3870), the SPARQL results types (SPARQL 1.1 Query
Results JSON §4, XML §5, CSV/TSV §4).
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox


@dataclass(frozen=True)
class Format:
    """A serialisation we offer.

    :param media_type: the registered media type sent in ``Content-Type``.
    :param extension: file extension used in ``/data/…`` URLs (without the dot).
    :param label: short human name.
    :param aliases: other media types clients send for the same format.
    """

    media_type: str
    extension: str
    label: str
    aliases: tuple[str, ...] = ()

    @property
    def content_type(self) -> str:
        """The ``Content-Type`` header value (text types carry ``charset=utf-8``)."""
        text = self.media_type.startswith("text/") or self.media_type.endswith(("json", "xml"))
        return f"{self.media_type}; charset=utf-8" if text else self.media_type


TURTLE = Format("text/turtle", "ttl", "Turtle", ("application/x-turtle",))
#: ``text/plain`` was N-Triples' media type before RDF 1.1 (W3C RDF Test Cases, 2004,
#: §3); rdflib still asks for it when told ``format="nt"``.
N_TRIPLES = Format("application/n-triples", "nt", "N-Triples", ("text/plain",))
#: JSON-LD 1.1 §9.1: a JSON-LD document is JSON; a client asking for ``application/json``
#: gets JSON-LD where RDF is served (SPARQL SELECT/ASK answers give it SPARQL JSON).
JSON_LD = Format("application/ld+json", "jsonld", "JSON-LD", ("application/json",))
RDF_XML = Format("application/rdf+xml", "rdf", "RDF/XML")

#: Formats for RDF graphs (entity descriptions, CONSTRUCT/DESCRIBE results), preferred first.
RDF_FORMATS: tuple[Format, ...] = (TURTLE, JSON_LD, N_TRIPLES, RDF_XML)
#: The formats of the shapes graph: RDF/XML cannot hold it (a pattern forbids the
#: control characters XML 1.0 cannot write, U+0001 among them).
SHAPES_FORMATS: tuple[Format, ...] = (TURTLE, JSON_LD, N_TRIPLES)

N_QUADS = Format("application/n-quads", "nq", "N-Quads")
TRIG = Format("application/trig", "trig", "TriG")

#: Formats a CONSTRUCT/DESCRIBE result may also take: a graph is a dataset with only a
#: default graph, so the dataset syntaxes apply (RDF 1.1 N-Quads §1, TriG §1).
GRAPH_RESULT_FORMATS: tuple[Format, ...] = (*RDF_FORMATS, N_QUADS, TRIG)

RESULTS_JSON = Format(
    "application/sparql-results+json", "srj", "SPARQL JSON", ("application/json",)
)
RESULTS_XML = Format("application/sparql-results+xml", "srx", "SPARQL XML", ("application/xml",))
RESULTS_CSV = Format("text/csv", "csv", "CSV")
RESULTS_TSV = Format("text/tab-separated-values", "tsv", "TSV")

#: Formats for SELECT/ASK results, preferred first.
RESULTS_FORMATS: tuple[Format, ...] = (RESULTS_JSON, RESULTS_XML, RESULTS_CSV, RESULTS_TSV)

HTML = Format("text/html", "html", "HTML", ("application/xhtml+xml",))
#: Plain JSON documents (search results, the list of dumps).
JSON = Format("application/json", "json", "JSON")

#: pyoxigraph writers for the RDF formats it writes well (JSON-LD goes through rdflib).
OXIGRAPH_RDF: dict[Format, ox.RdfFormat] = {
    TURTLE: ox.RdfFormat.TURTLE,
    N_TRIPLES: ox.RdfFormat.N_TRIPLES,
    RDF_XML: ox.RdfFormat.RDF_XML,
    N_QUADS: ox.RdfFormat.N_QUADS,
    TRIG: ox.RdfFormat.TRIG,
}

#: pyoxigraph writers for SPARQL results.
OXIGRAPH_RESULTS: dict[Format, ox.QueryResultsFormat] = {
    RESULTS_JSON: ox.QueryResultsFormat.JSON,
    RESULTS_XML: ox.QueryResultsFormat.XML,
    RESULTS_CSV: ox.QueryResultsFormat.CSV,
    RESULTS_TSV: ox.QueryResultsFormat.TSV,
}


def by_extension(extension: str, formats: tuple[Format, ...] = RDF_FORMATS) -> Format | None:
    """The format of a file extension (without dot), or ``None``."""
    return next((f for f in formats if f.extension == extension), None)


#: Other names clients put in a ``format``/``output`` parameter (Fuseki, Virtuoso usage).
_NAMES = {
    "json": RESULTS_JSON,
    "xml": RESULTS_XML,
    "turtle": TURTLE,
    "ntriples": N_TRIPLES,
    "n-triples": N_TRIPLES,
    "json-ld": JSON_LD,
    "rdfxml": RDF_XML,
    "rdf/xml": RDF_XML,
    "rdf+xml": RDF_XML,
    "n3": TURTLE,  # Turtle is a subset of N3 (SPARQLWrapper sends format=n3)
    "nquads": N_QUADS,
    "n-quads": N_QUADS,
    "text": RESULTS_TSV,
}


def by_name(name: str, formats: tuple[Format, ...]) -> Format | None:
    """The format of ``formats`` that a hand-typed ``format=`` value names: a media type,
    an extension (``csv``, ``ttl``) or a common name (``json``, ``turtle``), any case.
    ``json``/``xml`` name the results formats or, for graphs, JSON-LD and RDF/XML."""
    key = name.strip().lower()
    for f in formats:
        if key in (f.media_type, f.extension, *f.aliases):
            return f
    named = _NAMES.get(key)
    if named in formats:
        return named
    graph_alias = {"json": JSON_LD, "xml": RDF_XML}.get(key)
    return graph_alias if graph_alias in formats else None
