"""Helpers shared by the field-case tests (``tests/cases``): apps over the fixture with
extra triples, a loopback TCP listener that records connections, and small parsers.

Not a test module; imported by the ``test_bugNN_*`` modules.
"""

from __future__ import annotations

import json
import shutil
import socket
import threading
from pathlib import Path

from flask.testing import FlaskClient

from cnamkg.web.app import create_app
from conftest import FIXTURE, fixture_settings  # tests/ is on sys.path (rootdir conftest)

BASE = "https://w3id.org/cnamkg/"
ID = BASE + "id/"
EX = "http://example.org/vocab#"
RESULTS_JSON = "application/sparql-results+json"


def app_with_extra(tmp_dir: Path, extra_ttl: str, **overrides: object):
    """The app over the fixture dataset plus one more data file (``extra.ttl``)."""
    data = tmp_dir / "data"
    data.mkdir(parents=True, exist_ok=True)
    for f in (FIXTURE / "data").iterdir():
        if f.suffix in (".ttl", ".nt"):
            shutil.copy(f, data / f.name)
    (data / "extra.ttl").write_text(extra_ttl, encoding="utf-8")
    return create_app(fixture_settings(data_dir=data, **overrides))


def bindings(client: FlaskClient, query: str, method: str = "post") -> list[dict]:
    """Run a SELECT as a form POST (or GET) and return the JSON bindings; asserts 200."""
    headers = {"Accept": RESULTS_JSON}
    if method == "get":
        r = client.get("/sparql", query_string={"query": query}, headers=headers)
    else:
        r = client.post("/sparql", data={"query": query}, headers=headers)
    assert r.status_code == 200, r.get_data(as_text=True)
    assert r.mimetype == RESULTS_JSON
    return json.loads(r.data)["results"]["bindings"]


def triple_count(client: FlaskClient) -> int:
    """Number of quads in the whole dataset (all named graphs)."""
    rows = bindings(client, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    return int(rows[0]["n"]["value"])


class Listener:
    """A TCP listener on 127.0.0.1 (ephemeral port) that records every accepted connection.

    Used to prove that a query makes no outbound request (field cases BUG-21, BUG-23, BUG-26).
    """

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.05)
        self.port = int(self.sock.getsockname()[1])
        self.connections: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn:
                conn.settimeout(0.5)
                try:
                    data = conn.recv(4096)
                except OSError:
                    data = b""
                self.connections.append(data or b"(connected, nothing sent)")

    def seen(self) -> list[bytes]:
        """Connections accepted so far (after letting the accept loop drain)."""
        # A connection made by the server under test completes its TCP handshake in the
        # kernel before our request returns; one more accept pass records it.
        self._stop.wait(0.2)
        return list(self.connections)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self.sock.close()
