"""Operations and security headers (issue 6 §2, §4): /healthz, Content-Security-Policy,
nosniff, Referrer-Policy on answers, and a request log that names request id, route,
status, duration and query hash, never the client's address."""

from __future__ import annotations

import hashlib
import logging

import pytest
from flask.testing import FlaskClient


def test_healthz_says_the_process_is_up(client: FlaskClient) -> None:
    r = client.get("/healthz")
    assert r.status_code == 200 and r.get_json() == {"status": "up"}
    # the state of this process now: never kept by a cache (found by the new-user review:
    # it said `public, max-age=60`, so a proxy could answer "up" for a dead process)
    assert r.headers["Cache-Control"] == "no-store" and "ETag" not in r.headers


@pytest.mark.parametrize("path", ["/", "/page/organization/alice", "/sparql", "/nope"])
def test_html_allows_only_our_own_scripts(client: FlaskClient, path: str) -> None:
    """CSP (W3C CSP Level 3): scripts from this origin only, no inline script, no
    plugins, no framing; on every HTML answer, error pages included."""
    r = client.get(path, headers={"Accept": "text/html"})
    assert r.mimetype == "text/html"
    csp = r.headers["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "'unsafe-inline'" not in csp.split("style-src")[0]
    assert "object-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_data_answers_carry_nosniff_and_no_csp(client: FlaskClient) -> None:
    r = client.get("/data/organization/alice.ttl")
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" not in r.headers


def test_the_request_log_names_route_status_duration_and_query_hash(
    client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    query = "ASK { ?s ?p ?o }"
    with caplog.at_level(logging.INFO, logger="cnamkg.web"):
        client.get(
            "/sparql",
            query_string={"query": query},
            headers={"Accept": "application/sparql-results+json", "X-Request-Id": "abc123"},
            environ_base={"REMOTE_ADDR": "203.0.113.7"},
        )
    line = next(m for m in caplog.messages if m.startswith("request id=abc123"))
    digest = hashlib.sha256(query.encode()).hexdigest()[:12]
    assert "route=/sparql" in line and "status=200" in line and f"query={digest}" in line
    assert " ms=" in line and "203.0.113.7" not in line
