"""BUG-23 · security · FROM / FROM NAMED / default-graph-uri dereferencing.

Source: https://github.com/RDFLib/rdflib/issues/810 (``SPARQL_LOAD_GRAPHS``:
https://github.com/RDFLib/rdflib/issues/1421); spec discussion:
https://github.com/w3c/data-shapes/issues/676.

Specs: SPARQL 1.1 Query §13.2 (specifying RDF datasets) and §21 (Security
Considerations); SPARQL 1.1 Protocol §2.1.4 (the protocol's dataset takes precedence
over the query's). Graph IRIs are looked up among the graphs already in the store. A
``FROM``/``FROM NAMED`` of a graph that is not in the dataset is refused with 400 before
evaluation (the case allows it; issue 3 §2 requires it); a protocol
``default-graph-uri``/``named-graph-uri`` of an unknown graph is an empty graph (the W3C
protocol tests use one). A known graph (``graph/people``) gives exactly its triples;
nothing is fetched (the loopback listener sees no connection), no file is read.
"""

from __future__ import annotations

import json

import pytest
from casekit import Listener, bindings

PEOPLE = "https://w3id.org/cnamkg/graph/people"
HOSTILE = "https://w3id.org/cnamkg/graph/hostile"


@pytest.fixture
def listener():
    lst = Listener()
    yield lst
    lst.close()


def _rows(client, query, **params):
    r = client.get(
        "/sparql",
        query_string={"query": query, **params},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert r.status_code == 200, r.get_data(as_text=True)
    return json.loads(r.data)["results"]["bindings"]


def _triples_of(client, graph):
    rows = bindings(client, f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return {(r["s"]["value"], r["p"]["value"], r["o"]["value"]) for r in rows}


def _as_set(rows):
    return {(r["s"]["value"], r["p"]["value"], r["o"]["value"]) for r in rows}


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_from_remote_iri_is_refused_and_not_fetched(client, listener, method):
    q = f"SELECT * FROM <{listener.url}/steal.ttl> WHERE {{ ?s ?p ?o }}"
    _refused(client, q, method)
    assert listener.seen() == []


def _refused(client, query, method="get"):
    if method == "get":
        r = client.get("/sparql", query_string={"query": query})
    else:
        r = client.post("/sparql", data={"query": query})
    assert r.status_code == 400
    assert "names no graph of this dataset" in r.get_data(as_text=True)
    assert "hostname" not in r.get_data(as_text=True).split("Its graphs")[1]


def test_b_from_named_file_is_refused_and_not_read(client, listener):
    _refused(client, "SELECT * FROM NAMED <file:///etc/hostname> WHERE { GRAPH ?g { ?s ?p ?o } }")
    _refused(
        client, f"SELECT * FROM NAMED <{listener.url}/n.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"
    )
    assert listener.seen() == []


def test_c_default_graph_uri_remote_is_empty(client, listener):
    rows = _rows(client, "SELECT * WHERE {?s ?p ?o}", **{"default-graph-uri": f"{listener.url}/x"})
    assert rows == []
    assert listener.seen() == []


def test_named_graph_uri_remote_is_empty(client, listener):
    rows = _rows(
        client, "SELECT * WHERE { GRAPH ?g {?s ?p ?o} }", **{"named-graph-uri": f"{listener.url}/y"}
    )
    assert rows == []
    assert listener.seen() == []


def test_graph_keyword_with_remote_iri_is_empty(client, listener):
    q = f"SELECT * WHERE {{ GRAPH <{listener.url}/g> {{ ?s ?p ?o }} }}"
    assert bindings(client, q) == []
    assert listener.seen() == []


def test_from_known_graph_gives_only_its_triples(client, listener):
    people = _triples_of(client, PEOPLE)
    assert people, "fixture graph people is not empty"
    got = _as_set(bindings(client, f"SELECT ?s ?p ?o FROM <{PEOPLE}> WHERE {{ ?s ?p ?o }}"))
    assert got == people
    everything = _as_set(bindings(client, "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"))
    assert got < everything
    assert listener.seen() == []


def test_default_graph_uri_known_graph(client):
    got = _as_set(
        _rows(client, "SELECT ?s ?p ?o WHERE { ?s ?p ?o }", **{"default-graph-uri": PEOPLE})
    )
    assert got == _triples_of(client, PEOPLE)


def test_from_known_and_unknown_is_refused(client, listener):
    _refused(
        client, f"SELECT ?s ?p ?o FROM <{PEOPLE}> FROM <{listener.url}/z> WHERE {{ ?s ?p ?o }}"
    )
    assert listener.seen() == []


def test_from_named_known_graph(client):
    q = f"SELECT DISTINCT ?g FROM NAMED <{PEOPLE}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"
    assert [r["g"]["value"] for r in bindings(client, q)] == [PEOPLE]


def test_protocol_dataset_overrides_query_dataset(client):
    """Protocol §2.1.4: default-graph-uri replaces the query's FROM."""
    q = f"SELECT ?s ?p ?o FROM <{PEOPLE}> WHERE {{ ?s ?p ?o }}"
    got = _as_set(_rows(client, q, **{"default-graph-uri": HOSTILE}))
    assert got == _triples_of(client, HOSTILE)


def test_malformed_graph_parameter_is_400(client):
    r = client.get("/sparql", query_string={"query": "ASK {}", "default-graph-uri": "x> } UNION {"})
    assert r.status_code == 400
    assert r.mimetype == "text/plain"
