"""Load, short form (issue 6 §3): wrk against `cnamkg serve` with its production
settings (2 gunicorn workers, answer cache on), on the embedded store built from the
repository's data, at 8, 32 and 128 connections. Required: no socket error and no answer
outside 2xx/3xx at any level — behaviour, not speed (the figures are in bench/).
Loopback only, 3 s per level and per mix."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import wrk  # noqa: E402  (bench/wrk.py: the wrk driver the benchmarks use)

PAGES = [
    "/page/organization/cnam",
    "/page/project/caire",
    "/page/event/journee-etude-ia-societe",
    "/id/organization/sorbonne-universite",
    "/data/project/caire.ttl",
    "/data/organization/cnam.jsonld",
    "/",
    "/organization",
    "/search?q=sorbonne",
]
SPARQL = [
    "/sparql?query=SELECT%20%3Fs%20%3Fp%20WHERE%20%7B%20%3Fs%20%3Fp%20%3Chttps%3A%2F%2Fw3id.org"
    "%2Fcnamkg%2Fid%2Forganization%2Fcnam%3E%20%7D%20LIMIT%20{n}",
    "/sparql?query=SELECT%20%3Fc%20(COUNT(%3Fs)%20AS%20%3Fn)%20WHERE%20%7B%20%3Fs%20a%20%3Fc"
    "%20%7D%20GROUP%20BY%20%3Fc%20LIMIT%20{n}",
    "/sparql?query=DESCRIBE%20%3Chttps%3A%2F%2Fw3id.org%2Fcnamkg%2Fid%2Fproject%2Fcaire%3E",
]


@pytest.fixture(scope="module")
def wrk_present() -> None:
    if shutil.which("wrk") is None:
        if os.environ.get("CI"):
            pytest.fail("wrk is missing: .ci/run installs Debian's wrk package")
        pytest.skip("wrk is not installed")


@pytest.mark.parametrize("connections", [8, 32, 128])
@pytest.mark.parametrize(
    ("mix", "distinct"), [("pages", False), ("sparql", False), ("sparql", True)]
)
def test_no_error_under_load(
    wrk_present: None, embedded_server: str, connections: int, mix: str, distinct: bool
) -> None:
    paths = PAGES if mix == "pages" else SPARQL
    result = wrk.run(
        embedded_server,
        paths,
        connections=connections,
        seconds=3,
        distinct=distinct,
        accept="text/html, application/sparql-results+json;q=0.9, text/turtle;q=0.8",
        timeout_s=60,
    )
    assert result["req/s"] > 0
    assert result["errors"] == 0, result
