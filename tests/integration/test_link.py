"""``cnamkg link`` (issue 7 §1) against a real Oxigraph server (the ``oxigraph`` CLI)
loaded with a Wikidata-shaped fixture (tests/data/wikidata): candidates for our
organisations without a Wikidata link, scored and explained in a review file; accepted
lines become a validated data file; endpoint failures (429 with Retry-After, 5xx,
malformed results, no answer) are retried or reported clearly. Loopback only."""

from __future__ import annotations

import csv
import http.server
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from conftest import REPO_ROOT, TESTS, cli_env, oxigraph_server, run_cli

FIXTURE = TESTS / "data" / "wikidata" / "items.ttl"
ID = "https://w3id.org/cnamkg/id/organization/"
WD = "http://www.wikidata.org/entity/"


@pytest.fixture(scope="module")
def wikidata(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Oxigraph server holding the fixture; yields its query endpoint."""
    work = tmp_path_factory.mktemp("wikidata")
    with oxigraph_server(work / "db") as url:
        requests.post(
            url + "/store?default",
            data=FIXTURE.read_bytes(),
            headers={"Content-Type": "text/turtle"},
            timeout=30,
        ).raise_for_status()
        yield url + "/query"


def _link(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = cli_env(CNAMKG_STORE="memory", CNAMKG_DATA_DIR=str(data_dir))
    return run_cli("link", *args, env=env, cwd=REPO_ROOT, timeout=300)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A copy of the repository's data/, which `--accept` may write into."""
    copy = tmp_path / "data"
    shutil.copytree(REPO_ROOT / "data", copy)
    return copy


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_candidates_are_found_scored_and_explained(
    wikidata: str, data_dir: Path, tmp_path: Path
) -> None:
    review = tmp_path / "review.csv"
    result = _link(data_dir, "--endpoint", wikidata, "--out", str(review))
    assert result.returncode == 0, result.stderr
    assert "candidates for" in result.stdout
    rows = _rows(review)
    by_entity: dict[str, list[dict[str, str]]] = {}
    for r in rows:
        by_entity.setdefault(r["entity"], []).append(r)
    # already linked by the ESR dataset: not searched again
    assert ID + "cnam" not in by_entity and ID + "sorbonne-universite" not in by_entity
    (psb,) = by_entity[ID + "paris-school-of-business"]
    assert psb["candidate"] == WD + "Q9000001" and float(psb["score"]) >= 0.9
    assert "label" in psb["evidence"] and "an organisation" in psb["evidence"]
    (mistral,) = by_entity[ID + "mistral-ai"]
    assert mistral["candidate"] == WD + "Q9000002" and "alias" in mistral["evidence"]
    assert float(mistral["score"]) < float(psb["score"])
    # the namesake film ranks below the newspaper
    liberation = by_entity[ID + "liberation"]
    assert [r["candidate"] for r in liberation] == [WD + "Q9000004", WD + "Q9000003"]
    assert "not typed an organisation" in liberation[1]["evidence"]
    assert all(r["accept"] == "" and r["endpoint"] == wikidata for r in rows)
    # nothing was written to data/
    assert not (data_dir / "wikidata-links.ttl").exists()


def test_accepted_lines_become_validated_data(
    wikidata: str, data_dir: Path, tmp_path: Path
) -> None:
    review = tmp_path / "review.csv"
    assert _link(data_dir, "--endpoint", wikidata, "--out", str(review)).returncode == 0
    rows = _rows(review)
    for r in rows:
        if r["candidate"] in (WD + "Q9000001", WD + "Q9000004"):
            r["accept"] = "yes"
    with review.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    result = _link(data_dir, "--accept", str(review))
    assert result.returncode == 0, result.stderr
    assert "2 links to Wikidata" in result.stdout
    written = (data_dir / "wikidata-links.ttl").read_text()
    assert (
        f"<{ID}paris-school-of-business> <http://www.w3.org/2002/07/owl#sameAs> <{WD}Q9000001>"
        in written
    )
    assert f"<{WD}Q9000003>" not in written
    # the next search no longer proposes the linked ones
    again = tmp_path / "again.csv"
    assert _link(data_dir, "--endpoint", wikidata, "--out", str(again)).returncode == 0
    entities = {r["entity"] for r in _rows(again)}
    assert ID + "paris-school-of-business" not in entities and ID + "liberation" not in entities
    assert ID + "mistral-ai" in entities


def test_a_bad_review_line_is_refused_with_its_line(data_dir: Path, tmp_path: Path) -> None:
    review = tmp_path / "bad.csv"
    review.write_text(
        "entity,candidate,label,score,evidence,endpoint,accept\n"
        f"{ID}mistral-ai,https://www.wikidata.org/wiki/Q1,x,0.5,x,http://127.0.0.1/q,yes\n"
    )
    result = _link(data_dir, "--accept", str(review))
    assert result.returncode == 2
    assert f"{review}:2:" in result.stderr and "not a Wikidata entity IRI" in result.stderr
    assert not (data_dir / "wikidata-links.ttl").exists()


class _Flaky(http.server.BaseHTTPRequestHandler):
    """A loopback endpoint that fails as told: ``plan`` lists the answers to give, the
    last one repeated; "proxy" passes the request to the real Oxigraph server."""

    plan: list[str] = []
    upstream = ""
    seen: list[str] = []

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        step = self.plan.pop(0) if len(self.plan) > 1 else self.plan[0]
        self.seen.append(step)
        if step == "proxy":
            r = requests.post(
                self.upstream,
                data=body,
                headers={
                    "Content-Type": self.headers["Content-Type"],
                    "Accept": self.headers["Accept"],
                },
                timeout=30,
            )
            self._send(r.status_code, r.content, r.headers["Content-Type"])
        elif step == "429":
            self._send(429, b"slow down", "text/plain", {"Retry-After": "1"})
        elif step == "500":
            self._send(500, b"boom", "text/plain")
        elif step == "garbage":
            self._send(200, b'{"head": {"vars": [', "application/sparql-results+json")

    def _send(self, code: int, body: bytes, ctype: str, extra: dict[str, str] | None = None):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def flaky(wikidata: str) -> Iterator[type[_Flaky]]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Flaky)
    _Flaky.upstream = wikidata
    _Flaky.seen = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Flaky.url = f"http://127.0.0.1:{server.server_address[1]}/sparql"  # type: ignore[attr-defined]
    yield _Flaky
    server.shutdown()
    server.server_close()


def test_429_is_retried_after_its_retry_after(
    flaky: type[_Flaky], data_dir: Path, tmp_path: Path
) -> None:
    flaky.plan = ["429", "429", "proxy"]
    result = _link(data_dir, "--endpoint", flaky.url, "--out", str(tmp_path / "r.csv"))  # type: ignore[attr-defined]
    assert result.returncode == 0, result.stderr
    assert flaky.seen[:3] == ["429", "429", "proxy"]
    assert any(r["candidate"] == WD + "Q9000001" for r in _rows(tmp_path / "r.csv"))


@pytest.mark.parametrize(
    ("failure", "message"),
    [("500", "answered 500"), ("garbage", "malformed result")],
)
def test_endpoint_failures_are_clear_errors(
    flaky: type[_Flaky], data_dir: Path, tmp_path: Path, failure: str, message: str
) -> None:
    flaky.plan = [failure]
    result = _link(data_dir, "--endpoint", flaky.url, "--out", str(tmp_path / "r.csv"))  # type: ignore[attr-defined]
    assert result.returncode == 2, result.stderr
    assert message in result.stderr and flaky.url in result.stderr  # type: ignore[attr-defined]
    assert "Traceback" not in result.stderr


def test_an_endpoint_that_does_not_answer_is_a_clear_error(data_dir: Path, tmp_path: Path) -> None:
    import socket

    with socket.socket() as s:  # accepts connections, never answers
        s.bind(("127.0.0.1", 0))
        s.listen()
        url = f"http://127.0.0.1:{s.getsockname()[1]}/sparql"
        result = _link(
            data_dir, "--endpoint", url, "--timeout", "1", "--out", str(tmp_path / "r.csv")
        )
    assert result.returncode == 2
    assert "no answer within 1 s" in result.stderr and "Traceback" not in result.stderr
