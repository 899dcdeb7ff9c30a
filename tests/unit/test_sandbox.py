"""The egress sandbox (cnamkg.web.sandbox): after it, Oxigraph's SERVICE cannot open a
connection, even to a loopback listener; before it, the same query does connect — so the
test can fail. Each side runs in its own process (a seccomp filter cannot be removed)."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import sys, pyoxigraph as ox
from cnamkg.web.sandbox import deny_internet_sockets
if sys.argv[2] == "sandboxed":
    assert deny_internet_sockets()
s = ox.Store()
s.add(ox.Quad(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), ox.NamedNode("http://e/o")))
try:
    list(s.query("SELECT * WHERE { ?s ?p ?o SERVICE <http://127.0.0.1:%s/sparql> { ?a ?b ?c } }" % sys.argv[1]))
    print("no error")
except OSError as exc:
    print("OSError", exc)
"""


def probe(port: int, mode: str) -> str:
    r = subprocess.run(
        [sys.executable, "-c", PROBE, str(port), mode], capture_output=True, text=True, timeout=60
    )
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_sandboxed_service_cannot_connect(loopback_listener: tuple[int, list[bytes]]) -> None:
    port, seen = loopback_listener
    out = probe(port, "sandboxed")
    assert out.startswith("OSError"), out
    assert seen == []


def test_without_the_sandbox_service_does_connect(
    loopback_listener: tuple[int, list[bytes]],
) -> None:
    """The control: Oxigraph really sends a request when nothing stops it."""
    port, seen = loopback_listener
    probe(port, "open")
    assert len(seen) == 1 and seen[0].startswith(b"POST /sparql")
