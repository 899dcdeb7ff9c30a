"""Dereferencing with the clients people use, over real HTTP (issue 4: "conneg cases for
real browser, curl, SPARQLWrapper and rdflib ``Graph.parse(url)``"): each sends its own
``Accept`` header and follows the 303 of ``/id/…`` (Cool URIs §4.3) to the
representation it can read (RFC 9110 §12.5.1)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile

import pytest
import rdflib
from SPARQLWrapper import JSONLD, TURTLE, SPARQLWrapper

from conftest import chromium

CNAM = rdflib.URIRef("https://w3id.org/cnamkg/id/organization/cnam")
SCHEMA = rdflib.Namespace("https://schema.org/")
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")


@pytest.mark.parametrize("path", ["/id/organization/cnam", "/data/organization/cnam"])
def test_rdflib_parses_an_entity_iri(live_server: str, path: str) -> None:
    """rdflib asks for RDF (its Accept lists the RDF types it parses), follows the 303
    and picks its parser from the Content-Type of the answer."""
    g = rdflib.Graph().parse(live_server + path)
    assert (CNAM, rdflib.RDFS.label, rdflib.Literal("Cnam", lang="fr")) in g
    assert (CNAM, rdflib.RDF.type, SCHEMA.CollegeOrUniversity) in g


@pytest.mark.parametrize("fmt", ["turtle", "json-ld", "xml", "nt"])
def test_rdflib_asks_for_one_format(live_server: str, fmt: str) -> None:
    """With ``format=``, rdflib sends only that format's media type in Accept."""
    g = rdflib.Graph().parse(live_server + "/id/organization/cnam", format=fmt)
    assert (CNAM, SCHEMA.address, None) in g


def test_rdflib_reads_the_dataset_and_the_ontology(live_server: str) -> None:
    void = rdflib.Graph().parse(live_server + "/.well-known/void")
    dataset = rdflib.URIRef("https://w3id.org/cnamkg/dataset")
    assert int(void.value(dataset, VOID.triples)) > 500
    onto = rdflib.Graph().parse(live_server + "/ontology")
    assert (None, rdflib.RDF.type, rdflib.OWL.Class) in onto


def test_sparqlwrapper_describe_and_construct(live_server: str) -> None:
    """SPARQLWrapper's Accept for graph results (Turtle, JSON-LD) is honoured."""
    for fmt, parse_as in ((TURTLE, "turtle"), (JSONLD, "json-ld")):
        sw = SPARQLWrapper(live_server + "/sparql")
        sw.setQuery(f"DESCRIBE <{CNAM}>")
        sw.setReturnFormat(fmt)
        result = sw.query()
        body = result.response.read()
        assert result.response.headers["Content-Type"].startswith(
            "text/turtle" if fmt == TURTLE else "application/ld+json"
        )
        g = rdflib.Graph().parse(data=body, format=parse_as)
        assert (CNAM, rdflib.RDFS.label, rdflib.Literal("Cnam", lang="fr")) in g


def _curl(*args: str) -> subprocess.CompletedProcess[str]:
    curl = shutil.which("curl")
    if curl is None:
        pytest.skip("curl is not installed")
    return subprocess.run(
        [curl, "-s", "--max-time", "20", *args], capture_output=True, text=True, check=True
    )


def test_curl_default_accept_gets_the_page_and_asked_turtle_gets_turtle(live_server: str) -> None:
    """curl sends ``Accept: */*``: anything goes, and the page is what a person typing a
    URL wants. ``-H 'Accept: text/turtle'`` gets Turtle; ``-I`` (HEAD) gets the 303."""
    head = _curl("-I", live_server + "/id/organization/cnam").stdout
    assert head.startswith("HTTP/1.1 303") and "location: /page/organization/cnam" in head.lower()
    page = _curl("-L", live_server + "/id/organization/cnam").stdout
    assert "<h1>Cnam</h1>" in page
    turtle = _curl("-L", "-H", "Accept: text/turtle", live_server + "/id/organization/cnam").stdout
    g = rdflib.Graph().parse(data=turtle, format="turtle")
    assert (CNAM, SCHEMA.address, None) in g
    refused = _curl(
        "-H", "Accept: image/png", "-w", "%{http_code}", live_server + "/id/organization/cnam"
    )
    assert refused.stdout.endswith("406") and "text/turtle" in refused.stdout


def test_a_real_browser_dereferences_an_entity_iri_to_its_page(live_server: str) -> None:
    """Chromium sends its own Accept (text/html first, ``*/*;q=0.8``) and
    ``Accept-Language``; it follows the 303 and renders the page in its language."""
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run(
            [
                chromium(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--lang=en-GB",
                f"--user-data-dir={profile}",
                "--dump-dom",
                live_server + "/id/organization/cnam",
            ],
            capture_output=True,
            text=True,
            timeout=90,
            check=True,
        )
    dom = done.stdout
    assert '<html lang="en">' in dom, dom[:500]
    assert "<h1>Cnam</h1>" in dom and "Incoming links" in dom
    assert 'rel="alternate" type="text/turtle"' in dom
