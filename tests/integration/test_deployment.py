"""Production deployment (issue 6 §4, README "In production").

Behind a reverse proxy on the same machine, the proxy's ``X-Forwarded-Proto`` makes
every absolute link ``https`` (gunicorn trusts it from loopback only), while the IRIs in
RDF stay canonical.

Graceful shutdown: SIGTERM to `cnamkg serve` lets the requests in
flight finish with their whole answer, then every process of the server exits with
status 0 — gunicorn's graceful stop, with ``CNAMKG_GRACEFUL_TIMEOUT_S`` as its bound.

The request in flight is made deterministic: its body is sent in two halves, SIGTERM
arriving between them, so the worker is inside the app (reading the body) when the
signal comes.
"""

from __future__ import annotations

import http.client
import json
import signal
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import quote

import pytest
import requests
from procs import children, cmdline

from conftest import CNAMKG, REPO_ROOT, cli_env, free_port, run_cli


def _start(store: Path, port: int, log: Path, **env: str) -> subprocess.Popen[bytes]:
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [*CNAMKG, "serve", "--port", str(port), "--workers", "2"],
            cwd=REPO_ROOT,
            env=cli_env(CNAMKG_STORE=f"oxigraph:{store}", **env),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/readyz", timeout=2).ok:
                return proc
        except requests.ConnectionError:
            pass
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    proc.kill()
    pytest.fail(f"cnamkg serve did not start: {log.read_text()}")


def _descendants(pid: str) -> list[str]:
    found = []
    todo = [pid]
    while todo:
        for child in children(todo.pop()):
            found.append(child)
            todo.append(child)
    return found


def test_sigterm_lets_the_request_in_flight_finish(tmp_path: Path) -> None:
    port = free_port()
    log = tmp_path / "server.log"
    proc = _start(tmp_path / "store", port, log, CNAMKG_GRACEFUL_TIMEOUT_S="20")
    try:
        tree = _descendants(str(proc.pid))
        assert len([p for p in tree if "cnamkg.cli serve" in cmdline(p)]) == 2  # workers
        body = ("query=" + quote("SELECT ?s WHERE { ?s a ?c } ORDER BY ?s LIMIT 3")).encode()
        head = (
            "POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
            "Accept: application/sparql-results+json\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode()
        with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
            s.sendall(head + body[:10])
            time.sleep(0.5)  # a worker has taken the connection and waits for the rest
            proc.send_signal(signal.SIGTERM)
            time.sleep(1.0)  # the master has passed SIGTERM on to its workers
            assert proc.poll() is None  # the master waits for the request in flight
            s.sendall(body[10:])
            answer = http.client.HTTPResponse(s)  # reads the chunked answer
            answer.begin()
            assert answer.status == 200, answer.read()[:500]
            payload = json.loads(answer.read())
        assert len(payload["results"]["bindings"]) == 3
        assert proc.wait(timeout=30) == 0, log.read_text()
        # no worker or query evaluator is left behind (each ends as its parent does, a
        # moment after: multiprocessing's resource tracker was once seen still closing)
        left = tree
        for _ in range(100):
            left = [p for p in tree if Path(f"/proc/{p}").exists() and cmdline(p)]
            if not left:
                break
            time.sleep(0.1)
        assert left == [], [cmdline(p) for p in left]
        text = log.read_text()
        assert "Handling signal: term" in text and "Shutting down" in text, text
        assert "Traceback" not in text, text
        # workers exit cleanly: they crashed with SIGSEGV when the serving process had
        # opened the store (RocksDB) before forking them
        assert "was sent SIG" not in text, text
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        (
            "CNAMKG_WORKER_TIMEOUT_S",
            "10",
            "CNAMKG_WORKER_TIMEOUT_S (10) must exceed "
            "CNAMKG_EVALUATOR_START_S + CNAMKG_QUERY_DEADLINE_S (90)",
        ),
        ("CNAMKG_GRACEFUL_TIMEOUT_S", "-1", "CNAMKG_GRACEFUL_TIMEOUT_S must be 0 or more"),
        ("CNAMKG_WORKERS", "0", "CNAMKG_WORKERS must be at least 1"),
    ],
)
def test_contradictory_serving_settings_are_refused(
    tmp_path: Path, setting: str, value: str, message: str
) -> None:
    env = cli_env(**{"CNAMKG_STORE": f"oxigraph:{tmp_path / 'store'}", setting: value})
    result = run_cli("serve", "--port", str(free_port()), env=env, cwd=REPO_ROOT, timeout=60)
    assert result.returncode == 2
    assert message in result.stderr
    assert not (tmp_path / "store").exists()  # refused before building anything


def test_behind_a_tls_proxy_links_are_https_and_iris_canonical(embedded_server: str) -> None:
    proxy = {"Host": "kg.example.org", "X-Forwarded-Proto": "https"}
    robots = requests.get(f"{embedded_server}/robots.txt", headers=proxy, timeout=30)
    assert "Sitemap: https://kg.example.org/sitemap.xml" in robots.text
    api = requests.get(f"{embedded_server}/openapi.json", headers=proxy, timeout=30).json()
    assert api["servers"] == [{"url": "https://kg.example.org"}]
    page = requests.get(f"{embedded_server}/page/project/caire", headers=proxy, timeout=30)
    assert '"og:url" content="https://kg.example.org/page/project/caire' in page.text
    data = requests.get(f"{embedded_server}/data/project/caire.nt", headers=proxy, timeout=30)
    assert "<https://w3id.org/cnamkg/id/project/caire>" in data.text
    assert "kg.example.org" not in data.text
