"""Issue 3 §2: SERVICE reaches only the endpoints of the federation allow-list. The
federated endpoint is a second instance of the app on a real loopback HTTP server."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from werkzeug.serving import make_server

from cnamkg.web.app import create_app
from conftest import fixture_settings

JSON = "application/sparql-results+json"


@pytest.fixture(scope="module")
def remote() -> Iterator[str]:
    server = make_server("127.0.0.1", 0, create_app(fixture_settings()), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/sparql"
    server.shutdown()
    thread.join()


def test_allow_listed_service_is_called(remote: str) -> None:
    client = create_app(fixture_settings(federation_allowlist=remote)).test_client()
    q = f"SELECT ?o WHERE {{ SERVICE <{remote}> {{ <https://w3id.org/cnamkg/id/organization/alice> <http://example.org/vocab#knows> ?o }} }}"
    r = client.get("/sparql", query_string={"query": q}, headers={"Accept": JSON})
    assert r.status_code == 200, r.get_data(as_text=True)
    rows = r.get_json()["results"]["bindings"]
    assert rows == [{"o": {"type": "uri", "value": "https://w3id.org/cnamkg/id/organization/bob"}}]


@pytest.mark.parametrize(
    "endpoint",
    ["http://127.0.0.1:9/sparql", "{remote}/other", "{remote}#x"],
)
def test_other_endpoints_stay_refused(remote: str, endpoint: str) -> None:
    client = create_app(fixture_settings(federation_allowlist=remote)).test_client()
    target = endpoint.format(remote=remote)
    for q in (
        f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE <{remote}> {{ ?s ?p ?o }} SERVICE <{target}> {{ ?a ?b ?c }} }}",
        f"PREFIX : <{target}> SELECT * WHERE {{ SERVICE:x {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?s ?p trueSERVICE <{remote}> {{ }} }}",
    ):
        r = client.get("/sparql", query_string={"query": q}, headers={"Accept": JSON})
        assert r.status_code == 400 and "allow-list" in r.get_data(as_text=True), q
