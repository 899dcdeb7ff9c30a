"""/search: labels and alternate labels in any language, accent- and case-insensitive,
exact matches first; HTML and JSON; a search box on every page."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

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
