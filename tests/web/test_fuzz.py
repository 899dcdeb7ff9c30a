"""Property-based tests over the HTTP surface (issue 6 §2): arbitrary paths, query
strings and headers never yield a 5xx nor a traceback (RFC 9110 §15.5: a request the
server cannot use is the client's error, 4xx). Run on the embedded store, the one a
publisher serves (the memory store's rdflib answers 501 to some valid SPARQL)."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    derandomize=True,  # the same examples every run: a failure reproduces
)

#: Path pieces near our routes, and anything at all.
SEGMENTS = st.one_of(
    st.sampled_from(
        [
            "id",
            "page",
            "data",
            "organization",
            "project",
            "sparql",
            "search",
            "dumps",
            "ontology",
            ".well-known",
            "void",
            "dataset",
            "alice",
            "..",
            ".",
            "%2F",
            "%00",
            "ALICE",
            "alice.ttl",
            "alice.TTL",
            "static",
            "readyz",
        ]
    ),
    st.text(min_size=0, max_size=12),
)
HEADER_TEXT = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=200)


def _ok(r: object, what: str) -> None:
    status = r.status_code  # type: ignore[attr-defined]
    body = r.get_data(as_text=True)  # type: ignore[attr-defined]
    assert status < 500, f"{what}: {status} {body[:300]}"
    assert "Traceback" not in body, what


@FUZZ
@given(segments=st.lists(SEGMENTS, min_size=1, max_size=4), lang=st.text(max_size=8))
def test_any_path_is_never_a_server_error(
    embedded_client: FlaskClient, segments: list[str], lang: str
) -> None:
    # the test client would read a leading "//" as a host (a real server does not)
    path = "/" + "/".join(quote(s, safe="%.") for s in segments).lstrip("/")
    _ok(embedded_client.get(path, query_string={"lang": lang}), path)


@FUZZ
@given(
    accept=HEADER_TEXT,
    language=HEADER_TEXT,
    path=st.sampled_from(
        [
            "/",
            "/id/organization/alice",
            "/page/organization/alice",
            "/data/organization/alice",
            "/sparql",
            "/search?q=ali",
            "/.well-known/void",
            "/ontology",
            "/dataset",
        ]
    ),
)
def test_any_accept_and_language_header_is_never_a_server_error(
    embedded_client: FlaskClient, accept: str, language: str, path: str
) -> None:
    r = embedded_client.get(path, headers={"Accept": accept, "Accept-Language": language})
    _ok(r, f"{path} Accept={accept!r} Accept-Language={language!r}")


#: Pieces of SPARQL, put together at random: mostly malformed, sometimes valid.
SPARQL_PIECES = st.sampled_from(
    [
        "SELECT",
        "ASK",
        "CONSTRUCT",
        "DESCRIBE",
        "*",
        "?s",
        "?p",
        "?o",
        "WHERE",
        "{",
        "}",
        "(",
        ")",
        ".",
        "FILTER",
        "OPTIONAL",
        "UNION",
        "MINUS",
        "VALUES",
        "GRAPH",
        "SERVICE",
        "<http://e/x>",
        '"a"',
        "1",
        "LIMIT",
        "ORDER BY",
        "GROUP BY",
        "COUNT(*)",
        "AS",
        "BIND",
        "EXISTS",
        "NOT",
        "!",
        "|",
        "^",
        "/",
        "+",
        "*",
        "#",
        "\\u0041",
        "PREFIX",
        "e:",
        "<",
        ">",
        "FROM",
        "NAMED",
        "LOAD",
        "INSERT DATA",
        "a",
        ";",
        ",",
    ]
)


@FUZZ
@given(pieces=st.lists(SPARQL_PIECES, max_size=25), form=st.booleans())
def test_any_query_text_is_never_a_server_error(
    embedded_client: FlaskClient, pieces: list[str], form: bool
) -> None:
    query = " ".join(pieces)
    if form:
        r = embedded_client.post("/sparql", data={"query": query})
    else:
        r = embedded_client.get("/sparql", query_string={"query": query})
    _ok(r, query)


@pytest.mark.parametrize("name", ["query", "default-graph-uri", "format", "lang", "page"])
@FUZZ
@given(value=st.text(max_size=60))
def test_any_parameter_value_is_never_a_server_error(
    embedded_client: FlaskClient, name: str, value: str
) -> None:
    r = embedded_client.get("/sparql", query_string={"query": "ASK {}", name: value})
    _ok(r, f"{name}={value!r}")
