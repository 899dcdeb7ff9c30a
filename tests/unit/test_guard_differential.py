"""The SERVICE guard against Oxigraph itself: for many ways of writing the tokens before
``SERVICE`` (numbers, booleans, tags, datatypes, prefixed names, escapes, comments — the
glue that hid SERVICE from earlier versions of the guard), whenever Oxigraph would
evaluate the SERVICE clause, the guard must have refused the query first.

The SERVICE IRI uses port 9 (discard), for which Oxigraph's HTTP client refuses before
any connection is made, so the test sends nothing (SPARQL 1.1 Query §21)."""

from __future__ import annotations

import itertools

import pyoxigraph as ox
import pytest

from cnamkg.errors import QueryRefused
from cnamkg.query.guard import check_query

E = "http://e/"
OBJECTS = [
    "true",
    "false",
    "1e5",
    "1E5",
    "1.e5",
    ".5e1",
    "1.",
    "1.5",
    "1",
    '"x"@en',
    '"x"@en-GB',
    '"x"^^<http://e/d>',
    '"x"',
    "'x'",
    '"""x"""',
    "'''x'''",
    "?o",
    "ex:",
    "ex:a",
    "<http://e/o>",
    "<http://e/\\u006F>",
    '"\\u0078"',
]
GLUES = ["", " ", ".", " . ", "\n", "#c\n", "#c\r", ";", ")"]
PROLOGUES = [
    "",
    'BIND("\\u005C" AS ?x) ',
    "BIND(<http://x/\\u0041#> AS ?y) ",
    "BIND('\\u0027' AS ?x) ",
    "FILTER(1<2) ",
]
TAILS = ["", ' #"', " # '''", " #>"]


@pytest.fixture(scope="module")
def store() -> ox.Store:
    s = ox.Store()
    subject, predicate = ox.NamedNode(E + "s"), ox.NamedNode(E + "p")
    for o in [
        ox.Literal(True),
        ox.Literal(False),
        ox.Literal(1e5),
        ox.Literal(5.0),
        ox.Literal(1),
        ox.Literal("1.5", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")),
        ox.Literal("1.0", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")),
        ox.Literal("x", language="en"),
        ox.Literal("x", language="en-gb"),
        ox.Literal("x", datatype=ox.NamedNode(E + "d")),
        ox.Literal("x"),
        ox.NamedNode(E),
        ox.NamedNode(E + "a"),
        ox.NamedNode(E + "o"),
        ox.Literal(-1),
    ]:
        s.add(ox.Quad(subject, predicate, o))
    return s


def reaches_service(store: ox.Store, query: str) -> bool:
    try:
        result = store.query(query)
        if not isinstance(result, ox.QueryBoolean):
            list(result)
    except SyntaxError:
        return False
    except OSError as exc:
        assert "port 9" in str(exc), exc
        return True
    return False


def test_guard_refuses_every_query_that_would_reach_service(store: ox.Store) -> None:
    reached = 0
    for prologue, obj, glue, tail in itertools.product(PROLOGUES, OBJECTS, GLUES, TAILS):
        query = (
            f"PREFIX ex: <{E}> SELECT * WHERE {{ {prologue}?s ?p {obj}{glue}"
            f"SERVICE <http://127.0.0.1:9/> {{ }} }}{tail}"
        )
        if reaches_service(store, query):
            reached += 1
            with pytest.raises(QueryRefused):
                check_query(query, max_bytes=100_000)
    # the harness really exercises SERVICE (it could not fail otherwise)
    assert reached > 100


ENDPOINTS = ["<http://127.0.0.1:9/>", ":x", ":", "p:x", "?x", "$x"]
SPELLINGS = ["SERVICE", "service", "SeRvIcE"]
CONTEXTS = ["", ".", "FILTER(1<2)", "FILTER(1<=2)", "BIND(1<2AS?y)", "FILTER(?x<?x)", "?a ?b ?c."]
SEPARATORS = ["", " ", "\n"]
ENDINGS = ["", "#>\n", ' #"\n', "#>\r"]


def test_guard_refuses_glued_and_backtracked_forms(store: ox.Store) -> None:
    """Forms found by the third review: prefixed-name endpoints glued to the keyword
    (``SERVICE:x``), a ``<`` comparison that reads like an IRI up to a ``#>`` comment,
    and variable endpoints bound through LATERAL."""
    reached = 0
    for context, spelling, sep, endpoint, ending in itertools.product(
        CONTEXTS, SPELLINGS, SEPARATORS, ENDPOINTS, ENDINGS
    ):
        query = (
            "PREFIX : <http://127.0.0.1:9/> PREFIX p: <http://127.0.0.1:9/> "
            "SELECT * WHERE { VALUES ?x { <http://127.0.0.1:9/> } ?a ?b ?c "
            f"LATERAL {{ {context}{spelling}{sep}{endpoint}{ending}{{ }} }} }}"
        )
        if reaches_service(store, query):
            reached += 1
            with pytest.raises(QueryRefused):
                check_query(query, max_bytes=100_000)
    assert reached > 100


@pytest.mark.parametrize(
    "query",
    [
        # a path modifier '?' then a negative number: not a variable named "-1SERVICE"
        "SELECT * WHERE { ?s <http://e/p>?-1SERVICE <http://127.0.0.1:9/>{} }",
        "PREFIX ex: <http://e/> SELECT * WHERE { ?s ex:p?-1SERVICE <http://127.0.0.1:9/> {} }",
        "PREFIX : <http://127.0.0.1:9/> SELECT * WHERE { SERVICE:x{} }",
        "PREFIX p: <http://127.0.0.1:9/> SELECT * WHERE { servicep:x {} }",
        "BASE <http://127.0.0.1:9/> PREFIX : <> SELECT * WHERE { SERVICE:{} }",
        "PREFIX : <http://127.0.0.1:\\u0039/> SELECT * WHERE { SERVICE:{} }",
    ],
)
def test_known_bypasses_reach_service_and_are_refused(store: ox.Store, query: str) -> None:
    assert reaches_service(store, query), "the form must really reach SERVICE in Oxigraph"
    with pytest.raises(QueryRefused):
        check_query(query, max_bytes=100_000)
