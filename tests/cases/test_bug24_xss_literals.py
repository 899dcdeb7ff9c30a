"""BUG-24 · security · XSS through literal values.

Source: https://github.com/blazegraph/database/issues/144 (related:
https://github.com/Triply-Dev/YASGUI.YASR-deprecated/issues/83,
https://github.com/apache/jena/pull/125, https://github.com/TriplyDB/Yasgui/issues/221).

Specs: HTML Living Standard, escaping in the HTML fragment serialization algorithm and
"restrictions on the contents of raw text elements" (script). All text is escaped,
attribute values are quoted and escaped (the ``'`` in ``o'neil`` cannot close an
attribute), only http/https values become links (``javascript:`` is shown as text), and
JSON-LD embedded in ``<script>`` cannot contain ``</script>``.

Fixture: ``organization/mallory`` (label ``<script>…``, ``javascript:`` homepage and
link, ``</script><img …>`` bio, ``seeAlso`` an IRI with a quote).
"""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest

MALLORY_PAGE = "/page/organization/mallory"
RAW_ATTACKS = (
    "<script>alert",
    "<img src=x onerror",
    'href="javascript:',
    "href='javascript:",
    "<img ",
)
SAFE_SCHEMES = ("http://", "https://", "/", "?", "#")


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._in_script: dict[str, str | None] | None = None
        self._script_text: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.elements.append((tag, a))
        if tag == "script":
            self._in_script, self._script_text = a, []

    def handle_endtag(self, tag):
        if tag == "script" and self._in_script is not None:
            self.scripts.append((self._in_script, "".join(self._script_text)))
            self._in_script = None

    def handle_data(self, data):
        if self._in_script is not None:
            self._script_text.append(data)
        else:
            self.text.append(data)


def _parse(html: str) -> _Collector:
    p = _Collector()
    p.feed(html)
    p.close()
    return p


def _assert_safe(html: str) -> _Collector:
    for attack in RAW_ATTACKS:
        assert attack not in html, attack
    doc = _parse(html)
    for tag, attrs in doc.elements:
        assert tag not in ("img", "iframe", "object", "embed"), tag
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            if name in ("href", "src", "action", "formaction") and value is not None:
                assert value.startswith(SAFE_SCHEMES), (tag, name, value)
    for attrs, body in doc.scripts:
        if attrs.get("src"):
            # code only from our own static files
            assert attrs["src"].startswith("/assets/") and not body.strip(), attrs
            continue
        # only data blocks (JSON-LD, the editor's JSON config) may be inline, and they
        # cannot end early
        assert attrs.get("type") in ("application/ld+json", "application/json"), attrs
        assert "</" not in body and "<script" not in body.lower()
        json.loads(body)
    return doc


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_entity_page_escapes_everything(client, lang):
    r = client.get(MALLORY_PAGE, query_string={"lang": lang})
    assert r.status_code == 200 and r.mimetype == "text/html"
    html = r.get_data(as_text=True)
    doc = _assert_safe(html)
    text = "".join(doc.text)
    if lang == "en":
        assert "&lt;script&gt;alert(document.domain)&lt;/script&gt;" in html
        assert "<script>alert(document.domain)</script>" in text  # shown as text
    assert "</script><img src=x onerror=alert(2)>" in text
    assert "javascript:alert(1)" in text and "javascript:alert(3)" in text


def test_identifier_html_followed(client):
    r = client.get(
        "/id/organization/mallory", headers={"Accept": "text/html"}, follow_redirects=True
    )
    assert r.status_code == 200
    _assert_safe(r.get_data(as_text=True))


def test_quote_in_iri_cannot_close_attribute(client):
    html = client.get(MALLORY_PAGE, query_string={"lang": "en"}).get_data(as_text=True)
    doc = _parse(html)
    oneil = "https://w3id.org/cnamkg/id/organization/o'neil"
    links = [a for tag, a in doc.elements if tag == "a" and a.get("href") == oneil]
    assert links, "the seeAlso link keeps its full IRI as one attribute value"
    for a in links:
        assert set(a) <= {"href", "title", "hreflang", "lang", "type", "rel", "class"}
    assert "href='https://w3id.org/cnamkg/id/organization/o'neil'" not in html


def test_javascript_values_are_not_links(client):
    doc = _parse(client.get(MALLORY_PAGE).get_data(as_text=True))
    hrefs = [a.get("href") or "" for tag, a in doc.elements if tag == "a"]
    assert not any(h.strip().lower().startswith("javascript:") for h in hrefs)


def test_sparql_html_results_table_escapes_labels(client):
    q = "SELECT ?s ?p ?l WHERE { ?s ?p ?l FILTER(?s = <https://w3id.org/cnamkg/id/organization/mallory>) }"
    r = client.get("/sparql", query_string={"query": q}, headers={"Accept": "text/html"})
    assert r.status_code == 200 and r.mimetype == "text/html"
    html = r.get_data(as_text=True)
    doc = _assert_safe(html)
    text = "".join(doc.text)
    assert "<script>alert(document.domain)</script>" in text
    assert "</script><img src=x onerror=alert(2)>" in text


def test_sparql_html_label_query_from_case(client):
    q = "SELECT ?l WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l }"
    r = client.post("/sparql", data={"query": q}, headers={"Accept": "text/html"})
    assert r.status_code == 200 and r.mimetype == "text/html"
    _assert_safe(r.get_data(as_text=True))


def test_query_text_echo_is_escaped(client):
    q = "SELECT * WHERE { ?s ?p ?o } LIMIT 1 # </textarea><script>alert(4)</script>"
    r = client.get("/sparql", query_string={"query": q}, headers={"Accept": "text/html"})
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    _assert_safe(html)
    assert "</textarea><script>" not in html


def test_html_boolean_result_with_hostile_query(client):
    q = 'ASK { ?s ?p "<script>alert(5)</script>" }'
    r = client.get("/sparql", query_string={"query": q}, headers={"Accept": "text/html"})
    assert r.status_code == 200
    _assert_safe(r.get_data(as_text=True))


def test_malformed_query_error_page_escapes_the_query(client):
    """A browser gets its query back beside the parser's message, both escaped."""
    q = "SELECT <script>alert(6)</script>"
    r = client.get("/sparql", query_string={"query": q}, headers={"Accept": "text/html"})
    assert r.status_code == 400
    assert r.mimetype == "text/html"
    assert r.headers.get("X-Content-Type-Options") == "nosniff"
    html = r.get_data(as_text=True)
    _assert_safe(html)
    assert "SELECT &lt;script&gt;alert(6)&lt;/script&gt;" in html
    assert 'class="error"' in html


def test_malformed_query_error_for_machines_is_plain_text(client):
    r = client.get(
        "/sparql",
        query_string={"query": "SELECT <script>"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert r.status_code == 400
    assert r.mimetype == "text/plain"


@pytest.mark.parametrize("path", ["/", "/organization", "/?lang=en", "/organization?lang=en"])
def test_lists_escape_labels(client, path):
    r = client.get(path)
    assert r.status_code == 200
    _assert_safe(r.get_data(as_text=True))


def test_lang_parameter_is_not_reflected_raw(client):
    r = client.get(MALLORY_PAGE, query_string={"lang": '"><script>alert(7)</script>'})
    assert r.status_code == 200
    _assert_safe(r.get_data(as_text=True))
