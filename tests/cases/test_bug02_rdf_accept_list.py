"""BUG-02 · conneg · list of RDF types without q-values.

Source: https://github.com/zazuko/trifid/issues/362 (related:
https://github.com/openlink/virtuoso-opensource/issues/264,
https://github.com/datacite/datacite/issues/1487).

Specs: RFC 9110 §12.5.1 (Accept); registered media types ``text/turtle`` (RDF 1.1 Turtle
Appendix B), ``application/n-triples`` (RDF 1.1 N-Triples §8), ``application/ld+json``
(JSON-LD 1.1 §C), ``application/rdf+xml`` (RFC 3870). A list of RDF types (all q=1,
some unsupported) gets one of the supported ones, never HTML and never 406; every
advertised format is reachable by its registered media type.
"""

from __future__ import annotations

import json

import pytest
import rdflib
from rdflib.compare import isomorphic

ALICE = "/id/organization/alice"
ALICE_IRI = "https://w3id.org/cnamkg/id/organization/alice"
LIST = (
    "application/ld+json, application/trig, application/n-quads, application/n-triples, "
    "text/n3, text/turtle, application/rdf+xml"
)
SUPPORTED = {
    "text/turtle": ("ttl", "turtle"),
    "application/ld+json": ("jsonld", "json-ld"),
    "application/n-triples": ("nt", "nt"),
    "application/rdf+xml": ("rdf", "xml"),
}


def test_list_redirects_to_an_rdf_description(client):
    r = client.get(ALICE, headers={"Accept": LIST})
    assert r.status_code == 303
    loc = r.headers["Location"]
    assert "/data/organization/alice." in loc
    assert loc.rsplit(".", 1)[1] in {ext for ext, _ in SUPPORTED.values()}


def test_list_followed_is_200_rdf(client):
    r = client.get(ALICE, headers={"Accept": LIST}, follow_redirects=True)
    assert r.status_code == 200
    assert r.mimetype in SUPPORTED
    g = rdflib.Graph().parse(data=r.data, format=SUPPORTED[r.mimetype][1])
    assert (rdflib.URIRef(ALICE_IRI), None, None) in g


def test_list_on_data_url_without_extension(client):
    r = client.get("/data/organization/alice", headers={"Accept": LIST})
    assert r.status_code == 200
    assert r.mimetype in SUPPORTED
    assert "Accept" in r.headers.get("Vary", "")
    assert r.headers["Content-Location"].startswith("/data/organization/alice.")


@pytest.mark.parametrize("media_type", SUPPORTED)
def test_each_registered_type_alone_is_reachable(client, media_type):
    ext, parser = SUPPORTED[media_type]
    r = client.get(ALICE, headers={"Accept": media_type})
    assert r.status_code == 303
    assert r.headers["Location"].endswith(f"/data/organization/alice.{ext}")
    r = client.get(ALICE, headers={"Accept": media_type}, follow_redirects=True)
    assert r.status_code == 200
    assert r.mimetype == media_type
    g = rdflib.Graph().parse(data=r.data, format=parser)
    assert (rdflib.URIRef(ALICE_IRI), None, None) in g


@pytest.mark.parametrize("media_type", SUPPORTED)
def test_each_registered_type_on_data_url(client, media_type):
    r = client.get("/data/organization/alice", headers={"Accept": media_type})
    assert r.status_code == 200
    assert r.mimetype == media_type


def test_all_formats_describe_the_same_graph(client):
    graphs = []
    for media_type, (ext, parser) in SUPPORTED.items():
        r = client.get(f"/data/organization/alice.{ext}")
        assert r.status_code == 200 and r.mimetype == media_type
        graphs.append(rdflib.Graph().parse(data=r.data, format=parser))
    for g in graphs[1:]:
        assert isomorphic(graphs[0], g)


def test_unsupported_only_is_406_listing_offers(client):
    r = client.get(ALICE, headers={"Accept": "application/trig, application/n-quads"})
    assert r.status_code == 406
    body = r.get_data(as_text=True)
    for media_type in SUPPORTED:
        assert media_type in body


def test_list_never_html(client):
    r = client.get(ALICE, headers={"Accept": LIST}, follow_redirects=True)
    assert r.mimetype != "text/html"


def test_construct_with_the_list_gives_rdf(client):
    q = f"CONSTRUCT {{ <{ALICE_IRI}> ?p ?o }} WHERE {{ <{ALICE_IRI}> ?p ?o }}"
    r = client.post("/sparql", data={"query": q}, headers={"Accept": LIST})
    assert r.status_code == 200
    assert r.mimetype in SUPPORTED
    g = rdflib.Graph().parse(data=r.data, format=SUPPORTED[r.mimetype][1])
    assert len(g) > 0
    if r.mimetype == "application/ld+json":
        json.loads(r.data)
