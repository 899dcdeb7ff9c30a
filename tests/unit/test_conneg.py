"""Content negotiation over werkzeug's Accept parser (RFC 9110 §12.5.1)."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from cnamkg.representation import formats as F
from cnamkg.representation.conneg import NotAcceptable, negotiate

PAGE_OFFERS = (F.HTML, *F.RDF_FORMATS)


def accept(header: str) -> MIMEAccept:
    return parse_accept_header(header, MIMEAccept)


@pytest.mark.parametrize(
    ("header", "offers", "expected"),
    [
        ("text/html, application/xhtml+xml, image/jxr, */*", PAGE_OFFERS, F.HTML),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", PAGE_OFFERS, F.HTML),
        ("text/turtle", PAGE_OFFERS, F.TURTLE),
        ("application/x-turtle", PAGE_OFFERS, F.TURTLE),
        # rdflib format="nt": the pre-RDF 1.1 N-Triples type first, anything at q=0.1
        ("text/plain, */*;q=0.1", PAGE_OFFERS, F.N_TRIPLES),
        # a JSON client on an entity IRI: JSON-LD is JSON (JSON-LD 1.1 §9.1)
        ("application/json", PAGE_OFFERS, F.JSON_LD),
        # a wildcard does not reach a format through its alias (field report)
        ("application/*", PAGE_OFFERS, F.JSON_LD),
        ("application/ld+json;q=0.5, text/turtle;q=0.9", PAGE_OFFERS, F.TURTLE),
        ("application/rdf+xml", PAGE_OFFERS, F.RDF_XML),
        ("application/n-triples", PAGE_OFFERS, F.N_TRIPLES),
        ("*/*", PAGE_OFFERS, F.HTML),
        ("", PAGE_OFFERS, F.HTML),
        ("text/*", F.RESULTS_FORMATS, F.RESULTS_CSV),
        ("application/json", F.RESULTS_FORMATS, F.RESULTS_JSON),
        ("application/sparql-results+xml, application/rdf+xml", F.RDF_FORMATS, F.RDF_XML),
        # parameters do not prevent a match (found by the break-it review)
        ("text/turtle; charset=utf-8", PAGE_OFFERS, F.TURTLE),
        (
            'application/ld+json; profile="http://www.w3.org/ns/json-ld#compacted"',
            PAGE_OFFERS,
            F.JSON_LD,
        ),
        ("text/html; charset=utf-8", PAGE_OFFERS, F.HTML),
        ("application/sparql-results+json; charset=utf-8", F.RESULTS_FORMATS, F.RESULTS_JSON),
        ("text/turtle;q=0.2, application/rdf+xml;charset=utf-8;q=0.9", PAGE_OFFERS, F.RDF_XML),
    ],
)
def test_negotiate(header: str, offers: tuple[F.Format, ...], expected: F.Format) -> None:
    assert negotiate(accept(header), offers) == expected


def test_nothing_acceptable_lists_the_offers() -> None:
    with pytest.raises(NotAcceptable) as info:
        negotiate(accept("image/png"), F.RDF_FORMATS)
    text = info.value.describe()
    for f in F.RDF_FORMATS:
        assert f.media_type in text
