"""BUG-07 · protocol · CORS preflight for browser SPARQL clients.

Source: https://github.com/Sophox/sophox/issues/35 (related:
https://github.com/oxigraph/oxigraph/issues/458,
https://github.com/CarnegieHall/linked-data/issues/6).

Specs: Fetch Standard, "CORS protocol" (CORS-preflight request and response); RFC 9110
§9.3.7 (OPTIONS). Preflight 200/204 with Allow-Origin, Allow-Methods ⊇ {GET, POST},
Allow-Headers ⊇ {Content-Type}; actual responses (including errors and redirects) repeat
Access-Control-Allow-Origin; entity routes carry it too.
"""

from __future__ import annotations

import pytest

ORIGIN = "https://client.example"
PREFLIGHT = {
    "Origin": ORIGIN,
    "Access-Control-Request-Method": "POST",
    "Access-Control-Request-Headers": "content-type",
}


def _tokens(value: str | None) -> set[str]:
    return {t.strip().lower() for t in (value or "").split(",") if t.strip()}


def _allows_origin(r) -> bool:
    return r.headers.get("Access-Control-Allow-Origin") in ("*", ORIGIN)


@pytest.mark.parametrize(
    "path",
    [
        "/sparql",
        "/id/organization/alice",
        "/data/organization/alice.ttl",
        "/page/organization/alice",
    ],
)
def test_preflight(client, path):
    r = client.options(path, headers=PREFLIGHT)
    assert r.status_code in (200, 204)
    assert _allows_origin(r)
    assert {"get"} <= _tokens(r.headers.get("Access-Control-Allow-Methods"))
    if path == "/sparql":
        assert {"get", "post"} <= _tokens(r.headers.get("Access-Control-Allow-Methods"))
    assert "content-type" in _tokens(r.headers.get("Access-Control-Allow-Headers"))
    assert r.headers.get("Access-Control-Allow-Credentials") is None


def test_preflight_for_accept_header(client):
    r = client.options("/sparql", headers={**PREFLIGHT, "Access-Control-Request-Headers": "accept"})
    assert r.status_code in (200, 204)
    assert "accept" in _tokens(r.headers.get("Access-Control-Allow-Headers"))


def test_direct_post_repeats_allow_origin(client):
    r = client.post(
        "/sparql",
        data=b"ASK { ?s ?p ?o }",
        content_type="application/sparql-query",
        headers={"Origin": ORIGIN, "Accept": "application/sparql-results+json"},
    )
    assert r.status_code == 200
    assert _allows_origin(r)


def test_error_response_repeats_allow_origin(client):
    """A browser client can only read the 400 message if the error carries the header."""
    r = client.post(
        "/sparql",
        data=b"SELEKT nonsense",
        content_type="application/sparql-query",
        headers={"Origin": ORIGIN},
    )
    assert r.status_code == 400
    assert _allows_origin(r)


def test_get_query_repeats_allow_origin(client):
    r = client.get(
        "/sparql",
        query_string={"query": "ASK {}"},
        headers={"Origin": ORIGIN, "Accept": "application/sparql-results+json"},
    )
    assert r.status_code == 200
    assert _allows_origin(r)


@pytest.mark.parametrize("accept", ["text/turtle", "application/ld+json", "text/html"])
def test_entity_redirect_and_target_carry_allow_origin(client, accept):
    r = client.get("/id/organization/alice", headers={"Origin": ORIGIN, "Accept": accept})
    assert r.status_code == 303
    assert _allows_origin(r)
    r = client.get(r.headers["Location"], headers={"Origin": ORIGIN, "Accept": accept})
    assert r.status_code == 200
    assert _allows_origin(r)


def test_unknown_entity_404_carries_allow_origin(client):
    r = client.get("/id/organization/nobody", headers={"Origin": ORIGIN})
    assert r.status_code == 404
    assert _allows_origin(r)
