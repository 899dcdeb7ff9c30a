"""The dataset's self-description (/.well-known/void), robots.txt and sitemap.xml."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from xml.dom import minidom

import pytest
import rdflib
from flask.testing import FlaskClient
from markupsafe import escape

from cnamkg.web.app import create_app
from conftest import FIXTURE, fixture_settings

VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
DATASET = rdflib.URIRef("https://w3id.org/cnamkg/dataset")


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [("text/turtle", "turtle"), ("application/ld+json", "json-ld"), ("*/*", "turtle")],
)
def test_void_description(kg: FlaskClient, accept: str, fmt: str) -> None:
    """VoID §4–6 and DCAT: counts, partitions, endpoint, licence, titles in fr and en."""
    r = kg.get("/.well-known/void", headers={"Accept": accept})
    assert r.status_code == 200 and "Accept" in r.headers["Vary"]
    g = rdflib.Graph().parse(data=r.data, format=fmt)
    assert (DATASET, rdflib.RDF.type, VOID.Dataset) in g and (
        DATASET,
        rdflib.RDF.type,
        DCAT.Dataset,
    ) in g
    assert (DATASET, VOID.sparqlEndpoint, rdflib.URIRef("http://localhost/sparql")) in g
    assert (
        DATASET,
        rdflib.DCTERMS.license,
        rdflib.URIRef("https://spdx.org/licenses/etalab-2.0.html"),
    ) in g
    assert {t.language for t in g.objects(DATASET, rdflib.DCTERMS.title)} == {"fr", "en"}
    triples = int(g.value(DATASET, VOID.triples))
    count = kg.get(
        "/sparql",
        query_string={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"},
        headers={"Accept": "application/json"},
    )
    assert triples == int(count.get_json()["results"]["bindings"][0]["n"]["value"])
    assert int(g.value(DATASET, VOID.entities)) >= 26
    projects = [
        p
        for p in g.objects(DATASET, VOID.classPartition)
        if g.value(p, VOID["class"]) == rdflib.URIRef("https://schema.org/Project")
    ]
    assert len(projects) == 1 and int(g.value(projects[0], VOID.entities)) == 2
    props = {g.value(p, VOID.property) for p in g.objects(DATASET, VOID.propertyPartition)}
    assert rdflib.URIRef("https://w3id.org/cnamkg/ontology#coordinator") in props
    assert rdflib.URIRef("https://schema.org/") in set(g.objects(DATASET, VOID.vocabulary))


def test_robots_and_sitemap(kg: FlaskClient) -> None:
    robots = kg.get("/robots.txt").get_data(as_text=True)
    assert "Disallow: /sparql" in robots and "Sitemap: http://localhost/sitemap.xml" in robots
    r = kg.get("/sitemap.xml")
    locs = [n.firstChild.data for n in minidom.parseString(r.data).getElementsByTagName("loc")]
    assert (
        "http://localhost/page/project/caire?lang=fr" in locs
        and "http://localhost/page/project/caire?lang=en" in locs
    )
    for page in ("/?lang=en", "/project?lang=fr", "/ontology?lang=en", "/sparql?lang=fr"):
        assert "http://localhost" + page in locs
    assert "http://localhost/place?lang=fr" not in locs  # no place yet: no empty list
    assert len(locs) == len(set(locs))


def test_a_store_without_built_dumps_writes_them_once_per_version(kg: FlaskClient) -> None:
    """An in-memory (or remote) store has no dumps from `cnamkg build`: they are written
    from the store's quads on first request, and the same files serve later requests."""
    first = kg.get("/dumps/", headers={"Accept": "application/json"}).get_json()
    assert {f["name"] for f in first} == {
        "dataset.ttl",
        "dataset.nt.gz",
        "dataset.nq.gz",
        "dataset.jsonld",
    }
    again = kg.get("/dumps/", headers={"Accept": "application/json"}).get_json()
    assert first == again
    with kg.get("/dumps/dataset.ttl") as turtle:
        body = turtle.data
    count = kg.get(
        "/sparql",
        query_string={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"},
        headers={"Accept": "application/json"},
    ).get_json()["results"]["bindings"][0]["n"]["value"]
    assert len(rdflib.Graph().parse(data=body, format="turtle")) == int(count)
    assert kg.get("/dumps/nothing.ttl").status_code == 404


def test_ontology_documentation(kg: FlaskClient) -> None:
    """Every own class and property is documented in both languages, with its alignment."""
    fr = kg.get("/ontology", headers={"Accept": "text/html"}).get_data(as_text=True)
    en = kg.get("/ontology?lang=en", headers={"Accept": "text/html"}).get_data(as_text=True)
    g = rdflib.Graph().parse(
        data=kg.get("/ontology", headers={"Accept": "text/turtle"}).data, format="turtle"
    )
    owl = rdflib.OWL
    own = {s for s in g.subjects(rdflib.RDF.type, owl.Class)} | {
        s
        for t in (owl.ObjectProperty, owl.DatatypeProperty)
        for s in g.subjects(rdflib.RDF.type, t)
    }
    assert len(own) >= 15
    for term in own:
        name = str(term).rsplit("#", 1)[1]
        assert f'id="{name}"' in fr and f'id="{name}"' in en
        labels = {lbl.language: str(lbl) for lbl in g.objects(term, rdflib.RDFS.label)}
        assert str(escape(labels["fr"])) in fr and str(escape(labels["en"])) in en
    assert "https://schema.org/organizer" in en  # coOrganizer's alignment
    for ext in ("ttl", "jsonld", "nt", "rdf"):
        assert kg.get(f"/ontology.{ext}").status_code == 200


def _term_section(html: str, name: str) -> str:
    start = html.index(f'id="{name}"')
    return html[start : html.index("</section>", start)]


def test_ontology_shows_the_shapes_that_constrain_each_term(kg: FlaskClient) -> None:
    """Issue 4 §1: the documentation names the shapes constraining each class (by
    ``sh:targetClass``, SHACL §2.1.3.2) and each property (by ``sh:path``, §2.3.1), and
    lists once, at the end, what each shape requires (parameters and messages)."""
    en = kg.get("/ontology?lang=en", headers={"Accept": "text/html"}).get_data(as_text=True)
    study_day = _term_section(en, "StudyDay")
    # both the common entity shape and the event shape target cnamkg:StudyDay
    assert 'href="#shape-EntityShape"' in study_day and 'href="#shape-EventShape"' in study_day
    event_shape = _term_section(en, "shape-EventShape")
    assert "<code>targetClass https://w3id.org/cnamkg/ontology#StudyDay</code>" in event_shape
    assert '<code>schema:startDate</code> <code class="param">sh:minCount 1</code>' in event_shape
    open_to_public = _term_section(en, "openToPublic")
    assert "sh:datatype xsd:boolean" in open_to_public and "sh:maxCount 1" in open_to_public
    # every own term is constrained by some shape (each kind's shape lists its properties)
    for name in ("period", "selectedIn", "learnersTrained", "PressRelease", "Call"):
        assert "SHACL shapes that constrain it" in _term_section(en, name), name
    # each shape's requirements appear once, however many classes it targets
    assert en.count('id="shape-EntityShape"') == 1
    # control characters of a sh:pattern are shown escaped, not stripped
    assert "sh:pattern ^[^\\u0001-\\u001F\\u007F]" in _term_section(en, "shape-EntityShape")
    fr = kg.get("/ontology", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "Formes SHACL qui le contraignent" in _term_section(fr, "StudyDay")


def test_void_linksets_count_links_per_target_dataset(tmp_path: Path) -> None:
    """VoID §5.1: one linkset per target dataset and link predicate, with its triple
    count; links from outside our namespace and vocabulary IRIs are not counted."""
    data = tmp_path / "data"
    data.mkdir()
    for f in (FIXTURE / "data").glob("*.ttl"):
        shutil.copy(f, data)
    (data / "links.ttl").write_text(
        """@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix schema: <https://schema.org/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
<https://w3id.org/cnamkg/id/organization/alice> owl:sameAs <http://www.wikidata.org/entity/Q1> ;
    schema:identifier <https://ror.org/0abcdef12> .
<https://w3id.org/cnamkg/id/organization/bob> owl:sameAs <http://www.wikidata.org/entity/Q2> ,
    <https://ror.org/0abcdef34> ;
    dcterms:source <https://w3id.org/cnamkg/id/document/fixture> .
<http://example.org/elsewhere> owl:sameAs <http://www.wikidata.org/entity/Q3> .
""",
        encoding="utf-8",
    )
    client = create_app(fixture_settings(data_dir=data)).test_client()
    g = rdflib.Graph().parse(
        data=client.get("/.well-known/void", headers={"Accept": "text/turtle"}).data,
        format="turtle",
    )
    found = {}
    for ls in g.subjects(rdflib.RDF.type, VOID.Linkset):
        assert (DATASET, VOID.subset, ls) in g
        assert g.value(ls, VOID.subjectsTarget) == DATASET
        target = g.value(ls, VOID.objectsTarget)
        key = (str(g.value(target, rdflib.DCTERMS.title)), str(g.value(ls, VOID.linkPredicate)))
        found[key] = int(g.value(ls, VOID.triples))
    assert found == {
        ("Wikidata", "http://www.w3.org/2002/07/owl#sameAs"): 2,
        ("Research Organization Registry (ROR)", "http://www.w3.org/2002/07/owl#sameAs"): 1,
        ("Research Organization Registry (ROR)", "https://schema.org/identifier"): 1,
    }
    wikidata = rdflib.URIRef(str(DATASET) + "#wikidata")
    assert str(g.value(wikidata, VOID.uriSpace)) == "http://www.wikidata.org/entity/"


@pytest.mark.parametrize(
    ("path", "accept", "location", "others"),
    [
        ("/ontology", "text/turtle", "/ontology.ttl", ["/ontology", "/ontology.jsonld"]),
        ("/ontology", "text/html", None, ["/ontology.ttl", "/ontology.rdf"]),
        (
            "/.well-known/void",
            "application/ld+json",
            "/.well-known/void.jsonld",
            ["/.well-known/void.ttl"],
        ),
        (
            "/data/organization/cnam",
            "text/turtle",
            "/data/organization/cnam.ttl",
            ["/page/organization/cnam"],
        ),
    ],
)
def test_negotiated_answers_name_their_alternates(
    kg: FlaskClient, path: str, accept: str, location: str | None, others: list[str]
) -> None:
    """RFC 9110 §12.5.5 (Vary), §8.7 (Content-Location of the negotiated representation),
    RFC 8288 (``Link: <…>; rel="alternate"; type="…"`` for every other format); each URL
    named serves its format without negotiation."""
    r = kg.get(path, headers={"Accept": accept})
    assert r.status_code == 200 and "Accept" in r.headers["Vary"]
    assert r.headers.get("Content-Location") == location
    links = dict(
        (part.split(">;")[0].strip(" <"), part.split('type="')[1].rstrip('"'))
        for part in r.headers["Link"].split(", ")
        if 'rel="alternate"' in part
    )
    for url in others:
        assert url in links
    for url, media_type in links.items():
        got = kg.get(url, headers={"Accept": "*/*"})
        assert got.status_code == 200 and got.mimetype == media_type, url
        assert "Content-Location" not in got.headers


@pytest.mark.parametrize(
    ("accept", "location"),
    [
        ("text/html", "/"),
        ("text/turtle", "/.well-known/void.ttl"),
        ("application/rdf+xml", "/.well-known/void.rdf"),
    ],
)
def test_the_dataset_iri_dereferences(kg: FlaskClient, accept: str, location: str) -> None:
    """``{base}dataset``, the subject of the VoID description, answers 303 (Cool URIs §4.3)."""
    r = kg.get("/dataset", headers={"Accept": accept})
    assert r.status_code == 303 and r.headers["Location"] == location


@pytest.mark.parametrize("path", ["/.well-known/void", "/sparql"])
def test_descriptions_are_the_same_document_on_every_request(kg: FlaskClient, path: str) -> None:
    """Field reports: new blank node labels on every request (VoID, then the service
    description) made GET and HEAD disagree on Content-Length under one entity tag."""
    first = kg.get(path, headers={"Accept": "text/turtle"})
    again = kg.get(path, headers={"Accept": "text/turtle"})
    assert first.data == again.data
    head = kg.head(path, headers={"Accept": "text/turtle"})
    assert head.headers["Content-Length"] == first.headers["Content-Length"]


def test_the_about_page_says_what_where_and_how(kg: FlaskClient) -> None:
    """Issue 8 §1: what the dataset is, its sources (each linked to its page and its web
    address), licence, how to cite, query, reconcile and download it; linked from the
    header of every page."""
    html = kg.get("/about?lang=en").get_data(as_text=True)
    for heading in (
        "Sources",
        "Licence",
        "How to cite",
        "How to query",
        "Reconciling your data",
        "Downloads",
    ):
        assert f">{heading}</h2>" in html, heading
    assert 'href="/page/document/communique-journee-ia?lang=en"' in html
    assert "https://lineact.cesi.fr/en/projets/caire" in html
    assert "etalab-2.0" in html and "/reconcile</code>" in html and "/sparql" in html
    for path in ("/", "/page/organization/cnam", "/sparql", "/validate"):
        page = kg.get(path + "?lang=fr", headers={"Accept": "text/html"}).get_data(as_text=True)
        header = page[page.index("<header>") : page.index("</header>")]
        for label in ("Parcourir", "Interroger", "Données", "À propos", "English"):
            assert f">{label}</a>" in header, (path, label)


def test_the_timeline_orders_the_dated_facts(kg: FlaskClient) -> None:
    """Issue 8 §1: the dated facts in time order, grouped by year, each linked to its
    entity; a fact two sources state appears once (CAIRE's start)."""
    html = kg.get("/timeline?lang=en").get_data(as_text=True)
    years = re.findall(r'<h2 id="y(\d{4})">', html)
    assert years == sorted(years) and years[0] == "1780" and "2025" in years
    assert html.count('href="/page/project/caire?lang=en"') == 1
    order = [
        html.index(s)
        for s in (
            "/page/organization/arts-et-metiers?",
            "/page/organization/cnam?",
            "/page/project/caire?",
            "/page/event/journee-etude-ia-societe?",
        )
    ]
    assert order == sorted(order)
    assert 'datetime="2024-05-21"' in html  # IA-Cluster's laureates, PostGenAI's selection
    # a year and month (xsd:gYearMonth) reads as one: « September 2023 », not « 2023-09 »
    assert '<time datetime="2023-09">September 2023</time>' in html


def test_the_funding_view_goes_from_programmes_to_organisations(kg: FlaskClient) -> None:
    """Issue 8 §1: programme → part programme and calls → projects → consortium,
    coordinator first, each linked to its page."""
    page = kg.get("/funding?lang=en").get_data(as_text=True)
    html = page[page.index('<ul class="funding-tree">') :]  # the list, after the picture
    order = [
        html.index(s)
        for s in (
            "/page/programme/france-2030?",
            "/page/call/competences-metiers-avenir?",
            "/page/project/caire?",
            "/page/organization/arts-et-metiers?",  # the coordinator, before the partners
            "/page/organization/cesi?",
            "/page/call/ia-cluster?",
            "/page/project/postgenai-paris?",
            "/page/organization/sorbonne-universite?",
        )
    ]
    assert order == sorted(order)
    assert "/page/programme/strategie-nationale-ia?" in html  # a part of France 2030
    caire = html[html.index("/page/project/caire?") : html.index("/page/call/ia-cluster?")]
    assert caire.count('class="coordinator"') == 1 and "(coordinator)" in caire


def test_the_funding_picture_draws_each_entity_once_and_each_link(kg: FlaskClient) -> None:
    """Issue 8 §1: the funding picture (SVG) has one linked node per entity of the list,
    the Cnam once though it is in two projects, and one edge per link: 3 from France 2030
    (its part programme and two calls), 2 from calls to projects, 7 to organisations of
    which 2 from a coordinator."""
    html = kg.get("/funding?lang=en").get_data(as_text=True)
    svg = html[html.index('<svg xmlns="http://www.w3.org/2000/svg"') : html.index("</svg>")]
    nodes = re.findall(r'<a href="(/page/[^"]+)" class="node kind-(\w+)"', svg)
    hrefs = [h for h, _ in nodes]
    assert len(hrefs) == len(set(hrefs)) == 12
    assert hrefs.count("/page/organization/cnam?lang=en") == 1
    tree = html[html.index('<ul class="funding-tree">') :]
    assert set(hrefs) == set(re.findall(r'href="(/page/[^"]+)"', tree))
    roles = re.findall(r'<path class="flow role-(\w+)"', svg)
    assert sorted(roles) == sorted(
        ["part", "call", "call", "selected", "selected"] + ["coordinator"] * 2 + ["partner"] * 5
    )
    # the picture names itself for assistive technology; its nodes name their kind
    assert 'role="group" aria-labelledby="funding-title"' in svg
    assert "<title>Cnam · organization</title>" in svg


def test_the_home_pages_newest_are_the_timelines_latest(kg: FlaskClient) -> None:
    """The home page's newest entities and the timeline read the same dated facts
    (query/dates.py): the newest entity's date is the timeline's last, and every date
    the home page shows is on the timeline."""
    home = kg.get("/?lang=en").get_data(as_text=True)
    newest = home[home.index('<section class="newest">') :]
    newest = newest[: newest.index("</section>")]
    shown = re.findall(r'<time datetime="([^"]+)">', newest)
    timeline = re.findall(r'<time datetime="([^"]+)">', kg.get("/timeline").get_data(as_text=True))
    assert shown and shown[0] == timeline[-1]
    assert set(shown) <= set(timeline)
