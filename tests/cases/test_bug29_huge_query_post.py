"""BUG-29(a) · performance · huge queries sent by POST.

Source: https://github.com/RDFLib/sparqlwrapper/issues/83 (related:
https://github.com/D2KLab/sparql-transformer/issues/24,
https://github.com/openlink/virtuoso-opensource/issues/280,
https://github.com/openlink/virtuoso-opensource/issues/700).

Specs: SPARQL 1.1 Protocol §2.1.2 (query via URL-encoded POST) and §2.1.3 (query via
POST directly) — POST exists for long queries; §2.1.7 (failure responses); RFC 9110
§15.5.14 (413). Scope: only case (a) for the two POST forms (GET/414, (b) and (c) are
not covered here). A ~200 KB ``VALUES`` query of 5,000 IRIs succeeds by form POST and
by direct POST when ``max_query_bytes`` allows it; over the limit the answer is a 4xx
with a message, never a 500.
"""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import urlencode

import pytest

from cnamkg.web.app import create_app
from conftest import fixture_settings

ID = "https://w3id.org/cnamkg/id/organization/"
N = 5000


def _query(n: int, pad: str = "") -> str:
    iris = " ".join(f"<{ID}n{i}{pad}>" for i in range(n - 2))
    return (
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        f"SELECT ?s ?l WHERE {{ VALUES ?s {{ <{ID}alice> <{ID}bob> {iris} }} "
        'OPTIONAL { ?s rdfs:label ?l FILTER(lang(?l) = "en") } }'
    )


QUERY = _query(N)


@pytest.fixture(scope="module")
def big_client():
    return create_app(fixture_settings(max_query_bytes=500_000)).test_client()


def _form(client, query, accept="application/sparql-results+json"):
    return client.post(
        "/sparql",
        data=urlencode({"query": query}),
        content_type="application/x-www-form-urlencoded",
        headers={"Accept": accept},
    )


def _direct(client, query, accept="application/sparql-results+json"):
    return client.post(
        "/sparql",
        data=query.encode("utf-8"),
        content_type="application/sparql-query",
        headers={"Accept": accept},
    )


def test_query_is_about_200_kb():
    assert 180_000 <= len(QUERY.encode()) <= 260_000


@pytest.mark.parametrize("send", [_form, _direct], ids=["form", "direct"])
def test_large_values_query_succeeds(big_client, send):
    r = send(big_client, QUERY)
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    assert r.mimetype == "application/sparql-results+json"
    rows = json.loads(r.data)["results"]["bindings"]
    assert len(rows) == N
    labels = {row["s"]["value"]: row["l"]["value"] for row in rows if "l" in row}
    assert labels == {f"{ID}alice": "Alice", f"{ID}bob": "Bob"}


@pytest.mark.parametrize("send", [_form, _direct], ids=["form", "direct"])
def test_large_query_as_csv(big_client, send):
    r = send(big_client, QUERY, accept="text/csv")
    assert r.status_code == 200
    rows = list(csv.reader(io.StringIO(r.get_data(as_text=True), newline="")))
    assert rows[0] == ["s", "l"] and len(rows) == N + 1


@pytest.mark.parametrize("send", [_form, _direct], ids=["form", "direct"])
def test_over_the_configured_limit_is_4xx_with_message(big_client, send):
    q = _query(12_000)
    assert len(q.encode()) > 500_000
    r = send(big_client, q)
    assert 400 <= r.status_code < 500
    assert r.mimetype == "text/plain"
    text = r.get_data(as_text=True)
    assert "500000" in text or "500 000" in text or "500,000" in text or "too" in text.lower()


@pytest.mark.parametrize("send", [_form, _direct], ids=["form", "direct"])
def test_default_limit_refuses_cleanly(client, send):
    """The default limit (100 KB) refuses the 200 KB query with a message, not a 500."""
    r = send(client, QUERY)
    assert 400 <= r.status_code < 500
    assert r.mimetype == "text/plain"
    assert "100000" in r.get_data(as_text=True)


@pytest.mark.parametrize("send", [_form, _direct], ids=["form", "direct"])
def test_just_under_the_limit_succeeds(big_client, send):
    q = _query(9_000)
    assert 400_000 < len(q.encode()) < 500_000
    r = send(big_client, q)
    assert r.status_code == 200
    assert len(json.loads(r.data)["results"]["bindings"]) == 9_000


def test_body_over_max_body_bytes_is_413(big_client):
    body = ("SELECT * WHERE { ?s ?p ?o } #" + "x" * 1_100_000).encode()
    r = big_client.post("/sparql", data=body, content_type="application/sparql-query")
    assert r.status_code == 413
    assert r.mimetype == "text/plain"
    assert r.get_data(as_text=True).strip()


def test_multibyte_characters_counted_in_bytes(big_client):
    """The limit is in bytes of UTF-8: 200,000 'é' (400 KB) pass, 260,000 (520 KB) do not."""
    ok = "SELECT * WHERE { ?s ?p ?o } LIMIT 1 #" + "é" * 200_000
    r = _direct(big_client, ok)
    assert r.status_code == 200
    too_big = "SELECT * WHERE { ?s ?p ?o } LIMIT 1 #" + "é" * 260_000
    r = _direct(big_client, too_big)
    assert 400 <= r.status_code < 500
