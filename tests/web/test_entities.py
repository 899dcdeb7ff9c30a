"""/id (303), /data (RDF) and /page (HTML) of entities: W3C "Cool URIs for the Semantic
Web" §4.3 with conneg by Accept (RFC 9110 §12.5.1), over the fixture dataset."""

from __future__ import annotations

import json

import pytest
import rdflib
from flask.testing import FlaskClient

ALICE = rdflib.URIRef("https://w3id.org/cnamkg/id/organization/alice")
BOB = rdflib.URIRef("https://w3id.org/cnamkg/id/organization/bob")


@pytest.mark.parametrize(
    ("accept", "location"),
    [
        ("text/html", "/page/organization/alice"),
        (
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            "/page/organization/alice",
        ),
        ("text/turtle", "/data/organization/alice.ttl"),
        ("application/ld+json", "/data/organization/alice.jsonld"),
        ("application/n-triples", "/data/organization/alice.nt"),
        ("application/rdf+xml", "/data/organization/alice.rdf"),
        ("application/rdf+xml;q=0.5, text/turtle;q=0.9", "/data/organization/alice.ttl"),
    ],
)
def test_id_redirects_303(client: FlaskClient, accept: str, location: str) -> None:
    r = client.get("/id/organization/alice", headers={"Accept": accept})
    assert r.status_code == 303
    assert r.headers["Location"] == location
    assert "Accept" in r.headers["Vary"]


def test_id_406_lists_offers(client: FlaskClient) -> None:
    r = client.get("/id/organization/alice", headers={"Accept": "image/png"})
    assert r.status_code == 406
    body = r.get_data(as_text=True)
    assert "text/html" in body and "text/turtle" in body
    assert r.mimetype == "text/plain"  # not a browser: plain text


@pytest.mark.parametrize(
    ("path", "links"),
    [
        ("/data/organization/alice", ["/data/organization/alice.ttl"]),
        ("/.well-known/void", []),
    ],
)
def test_406_for_a_browser_is_a_page_with_the_offers_and_a_search_box(
    client: FlaskClient, path: str, links: list[str]
) -> None:
    """RFC 9110 §15.5.7: the 406 content lists the available representations; for a
    client that reads HTML it is a page (issue 4 §3: friendly 406 with a search box)."""
    r = client.get(path, headers={"Accept": "text/html", "Accept-Language": "en"})
    assert r.status_code == 406 and r.mimetype == "text/html"
    assert r.headers["Vary"] == "Accept, Accept-Language"
    html = r.get_data(as_text=True)
    assert "<code>text/turtle</code>" in html and "<code>application/ld+json</code>" in html
    for href in links:
        assert f'href="{href}"' in html
    assert 'id="error-search" type="search" name="q"' in html
    assert "It is available as" in html
    # */* (curl) does not name HTML: such a client gets text, as on /sparql
    plain = client.get(path, headers={"Accept": "image/png, */*;q=0"})
    assert plain.status_code == 406 and plain.mimetype == "text/plain"


@pytest.mark.parametrize(
    "path",
    [
        "/id/organization/nobody",
        "/id/robot/alice",
        "/page/organization/nobody",
        "/data/organization/nobody.ttl",
        "/data/organization/alice.xyz",
        "/id/organization/x%3E%20%7D%20UNION%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D%20%23",
    ],
)
def test_unknown_is_404(client: FlaskClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 404
    assert len(r.data) < 500


@pytest.mark.parametrize(
    ("suffix", "accept", "mimetype", "rdflib_format"),
    [
        (".ttl", None, "text/turtle", "turtle"),
        (".nt", None, "application/n-triples", "nt"),
        (".jsonld", None, "application/ld+json", "json-ld"),
        (".rdf", None, "application/rdf+xml", "xml"),
        ("", "text/turtle", "text/turtle", "turtle"),
        ("", "application/ld+json", "application/ld+json", "json-ld"),
        ("", "application/rdf+xml", "application/rdf+xml", "xml"),
        ("", "application/n-triples", "application/n-triples", "nt"),
    ],
)
def test_data_formats(
    client: FlaskClient, suffix: str, accept: str | None, mimetype: str, rdflib_format: str
) -> None:
    headers = {"Accept": accept} if accept else {}
    r = client.get("/data/organization/alice" + suffix, headers=headers)
    assert r.status_code == 200 and r.mimetype == mimetype
    g = rdflib.Graph().parse(data=r.data, format=rdflib_format)
    # outgoing triples, with canonical IRIs
    assert (ALICE, rdflib.URIRef("http://example.org/vocab#knows"), BOB) in g
    # the blank-node address is included
    address = g.value(ALICE, rdflib.URIRef("http://example.org/vocab#address"))
    assert isinstance(address, rdflib.BNode)
    assert g.value(address, rdflib.URIRef("http://example.org/vocab#city")) == rdflib.Literal(
        "Paris"
    )
    # labels of linked entities
    assert (BOB, rdflib.RDFS.label, rdflib.Literal("Bob", lang="en")) in g
    if not suffix:
        assert r.headers["Content-Location"].endswith(
            "/data/organization/alice."
            + {
                "text/turtle": "ttl",
                "application/ld+json": "jsonld",
                "application/rdf+xml": "rdf",
                "application/n-triples": "nt",
            }[mimetype]
        )


def test_data_has_incoming_links(client: FlaskClient) -> None:
    g = rdflib.Graph().parse(data=client.get("/data/organization/bob.ttl").data, format="turtle")
    assert (ALICE, rdflib.URIRef("http://example.org/vocab#knows"), BOB) in g
    assert (ALICE, rdflib.RDFS.label, rdflib.Literal("Alice", lang="fr")) in g


def test_jsonld_keeps_language_tags(client: FlaskClient) -> None:
    doc = json.loads(client.get("/data/organization/alice.jsonld").data)
    assert "@context" in doc
    g = rdflib.Graph().parse(data=json.dumps(doc), format="json-ld")
    assert {(str(o), o.language) for o in g.objects(ALICE, rdflib.RDFS.label)} == {
        ("Alice", "en"),
        ("Alice", "fr"),
    }


def test_page_in_french_by_default(client: FlaskClient) -> None:
    r = client.get("/page/organization/alice")
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and r.mimetype == "text/html"
    assert '<html lang="fr">' in html
    assert "Une personne du jeu de test." in html
    assert ">connaît<" in html  # property label from the ontology, in French
    assert 'href="/page/organization/bob?lang=fr"' in html
    assert "Document de test" in html  # source document
    assert "https://w3id.org/cnamkg/graph/people" in html  # named graph
    assert 'href="https://alice.example/"' in html  # external link clickable
    assert "1 rue de Test" in html  # blank node shown inline
    assert r.headers["Vary"] == "Accept-Language"


def test_page_in_english(client: FlaskClient) -> None:
    html = client.get("/page/organization/alice?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in html and "A person of the fixture." in html and ">knows<" in html
    assert "Une personne" not in html.split("<main>")[1]  # (the embedded JSON-LD has both)
    html = client.get(
        "/page/organization/alice", headers={"Accept-Language": "en-GB,en;q=0.8"}
    ).get_data(as_text=True)
    assert '<html lang="en">' in html


def test_page_links_alternates(client: FlaskClient) -> None:
    html = client.get("/page/organization/alice").get_data(as_text=True)
    for ext, media in (
        ("ttl", "text/turtle"),
        ("jsonld", "application/ld+json"),
        ("nt", "application/n-triples"),
        ("rdf", "application/rdf+xml"),
    ):
        assert (
            f'<link rel="alternate" type="{media}" href="/data/organization/alice.{ext}">' in html
        )


def test_page_shows_incoming_links(client: FlaskClient) -> None:
    html = client.get("/page/organization/bob?lang=en").get_data(as_text=True)
    assert "Incoming links" in html and 'href="/page/organization/alice?lang=en"' in html


def test_home_counts_and_links(client: FlaskClient) -> None:
    r = client.get("/")
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert 'data-kind="organization">4<' in html
    # Bob is the only entity another entity links to (Alice knows Bob)
    most = html[html.index('class="most-linked"') :]
    assert 'href="/page/organization/bob?lang=fr"' in most
    assert "1 liens entrants" in most


def test_kind_list(client: FlaskClient) -> None:
    html = client.get("/topic?lang=en").get_data(as_text=True)
    assert "Gene 240" in html and "raster base" in html and "Alice" not in html
    assert client.get("/robots").status_code == 404


def test_browser_404_is_a_page_machine_404_is_text(client: FlaskClient) -> None:
    """DESIGN.md: unknown entity → 404 page (HTML) or plain 404 (RDF clients, curl)."""
    browser = client.get("/page/organization/nobody", headers={"Accept": "text/html,*/*;q=0.8"})
    assert browser.status_code == 404 and browser.mimetype == "text/html"
    assert 'href="/?lang=fr"' in browser.get_data(as_text=True)
    english = client.get("/id/organization/nobody?lang=en", headers={"Accept": "text/html"})
    assert english.status_code == 404 and "Not found" in english.get_data(as_text=True)
    for accept in ("*/*", "text/turtle", "application/ld+json"):
        r = client.get("/id/organization/nobody", headers={"Accept": accept})
        assert r.status_code == 404 and r.mimetype == "text/plain", accept
    assert (
        client.get("/data/organization/nobody", headers={"Accept": "text/html"}).mimetype
        == "text/plain"
    )


def test_language_parameter_is_case_insensitive_and_kept_on_303(client: FlaskClient) -> None:
    assert '<html lang="en">' in client.get("/page/organization/alice?lang=EN").get_data(
        as_text=True
    )
    r = client.get("/id/organization/alice?lang=en", headers={"Accept": "text/html"})
    assert r.status_code == 303 and r.headers["Location"] == "/page/organization/alice?lang=en"


def test_incoming_links_read_in_the_right_direction(client: FlaskClient) -> None:
    """alice knows bob: bob's page lists alice as pointing to bob via “knows”, never as a
    value of bob's own “knows”."""
    html = client.get("/page/organization/bob?lang=en").get_data(as_text=True)
    incoming = html.split('class="incoming"')[1]
    assert "via “knows”" in incoming and "/page/organization/alice" in incoming
    assert ">knows<" not in html.split('class="incoming"')[0]
    assert "via « connaît »" in client.get("/page/organization/bob").get_data(as_text=True)


def test_empty_kind_list_says_so(client: FlaskClient) -> None:
    html = client.get("/place?lang=en").get_data(as_text=True)
    assert "<h1>Places <small>(0)</small></h1>" in html and "No entity of this kind yet." in html


def test_caching_edges(client: FlaskClient) -> None:
    """RFC 9110 §13.1.2: If-None-Match: * is false when a representation exists (304,
    decided after routing) and true when none does (the 404 stands); a 304 carries Vary;
    another Host is another representation; volatile queries are not cached."""
    assert (
        client.get("/page/organization/nobody", headers={"If-None-Match": "*"}).status_code == 404
    )
    for path in ("/page/organization/alice", "/data/organization/alice", "/"):
        star = client.get(path, headers={"If-None-Match": "*"})
        assert star.status_code == 304 and not star.data and star.headers["ETag"], path
        assert star.headers["Vary"] == client.get(path).headers["Vary"]
    first = client.get("/sparql", headers={"Accept": "text/turtle", "Host": "a.example"})
    again = client.get(
        "/sparql",
        headers={
            "Accept": "text/turtle",
            "If-None-Match": first.headers["ETag"],
            "Host": "a.example",
        },
    )
    assert (
        again.status_code == 304
        and "Accept" in again.headers["Vary"]
        and again.headers["X-Request-Id"]
    )
    other = client.get(
        "/sparql",
        headers={
            "Accept": "text/turtle",
            "If-None-Match": first.headers["ETag"],
            "Host": "b.example",
        },
    )
    assert other.status_code == 200
    r = client.get(
        "/sparql",
        query_string={"query": "SELECT (RAND() AS ?r) {}"},
        headers={"Accept": "application/json"},
    )
    assert "ETag" not in r.headers and r.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    ("path", "location"),
    [
        ("/id/organization/alice/", "/id/organization/alice"),
        ("/id/Organization/ALICE", "/id/organization/alice"),
        ("/page/organization/Alice?lang=en", "/page/organization/alice?lang=en"),
        ("/data/organization/alice.ttl/", "/data/organization/alice.ttl"),
        ("/id/organization/%61lice", "/id/organization/alice"),
        ("/data/organization/alice.TTL", "/data/organization/alice.ttl"),
        ("/ontology.%74tl", "/ontology.ttl"),  # on every route, not only entities
        ("/ontology.TTL", "/ontology.ttl"),
        ("/.well-known/void.JsonLD", "/.well-known/void.jsonld"),
    ],
)
def test_variants_redirect_to_the_canonical_iri(
    client: FlaskClient, path: str, location: str
) -> None:
    """Cool URIs: one canonical form; trailing slash, upper case and needless
    percent-encoding redirect with 301."""
    r = client.get(path)
    assert r.status_code == 301 and r.headers["Location"] == location


@pytest.mark.parametrize(
    "path",
    [
        "/id/organization/alice/extra",
        "/id/organization",
        "/page/x/y/z/",
        "/data/a%2Fb/c",
        # an encoded slash is not a slash (field report: a second URL of each page)
        "/page%2Forganization%2Falice",
        "/id/organization%2Falice",
        # field reports: a decoded dot segment would lead elsewhere (RFC 3986 §5.2.4)
        "/id/%2e%2e/organization/alice",
        "/id/%2E%2E//evil.example/x",
        # the Kelvin sign lowers to « k » with str.lower: another name, not a variant
        "/id/topic/%E2%84%AAw1",
        # an upper-case variant of an IRI that names nothing: 404, not 301 to a 404
        "/id/organization/NOBODY",
    ],
)
def test_other_variants_are_404(client: FlaskClient, path: str) -> None:
    assert client.get(path).status_code == 404


def test_link_headers_name_every_other_format(client: FlaskClient) -> None:
    """RFC 8288: each representation links to the others (rel=alternate, with type)."""
    page = client.get("/page/organization/alice").headers["Link"]
    for ext, media in (
        ("ttl", "text/turtle"),
        ("jsonld", "application/ld+json"),
        ("nt", "application/n-triples"),
        ("rdf", "application/rdf+xml"),
    ):
        assert f'</data/organization/alice.{ext}>; rel="alternate"; type="{media}"' in page
    data = client.get("/data/organization/alice.ttl").headers["Link"]
    assert (
        'type="text/turtle"' not in data
        and '</page/organization/alice>; rel="alternate"; type="text/html"' in data
    )


def test_last_modified_and_if_modified_since(client: FlaskClient) -> None:
    """RFC 9110 §8.8.2, §13.1.3: Last-Modified is the build time; If-Modified-Since at or
    after it answers 304 (when no If-None-Match is sent)."""
    r = client.get("/page/organization/alice")
    stamp = r.headers["Last-Modified"]
    assert stamp.endswith("GMT")
    assert (
        client.get("/page/organization/alice", headers={"If-Modified-Since": stamp}).status_code
        == 304
    )
    old = "Mon, 01 Jan 2001 00:00:00 GMT"
    assert (
        client.get("/page/organization/alice", headers={"If-Modified-Since": old}).status_code
        == 200
    )


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/nonexistent", 404),
        ("/page/organization/doesnotexist", 404),
        ("/organization?page=0", 404),
        ("/sparql?query=SELEKT%20garbage", 400),
        ("/dataset", 303),
        ("/id/organization/ALICE", 301),
    ],
)
def test_if_modified_since_never_hides_an_error_or_a_redirect(
    client: FlaskClient, path: str, status: int
) -> None:
    """Field report: a date far in the future got 304 for any URL. A 304 stands for a 200
    the client already has (RFC 9110 §15.4.5), so the date is weighed after routing."""
    future = "Fri, 01 Jan 2100 00:00:00 GMT"
    r = client.get(path, headers={"If-Modified-Since": future, "Accept": "text/html"})
    assert r.status_code == status
    ok = client.get("/page/organization/alice", headers={"If-Modified-Since": future})
    assert ok.status_code == 304 and ok.headers["Vary"] == "Accept-Language"


@pytest.mark.parametrize(
    ("path", "accept"),
    [
        ("/data/organization/alice", "text/turtle"),
        ("/data/organization/alice.ttl", "*/*"),
        ("/.well-known/void", "application/ld+json"),
        ("/organization", "text/html"),
        ("/sitemap.xml", "*/*"),
    ],
)
def test_a_304_repeats_the_headers_of_its_200(client: FlaskClient, path: str, accept: str) -> None:
    """RFC 9110 §15.4.5: a 304 carries the Content-Location, ETag, Vary (and here Link and
    Cache-Control) the 200 would have; werkzeug drops Last-Modified, which §15.4.5 lets a
    304 leave out. Field report: an early 304 said
    ``Vary: Accept, Accept-Language`` where the 200 said ``Vary: Accept``. The first
    revalidation is answered after routing, the next ones before; both alike."""
    ok = client.get(path, headers={"Accept": accept})
    assert ok.status_code == 200
    for _ in range(2):
        again = client.get(path, headers={"Accept": accept, "If-None-Match": ok.headers["ETag"]})
        assert again.status_code == 304 and not again.data
        for name in ("ETag", "Vary", "Content-Location", "Link", "Cache-Control"):
            assert again.headers.get(name) == ok.headers.get(name), name
