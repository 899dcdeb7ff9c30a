"""The public query policy (cnamkg.query.guard): SERVICE refused before evaluation
(SPARQL 1.1 Query §21; field case BUG-21), codepoint escapes decoded first (§19.2;
BUG-25), dataset clauses detected (§13.2)."""

from __future__ import annotations

import pytest

from cnamkg.errors import QueryRefused
from cnamkg.query.guard import check_query, keywords


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
        "select * where { service silent <http://10.0.0.1/> { ?s ?p ?o } }",
        "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
        "SELECT * WHERE { SERVICE ?endpoint { ?s ?p ?o } }",
        "SELECT * WHERE {\n  Service\t<file:///etc/hostname> { ?s ?p ?o } }",
        # found by the break-it review: a triple-ending dot glued to the keyword
        "SELECT * WHERE { BIND(1 AS ?a) .SERVICE <http://127.0.0.1:9/x> {} }",
        # an escaped quote in a prefixed name is not the start of a string
        "PREFIX ex: <http://e/> SELECT * WHERE { { ?s ?p ex:a\\' } UNION { SERVICE <http://127.0.0.1:9/> { ?x ?y ?z } } FILTER(?x != 'q') }",
        "SELECT * WHERE { ?s ?p ?o }SERVICE<http://127.0.0.1:9/>{}",
    ],
)
def test_service_is_refused(query: str) -> None:
    with pytest.raises(QueryRefused, match="SERVICE"):
        check_query(query, max_bytes=100_000)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?service WHERE { ?service ?p ?o }",
        "PREFIX ex: <http://e/> SELECT * WHERE { ?s ex:service ?o }",
        'SELECT * WHERE { ?s ?p "SERVICE <http://x/>" }',
        'SELECT * WHERE { ?s ?p ?o FILTER(?o != "x"@service) }',
        "SELECT * WHERE { ?s ?p <http://e/SERVICE> } # SERVICE <http://x/>",
        "SELECT * WHERE { ?s ?p ?o FILTER(?o = '''multi\nSERVICE''') }",
    ],
)
def test_service_as_a_name_or_in_text_is_allowed(query: str) -> None:
    check_query(query, max_bytes=100_000)  # does not raise


def test_long_query_is_refused_with_the_limit() -> None:
    with pytest.raises(QueryRefused, match="at most 50"):
        check_query("SELECT * WHERE { ?s ?p ?o }" + " " * 100, max_bytes=50)


def test_keywords_text_blanks_strings_iris_and_comments() -> None:
    words = keywords('SELECT * WHERE { ?s <http://a#SERVICE> "x # FROM" } # SERVICE')
    assert words == ["SELECT", "WHERE"]


@pytest.mark.parametrize("quote", ['"', "'"])
def test_an_escaped_backslash_cannot_hide_service(quote: str) -> None:
    """Oxigraph reads ``"a\\u005C"`` as a whole string; a decode-first reading sees an
    escaped quote. Either reading must find the SERVICE that follows."""
    q = f"SELECT * WHERE {{ BIND({quote}a\\u005C{quote} AS ?x) SERVICE <http://127.0.0.1:9/> {{ }} BIND({quote}b{quote} AS ?y) }}"
    with pytest.raises(QueryRefused):
        check_query(q, max_bytes=100_000)


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }",
        "PREFIX e: <http://e/> DELETE WHERE { ?s e:p ?o }",
        "LOAD <http://127.0.0.1:9/x.ttl>",
        "clear all",
        "DROP GRAPH <urn:g>",
        "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    ],
)
def test_updates_are_refused_as_read_only(update: str) -> None:
    with pytest.raises(QueryRefused, match="read-only"):
        check_query(update, max_bytes=100_000)


def test_deep_nesting_is_refused_before_the_parser() -> None:
    """Oxigraph's parser overflows its stack (and kills the worker) on a few thousand
    nested groups; the guard refuses past ``max_depth``, counting only real brackets."""
    deep = "ASK {" + "{" * 150 + "}" * 150 + "}"
    with pytest.raises(QueryRefused, match="151 levels"):
        check_query(deep, max_bytes=100_000, max_depth=100)
    ok = (
        "ASK {"
        + "{" * 50
        + "}" * 50
        + "} # {{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{"
    )
    check_query(ok + ' FILTER("(((((")', max_bytes=100_000, max_depth=100)  # does not raise


@pytest.mark.parametrize(
    "run",
    [
        "é" * 49_000,
        "a-" * 24_000,
        "a." * 24_000,
        "1." * 24_000,
        "<" * 48_000,
        "?" * 48_000,
        # strings that never close (field report: 60 KB of "\ held a worker 120 s)
        '"\\' * 24_000,
        "'\\" * 24_000,
        '\\"' * 24_000,
    ],
)
def test_long_runs_are_read_in_one_pass_and_still_checked(run: str) -> None:
    """Field report: 49,000 « é » (98 KB, under the size limit) kept a worker busy for
    minutes, because a single regular expression retried a prefixed name at every
    character of the run. Each run is now read once; what follows it is still checked."""
    check_query(f"ASK {{ {run} }}", max_bytes=100_000)  # accepted: the parser judges it
    # an unclosed short string ends at the end of its line: the next line is checked
    with pytest.raises(QueryRefused, match="SERVICE"):
        check_query(f"ASK {{ {run}\nSERVICE <http://127.0.0.1/> {{}} }}", max_bytes=100_000)
    if not run.endswith("?") and '"' not in run and "'" not in run:
        # glued to the run ("?SERVICE" would be a variable; in an unclosed string the
        # rest of the line is string, and such a query does not parse)
        with pytest.raises(QueryRefused, match="SERVICE"):
            check_query(f"ASK {{ {run}SERVICE:x ?p ?o }}", max_bytes=100_000)


def test_a_chain_of_nots_counts_as_nesting() -> None:
    """Field report: 20,000 « ! » crashed the evaluator; a chain nests one level per « ! »
    (SPARQL 1.1 Query §17.4.1.1), so it is refused before evaluation like deep groups."""
    with pytest.raises(QueryRefused, match="nesting is 20002 levels"):
        check_query("ASK { FILTER(" + "!" * 20_000 + "true) }", max_bytes=100_000)
    check_query("ASK { FILTER(!!true && !false) }", max_bytes=100_000)  # ordinary use
    with pytest.raises(QueryRefused, match="nesting is 103 levels"):
        # { ( and 101 « ! »: 103 levels
        check_query("ASK { FILTER(" + "!" * 101 + "true) }", max_bytes=100_000, max_depth=100)
