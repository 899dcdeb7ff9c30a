"""BUG-11 · robustness · control characters vs XML outputs.

Source: https://github.com/4store/4store/issues/51 (related:
https://github.com/RDFLib/rdflib/issues/614, https://github.com/libris/librisxl/pull/1818).

Specs: XML 1.0 §2.2 (``Char`` excludes U+0001–U+0008 …: XML formats must fail cleanly,
never a 200 with ill-formed XML); RFC 8259 §7 (JSON escapes them as ``\\u0007``);
RDF 1.1 Turtle §6.4 (``\\u0007`` or raw); HTML Living Standard §13.2.3.5 (control
characters in the input stream are parse errors: HTML must stay valid, e.g. U+FFFD).
The fixture holds ``organization/weird ex:note "bell\\u0007 and start-of-heading\\u0001 here"``.
"""

from __future__ import annotations

import json
import re
from xml.dom import minidom

import pytest
import rdflib

WEIRD = "https://w3id.org/cnamkg/id/organization/weird"
NOTE = "bell\u0007 and start-of-heading\u0001 here"
QUERY = f"SELECT ?n WHERE {{ <{WEIRD}> <http://example.org/vocab#note> ?n }}"
#: C0 controls other than TAB, LF, FF, CR (HTML "control-character-in-input-stream").
HTML_BAD = re.compile("[\x01-\x08\x0b\x0e-\x1f\x7f]")


def _post(client, query, accept):
    return client.post("/sparql", data={"query": query}, headers={"Accept": accept})


def _xml_ok_or_clean_failure(r, media_type):
    if r.status_code == 200:
        assert r.mimetype == media_type
        minidom.parseString(r.data)  # must be well-formed
    else:
        assert 400 <= r.status_code < 600
        assert r.mimetype == "text/plain"
        text = r.get_data(as_text=True)
        assert text.strip()
        assert "Traceback" not in text


def test_results_xml_fails_cleanly(client):
    r = _post(client, QUERY, "application/sparql-results+xml")
    _xml_ok_or_clean_failure(r, "application/sparql-results+xml")
    assert r.status_code == 406
    assert "U+0007" in r.get_data(as_text=True)


def test_results_xml_for_values_literal(client):
    r = _post(
        client, 'SELECT ?x WHERE { VALUES ?x { "a\\u0001b" } }', "application/sparql-results+xml"
    )
    _xml_ok_or_clean_failure(r, "application/sparql-results+xml")


def test_results_json_escapes(client):
    r = _post(client, QUERY, "application/sparql-results+json")
    assert r.status_code == 200
    assert b"\x07" not in r.data and b"\x01" not in r.data
    assert b"\\u0007" in r.data and b"\\u0001" in r.data
    rows = json.loads(r.data)["results"]["bindings"]
    assert rows == [{"n": {"type": "literal", "value": NOTE}}]


@pytest.mark.parametrize("path", ["/data/organization/weird.rdf", "/data/organization/weird"])
def test_rdf_xml_fails_cleanly(client, path):
    r = client.get(path, headers={"Accept": "application/rdf+xml"})
    _xml_ok_or_clean_failure(r, "application/rdf+xml")


def test_identifier_rdf_xml_followed(client):
    r = client.get(
        "/id/organization/weird", headers={"Accept": "application/rdf+xml"}, follow_redirects=True
    )
    _xml_ok_or_clean_failure(r, "application/rdf+xml")


def test_construct_rdf_xml_fails_cleanly(client):
    q = f"CONSTRUCT {{ <{WEIRD}> ?p ?o }} WHERE {{ <{WEIRD}> ?p ?o }}"
    _xml_ok_or_clean_failure(_post(client, q, "application/rdf+xml"), "application/rdf+xml")


@pytest.mark.parametrize("ext,fmt", [("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")])
def test_text_rdf_formats_keep_the_value(client, ext, fmt):
    r = client.get(f"/data/organization/weird.{ext}")
    assert r.status_code == 200
    g = rdflib.Graph().parse(data=r.data, format=fmt)
    notes = list(g.objects(rdflib.URIRef(WEIRD), rdflib.URIRef("http://example.org/vocab#note")))
    assert [str(n) for n in notes] == [NOTE]


def test_json_ld_escapes(client):
    r = client.get("/data/organization/weird.jsonld")
    assert r.status_code == 200
    assert b"\x07" not in r.data and b"\x01" not in r.data


def test_other_entities_keep_working_as_rdf_xml(client):
    r = client.get("/data/organization/alice.rdf")
    assert r.status_code == 200
    assert r.mimetype == "application/rdf+xml"
    minidom.parseString(r.data)
    r = _post(
        client,
        "SELECT ?l WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l "
        "FILTER(?s = <https://w3id.org/cnamkg/id/organization/alice>) }",
        "application/sparql-results+xml",
    )
    assert r.status_code == 200
    minidom.parseString(r.data)


def test_html_page_is_served(client):
    r = client.get("/page/organization/weird")
    assert r.status_code == 200
    assert r.mimetype == "text/html"


def test_html_page_has_no_control_characters(client):
    text = client.get("/page/organization/weird").get_data(as_text=True)
    assert not HTML_BAD.search(text)
    assert "here" in text


def test_sparql_html_table_has_no_control_characters(client):
    r = client.get("/sparql", query_string={"query": QUERY}, headers={"Accept": "text/html"})
    assert r.status_code == 200 and r.mimetype == "text/html"
    text = r.get_data(as_text=True)
    assert not HTML_BAD.search(text)
