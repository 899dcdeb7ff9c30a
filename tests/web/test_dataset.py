"""The dataset's self-description (/.well-known/void), robots.txt and sitemap.xml."""

from __future__ import annotations

from xml.dom import minidom

import pytest
import rdflib
from flask.testing import FlaskClient
from markupsafe import escape

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


def test_an_in_memory_store_has_no_dumps(kg: FlaskClient) -> None:
    r = kg.get("/dumps/", headers={"Accept": "application/json"})
    assert r.status_code == 404 and "cnamkg build" in r.get_data(as_text=True)
    assert kg.get("/dumps/dataset.ttl").status_code == 404


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
    ``sh:targetClass``, SHACL §2.1.3.2) and each property (by ``sh:path``, §2.3.1), with
    their parameters and messages, read from shapes/."""
    en = kg.get("/ontology?lang=en", headers={"Accept": "text/html"}).get_data(as_text=True)
    study_day = _term_section(en, "StudyDay")
    # both the common entity shape and the event shape target cnamkg:StudyDay
    assert 'title="https://w3id.org/cnamkg/shapes#EntityShape"' in study_day
    assert 'title="https://w3id.org/cnamkg/shapes#EventShape"' in study_day
    assert '<code>schema:startDate</code> <code class="param">sh:minCount 1</code>' in study_day
    open_to_public = _term_section(en, "openToPublic")
    assert "sh:datatype xsd:boolean" in open_to_public and "sh:maxCount 1" in open_to_public
    # every own term is constrained by some shape (each kind's shape lists its properties)
    for name in ("period", "selectedIn", "learnersTrained", "PressRelease", "Call"):
        assert "SHACL shapes that constrain it" in _term_section(en, name), name
    # control characters of a sh:pattern are shown escaped, not stripped
    assert "sh:pattern ^[^\\u0001-\\u001F\\u007F]" in study_day
    fr = kg.get("/ontology", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "Formes SHACL qui le contraignent" in _term_section(fr, "StudyDay")
