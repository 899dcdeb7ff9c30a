"""The ``sparql:URL`` backend (issue 5 §1): a real Oxigraph server filled by
`cnamkg build --target`, and the remote's failures — down, slow, throttled, broken —
each answered with a clear error (502 naming the remote, RFC 9110 §15.6.3), never a 500
or a hang. Failures are played by a loopback HTTP server that answers as a failing
endpoint would; everything else is the real engine."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

from cnamkg.errors import QuerySyntaxError, RemoteStoreError
from cnamkg.settings import REPO_ROOT
from cnamkg.store.remote import RemoteStore
from cnamkg.web.app import create_app
from conftest import oxigraph_server, repo_settings, run_cli

BASE = "https://w3id.org/cnamkg/"


def _build(engine: str, *extra: str) -> subprocess.CompletedProcess[str]:
    return run_cli(
        "build",
        "--target",
        f"sparql:{engine}/query",
        "--graph-store",
        f"{engine}/store",
        *extra,
        cwd=REPO_ROOT,
        timeout=600,
    )


def test_build_target_uploads_once_and_replaces_stale_graphs(tmp_path: Path) -> None:
    """`cnamkg build --target sparql:URL --graph-store URL` PUTs every named graph, the
    union as default graph and the build stamp (Graph Store Protocol §5.3); a second run
    with the same sources sends nothing; a graph the dataset no longer has is deleted."""
    with oxigraph_server(tmp_path / "db") as engine:
        stale = "https://w3id.org/cnamkg/graph/gone"
        requests.put(
            engine + "/store",
            params={"graph": stale},
            data=b"<http://e/s> <http://e/p> <http://e/o> .\n",
            headers={"Content-Type": "application/n-triples"},
            timeout=10,
        ).raise_for_status()
        first = _build(engine)
        assert first.returncode == 0, first.stderr
        assert "uploaded" in first.stdout and "1 stale graphs deleted" in first.stdout
        assert "up to date" in _build(engine).stdout
        store = RemoteStore(engine + "/query", base=BASE)
        settings = repo_settings()
        from cnamkg.pipeline.build import current_digest

        assert store.info.version == current_digest(settings)
        assert stale not in store.info.graphs
        assert "https://w3id.org/cnamkg/graph/communique-journee-ia" in store.info.graphs
        # the default graph is the union, as in the embedded store
        n = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        # as many triples as the sources' union holds (one per distinct triple)
        from cnamkg.pipeline.build import load_and_validate

        sources, _ = load_and_validate(settings)
        union = {(q.subject, q.predicate, q.object) for q in sources.published()}
        assert int(next(iter(n))["n"].value) == len(union)  # type: ignore[call-overload]


def test_build_target_needs_a_graph_store(tmp_path: Path) -> None:
    r = run_cli("build", "--target", "sparql:http://127.0.0.1:9/q", cwd=REPO_ROOT)
    assert r.returncode != 0 and "--graph-store" in r.stderr


def test_a_remote_that_goes_down_gives_502_naming_it(tmp_path: Path) -> None:
    with oxigraph_server(tmp_path / "db") as engine:
        assert _build(engine).returncode == 0
        store = RemoteStore(engine + "/query", base=BASE, timeout_s=5)
        client = create_app(repo_settings(), store=store).test_client()
        assert client.get("/page/organization/cnam").status_code == 200
    # the engine is stopped now
    for path in ("/page/organization/cnam", "/sparql?query=ASK%7B%7D", "/organization"):
        r = client.get(path, headers={"Accept": "application/json"})
        assert r.status_code == 502, path
        assert engine in r.get_data(as_text=True) and "cannot be reached" in r.get_data(
            as_text=True
        )
    # readiness asks the store each time: not ready while the remote is down (found by
    # the new-user review: /readyz said "ready" while every page answered 502)
    ready = client.get("/readyz")
    assert ready.status_code == 503 and ready.get_json()["status"] == "unavailable"


def test_syntax_errors_are_found_before_the_remote(tmp_path: Path) -> None:
    """A malformed query gets the same line:column as on the embedded store."""
    with oxigraph_server(tmp_path / "db") as engine:
        store = RemoteStore(engine + "/query", base=BASE)
        with pytest.raises(QuerySyntaxError, match="1:17"):
            store.query("SELECT * WHERE {")


class _Script:
    """What the failing endpoint answers, request by request."""

    def __init__(self, answers: list[tuple[int, dict[str, str], bytes, float]]) -> None:
        self.answers = answers
        self.seen = 0


@pytest.fixture
def failing_endpoint() -> Iterator[tuple[str, _Script]]:
    script = _Script([])

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            status, headers, body, delay = script.answers[min(script.seen, len(script.answers) - 1)]
            script.seen += 1
            time.sleep(delay)
            try:
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except OSError:
                pass  # the client gave up (timeout test)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/sparql", script
    server.shutdown()
    server.server_close()
    thread.join()


ASK_TRUE = json.dumps({"head": {}, "boolean": True}).encode()
JSON = {"Content-Type": "application/sparql-results+json"}
COUNT = json.dumps(
    {
        "head": {"vars": ["n"]},
        "results": {
            "bindings": [
                {
                    "n": {
                        "type": "literal",
                        "value": "0",
                        "datatype": "http://www.w3.org/2001/XMLSchema#integer",
                    }
                }
            ]
        },
    }
).encode()
EMPTY = json.dumps({"head": {"vars": ["v", "t"]}, "results": {"bindings": []}}).encode()
NO_GRAPHS = json.dumps({"head": {"vars": ["g"]}, "results": {"bindings": []}}).encode()


def _opened(url: str, script: _Script, **kwargs: float) -> RemoteStore:
    """A RemoteStore opened against the script's first three answers (build stamp,
    graphs, size), after which the test's own answers follow."""
    script.answers[:0] = [(200, JSON, EMPTY, 0), (200, JSON, NO_GRAPHS, 0), (200, JSON, COUNT, 0)]
    store = RemoteStore(url, base=BASE, **kwargs)
    script.answers = script.answers[3:]
    script.seen = 0
    return store


def test_429_and_503_are_retried_after_retry_after(
    failing_endpoint: tuple[str, _Script],
) -> None:
    url, script = failing_endpoint
    store = _opened(url, script)
    script.answers = [
        (429, {"Retry-After": "0"}, b"slow down", 0),
        (503, {"Retry-After": "0"}, b"busy", 0),
        (200, JSON, ASK_TRUE, 0),
    ]
    assert bool(store.query("ASK {}")) is True
    assert script.seen == 3


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ((500, {}, b"boom", 0.0), "answered 500"),
        ((200, JSON, b"{not json", 0.0), "malformed result"),
        ((200, {"Content-Type": "text/html"}, b"<html>oops</html>", 0.0), "malformed result"),
        ((429, {"Retry-After": "0"}, b"", 0.0), "answered 429"),  # retries exhausted
        ((200, JSON, ASK_TRUE, 3.0), "no answer within 1 s"),
    ],
)
def test_remote_failures_are_clear_errors(
    failing_endpoint: tuple[str, _Script],
    answer: tuple[int, dict[str, str], bytes, float],
    message: str,
) -> None:
    url, script = failing_endpoint
    store = _opened(url, script, timeout_s=1)
    script.answers = [answer]
    with pytest.raises(RemoteStoreError, match=message) as caught:
        store.query("ASK {}")
    assert url in str(caught.value)


def test_an_unreachable_remote_at_startup_is_a_clear_error() -> None:
    with pytest.raises(RemoteStoreError, match="cannot be reached"):
        RemoteStore("http://127.0.0.1:9/query", base=BASE, timeout_s=2)


def test_a_server_starts_while_its_remote_is_down_and_recovers(tmp_path: Path) -> None:
    """Field report: a worker that could not read the remote at boot exited, and gunicorn
    then stopped the whole server. A serving process starts anyway, answers 502 while the
    remote is down, and serves again once it is back — without a restart."""
    from conftest import free_port, serving

    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    store = f"sparql:{endpoint}/query"
    with serving(tmp_path, any_answer=True, CNAMKG_STORE=store, CNAMKG_CACHE_MB="0") as url:
        ready = requests.get(url + "/readyz", timeout=30)
        assert ready.status_code == 503 and ready.json()["status"] == "unavailable"
        r = requests.get(url + "/page/organization/cnam", timeout=30)
        assert r.status_code == 502 and endpoint in r.text
        r = requests.get(url + "/sparql", params={"query": "ASK {}"}, timeout=30)
        assert r.status_code == 502 and endpoint in r.text
        # the same port, now with a real engine holding the data
        cli = str(Path(sys.executable).with_name("oxigraph"))
        proc = subprocess.Popen(
            [cli, "serve", "--location", str(tmp_path / "db"), "--bind", f"127.0.0.1:{port}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                try:
                    if requests.get(endpoint + "/query", params={"query": "ASK{}"}, timeout=2).ok:
                        break
                except requests.ConnectionError:
                    time.sleep(0.1)
            assert _build(endpoint).returncode == 0
            time.sleep(5.5)  # the dataset's description is read again at most every 5 s
            page = requests.get(url + "/page/organization/cnam", timeout=30)
            assert page.status_code == 200 and "<h1>Cnam</h1>" in page.text
            ask = requests.get(
                url + "/sparql",
                params={"query": "ASK {}"},
                headers={"Accept": "application/json"},
                timeout=30,
            )
            assert ask.status_code == 200
            assert requests.get(url + "/readyz", timeout=30).json()["status"] == "ready"
        finally:
            proc.terminate()
            proc.wait(timeout=30)
