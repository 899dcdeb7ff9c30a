"""Cold start at 10⁷ triples (issue 5 §4 target: ≤ 2 s), beside Oxigraph server.

``cnamkg build`` validates with pyshacl, which at 10⁷ triples needs about 26 GB (it
grows linearly: 2.6 GB at 10⁶), more than this machine has. So this script lays out the
build the way ``cnamkg build`` does — ``current`` → ``build-…/db`` holding each triple in
its named graph and in the union default graph, ``meta.json`` with the sources' digest
and file stats — by pyoxigraph's bulk loader, **without validation, statistics or
dumps** (the data is generated to pass the shapes, as checked at 10⁶). Then it measures

- ``cnamkg serve``: launch → ``/readyz`` answers 200, and → first entity page;
- the first visit (cold) of 50 entity pages, p50/p95;
- Oxigraph server (``oxigraph load`` then ``serve-read-only``): launch → first answer.

Run: ``.venv/bin/python bench/cold_start.py --triples 10000000`` (generation and loading
take several minutes; about 5 GB of disk).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
import peers as P  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def layout_build(settings: object, store_dir: Path, ttl: Path, graph: str) -> float:
    """The on-disk layout of a cnamkg build of ``ttl`` (no validation); load time (s)."""
    from dataclasses import asdict

    from cnamkg.pipeline.build import CURRENT, DB, META, current_digest, source_stats
    from cnamkg.store.base import DatasetInfo

    shutil.rmtree(store_dir, ignore_errors=True)
    folder = store_dir / "build-bench"
    folder.mkdir(parents=True)
    t = time.perf_counter()
    store = ox.Store(str(folder / DB))
    store.bulk_load(path=str(ttl), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(graph))
    store.bulk_load(path=str(ttl), format=ox.RdfFormat.TURTLE, to_graph=ox.DefaultGraph())
    store.flush()
    del store
    load_s = time.perf_counter() - t
    info = DatasetInfo(current_digest(settings), "2026-11-30T00:00:00+00:00", (graph,))  # type: ignore[arg-type]
    meta = {**asdict(info), "sources": source_stats(settings)}  # type: ignore[arg-type]
    (folder / META).write_text(json.dumps(meta, indent=2))
    (store_dir / CURRENT).symlink_to(folder.name)
    return load_s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--triples", type=int, default=10_000_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--work", type=Path, default=REPO / "var" / "bench")
    args = parser.parse_args()
    work = args.work / f"{args.triples}"
    ttl = P.generated(args.triples, work)
    data = ttl.parent
    from cnamkg.settings import Settings

    env = {
        **os.environ,
        "CNAMKG_DATA_DIR": str(data),
        "CNAMKG_STORE": f"oxigraph:{work / 'store-cold'}",
    }
    settings = Settings(store=env["CNAMKG_STORE"], data_dir=data)
    result: dict[str, object] = {"triples (generated)": args.triples}
    result["cnamkg layout load s"] = layout_build(
        settings, work / "store-cold", ttl, "https://w3id.org/cnamkg/graph/generated"
    )
    port = P.free_port()
    base = f"http://127.0.0.1:{port}"
    t = time.perf_counter()
    proc = subprocess.Popen(
        [str(BIN / "cnamkg"), "serve", "--port", str(port), "--workers", str(args.workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        result["cnamkg cold start s (readyz)"] = P.wait_answering(base + "/readyz", proc)
        requests.get(base + "/page/organization/organization-1", timeout=60).raise_for_status()
        result["cnamkg cold start s (first entity page)"] = time.perf_counter() - t
        times = []
        with requests.Session() as s:
            for i in range(2, 52):
                t1 = time.perf_counter()
                s.get(f"{base}/page/organization/organization-{i}", timeout=60).raise_for_status()
                times.append((time.perf_counter() - t1) * 1000)
        times.sort()
        result["cnamkg cold page ms (p50, p95)"] = (
            statistics.median(times),
            times[int(0.95 * (len(times) - 1))],
        )
        result["cnamkg rss kB"] = P.rss_kb(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    peer = P.start_oxigraph(ttl, work)
    try:
        result["oxigraph load s"] = peer.load_s
        result["oxigraph cold start s"] = peer.start_s
        result["oxigraph rss kB"] = P.rss_kb(peer.process.pid)
    finally:
        peer.stop()
    out = REPO / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"cold_start_{args.triples}.json").write_text(json.dumps(result, indent=2))
    for k, v in result.items():
        print(f"| {k} | {v} |")


if __name__ == "__main__":
    main()
