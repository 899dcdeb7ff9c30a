"""Load, long form (issue 6 §3): `cnamkg serve` with its production settings (2 gunicorn
workers, the answer cache on, the 30 s query deadline) under wrk, loopback only.

Per dataset — the repository's seed data, and the generated 10⁶-triple dataset
(``bench/generate.py``; its store is reused from ``var/bench/1000000`` when it is there):

- three mixes, each at 8, 32 and 128 connections for ``--seconds`` (30) each:
  **pages** (entity pages, fr and en, taken from the sitemap), **data** (each entity's
  description in Turtle, JSON-LD, N-Triples and RDF/XML) and **sparql** (six queries about
  those entities — outgoing and incoming links, a two-hop join, a CONSTRUCT, counts per
  class, a label search — each made distinct by a changing ``LIMIT`` so no cache answers);
  reported: requests/s, p50 and p99 latency (ms), errors (socket errors and answers
  outside 2xx/3xx: any 5xx counts);
- **a slow query at its deadline**: the p99 of entity pages at 8 connections, alone, then
  while a query that cannot finish (a cartesian product) runs to its deadline and is
  stopped, again and again; required: at most 3× the unloaded p99.

Results: Markdown on stdout, JSON in ``bench/results/load.json``.
Run: ``.venv/bin/python bench/load.py`` (``--datasets seed`` for the seed data alone,
``--seconds 5`` for a quick look). About 12 minutes with the defaults on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
import peers as P  # noqa: E402
import wrk  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"
LEVELS = (8, 32, 128)
#: A query no store finishes: five independent triple patterns over the whole graph.
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?o ?p }"


def _dataset(name: str) -> tuple[Path, Path]:
    """The data folder and store folder of ``seed`` or a generated size."""
    if name == "seed":
        return REPO / "data", REPO / "var" / "bench" / "load-seed" / "store"
    work = REPO / "var" / "bench" / name
    ttl = P.generated(int(name), work)
    return ttl.parent, work / "store"


def _entities(base: str, count: int = 40) -> list[str]:
    """Up to ``count`` entity page paths (without ``?lang``), spread over the sitemap."""
    xml = requests.get(base + "/sitemap.xml", timeout=600).text
    pages = sorted({urllib.parse.urlsplit(u).path for u in re.findall(r"<loc>([^<]+)</loc>", xml)})
    pages = [p for p in pages if p.startswith("/page/")]
    step = max(1, len(pages) // count)
    return pages[::step][:count]


def _mixes(base: str, pages: list[str]) -> dict[str, list[str]]:
    iris = ["https://w3id.org/cnamkg/id/" + p.removeprefix("/page/") for p in pages[:8]]
    queries = []
    for iri in iris:
        queries += [
            f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }} LIMIT {{n}}",
            f"SELECT ?s ?p WHERE {{ ?s ?p <{iri}> }} LIMIT {{n}}",
            f"SELECT ?x ?y WHERE {{ <{iri}> ?p ?x . ?x ?q ?y }} LIMIT {{n}}",
            f"CONSTRUCT {{ <{iri}> ?p ?o }} WHERE {{ <{iri}> ?p ?o }} LIMIT {{n}}",
        ]
    queries += [
        "SELECT ?c (COUNT(?s) AS ?k) WHERE { ?s a ?c } GROUP BY ?c LIMIT {n}",
        "SELECT ?s ?l WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l "
        'FILTER(CONTAINS(LCASE(STR(?l)), "intelligence")) } LIMIT {n}',
    ]
    # keep {n} literal through the URL encoding
    sparql = [
        "/sparql?query=" + urllib.parse.quote(q, safe="").replace("%7Bn%7D", "{n}") for q in queries
    ]
    data = [
        p.replace("/page/", "/data/", 1) + "." + ext
        for p in pages
        for ext in ("ttl", "jsonld", "nt", "rdf")
    ]
    return {
        "pages": [p + f"?lang={lang}" for p in pages for lang in ("fr", "en")],
        "data": data,
        "sparql": sparql,
    }


def _accept(mix: str) -> str:
    return {
        "pages": "text/html",
        "data": "*/*",
        "sparql": "application/sparql-results+json, text/turtle;q=0.9",
    }[mix]


def _slow_queries(base: str, stop: threading.Event, outcomes: list[int]) -> None:
    """Send :data:`SLOW` again and again until ``stop``; record each status."""
    while not stop.is_set():
        try:
            r = requests.post(
                base + "/sparql",
                data={"query": SLOW},
                headers={"Accept": "application/sparql-results+json"},
                timeout=120,
            )
            outcomes.append(r.status_code)
        except requests.RequestException:
            outcomes.append(0)


def _deadline(base: str, pages: list[str], seconds: int) -> dict[str, object]:
    paths = [p + "?lang=fr" for p in pages]
    # unloaded: pages alone, once the server has settled after the mixes (a first short
    # run is discarded: it meets what the SPARQL mix left queued)
    time.sleep(5)
    wrk.run(base, paths, connections=8, seconds=3, accept="text/html")
    alone = wrk.run(base, paths, connections=8, seconds=seconds, accept="text/html")
    stop = threading.Event()
    outcomes: list[int] = []
    slow = threading.Thread(target=_slow_queries, args=(base, stop, outcomes))
    slow.start()
    time.sleep(2)  # the query is running
    loaded = wrk.run(base, paths, connections=8, seconds=seconds, accept="text/html")
    stop.set()
    slow.join()
    if not alone["p99 ms"]:
        raise RuntimeError(f"wrk measured no latency: {alone}")
    ratio = loaded["p99 ms"] / alone["p99 ms"]
    return {
        "pages alone": alone,
        "pages beside a slow query": loaded,
        "slow query answers": outcomes,
        "p99 ratio": ratio,
        "met (≤ 3×)": ratio <= 3,
    }


def run_dataset(name: str, seconds: int, levels: tuple[int, ...]) -> dict[str, object]:
    data, store = _dataset(name)
    t = time.perf_counter()
    proc, base = P.serve_cnamkg(store, CNAMKG_DATA_DIR=str(data))
    start_s = time.perf_counter() - t
    try:
        triples = json.loads(requests.get(base + "/readyz", timeout=30).text)
        pages = _entities(base)
        mixes = _mixes(base, pages)
        rows = []
        for mix, paths in mixes.items():
            for connections in levels:
                result = wrk.run(
                    base,
                    paths,
                    connections=connections,
                    seconds=seconds,
                    distinct=mix == "sparql",
                    accept=_accept(mix),
                    timeout_s=60,
                )
                rows.append({"mix": mix, "connections": connections, **result})
                print(f"  {name} {mix} {connections}: {result}", file=sys.stderr)
        deadline = _deadline(base, pages, seconds)
        print(f"  {name} deadline: p99 ratio {deadline['p99 ratio']:.2f}", file=sys.stderr)
    finally:
        proc.terminate()
        proc.wait(timeout=120)
    return {
        "dataset": name,
        "version": triples.get("version"),
        "start s (build if needed)": start_s,
        "entities": len(pages),
        "rows": rows,
        "deadline": deadline,
    }


def report(results: list[dict[str, object]], seconds: int) -> str:
    lines = [
        f"## Load ({seconds} s per level, 2 workers, production settings)",
        "",
        "| dataset | mix | conn. | req/s | p50 ms | p99 ms | errors |",
        "|---|---|---|---|---|---|---|",
    ]
    for res in results:
        for r in res["rows"]:  # type: ignore[attr-defined]
            lines.append(
                f"| {res['dataset']} | {r['mix']} | {r['connections']} | {r['req/s']:.0f} | "
                f"{r['p50 ms']:.1f} | {r['p99 ms']:.1f} | {r['errors']} |"
            )
    lines += [
        "",
        "| dataset | page p99 alone ms | page p99 beside a slow query ms | ratio | slow query "
        "answers |",
        "|---|---|---|---|---|",
    ]
    for res in results:
        d = res["deadline"]
        statuses = sorted(set(d["slow query answers"]))  # type: ignore[index]
        lines.append(
            f"| {res['dataset']} | {d['pages alone']['p99 ms']:.1f} | "  # type: ignore[index]
            f"{d['pages beside a slow query']['p99 ms']:.1f} | {d['p99 ratio']:.2f} | "  # type: ignore[index]
            f"{len(d['slow query answers'])} × {statuses} |"  # type: ignore[index,arg-type]
        )
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--datasets", nargs="+", default=["seed", "1000000"])
    ap.add_argument("--seconds", type=int, default=30)
    ap.add_argument("--connections", type=int, nargs="+", default=list(LEVELS))
    args = ap.parse_args()
    results = [run_dataset(d, args.seconds, tuple(args.connections)) for d in args.datasets]
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "load.json").write_text(json.dumps(results, indent=2))
    print(report(results, args.seconds))


if __name__ == "__main__":
    main()
