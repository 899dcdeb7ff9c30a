"""/search: labels and alternate labels in any language, accent- and case-insensitive,
exact matches first; HTML and JSON; a search box on every page."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from cnamkg.web.urls import local_path

JSON = {"Accept": "application/json"}


def hits(kg: FlaskClient, q: str) -> list[dict[str, str]]:
    r = kg.get("/search", query_string={"q": q}, headers=JSON)
    assert r.status_code == 200 and r.mimetype == "application/json"
    return r.get_json()["results"]


@pytest.mark.parametrize(
    ("q", "first"),
    [
        ("ecole", "organization/ecole-numerique-ia"),  # accent-insensitive: « École »
        ("SORBONNE", "organization/sorbonne-universite"),
        ("cnam", "organization/cnam"),  # exact label first
        ("Conservatoire national des arts et metiers", "organization/cnam"),  # alternate label
        ("postgenai", "project/postgenai-paris"),
    ],
)
def test_search_finds(kg: FlaskClient, q: str, first: str) -> None:
    results = hits(kg, q)
    assert results and results[0]["iri"] == "https://w3id.org/cnamkg/id/" + first


def test_search_ranks_exact_before_substring(kg: FlaskClient) -> None:
    iris = [r["iri"] for r in hits(kg, "cnam")]
    assert iris[0].endswith("/organization/cnam") and len(iris) > 1
    assert len(iris) == len(set(iris))  # one hit per entity


@pytest.mark.parametrize("q", ["", "   ", "zzzz-nothing", '"> } UNION { ?s ?p ?o } #', "\\u0022"])
def test_search_without_hits(kg: FlaskClient, q: str) -> None:
    assert hits(kg, q) == []


def test_search_html_and_the_box_on_every_page(kg: FlaskClient) -> None:
    html = kg.get("/search?q=sorbonne&lang=en").get_data(as_text=True)
    assert 'href="/page/organization/sorbonne-universite?lang=en"' in html
    for path in ("/", "/organization", "/page/project/caire", "/sparql", "/search?q=x"):
        page = kg.get(path, headers={"Accept": "text/html"}).get_data(as_text=True)
        assert 'role="search"' in page and 'name="q"' in page, path


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/organization?page=1",
        "/page/project/caire",
        "/search?q=cnam",
        "/ontology",
        "/sparql",
        "/page/organization/nobody",
    ],
)
def test_every_page_has_a_language_switch_and_the_data_links(kg: FlaskClient, path: str) -> None:
    """Issue 4 §2: a language switch on every page, keeping the page's other parameters;
    the footer leads to the dumps, VoID, ontology, SPARQL and sitemap."""
    html = kg.get(path, headers={"Accept": "text/html"}).get_data(as_text=True)
    m = re.search(r'<a href="([^"]+)" hreflang="en" lang="en">English</a>', html)
    assert m, path
    switch = m.group(1).replace("&amp;", "&")
    assert "lang=en" in switch and switch.startswith(path.split("?")[0] + "?")
    for kept in path.partition("?")[2].split("&"):
        assert kept in switch
    for href in ("/dumps/", "/.well-known/void.ttl", "/sitemap.xml"):
        assert f'href="{href}' in html


@pytest.mark.parametrize(
    ("path", "href"),
    [
        ("/%5Cevil.example", "/%5Cevil.example?lang=en"),
        ("/%09/evil.example", "/%09/evil.example?lang=en"),
    ],
)
def test_the_language_switch_never_leads_to_another_host(
    client: FlaskClient, path: str, href: str
) -> None:
    """Field report: the switch of the 404 page for ``/%5Cevil.example`` linked to
    ``/\\evil.example``, which browsers read as ``//evil.example`` (WHATWG URL: a
    backslash is a slash in http URLs; tab and newline are dropped)."""
    html = client.get(path, headers={"Accept": "text/html"}).get_data(as_text=True)
    assert f'<a href="{href}" hreflang="en"' in html


def test_odd_iris_in_results_are_shown_not_a_500(client: FlaskClient) -> None:
    """Field report: an IRI with a full-width ＃ or ／ in its authority made the HTML
    results table fail (urlsplit's NFKC check); it is shown, as a link."""
    for iri in ("http://a＃b/", "http://a／b@c/"):
        r = client.get(
            "/sparql",
            query_string={"query": f"SELECT ?x {{ BIND(<{iri}> AS ?x) }}"},
            headers={"Accept": "text/html"},
        )
        assert r.status_code == 200 and f'href="{iri}"' in r.get_data(as_text=True)


def test_local_paths_cannot_name_another_host() -> None:
    """RFC 3986 §4.2: ``//host`` is a network-path reference; the helper breaks it."""
    assert local_path("//evil.example/x") == "/%2Fevil.example/x"
    assert local_path("/page/organization/cnam") == "/page/organization/cnam"
    assert local_path("/a b%c\\d") == "/a%20b%25c%5Cd"
