"""Lists are paginated. Incoming links of a hub are paginated per property (issue 4 §2: "a hub like France 2030
can have 100,000 incoming links … the page stays fast and small"): the page shows one
slice per property, the total, and prev/next links (HTML ``rel`` values, HTML Living
Standard §4.6.7); every link appears on exactly one page."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from cnamkg.web.app import create_app
from cnamkg.web.blueprints.browse import KIND_PAGE_SIZE
from cnamkg.web.blueprints.entities import INCOMING_PAGE_SIZE
from conftest import FIXTURE, fixture_settings

HUB = "https://w3id.org/cnamkg/id/organization/hub"
LINKS = INCOMING_PAGE_SIZE * 2 + 7  # three pages: full, full, 7


def _member(i: int) -> str:
    return f"""<https://w3id.org/cnamkg/id/organization/m{i:03d}> a ex:Person ;
    rdfs:label "Membre {i:03d}"@fr , "Member {i:03d}"@en ;
    ex:memberOf <{HUB}> ;
    dcterms:source <https://w3id.org/cnamkg/id/document/fixture> .
"""


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> FlaskClient:
    data = tmp_path_factory.mktemp("hubdata")
    for f in (FIXTURE / "data").glob("*.ttl"):
        shutil.copy(f, data)
    head = """@prefix ex: <http://example.org/vocab#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
"""
    hub = f"""<{HUB}> a ex:Person ; rdfs:label "Le hub"@fr , "The hub"@en ;
    ex:knows <https://w3id.org/cnamkg/id/organization/alice> ;
    dcterms:source <https://w3id.org/cnamkg/id/document/fixture> .
<https://w3id.org/cnamkg/id/organization/bob> ex:knows <{HUB}> .
"""
    body = head + hub + "".join(_member(i) for i in range(LINKS))
    Path(data, "hub.ttl").write_text(body, encoding="utf-8")
    return create_app(fixture_settings(data_dir=data)).test_client()


def _members(html: str) -> list[str]:
    """The members listed among the incoming links (the picture links some too)."""
    section = html[html.index('<section class="incoming">') :]
    return re.findall(r'href="/page/organization/(m\d{3})', section)


def test_first_page_shows_one_slice_and_the_total(hub: FlaskClient) -> None:
    r = hub.get("/page/organization/hub?lang=en")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    shown = _members(html)
    assert len(shown) == INCOMING_PAGE_SIZE
    assert shown == sorted(shown), "a slice of a small group is ordered by label"
    assert f"1 to {INCOMING_PAGE_SIZE} of {LINKS}" in html
    assert 'rel="next"' in html and 'rel="prev"' not in html
    # a group that fits is shown whole, with no pager
    assert 'href="/page/organization/bob' in html


def test_every_link_is_on_exactly_one_page(hub: FlaskClient) -> None:
    via = "http://example.org/vocab#memberOf"
    seen: list[str] = []
    for n in (1, 2, 3):
        r = hub.get("/page/organization/hub", query_string={"via": via, "page": n, "lang": "fr"})
        assert r.status_code == 200
        html = r.get_data(as_text=True)
        seen += _members(html)
        assert ('rel="prev"' in html) == (n > 1)
        assert ('rel="next"' in html) == (n < 3)
        assert 'rel="canonical"' in r.headers["Link"]
    assert seen == [f"m{i:03d}" for i in range(LINKS)]
    assert "101 à 107 sur 107" in html  # French number range of the last page


@pytest.mark.parametrize(
    "query",
    [
        {"via": "http://example.org/vocab#memberOf", "page": "4"},  # past the end
        {"via": "http://example.org/vocab#memberOf", "page": "0"},
        {"via": "http://example.org/vocab#memberOf", "page": "x"},
        # not ASCII digits, though str.isdigit() says they are
        {"via": "http://example.org/vocab#memberOf", "page": "²"},
        {"via": "http://example.org/vocab#memberOf", "page": "٢"},
        {"via": "http://example.org/vocab#memberOf", "page": " 2"},
        {"via": "http://example.org/vocab#memberOf", "page": "02"},
        {"via": "http://example.org/vocab#memberOf", "page": "99999999999999999999"},
        {"via": "http://example.org/vocab#nothing"},  # no link through it
        {"via": "<bad iri>"},
        {"page": "2"},  # a page without a property
    ],
)
def test_pages_that_name_nothing_are_404(hub: FlaskClient, query: dict[str, str]) -> None:
    r = hub.get("/page/organization/hub", query_string=query, headers={"Accept": "text/html"})
    assert r.status_code == 404


def test_data_keeps_every_incoming_triple(hub: FlaskClient) -> None:
    """The RDF description is not paginated (DESIGN.md: outgoing + incoming triples)."""
    r = hub.get("/data/organization/hub.nt")
    assert r.get_data(as_text=True).count(f"<http://example.org/vocab#memberOf> <{HUB}>") == LINKS


def test_kind_list_is_paginated_by_label(hub: FlaskClient) -> None:
    """``/{kind}`` (DESIGN.md: paginated list): KIND_PAGE_SIZE per page, sorted by label
    across pages, ``rel`` prev/next in links and in the head, 404 past the end."""
    seen: list[str] = []
    page = 1
    while True:
        r = hub.get("/organization", query_string={"page": page, "lang": "en"})
        assert r.status_code == 200
        html = r.get_data(as_text=True)
        labels = re.findall(
            r'<li><a href="/page/organization/[^"]+" title="[^"]+">([^<]+)</a>', html
        )
        assert 0 < len(labels) <= KIND_PAGE_SIZE
        seen += labels
        assert ('<link rel="prev"' in html) == (page > 1)
        if '<link rel="next"' not in html:
            break
        page += 1
    assert page == 2
    assert len(seen) == len(set(seen)) == LINKS + 5  # the members, the hub and 4 others
    assert seen == sorted(seen, key=str.casefold)
    assert hub.get("/organization?page=3", headers={"Accept": "text/html"}).status_code == 404
    for bad in ("-1", "0", "²", "٢", "1e3", "", "+2", "99999999999999999999"):
        assert hub.get("/organization", query_string={"page": bad}).status_code == 404, bad
