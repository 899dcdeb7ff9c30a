"""BUG-16 · i18n · JSON-LD drops language tags.

Source: https://github.com/openlink/virtuoso-opensource/issues/925 (related:
https://github.com/eclipse-rdf4j/rdf4j/issues/5365, https://github.com/ktbs/ktbs/issues/91).

Specs: JSON-LD 1.1 Processing Algorithms §8.4 (Serialize RDF as JSON-LD) and §8.5 (RDF
to Object Conversion: a language-tagged string becomes ``{"@value", "@language"}``).
Every label keeps its language, non-ASCII characters are preserved, and the JSON-LD
parses back to the same triples as the Turtle answer.

The fixture's ``topic/kw1`` has ``rdfs:label`` in cs/en/fr; this module adds the case's
``skos:prefLabel`` data (kw1, kw2 with ``ex:usedBy`` alice and bob).
"""

from __future__ import annotations

import json

import pytest
import rdflib
from casekit import ID, app_with_extra
from rdflib.compare import isomorphic

SKOS = "http://www.w3.org/2004/02/skos/core#"
EXTRA = f"""
@prefix skos: <{SKOS}> .
@prefix ex: <http://example.org/vocab#> .
<{ID}topic/kw1> skos:prefLabel "Rastrový podklad"@cs , "raster base"@en .
<{ID}topic/kw2> skos:prefLabel "Územní plán"@cs ;
    ex:usedBy <{ID}organization/alice> , <{ID}organization/bob> .
"""
CASE_QUERY = f"""PREFIX skos: <{SKOS}> PREFIX ex: <http://example.org/vocab#>
CONSTRUCT {{ ?k skos:prefLabel ?l ; ex:count ?n }} WHERE {{
  {{ SELECT ?k ?l (COUNT(?u) AS ?n) WHERE {{ ?k skos:prefLabel ?l OPTIONAL {{ ?k ex:usedBy ?u }} }}
     GROUP BY ?k ?l }}
  FILTER(lang(?l) = "cs") }}"""


@pytest.fixture(scope="module")
def xclient(tmp_path_factory):
    return app_with_extra(tmp_path_factory.mktemp("bug16"), EXTRA).test_client()


def _values(node):
    """Every ``@value`` object in a JSON-LD document."""
    if isinstance(node, dict):
        if "@value" in node:
            yield node
        for v in node.values():
            yield from _values(v)
    elif isinstance(node, list):
        for v in node:
            yield from _values(v)


def _string_values(doc):
    return [v for v in _values(doc) if isinstance(v["@value"], str)]


def _post(client, accept, query=CASE_QUERY):
    r = client.post("/sparql", data={"query": query}, headers={"Accept": accept})
    assert r.status_code == 200, r.get_data(as_text=True)
    assert r.mimetype == accept
    return r


def test_case_construct_keeps_every_language_tag(xclient):
    r = _post(xclient, "application/ld+json")
    doc = json.loads(r.data)
    assert "@context" in doc
    labels = _string_values(doc)
    assert sorted(v["@value"] for v in labels) == ["Rastrový podklad", "Územní plán"]
    for v in labels:
        assert v.get("@language") == "cs", v


def test_case_construct_json_ld_equals_turtle(xclient):
    jl = rdflib.Graph().parse(data=_post(xclient, "application/ld+json").data, format="json-ld")
    ttl = rdflib.Graph().parse(data=_post(xclient, "text/turtle").data, format="turtle")
    assert isomorphic(jl, ttl)
    labels = sorted(
        (str(o), o.language) for o in jl.objects(None, rdflib.URIRef(SKOS + "prefLabel"))
    )
    assert labels == [("Rastrový podklad", "cs"), ("Územní plán", "cs")]
    counts = {
        str(s).rsplit("/", 1)[1]: o.toPython()
        for s, o in jl.subject_objects(rdflib.URIRef("http://example.org/vocab#count"))
    }
    assert counts == {"kw1": 0, "kw2": 2}


def test_non_ascii_preserved_in_utf8(xclient):
    r = _post(xclient, "application/ld+json")
    assert r.mimetype_params.get("charset", "utf-8").lower() == "utf-8"
    assert (
        "Územní plán" in r.data.decode("utf-8") or "\\u00dazemn" in r.data.decode("utf-8").lower()
    )


@pytest.mark.parametrize("path", ["/data/topic/kw1.jsonld", "/data/topic/kw1"])
def test_entity_json_ld_keeps_language_tags(xclient, path):
    r = xclient.get(path, headers={"Accept": "application/ld+json"})
    assert r.status_code == 200 and r.mimetype == "application/ld+json"
    doc = json.loads(r.data)
    for v in _string_values(doc):
        assert "@language" in v or "@type" in v, v
    g = rdflib.Graph().parse(data=r.data, format="json-ld")
    kw1 = rdflib.URIRef(ID + "topic/kw1")
    labels = {(str(o), o.language) for o in g.objects(kw1, rdflib.RDFS.label)}
    assert labels == {("Rastrový podklad", "cs"), ("raster base", "en"), ("fond raster", "fr")}
    pref = {(str(o), o.language) for o in g.objects(kw1, rdflib.URIRef(SKOS + "prefLabel"))}
    assert pref == {("Rastrový podklad", "cs"), ("raster base", "en")}


def test_identifier_json_ld_equals_turtle(xclient):
    r = xclient.get(
        "/id/topic/kw1", headers={"Accept": "application/ld+json"}, follow_redirects=True
    )
    assert r.status_code == 200 and r.mimetype == "application/ld+json"
    jl = rdflib.Graph().parse(data=r.data, format="json-ld")
    ttl = rdflib.Graph().parse(data=xclient.get("/data/topic/kw1.ttl").data, format="turtle")
    assert isomorphic(jl, ttl)


def test_region_subtags_and_plain_strings(client):
    q = (
        "CONSTRUCT { <http://e.org/s> <http://e.org/p> ?l } WHERE { VALUES ?l { "
        '"colour"@en-GB "color"@en-US "plain" "typed"^^<http://www.w3.org/2001/XMLSchema#string> '
        '"名前"@ja } }'
    )
    jl = rdflib.Graph().parse(data=_post(client, "application/ld+json", q).data, format="json-ld")
    nt = rdflib.Graph().parse(data=_post(client, "application/n-triples", q).data, format="nt")
    assert isomorphic(jl, nt)
    got = {(str(o), (o.language or "").lower()) for o in jl.objects()}
    assert got == {
        ("colour", "en-gb"),
        ("color", "en-us"),
        ("plain", ""),
        ("typed", ""),
        ("名前", "ja"),
    }


def test_select_json_keeps_xml_lang(xclient):
    q = f"SELECT ?l WHERE {{ <{ID}topic/kw2> <{SKOS}prefLabel> ?l }}"
    r = _post(xclient, "application/sparql-results+json", q)
    rows = json.loads(r.data)["results"]["bindings"]
    assert rows == [{"l": {"type": "literal", "value": "Územní plán", "xml:lang": "cs"}}]
