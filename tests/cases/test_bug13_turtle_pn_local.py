"""BUG-13 · serialization · Turtle prefixed names with reserved characters.

Source: https://github.com/RDFLib/rdflib/issues/1395 (fix proposed in
https://github.com/RDFLib/rdflib/pull/3364) and https://github.com/RDFLib/rdflib/issues/1661.

Specs: RDF 1.1 Turtle §2.4 (IRIs, prefixed names) and §6.5 grammar (``PN_LOCAL``,
``PN_LOCAL_ESC``, ``PLX``). Output Turtle re-parses to an isomorphic graph; local names
with ``( ) ~ ? / # @ , ; = ! $ & ' * +`` are backslash-escaped or written as ``<…>``;
a local name ending in ``.`` is never written as a bare prefixed name.

The fixture's ``topic/gene-240`` links to ``id/Mercury_(planet)``, ``id/a~b``, ``id/c.d.``,
``id/q?x``. Because the server binds one prefix per entity kind (``topic:`` =
``…/id/topic/``), the CONSTRUCT cases put the same local names under ``…/id/topic/`` so
that the writer is tempted to shorten them.
"""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

T = "https://w3id.org/cnamkg/id/topic/"
ALIAS = "http://example.org/vocab#alias"
LOCALS = [
    "a~b",
    "q?x",
    "it's",
    "x/y",
    "h#x",
    "a@b",
    "a,b",
    "a;b",
    "a=b",
    "a!b",
    "a$b",
    "a&b",
    "a*b",
    "a+b",
    "-x",
    "a%20b",
    "(p)",
]
DOT_LOCALS = ["c.d.", "tail."]


def _construct(objs: list[str]) -> str:
    values = " ".join(f"(<{T}Mercury_(planet)> <{T}{o}>)" for o in objs)
    return (
        "PREFIX id: <https://w3id.org/cnamkg/id/> "
        f"CONSTRUCT {{ ?s <{ALIAS}> ?o }} WHERE {{ VALUES (?s ?o) {{ {values} }} }}"
    )


def _expected(objs: list[str]) -> rdflib.Graph:
    g = rdflib.Graph()
    for o in objs:
        g.add((rdflib.URIRef(T + "Mercury_(planet)"), rdflib.URIRef(ALIAS), rdflib.URIRef(T + o)))
    return g


def _turtle(client, query):
    r = client.post("/sparql", data={"query": query}, headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    assert r.mimetype == "text/turtle"
    return r.data


def test_entity_turtle_reparses_isomorphic(client):
    ttl = client.get("/data/topic/gene-240.ttl")
    nt = client.get("/data/topic/gene-240.nt")
    assert ttl.status_code == nt.status_code == 200
    g1 = rdflib.Graph().parse(data=ttl.data, format="turtle")
    g2 = rdflib.Graph().parse(data=nt.data, format="nt")
    assert isomorphic(g1, g2)
    aliases = {str(o) for o in g1.objects(None, rdflib.URIRef(ALIAS))}
    base = "https://w3id.org/cnamkg/id/"
    assert aliases == {base + "Mercury_(planet)", base + "a~b", base + "c.d.", base + "q?x"}


def test_identifier_turtle_followed(client):
    r = client.get("/id/topic/gene-240", headers={"Accept": "text/turtle"}, follow_redirects=True)
    assert r.status_code == 200 and r.mimetype == "text/turtle"
    rdflib.Graph().parse(data=r.data, format="turtle")


@pytest.mark.parametrize("local", LOCALS)
def test_construct_turtle_reparses_with_rdflib(client, local):
    data = _turtle(client, _construct([local]))
    g = rdflib.Graph().parse(data=data, format="turtle")
    assert isomorphic(g, _expected([local]))


def test_construct_turtle_all_names_at_once(client):
    objs = LOCALS + DOT_LOCALS
    data = _turtle(client, _construct(objs))
    # spec-conforming parser (Turtle §6.5): every name round-trips
    g = rdflib.Graph()
    for t in ox.parse(data, format=ox.RdfFormat.TURTLE):
        g.add(
            (
                rdflib.URIRef(t.subject.value),
                rdflib.URIRef(t.predicate.value),
                rdflib.URIRef(t.object.value),
            )
        )
    assert isomorphic(g, _expected(objs))


@pytest.mark.parametrize("local", DOT_LOCALS)
def test_local_name_ending_in_dot_is_never_bare(client, local):
    text = _turtle(client, _construct([local])).decode("utf-8")
    # a bare prefixed name ending with an unescaped '.' would end the statement early:
    # the name must be written as <…> or with its final dot escaped (PN_LOCAL_ESC)
    assert f"<{T}{local}>" in text or re.search(r"topic:\S*\\\.", text)


@pytest.mark.parametrize("local", DOT_LOCALS)
# Regression: the writer once emitted `topic:c.d\.` (valid Turtle, rejected by rdflib 7.6).
def test_local_name_ending_in_dot_reparses_with_rdflib(client, local):
    data = _turtle(client, _construct([local]))
    g = rdflib.Graph().parse(data=data, format="turtle")
    assert isomorphic(g, _expected([local]))


@pytest.mark.parametrize(
    "accept,fmt",
    [
        ("application/ld+json", "json-ld"),
        ("application/n-triples", "nt"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_other_formats_round_trip_the_same_names(client, accept, fmt):
    objs = LOCALS + DOT_LOCALS
    r = client.post("/sparql", data={"query": _construct(objs)}, headers={"Accept": accept})
    assert r.status_code == 200 and r.mimetype == accept
    g = rdflib.Graph().parse(data=r.data, format=fmt)
    assert isomorphic(g, _expected(objs))
