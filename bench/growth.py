"""How each figure grows with the dataset (issue 5 §5): the benchmark at several scales,
one table, and a log-log plot (PNG) in ``bench/results/``.

Runs ``bench/sparql_mix.py`` for each ``--scales`` (unless its JSON result exists and
``--reuse`` is given), then reads ``bench/results/sparql_mix_{N}.json`` and writes
``growth.md`` and ``growth.png``: per server, query p50 of each mix query, entity page
p50, cold start, load time and peak RSS against the number of triples.

Run everything with one command: ``bench/run.sh`` (setup, then this script).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"


def _value(result: dict, key: str) -> float | None:  # type: ignore[type-arg]
    v = result.get(key)
    if isinstance(v, list | tuple):
        return float(v[0])
    if isinstance(v, int | float):
        return float(v)
    if isinstance(v, dict) and "req/s" in v:
        return float(v["req/s"])
    return None


#: (title, unit, key in a server's result or a mix query name)
SERIES = [
    ("entity page p50, cold", "ms", "page cold ms (p50, p95)"),
    ("entity page p50, warm", "ms", "page warm ms (p50, p95)"),
    ("/data p50, cold", "ms", "data cold ms (p50, p95)"),
    ("describe p50", "ms", "describe"),
    ("counts per class p50", "ms", "counts per class"),
    ("three-hop join p50", "ms", "three-hop join"),
    ("throughput, distinct, 8 conn.", "req/s", "wrk distinct c=8"),
    ("throughput, repeated, 8 conn.", "req/s", "wrk repeated c=8"),
    ("cold start", "s", "cold start s"),
    ("load", "s", "load s"),
    ("peak RSS", "kB", "peak rss kB"),
]


def collect(scales: list[int]) -> dict[int, dict]:  # type: ignore[type-arg]
    """The stored results per scale (only the scales that have one), with the cold starts
    that ``cold_start.py`` measured at larger scales (10⁷) as runs of their own."""
    runs = {}
    for n in scales:
        path = RESULTS / f"sparql_mix_{n}.json"
        if path.exists():
            runs[n] = json.loads(path.read_text())
    for path in sorted(RESULTS.glob("cold_start_*.json")):
        cold = json.loads(path.read_text())
        n = int(cold["triples (generated)"])
        if n not in runs:
            runs[n] = {
                "triples": n,
                "cnamkg": {
                    "cold start s": cold["cnamkg cold start s (readyz)"],
                    "page cold ms (p50, p95)": cold["cnamkg cold page ms (p50, p95)"],
                },
                "oxigraph": {
                    "cold start s": cold["oxigraph cold start s"],
                    "load s": cold["oxigraph load s"],
                },
            }
    return runs


#: One colour per server in every panel.
COLOURS = {
    "cnamkg": "tab:blue",
    "oxigraph": "tab:orange",
    "virtuoso": "tab:red",
    "rdflib-endpoint": "tab:green",
}


def series(runs: dict[int, dict], key: str) -> dict[str, list[tuple[int, float]]]:  # type: ignore[type-arg]
    """server → [(triples, value)] for one figure."""
    out: dict[str, list[tuple[int, float]]] = {}
    for run in runs.values():
        for server, result in run.items():
            if not isinstance(result, dict) or "error" in result:
                continue
            v = _value(result.get("latency ms (p50, p95)", {}), key)
            if v is None:
                v = _value(result, key)
            if v is not None:
                out.setdefault(server, []).append((int(run["triples"]), v))
    return out


def table(runs: dict[int, dict]) -> str:  # type: ignore[type-arg]
    """Markdown: one row per figure and server, one column per scale."""
    sizes = sorted(int(r["triples"]) for r in runs.values())
    lines = ["| figure | server | " + " | ".join(f"{n:,}" for n in sizes) + " |"]
    lines.append("|---|---|" + "---|" * len(sizes))
    for title, unit, key in SERIES:
        for server, points in series(runs, key).items():
            by = dict(points)
            cells = [f"{by[n]:.1f}" if n in by else "–" for n in sizes]
            lines.append(f"| {title} ({unit}) | {server} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def plot(runs: dict[int, dict], path: Path) -> None:  # type: ignore[type-arg]
    """A grid of log-log panels, one per figure, one line per server."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(3, 4, figsize=(18, 12))
    for ax in axes.flat[len(SERIES) :]:
        ax.set_visible(False)
    for ax, (title, unit, key) in zip(axes.flat, SERIES, strict=False):
        for server, points in sorted(series(runs, key).items()):
            points.sort()
            ax.plot(
                [p[0] for p in points],
                [p[1] for p in points],
                marker="o",
                label=server,
                color=COLOURS.get(server),
            )
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_title(title)
        ax.set_xlabel("triples")
        ax.set_ylabel(unit)
        ax.grid(True, which="both", alpha=0.3)
    handles, labels = [], []
    for ax in axes.flat:
        for h, label in zip(*ax.get_legend_handles_labels(), strict=True):
            if label not in labels:
                handles.append(h)
                labels.append(label)
    fig.legend(handles, labels, loc="upper center", ncol=len(labels))
    fig.tight_layout(rect=(0, 0, 1, 0.94))
    fig.savefig(path, dpi=90)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scales", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--reuse", action="store_true", help="keep existing results")
    parser.add_argument("--peers", nargs="*", help="passed to sparql_mix.py")
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    for n in args.scales:
        if args.reuse and (RESULTS / f"sparql_mix_{n}.json").exists():
            continue
        command = [sys.executable, str(REPO / "bench" / "sparql_mix.py"), "--triples", str(n)]
        command += ["--seconds", str(args.seconds)]
        if args.peers is not None:
            command += ["--peers", *args.peers]
        subprocess.run(command, check=True)
    runs = collect(args.scales)
    RESULTS.mkdir(parents=True, exist_ok=True)
    text = table(runs)
    (RESULTS / "growth.md").write_text(text + "\n")
    plot(runs, RESULTS / "growth.png")
    print(text)
    print(f"\nplot: {RESULTS / 'growth.png'}")


if __name__ == "__main__":
    main()
