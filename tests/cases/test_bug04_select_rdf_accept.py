"""BUG-04 · conneg · SELECT with an Accept header that prefers RDF graphs.

Source: https://github.com/openlink/virtuoso-opensource/issues/1321.

Specs: SPARQL 1.1 Protocol §2.1.5 and §2.1.6 (response formats per query form),
SPARQL 1.1 Query Results JSON/XML formats, RFC 9110 §12.5.1 and §15.5.7 (406).
Negotiation runs only over the formats that apply to the query form: SELECT/ASK →
results formats; CONSTRUCT/DESCRIBE → RDF formats; nothing applicable → 406.
"""

from __future__ import annotations

import json
from xml.dom import minidom

import pytest
import rdflib

ACCEPT = (
    "application/n-triples;q=0.9, text/turtle;q=0.8, application/sparql-results+xml;q=0.6, "
    "application/sparql-results+json;q=0.6, text/csv;q=0.5"
)
RESULTS = {"application/sparql-results+xml", "application/sparql-results+json"}
SRX = "http://www.w3.org/2005/sparql-results#"


def _check_results(r, *, ask: bool = False):
    assert r.status_code == 200, r.get_data(as_text=True)
    assert r.mimetype in RESULTS
    if r.mimetype == "application/sparql-results+json":
        doc = json.loads(r.data)
        if ask:
            assert isinstance(doc["boolean"], bool)
        else:
            assert len(doc["results"]["bindings"]) == 5
    else:
        dom = minidom.parseString(r.data)
        assert dom.documentElement.namespaceURI == SRX
        if ask:
            assert len(dom.getElementsByTagNameNS(SRX, "boolean")) == 1
        else:
            assert len(dom.getElementsByTagNameNS(SRX, "result")) == 5


@pytest.mark.parametrize("method", ["get", "post"])
def test_select_gets_results_format(client, method):
    q = "SELECT * WHERE { ?s ?p ?o } LIMIT 5"
    if method == "get":
        r = client.get("/sparql", query_string={"query": q}, headers={"Accept": ACCEPT})
    else:
        r = client.post("/sparql", data={"query": q}, headers={"Accept": ACCEPT})
    _check_results(r)
    assert "Accept" in r.headers.get("Vary", "")


def test_ask_gets_results_format(client):
    r = client.post("/sparql", data={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": ACCEPT})
    _check_results(r, ask=True)


def test_select_direct_post(client):
    r = client.post(
        "/sparql",
        data=b"SELECT * WHERE { ?s ?p ?o } LIMIT 5",
        content_type="application/sparql-query",
        headers={"Accept": ACCEPT},
    )
    _check_results(r)


@pytest.mark.parametrize(
    "query",
    [
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 5",
        "DESCRIBE <https://w3id.org/cnamkg/id/organization/alice>",
    ],
)
def test_graph_forms_get_rdf_with_the_same_header(client, query):
    r = client.post("/sparql", data={"query": query}, headers={"Accept": ACCEPT})
    assert r.status_code == 200
    assert r.mimetype == "application/n-triples"
    g = rdflib.Graph().parse(data=r.data, format="nt")
    assert len(g) > 0


def test_select_with_only_rdf_types_is_406(client):
    r = client.post(
        "/sparql",
        data={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 5"},
        headers={"Accept": "application/n-triples, text/turtle"},
    )
    assert r.status_code == 406
    body = r.get_data(as_text=True)
    assert "application/sparql-results+json" in body


def test_construct_with_only_results_types_is_406(client):
    r = client.post(
        "/sparql",
        data={"query": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 5"},
        headers={"Accept": "application/sparql-results+json, text/csv"},
    )
    assert r.status_code == 406
    assert "text/turtle" in r.get_data(as_text=True)


def test_csv_chosen_when_preferred_among_results(client):
    r = client.post(
        "/sparql",
        data={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 5"},
        headers={"Accept": "text/turtle, text/csv;q=0.9, application/sparql-results+json;q=0.1"},
    )
    assert r.status_code == 200
    assert r.mimetype == "text/csv"
