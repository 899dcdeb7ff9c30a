"""Issue 3 §1–2 over real HTTP: a query past its deadline is stopped — its evaluator
process killed, its CPU released — and answered 503 naming the deadline while other
queries are served; a million-row SELECT streams with bounded memory.

Figures (elapsed seconds, peak RSS) are printed for the closing note (`pytest -s`);
the assertions are about behaviour only."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
import requests
from procs import cpu_ticks, evaluators, peak_rss_kb, server_tree

from conftest import serving

CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
DIGITS = "{ 0 1 2 3 4 5 6 7 8 9 }"
MILLION = (
    "SELECT ?n WHERE { "
    + " ".join(f"VALUES ?d{i} {DIGITS}" for i in range(6))
    + " BIND(?d0 + 10*?d1 + 100*?d2 + 1000*?d3 + 10000*?d4 + 100000*?d5 AS ?n) }"
)


@pytest.fixture(scope="module")
def quick_deadline(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The server with a 2-second query deadline."""
    with serving(tmp_path_factory.mktemp("store"), CNAMKG_QUERY_DEADLINE_S="2") as url:
        yield url


def _port(url: str) -> int:
    return int(url.rsplit(":", 1)[1])


def test_query_past_its_deadline_is_stopped_and_others_are_served(quick_deadline: str) -> None:
    url = quick_deadline
    _, workers = server_tree(_port(url))
    # warm both workers' evaluators
    for _ in range(4):
        requests.get(url + "/sparql", params={"query": "ASK {}"}, timeout=30)
    answers: dict[str, requests.Response] = {}

    def heavy() -> None:
        answers["heavy"] = requests.post(url + "/sparql", data={"query": CARTESIAN}, timeout=120)

    started = time.monotonic()
    t = threading.Thread(target=heavy)
    t.start()
    time.sleep(0.5)
    light = requests.get(url + "/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=30)
    light_done = time.monotonic() - started
    # the evaluator running the heavy query is the one burning CPU now
    running = evaluators(workers)
    ticks = {pid: cpu_ticks(pid) for pid in running}
    time.sleep(0.5)
    burning = [pid for pid in running if cpu_ticks(pid) - ticks[pid] > 10]
    assert len(burning) == 1, (running, burning)
    t.join()
    heavy_done = time.monotonic() - started
    r = answers["heavy"]
    assert light.status_code == 200 and light.json()["boolean"] is True
    assert r.status_code == 503
    assert "deadline of 2 s" in r.text and r.headers["Content-Type"].startswith("text/plain")
    # the evaluator that ran the heavy query is gone; no evaluator keeps burning CPU
    after = set(evaluators(workers))
    assert burning[0] not in after, "the evaluator of the stopped query was killed"
    ticks = {pid: cpu_ticks(pid) for pid in after}
    time.sleep(1.0)
    busy = [pid for pid in after if cpu_ticks(pid) - ticks[pid] > 20]  # > 0.2 s of CPU in 1 s
    assert busy == []
    print(
        f"\n[deadline] 503 after {heavy_done:.2f} s (deadline 2 s); concurrent ASK answered after {light_done:.2f} s"
    )
    # the worker recovers: a new evaluator answers the next query
    again = requests.get(url + "/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=60)
    assert again.status_code == 200


def test_million_rows_stream_with_bounded_memory(embedded_server: str) -> None:
    url = embedded_server
    _, workers = server_tree(_port(url))
    for _ in range(4):
        requests.get(url + "/sparql", params={"query": "ASK {}"}, timeout=30)
    peaks_before = {pid: peak_rss_kb(pid) for pid in workers + evaluators(workers)}
    started = time.monotonic()
    accept = {"Accept": "application/sparql-results+json"}
    with requests.post(
        url + "/sparql", data={"query": MILLION}, headers=accept, stream=True, timeout=300
    ) as r:
        assert r.status_code == 200
        assert r.headers["Content-Type"].startswith("application/sparql-results+json")
        assert "Content-Length" not in r.headers  # streamed (chunked), not buffered
        rows = 0
        size = 0
        tail = b""
        for chunk in r.iter_content(chunk_size=1 << 16):
            rows += (tail + chunk).count(b'"value"') - tail.count(b'"value"')
            tail = chunk[-16:]
            size += len(chunk)
        elapsed = time.monotonic() - started
    assert rows == 1_000_000
    procs = workers + evaluators(workers)
    growth = {pid: peak_rss_kb(pid) - peaks_before.get(pid, 0) for pid in procs}
    peaks = {pid: peak_rss_kb(pid) for pid in procs}
    print(
        f"\n[streaming] 1,000,000 rows, {size / 1e6:.1f} MB of SPARQL JSON in {elapsed:.1f} s; peak RSS per process (MB): "
        + ", ".join(
            f"{pid}: {kb / 1024:.0f} (+{growth[pid] / 1024:.0f})" for pid, kb in peaks.items()
        )
    )
    # the answer (~96 MB) never sits in memory whole: every process of the server (master,
    # workers, evaluators — ~60 MB each at rest) peaks far below what buffering would take
    assert size > 50_000_000
    assert max(peaks.values()) < 120 * 1024, peaks
