"""Issue 3 §4: the SPARQL clients people use, over real HTTP against `cnamkg serve`:
SPARQLWrapper in every return format, and rdflib's SPARQLStore."""

from __future__ import annotations

import csv
import io
from xml.dom import minidom

import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, JSONLD, N3, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

ID = "https://w3id.org/cnamkg/id/"
CAIRE = rdflib.URIRef(ID + "project/caire")
ONTO = rdflib.Namespace("https://w3id.org/cnamkg/ontology#")
PARTNERS = f"PREFIX cnamkg: <{ONTO}> SELECT ?p WHERE {{ <{CAIRE}> cnamkg:partner ?p }} ORDER BY ?p"
EXPECTED = [
    ID + f"organization/{s}"
    for s in ("cesi", "cnam", "paris-school-of-business", "universite-bourgogne-europe")
]
GRAPH = f"CONSTRUCT {{ <{CAIRE}> ?p ?o }} WHERE {{ <{CAIRE}> ?p ?o }}"


def client(url: str, fmt: str, query: str, method: str) -> SPARQLWrapper:
    c = SPARQLWrapper(url + "/sparql")
    c.setQuery(query)
    c.setReturnFormat(fmt)
    c.setMethod(method)
    return c


def _text(body: object) -> str:
    return body.decode() if isinstance(body, bytes) else str(body)


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_sparqlwrapper_select(live_server: str, fmt: str, method: str) -> None:
    result = client(live_server, fmt, PARTNERS, method).queryAndConvert()
    if fmt == JSON:
        got = [b["p"]["value"] for b in result["results"]["bindings"]]  # type: ignore[index]
    elif fmt == XML:
        assert isinstance(result, minidom.Document)
        got = [u.firstChild.data for u in result.getElementsByTagName("uri")]
    elif fmt == CSV:
        got = [row[0] for row in list(csv.reader(io.StringIO(_text(result))))[1:]]
    else:
        got = [line.strip("<>") for line in _text(result).splitlines()[1:]]
    assert got == EXPECTED


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("fmt", [TURTLE, N3, RDFXML, JSONLD, XML])
def test_sparqlwrapper_construct(live_server: str, fmt: str, method: str) -> None:
    result = client(live_server, fmt, GRAPH, method).queryAndConvert()
    if isinstance(result, rdflib.Graph):
        g = result
    else:
        rdflib_format = {TURTLE: "turtle", N3: "turtle", JSONLD: "json-ld"}[fmt]
        g = rdflib.Graph().parse(data=_text(result), format=rdflib_format)
    assert (CAIRE, ONTO.coordinator, rdflib.URIRef(ID + "organization/arts-et-metiers")) in g


def test_rdflib_sparqlstore(live_server: str) -> None:
    """rdflib's remote store: SELECT, ASK and triple patterns (sent as CONSTRUCT)."""
    g = rdflib.Graph(store=SPARQLStore(live_server + "/sparql"))
    rows = g.query(PARTNERS)
    assert [str(r[0]) for r in rows] == EXPECTED
    assert g.query(f"ASK {{ <{CAIRE}> ?p ?o }}").askAnswer is True
    coordinators = list(g.objects(CAIRE, ONTO.coordinator))
    assert coordinators == [rdflib.URIRef(ID + "organization/arts-et-metiers")]
