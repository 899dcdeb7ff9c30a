"""How an entity page scales with the number of links pointing to it.

Builds, in memory, the fixture dataset plus a hub that N organisations point to (N = 10³,
10⁴, 10⁵), then times the hub's HTML page (one slice of incoming links per property) and
its RDF description (every incoming triple) through the Flask app, and reports medians
and sizes. Run: ``.venv/bin/python bench/hub_page.py [--repeat 15]``.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from cnamkg.web.app import create_app  # noqa: E402
from conftest import FIXTURE, fixture_settings  # noqa: E402

HUB = "https://w3id.org/cnamkg/id/organization/hub"
HEAD = """@prefix ex: <http://example.org/vocab#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
"""


def _dataset(folder: Path, n: int) -> None:
    for f in (FIXTURE / "data").glob("*.ttl"):
        shutil.copy(f, folder)
    lines = [
        HEAD,
        f'<{HUB}> a ex:Person ; rdfs:label "Le hub"@fr , "The hub"@en ; '
        "dcterms:source <https://w3id.org/cnamkg/id/document/fixture> .",
    ]
    lines += [
        f'<https://w3id.org/cnamkg/id/organization/m{i}> a ex:Person ; rdfs:label "M {i}"@fr , '
        f'"M {i}"@en ; ex:memberOf <{HUB}> ; '
        "dcterms:source <https://w3id.org/cnamkg/id/document/fixture> ."
        for i in range(n)
    ]
    (folder / "hub.ttl").write_text("\n".join(lines), encoding="utf-8")


def _median_ms(client, url: str, repeat: int) -> tuple[float, int]:
    sizes = []
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        r = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert r.status_code == 200, (url, r.status_code)
        sizes.append(len(r.data))
    return statistics.median(times), sizes[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--sizes", default="1000,10000,100000")
    args = parser.parse_args()
    print(
        "links | page ms (median) | page KB | page 2 ms (median) | data.nt ms (median) | data.nt KB"
    )
    for n in (int(x) for x in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            _dataset(Path(tmp), n)
            # the bench measures serving, not validation: shapes of the fixture are skipped
            app = create_app(fixture_settings(data_dir=Path(tmp)))
            client = app.test_client()
            page_ms, page_size = _median_ms(client, "/page/organization/hub?lang=en", args.repeat)
            via = "?lang=en&via=http%3A%2F%2Fexample.org%2Fvocab%23memberOf&page=2"
            page2_ms, _ = _median_ms(client, "/page/organization/hub" + via, args.repeat)
            data_ms, data_size = _median_ms(
                client, "/data/organization/hub.nt", max(3, args.repeat // 5)
            )
            print(
                f"{n:>14,} | {page_ms:>14.1f} | {page_size / 1024:>7.1f} | {page2_ms:>16.1f} "
                f"| {data_ms:>17.1f} | {data_size / 1024:>10.1f}"
            )


if __name__ == "__main__":
    main()
