"""Reconciliation and validation as services (issue 7): how long a user waits.

- ``/reconcile``: the sample CSV of organisation names (tests/data/reconcile) as one
  batch of 14 queries, as OpenRefine sends it: the first batch of a worker (which reads
  every name of the dataset into its index) and the median of the next ones; a suggest
  request.
- ``/validate``: 1,000 and 5,000 triples of organisations (the size limit), through the
  service (a validation process, the report in Turtle), beside pySHACL called directly on
  the same data in one process — the library alone, our peer here.

In process (Flask's test client on the embedded store of each dataset), one request at a
time; medians of ``--runs`` repetitions. Prints Markdown, writes
``bench/results/reconcile.json``.

    .venv/bin/python bench/reconcile.py [--datasets seed 1000000] [--runs 7]
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import sys
import time
from pathlib import Path

import rdflib

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from cnamkg.pipeline.build import build  # noqa: E402
from cnamkg.pipeline.load import parse_files, rdf_files  # noqa: E402
from cnamkg.pipeline.validate import rdflib_graph, shacl_report  # noqa: E402
from cnamkg.settings import Settings  # noqa: E402
from cnamkg.web.app import create_app  # noqa: E402

RESULTS = ROOT / "bench" / "results"
SAMPLE = ROOT / "tests" / "data" / "reconcile" / "organisations.csv"
ID = "https://w3id.org/cnamkg/id/"


def _settings(dataset: str) -> Settings:
    if dataset == "seed":
        store = ROOT / "var" / "bench" / "reconcile-seed"
        return Settings(store=f"oxigraph:{store}")
    folder = ROOT / "var" / "bench" / dataset
    return Settings(store=f"oxigraph:{folder / 'store'}", data_dir=folder / "data")


def _batch() -> str:
    with SAMPLE.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    queries = {
        f"q{i}": {"query": row["name"], "type": "organization", "type_strict": "should"}
        for i, row in enumerate(rows)
    }
    return json.dumps(queries)


def _upload(n_orgs: int) -> str:
    head = (
        "@prefix org: <http://www.w3.org/ns/org#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "@prefix dcterms: <http://purl.org/dc/terms/> .\n"
    )
    return head + "".join(
        f'<{ID}organization/u{i}> a org:Organization ; rdfs:label "U{i}"@fr , "U{i}"@en ; '
        f"dcterms:source <{ID}document/communique-journee-ia> .\n"
        for i in range(n_orgs)
    )


def _ms(call) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000


def measure(dataset: str, runs: int) -> dict[str, float]:
    settings = _settings(dataset)
    if dataset == "seed":
        build(settings, Path(settings.store.removeprefix("oxigraph:")))
    client = create_app(settings).test_client()
    batch = _batch()

    def reconcile() -> None:
        r = client.post("/reconcile", data={"queries": batch})
        assert r.status_code == 200, r.status_code

    out: dict[str, float] = {"first batch ms": _ms(reconcile)}
    out["batch p50 ms"] = statistics.median(_ms(reconcile) for _ in range(runs))
    # a distinct cursor each time: the same search, answered, not read from the cache
    cursors = iter(range(runs))

    def suggest() -> None:
        args = {"prefix": "univ", "cursor": str(next(cursors))}
        r = client.get("/reconcile/suggest/entity", query_string=args)
        assert r.status_code == 200, r.status_code

    out["suggest p50 ms"] = statistics.median(_ms(suggest) for _ in range(runs))
    shape_paths = rdf_files(settings.shapes_dir)
    onto_paths = rdf_files(settings.ontology_dir)
    shapes = rdflib_graph(parse_files(shape_paths, {p: "urn:s" for p in shape_paths}))
    ontology = rdflib_graph(parse_files(onto_paths, {p: "urn:o" for p in onto_paths}))
    for n_orgs in (250, 1_250):  # 1,000 and 5,000 triples
        text = _upload(n_orgs).encode()

        def service(text: bytes = text) -> None:
            r = client.post("/validate", data=text, content_type="text/turtle")
            assert r.status_code == 200, r.get_data(as_text=True)[:200]

        service()  # the validation process starts
        out[f"validate {n_orgs * 4} service p50 ms"] = statistics.median(
            _ms(service) for _ in range(3)
        )
        out[f"validate {n_orgs * 4} pyshacl p50 ms"] = statistics.median(
            _ms(
                lambda text=text: shacl_report(
                    rdflib.Graph().parse(data=text, format="turtle"), shapes, ontology
                )
            )
            for _ in range(3)
        )
    client.application.extensions["cnamkg.validation_runner"].close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", nargs="+", default=["seed", "1000000"])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    results = {d: measure(d, args.runs) for d in args.datasets}
    keys = list(next(iter(results.values())))
    print("| measure | " + " | ".join(args.datasets) + " |")
    print("|---|" + "---|" * len(args.datasets))
    for k in keys:
        print(f"| {k} | " + " | ".join(f"{results[d][k]:.1f}" for d in args.datasets) + " |")
    for d, r in results.items():
        for n in (1000, 5000):
            ratio = r[f"validate {n} service p50 ms"] / r[f"validate {n} pyshacl p50 ms"]
            print(f"\n{d}: validate {n} triples, service / pySHACL alone = {ratio:.2f}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "reconcile.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
