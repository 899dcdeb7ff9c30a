"""BUG-25 · security · SPARQL injection through templated page queries.

Source: https://github.com/MISP/misp-modules/pull/869,
https://github.com/w3c-cg/sparql-dev/issues/77 (related:
https://github.com/OriginTrail/dkg/issues/173).

Specs: SPARQL 1.1 Query §19.2 (codepoint escape sequences are processed before
parsing), §19.5 (IRIREF), §19.7 (string escapes). A name built to break out of
``DESCRIBE <base/id/{name}>`` (plain ``>``, or ``\\u003E`` / ``\\u0022`` escapes) gets
404 (no such entity) or 400 with a small body, never a dump of other entities — on
``/id/``, ``/data/``, ``/page/``, the kind lists, and every parameter.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest

from cnamkg.query.sparql_terms import iri_ref, string_literal

PAYLOADS = {
    "a-gt": "x> } UNION { ?s ?p ?o } #",
    "b-u003E": "x\\u003E } UNION { ?s ?p ?o } #",
    "b-U0000003E": "x\\U0000003E } UNION { ?s ?p ?o } #",
    "c-quote": 'Alice" ) } UNION { ?s ?p ?o } #',
    "c-u0022": "Alice\\u0022 ) } UNION { ?s ?p ?o } #",
    "describe-all": "alice> ?p ?o } UNION { ?s ?p ?o } #",
    "newline": "alice>\n} UNION { ?s ?p ?o }",
    "percent-gt": "alice%3E } UNION { ?s ?p ?o } #",
    "backslash": "alice\\",
    "unicode-slug": "alicé",
    "uppercase": "Alice",
}
#: Strings that appear only if other entities were dumped.
LEAKS = ("mallory", "bob", "weird", "gene-240", "kw1", "Rastrov", "rdf-syntax-ns", "@prefix")
MAX_BODY = 1024


def _urls(payload: str) -> list[str]:
    p = quote(payload, safe="")
    return [
        f"/id/organization/{p}",
        f"/id/{p}/alice",
        f"/id/{p}",
        f"/data/organization/{p}",
        f"/data/organization/{p}.ttl",
        f"/data/organization/{p}.nt",
        f"/page/organization/{p}",
        f"/page/{p}/alice",
        f"/{p}",
    ]


def _assert_refused(r):
    # an unknown entity is looked up before any negotiation: 404 whatever the Accept; an
    # upper-case variant of a valid slug is sent to its lower-case canonical IRI (301)
    if r.status_code == 301:
        assert r.headers["Location"] == r.request.path.lower()
    else:
        assert r.status_code in (400, 404), r.status_code
    assert len(r.data) <= MAX_BODY or r.mimetype == "text/html"
    text = r.get_data(as_text=True)
    for leak in LEAKS:
        assert leak not in text, leak


@pytest.mark.parametrize("accept", ["text/turtle", "application/n-triples", "text/html", "*/*"])
@pytest.mark.parametrize("name", PAYLOADS)
def test_paths_never_dump(client, name, accept):
    for url in _urls(PAYLOADS[name]):
        r = client.get(url, headers={"Accept": accept})
        _assert_refused(r)


@pytest.mark.parametrize("name", PAYLOADS)
def test_head_never_dumps(client, name):
    for url in _urls(PAYLOADS[name]):
        r = client.head(url)
        assert r.status_code in (400, 404) or (r.status_code == 301 and name == "uppercase")


def test_case_repro_url_exact(client):
    r = client.get("/id/x%3E%20%7D%20UNION%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D%20%23")
    _assert_refused(r)
    assert r.status_code == 404
    r = client.get(
        "/id/organization/x%5Cu003E%20%7D%20UNION%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D%20%23"
    )
    _assert_refused(r)
    assert r.status_code == 404


@pytest.mark.parametrize("name", PAYLOADS)
def test_parameters_never_dump(client, name):
    payload = PAYLOADS[name]
    r = client.get("/page/organization/alice", query_string={"lang": payload})
    assert r.status_code == 200  # an unknown lang falls back; the page is alice's only
    text = r.get_data(as_text=True)
    assert "mallory" not in text and "gene-240" not in text
    for path in ("/search", "/organization"):
        r = client.get(path, query_string={"q": payload, "lang": payload})
        assert r.status_code in (200, 400, 404)
        if path == "/search":
            # the search treats the value as text: no other entity leaks into the answer
            assert r.status_code == 200
            text = r.get_data(as_text=True)
            for leak in LEAKS:
                assert leak not in text, leak


@pytest.mark.parametrize("param", ["default-graph-uri", "named-graph-uri"])
@pytest.mark.parametrize("name", [n for n in PAYLOADS if n not in ("unicode-slug", "uppercase")])
def test_graph_parameters_with_breakout_are_400(client, name, param):
    r = client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }", param: PAYLOADS[name]})
    assert r.status_code == 400
    assert r.mimetype == "text/plain" and len(r.data) <= MAX_BODY


@pytest.mark.parametrize("param", ["default-graph-uri", "named-graph-uri"])
@pytest.mark.parametrize("value", ["Alice", "alicé", "relative/path"])
def test_relative_graph_parameter_is_400_not_500(client, param, value):
    r = client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }", param: value})
    assert r.status_code == 400


def test_the_real_entity_still_resolves(client):
    assert client.get("/id/organization/alice").status_code == 303
    assert client.get("/data/organization/alice.ttl").status_code == 200


@pytest.mark.parametrize("bad", [">", "<", '"', "{", "}", "|", "^", "`", "\\", " ", "\n"])
def test_iri_ref_rejects_iriref_illegal_characters(bad):
    with pytest.raises(ValueError):
        iri_ref(f"https://w3id.org/cnamkg/id/organization/x{bad}y")


@pytest.mark.parametrize(
    "text",
    [
        'Alice" ) } UNION { ?s ?p ?o } #',
        "Alice\\u0022 ) }",
        "a\\",
        "l1\nl2",
        # rdflib (the memory store) reads codepoint escapes before parsing, greedily
        "\\U0001F600 and \\u00e9123a",
        "\\\\u",
    ],
)
def test_string_literal_round_trips_through_the_parser(client, text):
    """A literal built by string_literal() comes back unchanged: no breakout, even with
    a ``\\u0022`` (its backslash is escaped, so it is not a codepoint escape)."""
    from casekit import bindings

    q = f"SELECT ?x WHERE {{ BIND({string_literal(text)} AS ?x) }}"
    rows = bindings(client, q)
    assert [r["x"]["value"] for r in rows] == [text]
