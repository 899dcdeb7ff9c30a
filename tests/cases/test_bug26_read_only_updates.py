"""BUG-26 · security · read-only endpoint must refuse updates.

Source: https://github.com/w3c/wot-discovery/issues/245,
https://github.com/vemonet/rdflib-endpoint/pull/19.

Specs: SPARQL 1.1 Protocol §2.2 (update is a separate operation a service need not
offer) and §2.1.7 (failure responses); SPARQL 1.1 Query §19.8 (``QueryUnit`` excludes
updates). Inputs (a)–(e) all get a 4xx (400 for update text in ``query``; 400/403/405/415
for the update forms), no outbound fetch for LOAD, and afterwards the data is unchanged.
"""

from __future__ import annotations

import pytest
from casekit import Listener, bindings, triple_count

X = "http://127.0.0.1:5000/id/x"
INSERT = f'INSERT DATA {{ <{X}> <http://127.0.0.1:5000/id/y> "z" }}'


@pytest.fixture
def listener():
    lst = Listener()
    yield lst
    lst.close()


def _requests(load_url: str):
    load = f"LOAD <{load_url}/x.ttl>"
    return {
        "a-form-update": lambda c: c.post("/sparql", data={"update": INSERT}),
        "b-direct-update-drop": lambda c: c.post(
            "/sparql", data=b"DROP ALL", content_type="application/sparql-update"
        ),
        "b-direct-update-charset": lambda c: c.post(
            "/sparql", data=INSERT.encode(), content_type="application/sparql-update; charset=utf-8"
        ),
        "c-get-query-drop": lambda c: c.get("/sparql?query=DROP%20ALL"),
        "d-form-query-clear": lambda c: c.post("/sparql", data={"query": "CLEAR DEFAULT"}),
        "e-load-in-query": lambda c: c.post("/sparql", data={"query": load}),
        "e-load-in-update": lambda c: c.post("/sparql", data={"update": load}),
        "e-load-get-update": lambda c: c.get("/sparql", query_string={"update": load}),
        "e-load-direct-update": lambda c: c.post(
            "/sparql", data=load.encode(), content_type="application/sparql-update"
        ),
        "insert-as-direct-query": lambda c: c.post(
            "/sparql", data=INSERT.encode(), content_type="application/sparql-query"
        ),
        "insert-in-get-query": lambda c: c.get("/sparql", query_string={"query": INSERT}),
        "get-update-param": lambda c: c.get("/sparql", query_string={"update": INSERT}),
        "query-then-update": lambda c: c.post("/sparql", data={"query": f"ASK {{}} ; {INSERT}"}),
        "query-and-update-params": lambda c: c.post(
            "/sparql", data={"query": "ASK {}", "update": INSERT}
        ),
        "update-in-url-of-direct-post": lambda c: c.post(
            "/sparql",
            query_string={"update": INSERT},
            data=b"ASK {}",
            content_type="application/sparql-query",
        ),
        "delete-where": lambda c: c.post("/sparql", data={"query": "DELETE WHERE { ?s ?p ?o }"}),
        "create-graph": lambda c: c.post("/sparql", data={"update": "CREATE GRAPH <urn:g>"}),
        "put": lambda c: c.put("/sparql", data=INSERT.encode()),
        "delete-method": lambda c: c.delete("/sparql"),
        "patch": lambda c: c.patch("/sparql", data=INSERT.encode()),
    }


NAMES = list(_requests("http://x").keys())


@pytest.mark.parametrize("name", NAMES)
def test_update_is_refused_and_data_unchanged(client, listener, name):
    before = triple_count(client)
    r = _requests(listener.url)[name](client)
    assert 400 <= r.status_code < 500, (r.status_code, r.get_data(as_text=True))
    assert r.status_code in (400, 403, 405, 415)
    assert r.get_data(as_text=True).strip(), "a message explains the refusal"
    assert "Traceback" not in r.get_data(as_text=True)
    assert triple_count(client) == before
    assert bindings(client, f"SELECT * WHERE {{ <{X}> ?p ?o }}") == []
    assert listener.seen() == []


@pytest.mark.parametrize(
    "name",
    [
        "c-get-query-drop",
        "d-form-query-clear",
        "e-load-in-query",
        "insert-in-get-query",
        "insert-as-direct-query",
    ],
)
def test_update_text_in_query_is_400(client, listener, name):
    r = _requests(listener.url)[name](client)
    assert r.status_code == 400
    assert r.mimetype == "text/plain"


def test_after_all_inputs_ask_is_false_and_count_unchanged(client, listener):
    before = triple_count(client)
    for send in _requests(listener.url).values():
        send(client)
    r = client.post(
        "/sparql",
        data={"query": f"ASK {{ <{X}> ?p ?o }}"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert r.status_code == 200
    assert r.get_json()["boolean"] is False
    r = client.post(
        "/sparql",
        data={"query": 'ASK { ?s ?p "z" }'},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert r.get_json()["boolean"] is False
    assert triple_count(client) == before
    assert client.get("/id/organization/alice").status_code == 303
    assert listener.seen() == []
