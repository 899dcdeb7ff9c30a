"""Entity pages on the seed data (issue 8 §3: "the HTML of an entity page is served in
under 20 ms median on the seed data"), beside the same entities' data from Oxigraph
server (``DESCRIBE <iri>``, the engine alone: what a page is built from).

`cnamkg serve` (2 workers) on the repository's data, over loopback HTTP, one request at a
time: every entity page of the sitemap in both languages, **cold** (the answer cache off,
``CNAMKG_CACHE_MB=0``: each page built from the store) and **warm** (the cache on, each
page asked for the second time); Oxigraph server loaded with the same dataset (the
build's N-Quads dump) answering ``DESCRIBE`` of each entity. Also each page's size.
Prints Markdown; JSON in ``bench/results/pages.json``.

    .venv/bin/python bench/pages.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
import peers as P  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"


def _ms(session: requests.Session, url: str, **kw: object) -> float:
    start = time.perf_counter()
    r = session.get(url, timeout=30, **kw)  # type: ignore[arg-type]
    elapsed = (time.perf_counter() - start) * 1000
    assert r.status_code == 200, (url, r.status_code)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="cnamkg-pages-"))
    store = work / "store"
    out: dict[str, object] = {}
    proc, base = P.serve_cnamkg(store, CNAMKG_CACHE_MB="0")
    try:
        session = requests.Session()
        xml = session.get(base + "/sitemap.xml", timeout=30).text
        paths = sorted(
            {urllib.parse.urlsplit(u).path for u in re.findall(r"<loc>([^<]+)</loc>", xml)}
        )
        pages = [p for p in paths if p.startswith("/page/")]
        urls = [f"{base}{p}?lang={lang}" for p in pages for lang in ("fr", "en")]
        sizes = [len(session.get(u, timeout=30).content) for u in urls]
        cold = [_ms(session, u) for _ in range(args.rounds) for u in urls]
        out["entity pages"] = len(pages)
        out["page bytes (median, max)"] = (statistics.median(sizes), max(sizes))
        out["cold page ms (p50, p95)"] = _quantiles(cold)
        ttl = store / "current" / "dumps" / "dataset.ttl"  # the union of the graphs
    finally:
        proc.terminate()
        proc.wait()
    proc, base = P.serve_cnamkg(store)
    try:
        session = requests.Session()
        for u in urls:  # the first visit fills the cache
            session.get(u.replace(u.split("/page/")[0], base), timeout=30)
        warm = [
            _ms(session, u.replace(u.split("/page/")[0], base))
            for _ in range(args.rounds)
            for u in urls
        ]
        out["warm page ms (p50, p95)"] = _quantiles(warm)
    finally:
        proc.terminate()
        proc.wait()
    subprocess.run(
        [str(P.BIN / "oxigraph"), "load", "--location", str(work / "ox"), "--file", str(ttl)],
        check=True,
        capture_output=True,
    )
    port = P.free_port()
    ox = subprocess.Popen(
        [
            str(P.BIN / "oxigraph"),
            "serve-read-only",
            "--location",
            str(work / "ox"),
            "--bind",
            f"127.0.0.1:{port}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        endpoint = f"http://127.0.0.1:{port}/query"
        P.wait_answering(endpoint + "?query=ASK%7B%7D", ox)
        session = requests.Session()
        iris = ["https://w3id.org/cnamkg/id/" + p.removeprefix("/page/") for p in pages]
        describe = [
            _ms(
                session,
                endpoint,
                params={"query": f"DESCRIBE <{iri}>"},
                headers={"Accept": "text/turtle"},
            )
            for _ in range(args.rounds)
            for iri in iris
            for _lang in ("fr", "en")
        ]
        out["oxigraph DESCRIBE ms (p50, p95)"] = _quantiles(describe)
    finally:
        ox.terminate()
        ox.wait()
    cold_p50 = out["cold page ms (p50, p95)"][0]  # type: ignore[index]
    describe_p50 = out["oxigraph DESCRIBE ms (p50, p95)"][0]  # type: ignore[index]
    out["cold page p50 / DESCRIBE p50"] = cold_p50 / describe_p50
    print("| measure | value |\n|---|---|")
    for k, v in out.items():
        if isinstance(v, tuple):
            shown = ", ".join(f"{x:.1f}" for x in v)
        else:
            shown = f"{v:.2f}" if isinstance(v, float) else str(v)
        print(f"| {k} | {shown} |")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "pages.json").write_text(json.dumps(out, indent=2))


def _quantiles(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered), ordered[int(0.95 * (len(ordered) - 1))]


if __name__ == "__main__":
    main()
