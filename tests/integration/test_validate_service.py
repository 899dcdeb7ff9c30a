"""SHACL validation as a service and the published shapes (issue 7 §3), over real HTTP on
each backend: POST /validate answers the W3C SHACL validation report (SHACL §3.6) of the
uploaded data against our shapes, in Turtle or JSON-LD by Accept (RFC 9110 §12.5.1) or
as a table for the form; bad input gets 4xx with the parser's message; the store is never
written."""

from __future__ import annotations

import json
from pathlib import Path

import rdflib
import requests
from rdflib.namespace import SH

from conftest import REPO_ROOT, serving

ID = "https://w3id.org/cnamkg/id/"
DOC = f"<{ID}document/d>"
PREFIXES = """@prefix org: <http://www.w3.org/ns/org#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix schema: <https://schema.org/> .
"""
GOOD = (
    PREFIXES
    + f"""
{DOC} a foaf:Document ; rdfs:label "D"@fr , "D"@en ; schema:url <https://example.org/d> ;
    dcterms:source {DOC} .
<{ID}organization/validated-elsewhere> a org:Organization ;
    rdfs:label "Ailleurs"@fr , "Elsewhere"@en ; dcterms:source {DOC} .
"""
)
#: No English label, no source, a founding date that is not a date.
BAD = (
    PREFIXES
    + f"""
<{ID}organization/validated-elsewhere> a org:Organization ;
    rdfs:label "Ailleurs"@fr ; schema:foundingDate "long ago" .
"""
)


def _report(body: bytes, fmt: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=body, format=fmt)


def _results(g: rdflib.Graph) -> set[tuple[str, str, str]]:
    return {
        (
            str(g.value(r, SH.focusNode)),
            str(g.value(r, SH.resultPath)),
            str(g.value(r, SH.sourceConstraintComponent)).rsplit("#", 1)[1],
        )
        for r in g.subjects(rdflib.RDF.type, SH.ValidationResult)
    }


def _post(
    url: str, body: str | bytes, media_type: str, accept: str = "text/turtle"
) -> requests.Response:
    data = body.encode() if isinstance(body, str) else body
    return requests.post(
        url + "/validate",
        data=data,
        headers={"Content-Type": media_type, "Accept": accept},
        timeout=60,
    )


def test_conforming_data_gets_a_conforming_report(live_server: str) -> None:
    r = _post(live_server, GOOD, "text/turtle")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/turtle")
    g = _report(r.content, "turtle")
    assert (None, SH.conforms, rdflib.Literal(True)) in g
    assert _results(g) == set()


def test_violations_name_focus_node_path_and_constraint(live_server: str) -> None:
    expected = {
        (
            f"{ID}organization/validated-elsewhere",
            "http://www.w3.org/2000/01/rdf-schema#label",
            "QualifiedMinCountConstraintComponent",
        ),
        (
            f"{ID}organization/validated-elsewhere",
            "http://purl.org/dc/terms/source",
            "MinCountConstraintComponent",
        ),
        (
            f"{ID}organization/validated-elsewhere",
            "https://schema.org/foundingDate",
            "OrConstraintComponent",
        ),
    }
    turtle = _post(live_server, BAD, "text/turtle")
    g = _report(turtle.content, "turtle")
    assert (None, SH.conforms, rdflib.Literal(False)) in g
    assert _results(g) == expected
    messages = {str(m) for m in g.objects(None, SH.resultMessage)}
    assert any("dcterms:source" in m for m in messages)
    # the same report in JSON-LD, by Accept
    jsonld = _post(live_server, BAD, "text/turtle", accept="application/ld+json")
    assert jsonld.status_code == 200
    assert jsonld.headers["Content-Type"].startswith("application/ld+json")
    assert _results(_report(jsonld.content, "json-ld")) == expected
    # the same data in N-Triples and in JSON-LD gets the same results
    nt = rdflib.Graph().parse(data=BAD, format="turtle").serialize(format="nt")
    assert (
        _results(_report(_post(live_server, nt, "application/n-triples").content, "turtle"))
        == expected
    )
    doc = rdflib.Graph().parse(data=BAD, format="turtle").serialize(format="json-ld")
    assert (
        _results(_report(_post(live_server, doc, "application/ld+json").content, "turtle"))
        == expected
    )


def test_the_form_shows_a_table(live_server: str) -> None:
    page = requests.get(live_server + "/validate", params={"lang": "en"}, timeout=10)
    assert page.status_code == 200 and '<form method="post"' in page.text
    assert 'name="data"' in page.text and 'type="file"' in page.text
    r = requests.post(
        live_server + "/validate?lang=en",
        files={"data": (None, BAD), "format": (None, "turtle")},
        headers={"Accept": "text/html"},
        timeout=60,
    )
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/html")
    assert "Does not conform: 3 result(s)." in r.text
    assert r.text.count("<tr>") == 4  # the header row and three results
    assert "sh:MinCountConstraintComponent" in r.text and "validated-elsewhere" in r.text
    # a file chosen in the form
    r = requests.post(
        live_server + "/validate?lang=en",
        files={"file": ("good.ttl", GOOD.encode(), "text/turtle"), "format": (None, "turtle")},
        headers={"Accept": "text/html"},
        timeout=60,
    )
    assert "Conforms: the data satisfies every shape." in r.text
    # refused data: the form again, with the parser's message, and the status
    r = requests.post(
        live_server + "/validate?lang=en",
        data={"data": "<a> <b> .", "format": "n-triples"},
        headers={"Accept": "text/html"},
        timeout=60,
    )
    assert r.status_code == 400 and "Data refused" in r.text and "line 1" in r.text
    assert "&lt;a&gt; &lt;b&gt; ." in r.text  # what was typed is kept


def test_bad_input_gets_4xx_with_the_parser_message(
    live_server: str, loopback_listener: tuple[int, list[bytes]]
) -> None:
    r = _post(live_server, PREFIXES + '<http://e/a> rdfs:label "open .\n', "text/turtle")
    assert r.status_code == 400 and "line 6" in r.text, r.text
    r = _post(live_server, "<a> <b> <c> .", "application/n-triples")
    assert r.status_code == 400 and "absolute IRI" in r.text
    r = _post(live_server, b"\xff\xfe not utf-8", "text/turtle")
    assert r.status_code == 400
    r = _post(live_server, "", "text/turtle")
    assert r.status_code == 400 and "empty" in r.text  # as an empty form is
    # curl -d sends a form: the answer says how to send RDF instead
    r = requests.post(
        live_server + "/validate",
        data=GOOD.encode(),
        timeout=10,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert r.status_code == 400 and "Content-Type: text/turtle" in r.text
    r = _post(live_server, '"AAA"', "application/ld+json")  # JSON, but not JSON-LD (§9)
    assert r.status_code == 400 and "object or array" in r.text
    r = _post(live_server, "{}", "application/pdf")
    assert r.status_code == 415 and "text/turtle" in r.text
    r = _post(
        live_server,
        PREFIXES + "<< <http://e/a> <http://e/b> <http://e/c> >> <http://e/d> 1 .",
        "text/turtle",
    )
    assert r.status_code == 400
    # a remote JSON-LD context is never fetched (no request leaves the server)
    port, seen = loopback_listener
    context = f"http://127.0.0.1:{port}/context.jsonld"
    doc = json.dumps({"@context": context, "@id": "http://e/a", "name": "x"})
    r = _post(live_server, doc, "application/ld+json")
    assert r.status_code == 400 and "remote context" in r.text
    assert seen == []


def test_size_limits(live_server: str) -> None:
    big = "# " + "x" * 1_100_000 + "\n"
    r = _post(live_server, big, "text/turtle")
    assert r.status_code == 413
    many = "".join(f"<http://e/s{i}> <http://e/p> <http://e/o> .\n" for i in range(5_001))
    r = _post(live_server, many, "application/n-triples")
    assert r.status_code == 413 and "5000 triples" in r.text


def test_validating_never_writes_the_store(live_server: str) -> None:
    def count() -> str:
        r = requests.get(
            live_server + "/sparql",
            params={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"},
            headers={"Accept": "text/csv"},
            timeout=10,
        )
        return r.text

    before = count()
    assert _post(live_server, GOOD, "text/turtle").status_code == 200
    assert count() == before
    ask = requests.get(
        live_server + "/sparql",
        params={"query": f"ASK {{ GRAPH ?g {{ <{ID}organization/validated-elsewhere> ?p ?o }} }}"},
        headers={"Accept": "application/sparql-results+json"},
        timeout=10,
    )
    assert ask.json()["boolean"] is False
    page = requests.get(live_server + "/id/organization/validated-elsewhere", timeout=10)
    assert page.status_code == 404


def test_shapes_are_published(live_server: str) -> None:
    files = rdflib.Graph()
    for path in sorted((REPO_ROOT / "shapes").glob("*.ttl")):
        files.parse(path)
    r = requests.get(live_server + "/shapes", headers={"Accept": "text/turtle"}, timeout=10)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/turtle")
    served = rdflib.Graph().parse(data=r.content, format="turtle")
    assert len(served) == len(files)
    assert set(served.subjects(rdflib.RDF.type, SH.NodeShape)) == set(
        files.subjects(rdflib.RDF.type, SH.NodeShape)
    )
    r = requests.get(live_server + "/shapes.jsonld", timeout=10)
    assert len(rdflib.Graph().parse(data=r.content, format="json-ld")) == len(files)
    page = requests.get(
        live_server + "/shapes", params={"lang": "en"}, headers={"Accept": "text/html"}, timeout=10
    )
    assert page.status_code == 200
    for shape in files.subjects(rdflib.RDF.type, SH.NodeShape):
        label = files.value(shape, rdflib.RDFS.label)
        if label is not None:
            assert str(label) in page.text
    assert "A project has at most one coordinator (cnamkg:coordinator)." in page.text


def test_links_to_our_entities_are_checked_against_the_dataset(live_server: str) -> None:
    """A unit of the Cnam sourced to our press release conforms: the types of the entities
    it links to are those the dataset gives them, and they are not themselves on trial; a
    link to an entity we do not have still fails its sh:class check."""
    unit = (
        PREFIXES
        + f"""
<{ID}organization/mon-labo> a org:Organization , org:OrganizationalUnit ;
    rdfs:label "Mon labo"@fr , "My lab"@en ;
    org:unitOf <{ID}organization/cnam> ;
    dcterms:source <{ID}document/communique-journee-ia> .
"""
    )
    g = _report(_post(live_server, unit, "text/turtle").content, "turtle")
    assert (None, SH.conforms, rdflib.Literal(True)) in g and _results(g) == set()
    nowhere = unit.replace("organization/cnam>", "organization/nowhere>")
    g = _report(_post(live_server, nowhere, "text/turtle").content, "turtle")
    assert _results(g) == {
        (
            f"{ID}organization/mon-labo",
            "http://www.w3.org/ns/org#unitOf",
            "ClassConstraintComponent",
        )
    }


def test_a_long_label_is_checked_in_linear_time(live_server: str) -> None:
    """Break-it review: the label pattern backtracked quadratically, and a 150 KB label
    ending in a control character held a worker until gunicorn killed it. Every pattern of
    the shapes now matches in linear time: the answer is the violation, within the
    validation deadline (past it the answer would be 503)."""
    label = "a" * 150_000 + "\\u0001"
    data = (
        PREFIXES
        + f"""
<{ID}organization/long> a org:Organization ; rdfs:label "{label}"@fr , "Long"@en ;
    dcterms:source <{ID}document/communique-journee-ia> .
"""
    )
    r = _post(live_server, data, "text/turtle")
    assert r.status_code == 200, r.text[:300]
    assert _results(_report(r.content, "turtle")) == {
        (
            f"{ID}organization/long",
            "http://www.w3.org/2000/01/rdf-schema#label",
            "PatternConstraintComponent",
        )
    }


def test_a_validation_past_the_deadline_is_stopped(tmp_path: Path) -> None:
    """A validation still running at the deadline is killed with its process: 503 with
    Retry-After (RFC 9110 §15.6.4), and the server answers at once, the next upload too."""
    organisations = PREFIXES + "".join(
        f'<{ID}organization/o{i}> a org:Organization ; rdfs:label "O{i}"@fr , "O{i}"@en ; '
        f"dcterms:source <{ID}document/communique-journee-ia> .\n"
        for i in range(1_200)
    )
    with serving(tmp_path, CNAMKG_QUERY_DEADLINE_S="0.5") as url:
        r = _post(url, organisations, "text/turtle")
        assert r.status_code == 503 and "Retry-After" in r.headers
        assert "Validation stopped" in r.text
        assert requests.get(url + "/", timeout=10).status_code == 200
        g = _report(_post(url, GOOD, "text/turtle").content, "turtle")
        assert (None, SH.conforms, rdflib.Literal(True)) in g


def test_hostile_uploads_get_4xx(live_server: str) -> None:
    """Break-it review: deep JSON was a 500; a non-UTF-8 file, a compressed body and a
    charset other than UTF-8 were read anyway; a huge bad token was echoed whole."""
    for body in ("[" * 100_000, '{"@list": [' * 3000):
        r = _post(live_server, body, "application/ld+json")
        assert r.status_code == 400 and "nested too deeply" in r.text
    r = requests.post(
        live_server + "/validate",
        files={"file": ("bad.ttl", b'<http://e/a> <http://e/b> "\xff" .', "text/turtle")},
        timeout=10,
    )
    assert r.status_code == 400 and "not UTF-8" in r.text
    r = requests.post(
        live_server + "/validate",
        data=b"\x1f\x8b\x08\x00",
        headers={"Content-Type": "text/turtle", "Content-Encoding": "gzip"},
        timeout=10,
    )
    assert r.status_code == 415
    r = _post(live_server, GOOD, "text/turtle; charset=latin1")
    assert r.status_code == 415 and "UTF-8" in r.text
    r = _post(live_server, "<https://a/x> <https://a/y> " + "abc" * 300_000, "text/turtle")
    assert r.status_code == 400 and len(r.content) < 2_000


def test_a_chunked_multipart_form_is_read(live_server: str) -> None:
    """A form sent with Transfer-Encoding: chunked (no Content-Length) is read like one
    with a length (RFC 9112 §7.1)."""
    import uuid

    boundary = uuid.uuid4().hex
    form = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="data"\r\n\r\n{GOOD}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="format"\r\n\r\nturtle\r\n'
        f"--{boundary}--\r\n"
    ).encode()
    r = requests.post(
        live_server + "/validate",
        data=iter([form[:100], form[100:]]),  # a generator body: requests sends it chunked
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        timeout=30,
    )
    assert r.status_code == 200, r.text
    assert (None, SH.conforms, rdflib.Literal(True)) in _report(r.content, "turtle")
