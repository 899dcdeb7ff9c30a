"""BUG-21 · security · SSRF through SERVICE.

Source: https://github.com/eclipse-rdf4j/rdf4j/issues/5990,
https://github.com/ProfessionalWiki/NeoWiki/issues/1264.

Specs: SPARQL 1.1 Federated Query §2.4 (service execution failure) and its security
considerations; SPARQL 1.1 Query §21 (Security Considerations) and §19.2 (codepoint
escapes are processed before parsing); SPARQL 1.1 Protocol §2.1.7 (failure responses).
Federation is off: every SERVICE query gets a prompt 400 naming the policy, the loopback
listener sees no connection, no file content or internal error text is returned, and
``SILENT`` changes nothing. ``?service`` / ``ex:service`` / strings are not refused.

Note: pyoxigraph evaluates ``SERVICE`` by sending an HTTP POST to the IRI, so the
endpoint's lexical guard (``cnamkg.query.guard``) is the only barrier.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from casekit import Listener, bindings


@pytest.fixture
def listener():
    lst = Listener()
    yield lst
    lst.close()


def _service_queries(url: str) -> dict[str, str]:
    return {
        "a-loopback": f"SELECT * WHERE {{ SERVICE <{url}/probe> {{ ?s ?p ?o }} }}",
        "b-metadata": "SELECT * WHERE { SERVICE <http://169.254.169.254/latest/meta-data/> { ?s ?p ?o } }",
        "c-file": "SELECT * WHERE { SERVICE <file:///etc/hostname> { ?s ?p ?o } }",
        "d-silent": "SELECT * WHERE { SERVICE SILENT <http://10.255.255.1:22/> { ?s ?p ?o } }",
        "d2-silent-loopback": f"SELECT * WHERE {{ SERVICE SILENT <{url}/silent> {{ ?s ?p ?o }} }}",
        "e-self-loop": "SELECT * WHERE { SERVICE <http://127.0.0.1:5000/sparql> { ?s ?p ?o } }",
        "lowercase": f"select * where {{ service <{url}/lower> {{ ?s ?p ?o }} }}",
        "mixed-case": f"SELECT * WHERE {{ SeRvIcE <{url}/mixed> {{ ?s ?p ?o }} }}",
        "u-escape": f"SELECT * WHERE {{ \\u0053ERVICE <{url}/u> {{ ?s ?p ?o }} }}",
        "u-escape-middle": f"SELECT * WHERE {{ SERV\\u0049CE <{url}/u2> {{ ?s ?p ?o }} }}",
        "U-escape": f"SELECT * WHERE {{ \\U00000053ERVICE <{url}/U> {{ ?s ?p ?o }} }}",
        "no-space": f"SELECT * WHERE {{ ?s ?p ?o . SERVICE<{url}/ns>{{ ?s ?p ?o }} }}",
        "variable-endpoint": f"SELECT * WHERE {{ BIND(<{url}/v> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
        "in-optional": f"SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ SERVICE <{url}/opt> {{ ?s ?p ?x }} }} }}",
        "in-subquery": f"SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{url}/sub> {{ ?a ?b ?c }} }} }} }}",
        "in-exists": f"SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{url}/ex> {{ ?s ?p ?o }} }} }}",
        "construct": f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}/c> {{ ?s ?p ?o }} }}",
        "ask": f"ASK {{ SERVICE <{url}/ask> {{ ?s ?p ?o }} }}",
        "newline-after-comment": f"SELECT * WHERE {{ ?s ?p ?o # c\nSERVICE <{url}/nl> {{ ?s ?p ?o }} }}",
        # SPARQL 1.1 Query §19.2 (and rdflib, the memory store) decode escapes before
        # reading: the escaped newline ends the comment (found by the break-it review)
        "escaped-newline-in-comment": (
            f"SELECT * WHERE {{ BIND(1 AS ?x) # \\u000a SERVICE <{url}/c2> {{ ?a ?b ?c }}\n}}"
        ),
        "escaped-newline-in-comment-U": (
            f"SELECT * WHERE {{ BIND(1 AS ?x) # \\U0000000A SERVICE <{url}/c3> {{ ?a ?b ?c }}\n}}"
        ),
    }


NAMES = list(_service_queries("http://x").keys())


def _send(client, query, method):
    if method == "get":
        return client.get("/sparql", query_string={"query": query})
    if method == "direct":
        return client.post("/sparql", data=query.encode(), content_type="application/sparql-query")
    return client.post("/sparql", data={"query": query})


def _assert_refused(r):
    assert r.status_code == 400, r.get_data(as_text=True)
    assert r.mimetype == "text/plain"
    text = r.get_data(as_text=True)
    assert "SERVICE" in text
    assert "Traceback" not in text and "Internal" not in text


@pytest.mark.parametrize("method", ["form", "get", "direct"])
@pytest.mark.parametrize("name", NAMES)
def test_service_is_refused_without_connection(client, listener, name, method):
    r = _send(client, _service_queries(listener.url)[name], method)
    _assert_refused(r)
    assert listener.seen() == []


def test_file_service_leaks_nothing(client, listener):
    try:
        hostname = Path("/etc/hostname").read_text(encoding="utf-8").strip()
    except OSError:
        hostname = ""
    r = _send(client, _service_queries(listener.url)["c-file"], "form")
    _assert_refused(r)
    if hostname:
        assert hostname not in r.get_data(as_text=True)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?service WHERE { ?service ?p ?o } LIMIT 1",
        "SELECT $service WHERE { $service ?p ?o } LIMIT 1",
        "PREFIX ex: <http://example.org/vocab#> SELECT * WHERE { ?s ex:service ?o }",
        "PREFIX ex: <http://example.org/vocab#> SELECT * WHERE { ?s ex:SERVICE ?o }",
        'SELECT * WHERE { ?s ?p "SERVICE <http://127.0.0.1:9/> { }" }',
        "SELECT * WHERE { ?s <http://example.org/SERVICE> ?o }",
        "SELECT * WHERE { ?s ?p ?o } LIMIT 1 # SERVICE <http://127.0.0.1:9/>",
        "SELECT (1 AS ?services) WHERE {}",
    ],
)
def test_service_as_a_name_is_not_refused(client, listener, query):
    bindings(client, query)
    assert listener.seen() == []


def test_a_prefix_named_service_is_refused_on_purpose(client, listener):
    """Oxigraph backtracks from a failed ``SERVICE:x`` triple to ``SERVICE :x``, so the
    guard cannot tell a prefix named ``service`` from the keyword: such a prefix is
    refused (documented trade-off), with the policy message."""
    q = "PREFIX service: <http://example.org/vocab#> SELECT * WHERE { ?s service:knows ?o }"
    r = client.post("/sparql", data={"query": q})
    assert r.status_code == 400 and "SERVICE" in r.get_data(as_text=True)
    assert listener.seen() == []


# Regression (SSRF bypass): a guard that decodes \u005C before blanking strings sees one
# long string hiding SERVICE, while pyoxigraph reads "a\u005C" as a complete string and
# POSTs to the SERVICE IRI.
@pytest.mark.parametrize("quote", ['"', "'"])
def test_backslash_escape_cannot_hide_service(client, listener, quote):
    q = (
        f"SELECT * WHERE {{ BIND({quote}a\\u005C{quote} AS ?x) "
        f"SERVICE <{listener.url}/hidden> {{ ?s ?p ?o }} BIND({quote}b{quote} AS ?y) }}"
    )
    r = _send(client, q, "form")
    assert listener.seen() == []
    assert r.status_code == 400
