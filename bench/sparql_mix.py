"""cnamkg's SPARQL endpoint and pages side by side with Oxigraph server, on one generated
dataset, in one run (issue 5 §4, first part: the Oxigraph peer).

For N triples (``--triples``): generate the data (bench/generate.py), build cnamkg's
embedded store, load the same file into an Oxigraph server (the ``oxigraph`` CLI), start
both on loopback, then measure

- per query of a ten-query mix, sequential p50/p95 latency (ms) on each server;
- throughput (requests/s) of the mix at C concurrent clients for D seconds, with the
  repeated mix (cache hits for cnamkg) and with distinct queries (every query different:
  cache misses);
- cnamkg's entity page p50/p95.

Clients are Python threads with keep-alive sessions (a bounded, loopback-only client;
wrk is not needed). Results: a Markdown table on stdout and JSON in ``bench/results/``.
Run: ``.venv/bin/python bench/sparql_mix.py --triples 100000``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ID = "https://w3id.org/cnamkg/id/"
P = """PREFIX schema: <https://schema.org/> PREFIX cnamkg: <https://w3id.org/cnamkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> """

#: The mix: name → query ({n} is replaced to make a distinct query when asked).
MIX = {
    "describe": "DESCRIBE <" + ID + "organization/organization-7>",
    "incoming": "SELECT ?s ?p WHERE { ?s ?p <" + ID + "organization/organization-3> } LIMIT {n}",
    "label search": P
    + 'SELECT ?s ?l WHERE { ?s rdfs:label ?l FILTER(CONTAINS(LCASE(?l), "climat")) } LIMIT {n}',
    "consortium": P
    + "SELECT ?role ?org WHERE { VALUES ?role { cnamkg:coordinator cnamkg:partner } <"
    + ID
    + "project/project-5> ?role ?org } LIMIT {n}",
    "counts per class": "SELECT ?c (COUNT(?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c LIMIT {n}",
    "projects per programme": P
    + "SELECT ?prog (COUNT(?p) AS ?n) WHERE { ?p cnamkg:selectedIn ?call . "
    "?call dcterms:isPartOf ?prog } GROUP BY ?prog LIMIT {n}",
    "events in a range": P
    + "SELECT ?e ?d WHERE { ?e a schema:Event ; schema:startDate ?d "
    + 'FILTER(?d >= "2023-01-01"^^xsd:date && ?d < "2023-07-01"^^xsd:date) } LIMIT {n}',
    "three-hop join": P
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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(url: str, proc: subprocess.Popen[bytes], timeout: float = 300) -> float:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if proc.poll() is not None:
            raise RuntimeError(f"{url}: server exited")
        try:
            if requests.get(url, timeout=2).status_code < 500:
                return time.monotonic() - start
        except requests.ConnectionError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"{url}: no answer")


def _query(session: requests.Session, endpoint: str, text: str) -> None:
    graph = text.lstrip().startswith(("CONSTRUCT", "DESCRIBE"))
    accept = "application/n-triples" if graph else "application/sparql-results+json"
    r = session.get(endpoint, params={"query": text}, headers={"Accept": accept}, timeout=60)
    if r.status_code != 200:
        raise RuntimeError(f"{endpoint} {r.status_code}: {r.text[:200]}")


def _text(name: str, n: int) -> str:
    return MIX[name].replace("{n}", str(n))


def _latency(endpoint: str, repeat: int) -> dict[str, tuple[float, float]]:
    out = {}
    with requests.Session() as s:
        for name in MIX:
            times = []
            for i in range(repeat):
                # distinct each time (a different LIMIT): the latency of evaluation, not cache
                text = _text(name, LIMITS.get(name, 1000) + i)
                t = time.perf_counter()
                _query(s, endpoint, text)
                times.append((time.perf_counter() - t) * 1000)
            times.sort()
            out[name] = (statistics.median(times), times[int(0.95 * (len(times) - 1))])
    return out


def _throughput(endpoint: str, clients: int, seconds: float, distinct: bool) -> float:
    done = [0] * clients
    stop = time.monotonic() + seconds
    counter = iter(range(10**9))
    lock = threading.Lock()

    def run(k: int) -> None:
        with requests.Session() as s:
            names = list(MIX)
            i = k
            while time.monotonic() < stop:
                name = names[i % len(names)]
                if distinct:
                    with lock:
                        n = LIMITS.get(name, 1000) + 1000 + next(counter)
                else:
                    n = LIMITS.get(name, 1000)
                _query(s, endpoint, _text(name, n))
                done[k] += 1
                i += 1

    threads = [threading.Thread(target=run, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(done) / seconds


def _rss_kb(pid: int) -> int:
    """Resident memory of a process and its children (kB), from /proc."""
    total = 0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--triples", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=21)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--workers", type=int, default=2, help="cnamkg serve --workers")
    parser.add_argument("--work", type=Path, default=REPO / "var" / "bench")
    args = parser.parse_args()
    work = args.work / f"{args.triples}"
    data = work / "data"
    if not (data / "generated.ttl").exists():
        subprocess.run(
            [
                sys.executable,
                str(REPO / "bench" / "generate.py"),
                "--triples",
                str(args.triples),
                "--out",
                str(data),
            ],
            check=True,
        )
    env = {**os.environ, "CNAMKG_DATA_DIR": str(data), "CNAMKG_STORE": f"oxigraph:{work / 'store'}"}
    t = time.perf_counter()
    subprocess.run([str(BIN / "cnamkg"), "build"], env=env, check=True, capture_output=True)
    build_s = time.perf_counter() - t
    ox_db = work / "oxigraph"
    if not ox_db.exists():
        t = time.perf_counter()
        subprocess.run(
            [
                str(BIN / "oxigraph"),
                "load",
                "--location",
                str(ox_db),
                "--file",
                str(data / "generated.ttl"),
            ],
            check=True,
            capture_output=True,
        )
        print(f"oxigraph load: {time.perf_counter() - t:.1f} s", file=sys.stderr)
    ours_port, peer_port = _free_port(), _free_port()
    ours = subprocess.Popen(
        [str(BIN / "cnamkg"), "serve", "--port", str(ours_port), "--workers", str(args.workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    peer = subprocess.Popen(
        [
            str(BIN / "oxigraph"),
            "serve-read-only",
            "--location",
            str(ox_db),
            "--bind",
            f"127.0.0.1:{peer_port}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        ours_start = _wait(f"http://127.0.0.1:{ours_port}/readyz", ours)
        peer_start = _wait(f"http://127.0.0.1:{peer_port}/query?query=ASK%7B%7D", peer)
        endpoints = {
            "cnamkg": f"http://127.0.0.1:{ours_port}/sparql",
            "oxigraph server": f"http://127.0.0.1:{peer_port}/query",
        }
        result: dict[str, object] = {
            "triples": args.triples,
            "cnamkg workers": args.workers,
            "cnamkg build s": round(build_s, 2),
            "start s": {"cnamkg": round(ours_start, 2), "oxigraph server": round(peer_start, 2)},
        }
        latency = {name: _latency(url, args.repeat) for name, url in endpoints.items()}
        result["latency ms (p50, p95)"] = latency
        tput = {}
        for name, url in endpoints.items():
            tput[name] = {
                "repeated": _throughput(url, args.clients, args.seconds, distinct=False),
                "distinct": _throughput(url, args.clients, args.seconds, distinct=True),
            }
        result[f"throughput req/s at {args.clients} clients"] = tput
        with requests.Session() as s:
            times = []
            for i in range(args.repeat * 5):
                url = f"http://127.0.0.1:{ours_port}/page/organization/organization-{i % 50}"
                t = time.perf_counter()
                s.get(url, timeout=30).raise_for_status()
                times.append((time.perf_counter() - t) * 1000)
            times.sort()
            result["cnamkg page ms (p50, p95)"] = (
                statistics.median(times),
                times[int(0.95 * (len(times) - 1))],
            )
        result["rss kB after run"] = {
            "cnamkg": _rss_kb(ours.pid),
            "oxigraph server": _rss_kb(peer.pid),
        }
    finally:
        for proc in (ours, peer):
            proc.terminate()
            proc.wait(timeout=30)
    out = REPO / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"sparql_mix_{args.triples}.json").write_text(json.dumps(result, indent=2))
    print(f"\n## {args.triples:,} triples ({args.clients} clients, {args.seconds:g} s each)\n")
    print("| query | cnamkg p50 ms | p95 | oxigraph server p50 ms | p95 | ratio p50 |")
    print("|---|---|---|---|---|---|")
    for name in MIX:
        a, b = latency["cnamkg"][name], latency["oxigraph server"][name]
        print(f"| {name} | {a[0]:.1f} | {a[1]:.1f} | {b[0]:.1f} | {b[1]:.1f} | {a[0] / b[0]:.2f} |")
    print("\n| throughput req/s | cnamkg | oxigraph server | ratio |")
    print("|---|---|---|---|")
    for kind in ("repeated", "distinct"):
        a, b = tput["cnamkg"][kind], tput["oxigraph server"][kind]
        print(f"| {kind} mix | {a:.0f} | {b:.0f} | {a / b:.2f} |")
    other = {k: v for k, v in result.items() if "latency" not in k and "throughput" not in k}
    print(f"\nother: {json.dumps(other)}")
    shutil.rmtree(work / "store" / "tmp", ignore_errors=True)


if __name__ == "__main__":
    main()
