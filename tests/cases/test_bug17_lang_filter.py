"""BUG-17 · i18n · comparing language-tagged literals in FILTER.

Source: https://github.com/comunica/comunica/issues/1146 (related:
https://github.com/ontop/ontop/issues/178).

Specs: SPARQL 1.1 Query §17.4.1.7 (RDFterm-equal), §17.4.2.6 (LANG), §17.4.3.13
(langMatches, RFC 4647 §3.3.1 basic filtering). On ``"Lommel"@nl``:
(a) ``?n = "Lommel"@nl`` → 1 row; (b) ``str()``+``lang()`` → 1; (c) ``?n = "Lommel"`` →
0 rows and no error; (d) ``langMatches(lang(?n), "NL")`` → 1; (e) ``langMatches(…, "*")`` → 1.

The literal is added to the data (``place/lommel ex:name "Lommel"@nl``) by this module;
the same filters also run over a ``VALUES`` binding.
"""

from __future__ import annotations

import pytest
from casekit import ID, app_with_extra, bindings

LOMMEL = f"{ID}place/lommel"
EXTRA = (
    f"""<{LOMMEL}> <http://example.org/vocab#name> "Lommel"@nl , "Lommel-BE"@nl-BE , "plain" ."""
)

CASES = {
    "a-equal-tagged": ('?n = "Lommel"@nl', 1),
    "b-str-and-lang": ('str(?n) = "Lommel" && lang(?n) = "nl"', 1),
    "c-equal-simple": ('?n = "Lommel"', 0),
    "d-langmatches-uppercase": ('langMatches(lang(?n), "NL")', 1),
    "e-langmatches-star": ('langMatches(lang(?n), "*")', 1),
    "f-equal-uppercase-tag": ('?n = "Lommel"@NL', 1),
    "g-sameterm": ('sameTerm(?n, "Lommel"@nl)', 1),
    "h-other-language": ('?n = "Lommel"@en', 0),
    "i-xsd-string": ('?n = "Lommel"^^<http://www.w3.org/2001/XMLSchema#string>', 0),
}


@pytest.fixture(scope="module")
def xclient(tmp_path_factory):
    return app_with_extra(tmp_path_factory.mktemp("bug17"), EXTRA).test_client()


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", CASES)
def test_filter_on_stored_literal(xclient, name, method):
    expr, expected = CASES[name]
    q = (
        f"SELECT ?n WHERE {{ <{LOMMEL}> <http://example.org/vocab#name> ?n "
        f'FILTER(str(?n) = "Lommel") FILTER({expr}) }}'
    )
    rows = bindings(xclient, q, method)
    assert len(rows) == expected
    for row in rows:
        assert row["n"] == {"type": "literal", "value": "Lommel", "xml:lang": "nl"}


@pytest.mark.parametrize("name", CASES)
def test_filter_on_values_literal(client, name):
    expr, expected = CASES[name]
    rows = bindings(client, f'SELECT ?n WHERE {{ VALUES ?n {{ "Lommel"@nl }} FILTER({expr}) }}')
    assert len(rows) == expected


def test_basic_filtering_prefix_match(xclient):
    """RFC 4647 §3.3.1: range "nl" matches "nl-BE"; range "nl-BE" does not match "nl"."""
    q = (
        f"SELECT ?n WHERE {{ <{LOMMEL}> <http://example.org/vocab#name> ?n "
        f'FILTER(langMatches(lang(?n), "nl")) }} ORDER BY ?n'
    )
    assert [r["n"]["value"] for r in bindings(xclient, q)] == ["Lommel", "Lommel-BE"]
    q = (
        f"SELECT ?n WHERE {{ <{LOMMEL}> <http://example.org/vocab#name> ?n "
        f'FILTER(langMatches(lang(?n), "nl-be")) }}'
    )
    assert [r["n"]["value"] for r in bindings(xclient, q)] == ["Lommel-BE"]


def test_star_does_not_match_untagged(xclient):
    q = (
        f"SELECT ?n WHERE {{ <{LOMMEL}> <http://example.org/vocab#name> ?n "
        f'FILTER(!langMatches(lang(?n), "*")) }}'
    )
    assert [r["n"]["value"] for r in bindings(xclient, q)] == ["plain"]


def test_lang_of_tagged_literal(xclient):
    q = (
        f"SELECT (lang(?n) AS ?t) WHERE {{ <{LOMMEL}> <http://example.org/vocab#name> ?n }} "
        "ORDER BY ?t"
    )
    assert [r["t"]["value"] for r in bindings(xclient, q)] == ["", "nl", "nl-be"]


def test_pattern_with_tagged_constant(xclient):
    q = 'SELECT ?s WHERE { ?s <http://example.org/vocab#name> "Lommel"@nl }'
    assert [r["s"]["value"] for r in bindings(xclient, q)] == [LOMMEL]
    q = 'SELECT ?s WHERE { ?s <http://example.org/vocab#name> "Lommel" }'
    assert bindings(xclient, q) == []
