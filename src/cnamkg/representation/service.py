"""The SPARQL 1.1 Service Description of the endpoint (W3C SPARQL 1.1 Service
Description, §3): what ``GET /sparql`` without a query answers to RDF clients."""

from __future__ import annotations

import pyoxigraph as ox

from cnamkg.representation import formats as F
from cnamkg.store.base import Store

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")

#: W3C format IRIs (http://www.w3.org/ns/formats/) of the formats we write.
FORMAT_IRIS: dict[F.Format, str] = {
    F.RESULTS_JSON: "http://www.w3.org/ns/formats/SPARQL_Results_JSON",
    F.RESULTS_XML: "http://www.w3.org/ns/formats/SPARQL_Results_XML",
    F.RESULTS_CSV: "http://www.w3.org/ns/formats/SPARQL_Results_CSV",
    F.RESULTS_TSV: "http://www.w3.org/ns/formats/SPARQL_Results_TSV",
    F.TURTLE: "http://www.w3.org/ns/formats/Turtle",
    F.N_TRIPLES: "http://www.w3.org/ns/formats/N-Triples",
    F.JSON_LD: "http://www.w3.org/ns/formats/JSON-LD",
    F.RDF_XML: "http://www.w3.org/ns/formats/RDF_XML",
    F.N_QUADS: "http://www.w3.org/ns/formats/N-Quads",
    F.TRIG: "http://www.w3.org/ns/formats/TriG",
}


def _graph_sizes(store: Store) -> dict[str, int]:
    text = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    return {row["g"].value: int(row["n"].value) for row in store.query(text)}  # type: ignore[union-attr]


def service_description(store: Store, endpoint: str) -> list[ox.Triple]:
    """The ``sd:Service`` of ``endpoint``: query language, result formats, features, and
    the default dataset (the union default graph and every named graph, each with its
    ``void:triples`` count).

    :param store: the store (its named graphs are described).
    :param endpoint: the endpoint's IRI, as the client reached it (``sd:endpoint``).
    """
    sd = lambda term: ox.NamedNode(SD + term)  # noqa: E731
    # labelled blank nodes: the same document on every request (one ETag, one content)
    service, dataset, default = (ox.BlankNode(n) for n in ("service", "dataset", "default"))
    triples = [
        ox.Triple(service, RDF_TYPE, sd("Service")),
        ox.Triple(service, sd("endpoint"), ox.NamedNode(endpoint)),
        ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        ox.Triple(service, sd("feature"), sd("UnionDefaultGraph")),
        ox.Triple(service, sd("defaultDataset"), dataset),
        ox.Triple(dataset, RDF_TYPE, sd("Dataset")),
        ox.Triple(dataset, sd("defaultGraph"), default),
        ox.Triple(default, RDF_TYPE, sd("Graph")),
    ]
    for fmt in (*F.RESULTS_FORMATS, *F.GRAPH_RESULT_FORMATS):
        triples.append(ox.Triple(service, sd("resultFormat"), ox.NamedNode(FORMAT_IRIS[fmt])))
    size = next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))["n"]  # type: ignore[call-overload]
    triples.append(ox.Triple(default, ox.NamedNode(VOID + "triples"), size))
    for i, (graph, n) in enumerate(sorted(_graph_sizes(store).items())):
        named, desc = ox.BlankNode(f"graph{i}"), ox.BlankNode(f"graph{i}-description")
        triples += [
            ox.Triple(dataset, sd("namedGraph"), named),
            ox.Triple(named, RDF_TYPE, sd("NamedGraph")),
            ox.Triple(named, sd("name"), ox.NamedNode(graph)),
            ox.Triple(named, sd("graph"), desc),
            ox.Triple(desc, RDF_TYPE, sd("Graph")),
            ox.Triple(desc, ox.NamedNode(VOID + "triples"), ox.Literal(n)),
        ]
    return triples
