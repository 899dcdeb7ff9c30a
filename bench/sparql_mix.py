"""cnamkg's SPARQL endpoint and pages side by side with its peers, on one generated
dataset, in one run (issue 5 §4): Oxigraph server, Virtuoso Open Source and
rdflib-endpoint (``bench/peers.py``; ``bench/setup.sh`` installs them).

For N triples (``--triples``): generate the data (bench/generate.py); validate and build
cnamkg's store, bulk-load every peer; start each; then measure, per server,

- load time and rate (triples/s), cold start (launch to first answer, s);
- per query of a ten-query mix, sequential p50/p95 latency (ms), each query made
  distinct (a different ``LIMIT``) so that no cache answers it;
- throughput with wrk at 8 and 32 connections: the repeated mix (cache hits for cnamkg)
  and distinct queries (cache misses), with p50/p99 and errors;
- cnamkg's entity page and ``/data`` p50/p95, and pages/s under wrk;
- peak RSS (process and children) while under load.

Results: Markdown on stdout and JSON in ``bench/results/sparql_mix_{N}.json``.
Run: ``.venv/bin/python bench/sparql_mix.py --triples 100000`` (``--peers`` to choose).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
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
ID = "https://w3id.org/cnamkg/id/"
PFX = """PREFIX schema: <https://schema.org/> PREFIX cnamkg: <https://w3id.org/cnamkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> """
ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9"
STARTERS = {
    "oxigraph": P.start_oxigraph,
    "virtuoso": P.start_virtuoso,
    "rdflib-endpoint": P.start_rdflib_endpoint,
}

#: The mix: name → query ({n} is replaced to make a distinct query when asked).
MIX = {
    "describe": "DESCRIBE <" + ID + "organization/organization-7>",
    "incoming": "SELECT ?s ?p WHERE { ?s ?p <" + ID + "organization/organization-3> } LIMIT {n}",
    "label search": PFX
    + 'SELECT ?s ?l WHERE { ?s rdfs:label ?l FILTER(CONTAINS(LCASE(?l), "climat")) } LIMIT {n}',
    "consortium": PFX
    + "SELECT ?role ?org WHERE { VALUES ?role { cnamkg:coordinator cnamkg:partner } <"
    + ID
    + "project/project-5> ?role ?org } LIMIT {n}",
    "counts per class": "SELECT ?c (COUNT(?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c LIMIT {n}",
    "projects per programme": PFX
    + "SELECT ?prog (COUNT(?p) AS ?n) WHERE { ?p cnamkg:selectedIn ?call . "
    "?call dcterms:isPartOf ?prog } GROUP BY ?prog LIMIT {n}",
    "events in a range": PFX
    + "SELECT ?e ?d WHERE { ?e a schema:Event ; schema:startDate ?d "
    + 'FILTER(?d >= "2023-01-01"^^xsd:date && ?d < "2023-07-01"^^xsd:date) } LIMIT {n}',
    "three-hop join": PFX
    + "SELECT ?p ?t WHERE { ?p cnamkg:coordinator ?o . "
    + "?e schema:organizer ?o ; schema:about ?t } LIMIT {n}",
    "construct neighbourhood": "CONSTRUCT { <"
    + ID
    + "organization/organization-2> ?p ?o . ?s ?q <"
    + ID
    + "organization/organization-2> } WHERE { { <"
    + ID
    + "organization/organization-2> ?p ?o } UNION { ?s ?q <"
    + ID
    + "organization/organization-2> } }",
    "big select": "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT {n}",
}
LIMITS = {"big select": 10000}


def _query(session: requests.Session, endpoint: str, text: str, timeout_s: float) -> None:
    graph = text.lstrip().startswith(("CONSTRUCT", "DESCRIBE"))
    accept = "application/n-triples" if graph else "application/sparql-results+json"
    r = session.get(endpoint, params={"query": text}, headers={"Accept": accept}, timeout=timeout_s)
    if r.status_code != 200:
        raise RuntimeError(f"{endpoint} {r.status_code}: {r.text[:200]}")


def _text(name: str, n: int) -> str:
    return MIX[name].replace("{n}", str(n))


def _p50_p95(times: list[float]) -> tuple[float, float]:
    times = sorted(times)
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


def _latency(endpoint: str, repeat: int, timeout_s: float) -> dict[str, object]:
    out: dict[str, object] = {}
    with requests.Session() as s:
        for name in MIX:
            times = []
            try:
                for i in range(repeat):
                    # distinct each time: the latency of evaluation, not of a cache
                    text = _text(name, LIMITS.get(name, 1000) + i)
                    t = time.perf_counter()
                    _query(s, endpoint, text, timeout_s)
                    times.append((time.perf_counter() - t) * 1000)
                out[name] = _p50_p95(times)
            except (requests.RequestException, RuntimeError) as exc:
                out[name] = f"failed: {str(exc)[:120]}"
    return out


def _paths(endpoint: str) -> list[str]:
    path = urllib.parse.urlsplit(endpoint).path
    return [
        path + "?query=" + urllib.parse.quote(MIX[name].replace("{n}", "{n}"), safe="{}")
        for name in MIX
    ]


class PeakRss:
    """Samples a process tree's RSS every 0.2 s in a thread; ``peak`` in kB."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak = pid, P.rss_kb(pid)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            self.peak = max(self.peak, P.rss_kb(self.pid))

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def measure(peer: P.Peer, args: argparse.Namespace, triples: int) -> dict[str, object]:
    """Everything measured on one running server."""
    slow = peer.name == "rdflib-endpoint"
    rss = PeakRss(peer.process.pid)
    result: dict[str, object] = {
        "load s": peer.load_s,
        "load triples/s": round(triples / peer.load_s) if peer.load_s else None,
        "cold start s": round(peer.start_s, 2),
        **{k: round(v, 2) for k, v in peer.extra.items()},
    }
    result["latency ms (p50, p95)"] = _latency(
        peer.endpoint, 3 if slow else args.repeat, 300 if slow else 60
    )
    paths = _paths(peer.endpoint)
    for c in args.connections:
        for kind in ("repeated", "distinct"):
            result[f"wrk {kind} c={c}"] = wrk.run(
                peer.base,
                paths,
                connections=c,
                seconds=args.seconds,
                distinct=kind == "distinct",
                fixed=LIMITS_FIXED,
                accept=ACCEPT,
            )
    if peer.name == "cnamkg":
        result.update(_pages(peer, args))
    result["peak rss kB"] = rss.stop()
    return result


#: The LIMIT of the repeated mix.
LIMITS_FIXED = 1000


def _pages(peer: P.Peer, args: argparse.Namespace) -> dict[str, object]:
    """Entity pages and ``/data``: 50 entities visited five times in turn. The first
    round is cold (each answer computed: the answer cache misses); rounds 4 and 5 are warm
    (by then every worker has had each page, in the common case). Then wrk at each
    connection count over the same 50 pages (warm)."""
    out: dict[str, object] = {}
    with requests.Session() as s:
        for label, template in (
            ("page", "/page/organization/organization-{i}"),
            ("data", "/data/organization/organization-{i}.ttl"),
        ):
            rounds: list[list[float]] = []
            for _ in range(5):
                times = []
                for i in range(50):
                    t = time.perf_counter()
                    s.get(peer.base + template.format(i=i), timeout=60).raise_for_status()
                    times.append((time.perf_counter() - t) * 1000)
                rounds.append(times)
            out[f"{label} cold ms (p50, p95)"] = _p50_p95(rounds[0])
            out[f"{label} warm ms (p50, p95)"] = _p50_p95(rounds[3] + rounds[4])
    pages = [f"/page/organization/organization-{i}" for i in range(50)]
    for c in args.connections:
        out[f"wrk pages c={c}"] = wrk.run(
            peer.base, pages, connections=c, seconds=args.seconds, accept="text/html"
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--triples", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=21)
    parser.add_argument("--connections", type=int, nargs="+", default=[8, 32])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2, help="cnamkg serve --workers")
    parser.add_argument(
        "--peers", nargs="*", default=list(STARTERS), choices=list(STARTERS), help="peers to run"
    )
    parser.add_argument("--work", type=Path, default=REPO / "var" / "bench")
    args = parser.parse_args()
    work = args.work / f"{args.triples}"
    ttl = P.generated(args.triples, work)
    data = ttl.parent
    triples = sum(1 for _ in __import__("pyoxigraph").parse(path=str(ttl)))
    results: dict[str, object] = {
        "triples": triples,
        "connections": args.connections,
        "seconds": args.seconds,
        "cnamkg workers": args.workers,
    }
    out = REPO / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    # one server at a time: each has the machine's two cores to itself
    for name in ["cnamkg", *args.peers]:
        print(f"[{args.triples}] {name}…", file=sys.stderr, flush=True)
        try:
            peer = (
                P.start_cnamkg(data, work, workers=args.workers)
                if name == "cnamkg"
                else STARTERS[name](ttl, work)
            )
        except (RuntimeError, OSError, subprocess.CalledProcessError) as exc:
            detail = getattr(exc, "stderr", None) or b""
            results[name] = {"error": f"{exc} {detail[-300:]!r}"[:600]}
            print(f"  {name} failed to start: {results[name]}", file=sys.stderr)
            continue
        try:
            results[name] = measure(peer, args, triples)
        finally:
            peer.stop()
        # written after each server: a long run interrupted keeps what it measured
        (out / f"sparql_mix_{args.triples}.json").write_text(json.dumps(results, indent=2))
    print(report(results))


def _fmt(v: object) -> str:
    if isinstance(v, (list, tuple)):
        return f"{v[0]:.1f} / {v[1]:.1f}"
    if isinstance(v, float):
        return f"{v:.1f}"
    return str(v) if v is not None else "–"


def report(results: dict[str, object]) -> str:
    """The Markdown tables of one run."""
    names = [n for n in results if isinstance(results[n], dict)]
    lines = [f"\n## {results['triples']:,} triples\n"]
    lines.append("| query p50 / p95 ms | " + " | ".join(names) + " |")
    lines.append("|---" * (len(names) + 1) + "|")
    for q in MIX:
        row = [_fmt(results[n].get("latency ms (p50, p95)", {}).get(q)) for n in names]  # type: ignore[union-attr]
        lines.append(f"| {q} | " + " | ".join(row) + " |")
    keys: list[str] = []
    for n in names:
        keys += [k for k in results[n] if k not in keys and k != "latency ms (p50, p95)"]  # type: ignore[union-attr]
    lines.append("\n| measure | " + " | ".join(names) + " |")
    lines.append("|---" * (len(names) + 1) + "|")
    for k in keys:
        cells = []
        for n in names:
            v = results[n].get(k)  # type: ignore[union-attr]
            if isinstance(v, dict) and "req/s" in v:
                v = (
                    f"{v['req/s']:.0f} req/s (p50 {v['p50 ms']:.1f}, "
                    f"p99 {v['p99 ms']:.1f} ms, {v['errors']} err)"
                )
            cells.append(_fmt(v))
        lines.append(f"| {k} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
