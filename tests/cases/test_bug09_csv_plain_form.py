"""BUG-09 · results-format · CSV must be the lossy plain form.

Source: https://github.com/ad-freiburg/qlever/issues/911 (related:
https://github.com/Triply-Dev/YASGUI.YASR-deprecated/issues/87).

Specs: SPARQL 1.1 Query Results CSV and TSV Formats, CSV section (header row without
``?``; IRIs bare, literals as lexical form only) and TSV section (terms in Turtle
syntax); RFC 4180 §2 (fields with comma/quote/CR/LF quoted, quotes doubled, CRLF).
"""

from __future__ import annotations

import csv
import io

import pytest

QUERY = (
    "SELECT ?s ?label ?note WHERE { VALUES (?s ?label ?note) { "
    '(<http://127.0.0.1:5000/id/leipzig> "Leipzig"@de "said \\"hi\\", then left") } }'
)


def _csv(client, query, method="post"):
    headers = {"Accept": "text/csv"}
    if method == "get":
        r = client.get("/sparql", query_string={"query": query}, headers=headers)
    else:
        r = client.post("/sparql", data={"query": query}, headers=headers)
    assert r.status_code == 200, r.get_data(as_text=True)
    assert r.mimetype == "text/csv"
    return r


@pytest.mark.parametrize("method", ["get", "post"])
def test_exact_bytes(client, method):
    r = _csv(client, QUERY, method)
    assert r.data == (
        b's,label,note\r\nhttp://127.0.0.1:5000/id/leipzig,Leipzig,"said ""hi"", then left"\r\n'
    )


def test_parses_as_rfc4180(client):
    rows = list(csv.reader(io.StringIO(_csv(client, QUERY).get_data(as_text=True), newline="")))
    assert rows == [
        ["s", "label", "note"],
        ["http://127.0.0.1:5000/id/leipzig", "Leipzig", 'said "hi", then left'],
    ]


def test_charset_utf8_and_non_ascii(client):
    q = 'SELECT ?l WHERE { VALUES ?l { "Územní plán"@cs "Gène"@fr } }'
    r = _csv(client, q)
    assert r.mimetype_params.get("charset", "").lower() == "utf-8"
    rows = list(csv.reader(io.StringIO(r.data.decode("utf-8"), newline="")))
    assert rows == [["l"], ["Územní plán"], ["Gène"]]


def test_newlines_and_typed_literals_and_unbound(client):
    q = (
        "SELECT ?a ?b ?c ?d WHERE { VALUES (?a ?b ?c ?d) { "
        '("line1\\nline2" 42 "2024-01-02"^^<http://www.w3.org/2001/XMLSchema#date> UNDEF) '
        '("cr\\rhere" 1.5 true "x,y") } }'
    )
    r = _csv(client, q)
    text = r.get_data(as_text=True)
    assert text.startswith("a,b,c,d\r\n")
    assert '"line1\nline2"' in text
    assert '"cr\rhere"' in text
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows == [
        ["a", "b", "c", "d"],
        ["line1\nline2", "42", "2024-01-02", ""],
        ["cr\rhere", "1.5", "true", "x,y"],
    ]
    assert "^^" not in text and "<" not in text


def test_blank_nodes_are_labels(client):
    q = "SELECT ?b WHERE { ?s <http://example.org/vocab#address> ?b }"
    rows = list(csv.reader(io.StringIO(_csv(client, q).get_data(as_text=True), newline="")))
    assert rows[0] == ["b"]
    assert len(rows) == 2 and rows[1][0].startswith("_:")


def test_data_iris_are_bare(client):
    q = "SELECT ?s ?l WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l } ORDER BY ?s ?l"
    text = _csv(client, q).get_data(as_text=True)
    assert "<https://" not in text
    assert "@en" not in text and "@fr" not in text
    for line in text.split("\r\n")[1:-1]:
        assert line.startswith("https://") or line.startswith("http://")


def test_tsv_is_the_lossless_turtle_form(client):
    r = client.post(
        "/sparql", data={"query": QUERY}, headers={"Accept": "text/tab-separated-values"}
    )
    assert r.status_code == 200
    assert r.mimetype == "text/tab-separated-values"
    lines = r.get_data(as_text=True).split("\n")
    assert lines[0] == "?s\t?label\t?note"
    assert (
        lines[1] == '<http://127.0.0.1:5000/id/leipzig>\t"Leipzig"@de\t"said \\"hi\\", then left"'
    )
