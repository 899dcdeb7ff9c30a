"""The answer cache (issue 5 §2): repeated pages and SPARQL queries are answered from
memory, keyed by dataset version, normalised query and negotiation; counts in /readyz;
bounded in size; volatile queries never kept."""

from __future__ import annotations

import pytest
from flask import Flask

from cnamkg.web.app import create_app
from cnamkg.web.response_cache import CachedAnswer, ResponseCache
from conftest import fixture_settings

JSON = {"Accept": "application/sparql-results+json"}


@pytest.fixture
def app() -> Flask:
    return create_app(fixture_settings())


def _stats(app: Flask) -> dict[str, int]:
    r = app.test_client().get("/readyz")
    assert r.status_code == 200 and r.headers["Cache-Control"] == "no-store"
    stats: dict[str, int] = r.get_json()["cache"]
    return stats


def test_a_repeated_page_is_answered_from_the_cache(app: Flask) -> None:
    client = app.test_client()
    first = client.get("/page/organization/alice?lang=en")
    again = client.get("/page/organization/alice?lang=en")
    assert first.data == again.data and first.headers["ETag"] == again.headers["ETag"]
    assert again.headers["X-Request-Id"] != first.headers["X-Request-Id"]  # per request
    stats = _stats(app)
    assert stats["hits"] == 1 and stats["misses"] == 1 and stats["entries"] == 1
    # another language is another answer
    client.get("/page/organization/alice?lang=fr")
    assert _stats(app)["misses"] == 2


def test_answers_are_kept_per_scheme_and_host(app: Flask) -> None:
    """A page written for one origin holds absolute links to it (canonical link, sitemap,
    service description): another scheme or host is another answer — a TLS proxy's
    ``https`` readers never get the ``http`` links of a direct request."""
    client = app.test_client()
    plain = client.get("/robots.txt", base_url="http://kg.example.org")
    tls = client.get("/robots.txt", base_url="https://kg.example.org")
    other = client.get("/robots.txt", base_url="https://other.example.org")
    assert b"http://kg.example.org/sitemap.xml" in plain.data
    assert b"https://kg.example.org/sitemap.xml" in tls.data
    assert b"https://other.example.org/sitemap.xml" in other.data
    assert len({plain.headers["ETag"], tls.headers["ETag"], other.headers["ETag"]}) == 3


def test_queries_differing_only_in_layout_share_an_entry(app: Flask) -> None:
    client = app.test_client()
    a = client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"}, headers=JSON)
    a_body = a.get_json()  # a streamed answer is kept once it has been sent whole
    b = client.get(
        "/sparql",
        query_string={"query": "ASK   {\n  ?s ?p ?o # any triple\n}"},
        headers=JSON,
    )
    assert a_body == b.get_json() == {"head": {}, "boolean": True}
    assert a.headers["ETag"] == b.headers["ETag"]
    assert _stats(app)["hits"] == 1
    # a string's inner spaces are content: another query
    client.get("/sparql", query_string={"query": 'ASK { ?s ?p "a  b" }'}, headers=JSON)
    client.get("/sparql", query_string={"query": 'ASK { ?s ?p "a b" }'}, headers=JSON)
    assert _stats(app)["hits"] == 1


def test_volatile_queries_and_status_are_never_kept(app: Flask) -> None:
    client = app.test_client()
    for _ in range(2):
        client.get("/sparql", query_string={"query": "SELECT (RAND() AS ?r) {}"}, headers=JSON)
        client.get("/readyz")
    assert _stats(app) == {**_stats(app), "hits": 0, "entries": 0}


def test_streamed_results_are_kept_once_complete(app: Flask) -> None:
    client = app.test_client()
    query = {"query": "SELECT * WHERE { ?s ?p ?o }"}
    first = client.get("/sparql", query_string=query, headers=JSON)
    assert first.is_streamed or first.status_code == 200
    body = first.get_data()
    again = client.get("/sparql", query_string=query, headers=JSON)
    assert again.get_data() == body and _stats(app)["hits"] == 1


def test_the_cache_can_be_turned_off() -> None:
    app = create_app(fixture_settings(cache_mb=0))
    client = app.test_client()
    client.get("/")
    client.get("/")
    assert _stats(app)["entries"] == 0 and _stats(app)["hits"] == 0


def test_the_cache_is_bounded_least_recently_used_first() -> None:
    cache = ResponseCache(8000)  # entries up to 1000 bytes, overhead included
    for i in range(10):
        cache.put(f"k{i}", CachedAnswer(200, (), b"x" * 300))
    cache.get("k2")  # recently used: kept
    cache.put("k10", CachedAnswer(200, (), b"x" * 300))
    assert cache.stats()["bytes"] <= 8000
    assert cache.get("k2") is not None and cache.get("k0") is None
    cache.put("big", CachedAnswer(200, (), b"x" * 1000))  # over one eighth: not kept
    assert cache.get("big") is None


def test_tiny_answers_count_their_overhead() -> None:
    """Field report: 80,000 four-byte answers were "321 KB" in a 1 MB cache while the
    worker grew by 90 MB; every entry now counts its key, headers and a fixed overhead."""
    cache = ResponseCache(1024 * 1024)
    for i in range(20_000):
        cache.put(f'W/"{i:032d}"', CachedAnswer(200, (("Vary", "Accept"),), b"true"))
    stats = cache.stats()
    assert stats["bytes"] <= 1024 * 1024 and stats["entries"] < 2000


def test_repeated_parameters_keep_their_order_in_the_key(app: Flask) -> None:
    """Field report: ?lang=fr&lang=en was served the cached English page; the first value
    is the one read, so the order of a repeated parameter belongs to the key."""
    client = app.test_client()
    en_first = client.get("/page/organization/alice?lang=en&lang=fr").get_data(as_text=True)
    fr_first = client.get("/page/organization/alice?lang=fr&lang=en").get_data(as_text=True)
    assert '<html lang="en">' in en_first and '<html lang="fr">' in fr_first


def test_volatile_functions_hidden_from_the_lexer_are_not_cached(app: Flask) -> None:
    """Field report: RAND() inside text the lexer reads as an IRI (<1,RAND(),0)…>) was
    cached; volatility is judged on every piece the parser might read as a keyword."""
    q = "SELECT ?x WHERE{BIND(IF(0<1,RAND(),0)AS?x)FILTER(?x>=0)}"
    r = app.test_client().get("/sparql", query_string={"query": q}, headers=JSON)
    assert r.headers["Cache-Control"] == "no-store" and "ETag" not in r.headers
