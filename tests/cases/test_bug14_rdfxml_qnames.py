"""BUG-14 · serialization · RDF/XML for predicates that cannot be QNames.

Source: https://github.com/RDFLib/rdflib/issues/2828 (fix proposal:
https://github.com/RDFLib/rdflib/pull/3536; related:
https://github.com/oxigraph/oxigraph/issues/1859,
https://github.com/dbpedia/extraction-framework/issues/540).

Specs: RDF 1.1 XML Syntax, "Serializing an RDF Graph to RDF/XML" (``#section-Serialising``);
Namespaces in XML 1.0 (NCName); RFC 9110 §15.5.7 (406 with the list of available
representations). RDF/XML is either well-formed and round-trippable, or a clean 406
listing the other formats; never a 500, never a 200 with ill-formed XML. Turtle works.

The fixture has ``topic/gene-240 a <…/def/123Type> ; <…/def/0000240> "x"``; this module
adds ``<…/def/> "y"`` (empty local part) on a second entity.
"""

from __future__ import annotations

from xml.dom import minidom

import pytest
import rdflib
from casekit import app_with_extra
from rdflib.compare import isomorphic

DEF = "https://w3id.org/cnamkg/def/"
GENE = "https://w3id.org/cnamkg/id/topic/gene-240"
EXTRA = f"""
<https://w3id.org/cnamkg/id/topic/gene-241> a <{DEF}123Type> ;
    <http://www.w3.org/2000/01/rdf-schema#label> "Gene 241"@en ;
    <{DEF}> "y" .
"""
OTHER_TYPES = ("text/turtle", "application/ld+json", "application/n-triples")


@pytest.fixture(scope="module")
def xclient(tmp_path_factory):
    return app_with_extra(tmp_path_factory.mktemp("bug14"), EXTRA).test_client()


def _clean_406(r):
    assert r.status_code == 406
    assert r.mimetype == "text/plain"
    text = r.get_data(as_text=True)
    assert "Traceback" not in text
    assert "application/rdf+xml" in text
    return text


@pytest.mark.parametrize("slug", ["gene-240", "gene-241"])
def test_rdf_xml_is_well_formed_or_clean_406(xclient, slug):
    r = xclient.get(f"/id/topic/{slug}", headers={"Accept": "application/rdf+xml"})
    assert r.status_code == 303
    assert r.headers["Location"].endswith(f"/data/topic/{slug}.rdf")
    r = xclient.get(r.headers["Location"])
    if r.status_code == 200:
        minidom.parseString(r.data)
        g = rdflib.Graph().parse(data=r.data, format="xml")
        nt = rdflib.Graph().parse(data=xclient.get(f"/data/topic/{slug}.nt").data, format="nt")
        assert isomorphic(g, nt)
    else:
        _clean_406(r)


# Regression: the 406 once said only 'Ask for another format' (RFC 9110 §15.5.7).
def test_406_lists_the_other_formats(xclient):
    text = _clean_406(xclient.get("/data/topic/gene-240.rdf"))
    for media_type in OTHER_TYPES:
        assert media_type in text


@pytest.mark.parametrize("slug", ["gene-240", "gene-241"])
def test_turtle_works(xclient, slug):
    r = xclient.get(f"/id/topic/{slug}", headers={"Accept": "text/turtle"}, follow_redirects=True)
    assert r.status_code == 200
    assert r.mimetype == "text/turtle"
    g = rdflib.Graph().parse(data=r.data, format="turtle")
    nt = rdflib.Graph().parse(data=xclient.get(f"/data/topic/{slug}.nt").data, format="nt")
    assert isomorphic(g, nt)


def test_turtle_keeps_the_numeric_predicate(client):
    g = rdflib.Graph().parse(data=client.get("/data/topic/gene-240.ttl").data, format="turtle")
    assert (rdflib.URIRef(GENE), rdflib.URIRef(DEF + "0000240"), rdflib.Literal("x")) in g
    assert (rdflib.URIRef(GENE), rdflib.RDF.type, rdflib.URIRef(DEF + "123Type")) in g


def test_type_object_without_ncname_is_fine_in_rdf_xml(client):
    """An rdf:type object needs no QName: it falls back to rdf:type rdf:resource."""
    q = (
        f"CONSTRUCT {{ <{GENE}> a ?t ; <http://www.w3.org/2000/01/rdf-schema#label> ?l }} "
        f"WHERE {{ <{GENE}> a ?t ; <http://www.w3.org/2000/01/rdf-schema#label> ?l }}"
    )
    r = client.post("/sparql", data={"query": q}, headers={"Accept": "application/rdf+xml"})
    assert r.status_code == 200
    assert r.mimetype == "application/rdf+xml"
    minidom.parseString(r.data)
    g = rdflib.Graph().parse(data=r.data, format="xml")
    assert (rdflib.URIRef(GENE), rdflib.RDF.type, rdflib.URIRef(DEF + "123Type")) in g
    assert len(g) == 3


@pytest.mark.parametrize(
    "predicate,representable",
    [
        (DEF + "0000240", False),
        (DEF, False),
        ("http://e.org/a#1", False),
        ("http://e.org/ns#p", True),
        ("http://e.org/1abc", True),
        ("http://e.org/p.", True),
        ("http://e.org/x/é", True),
        ("urn:x:p", True),
        ("http://e.org/ab?c=d", True),
    ],
)
def test_construct_with_odd_predicates(client, predicate, representable):
    q = f'CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES (?s ?p ?o) {{ (<http://e.org/s> <{predicate}> "v") }} }}'
    r = client.post("/sparql", data={"query": q}, headers={"Accept": "application/rdf+xml"})
    if representable:
        assert r.status_code == 200
        minidom.parseString(r.data)
        g = rdflib.Graph().parse(data=r.data, format="xml")
        assert set(g) == {
            (rdflib.URIRef("http://e.org/s"), rdflib.URIRef(predicate), rdflib.Literal("v"))
        }
    else:
        _clean_406(r)
    r = client.post("/sparql", data={"query": q}, headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    g = rdflib.Graph().parse(data=r.data, format="turtle")
    assert set(g.predicates()) == {rdflib.URIRef(predicate)}
