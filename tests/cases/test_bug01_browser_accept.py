"""BUG-01 · conneg · browser Accept with a trailing wildcard.

Source: https://github.com/pallets/werkzeug/pull/1065
(related: https://github.com/pallets/werkzeug/issues/458).

Specs: RFC 9110 §12.5.1 (Accept: more specific ranges take precedence) and §12.4.2
(quality values). A browser whose Accept names HTML and then ``*/*`` (all q=1) must get
HTML, never JSON-LD or another RDF type matched only by the wildcard.
"""

from __future__ import annotations

import pytest

ALICE = "/id/organization/alice"

BROWSERS = {
    "case": "text/html, application/xhtml+xml, image/jxr, */*",
    "firefox": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "chrome": "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"
    "image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7",
    "wildcard-first": "*/*, text/html",
    "xhtml-only": "application/xhtml+xml, */*",
}


@pytest.mark.parametrize("accept", BROWSERS.values(), ids=BROWSERS.keys())
def test_identifier_sends_browser_to_html_page(client, accept):
    r = client.get(ALICE, headers={"Accept": accept})
    assert r.status_code == 303
    assert r.headers["Location"].endswith("/page/organization/alice")
    assert "Accept" in r.headers.get("Vary", "")


@pytest.mark.parametrize("accept", BROWSERS.values(), ids=BROWSERS.keys())
def test_followed_redirect_is_html(client, accept):
    r = client.get(ALICE, headers={"Accept": accept}, follow_redirects=True)
    assert r.status_code == 200
    assert r.mimetype == "text/html"
    assert r.mimetype_params.get("charset", "").lower() == "utf-8"
    text = r.get_data(as_text=True)
    assert text.lstrip().lower().startswith("<!doctype html>")
    assert "Alice" in text


def test_case_header_never_gives_json_ld(client):
    r = client.get(ALICE, headers={"Accept": BROWSERS["case"]}, follow_redirects=True)
    assert r.mimetype not in {"application/ld+json", "application/json", "text/turtle"}


def test_explicit_rdf_still_wins_over_wildcard(client):
    """The tie-break favours the named type: here it is Turtle, not HTML."""
    r = client.get(ALICE, headers={"Accept": "text/turtle, */*"})
    assert r.status_code == 303
    assert r.headers["Location"].endswith("/data/organization/alice.ttl")


def test_lower_quality_html_loses(client):
    r = client.get(ALICE, headers={"Accept": "text/html;q=0.5, application/ld+json"})
    assert r.status_code == 303
    assert r.headers["Location"].endswith("/data/organization/alice.jsonld")


@pytest.mark.parametrize("accept", [BROWSERS["case"], BROWSERS["firefox"]])
def test_sparql_endpoint_without_query_shows_html_form(client, accept):
    r = client.get("/sparql", headers={"Accept": accept})
    assert r.status_code == 200
    assert r.mimetype == "text/html"
    assert "<form" in r.get_data(as_text=True)


@pytest.mark.parametrize("accept", [BROWSERS["case"], BROWSERS["firefox"]])
def test_sparql_select_from_browser_is_html_table(client, accept):
    r = client.get(
        "/sparql",
        query_string={"query": "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1"},
        headers={"Accept": accept},
    )
    assert r.status_code == 200
    assert r.mimetype == "text/html"
    assert '<table class="results">' in r.get_data(as_text=True)
