"""BUG-05 · conneg · CONSTRUCT: header says results-XML, body is RDF/XML.

Source: https://github.com/vemonet/rdflib-endpoint/pull/24.

Specs: SPARQL 1.1 Protocol §2.1.6 (the response media type is that of the body sent);
RDF 1.1 XML Syntax. A results type is never a valid answer to CONSTRUCT/DESCRIBE.
"""

from __future__ import annotations

import json
from xml.dom import minidom

import pytest
import rdflib
from rdflib.compare import isomorphic

PEOPLE = "https://w3id.org/cnamkg/graph/people"
CONSTRUCT_PEOPLE = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{PEOPLE}> {{ ?s ?p ?o }} }}"
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RESULTS_TYPES = {
    "application/sparql-results+xml",
    "application/sparql-results+json",
    "text/csv",
    "text/tab-separated-values",
}


def _nt(client, query):
    r = client.post("/sparql", data={"query": query}, headers={"Accept": "application/n-triples"})
    assert r.status_code == 200
    return rdflib.Graph().parse(data=r.data, format="nt")


@pytest.mark.parametrize("method", ["get", "post"])
def test_construct_results_xml_then_rdf_xml(client, method):
    accept = "application/sparql-results+xml, application/rdf+xml"
    if method == "get":
        r = client.get(
            "/sparql", query_string={"query": CONSTRUCT_PEOPLE}, headers={"Accept": accept}
        )
    else:
        r = client.post("/sparql", data={"query": CONSTRUCT_PEOPLE}, headers={"Accept": accept})
    assert r.status_code == 200, r.get_data(as_text=True)
    assert r.mimetype == "application/rdf+xml"
    dom = minidom.parseString(r.data)
    assert dom.documentElement.namespaceURI == RDF_NS
    assert dom.documentElement.localName == "RDF"
    g = rdflib.Graph().parse(data=r.data, format="xml")
    assert isomorphic(g, _nt(client, CONSTRUCT_PEOPLE))


def test_construct_results_json_then_json_ld(client):
    accept = "application/sparql-results+json, application/ld+json"
    r = client.post("/sparql", data={"query": CONSTRUCT_PEOPLE}, headers={"Accept": accept})
    assert r.status_code == 200
    assert r.mimetype == "application/ld+json"
    doc = json.loads(r.data)
    assert "head" not in doc and "results" not in doc
    g = rdflib.Graph().parse(data=r.data, format="json-ld")
    assert isomorphic(g, _nt(client, CONSTRUCT_PEOPLE))


def test_describe_results_xml_then_rdf_xml(client):
    q = "DESCRIBE <https://w3id.org/cnamkg/id/organization/alice>"
    r = client.post(
        "/sparql",
        data={"query": q},
        headers={"Accept": "application/sparql-results+xml, application/rdf+xml"},
    )
    assert r.status_code == 200
    assert r.mimetype == "application/rdf+xml"
    g = rdflib.Graph().parse(data=r.data, format="xml")
    assert isomorphic(g, _nt(client, q))


def test_rdflib_sparqlwrapper_style_accept(client):
    """The combined Accept header SPARQLWrapper sends for RDF/XML graph results."""
    accept = "application/rdf+xml, application/xml;q=0.8, application/sparql-results+xml;q=0.5"
    r = client.post("/sparql", data={"query": CONSTRUCT_PEOPLE}, headers={"Accept": accept})
    assert r.status_code == 200
    assert r.mimetype == "application/rdf+xml"
    rdflib.Graph().parse(data=r.data, format="xml")


def test_whole_dataset_construct_never_labelled_as_results(client):
    """The whole dataset holds a predicate RDF/XML cannot write (BUG-14): 406 is fine,
    a results type is not."""
    r = client.post(
        "/sparql",
        data={"query": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"},
        headers={"Accept": "application/sparql-results+xml, application/rdf+xml"},
    )
    assert r.mimetype not in RESULTS_TYPES
    if r.status_code == 200:
        assert r.mimetype == "application/rdf+xml"
        rdflib.Graph().parse(data=r.data, format="xml")
    else:
        assert r.status_code == 406
        assert r.mimetype == "text/plain"
