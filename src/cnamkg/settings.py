"""Every setting of cnamkg, declared once: name, default, unit and help.

Settings are read from ``CNAMKG_*`` environment variables (:meth:`Settings.from_env`) and
can be overridden by keyword in tests (:meth:`Settings.with_overrides`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

#: The repository root when running from a checkout (``src/cnamkg/settings.py`` → ``../..``).
REPO_ROOT = Path(__file__).resolve().parents[2]


def _setting(default: Any, help_text: str, unit: str = "") -> Any:
    return field(default=default, metadata={"help": help_text, "unit": unit})


@dataclass(frozen=True)
class Settings:
    """The configuration of one cnamkg instance.

    Each field maps to the environment variable ``CNAMKG_<FIELD NAME IN UPPER CASE>``.
    """

    base_iri: str = _setting(
        "https://w3id.org/cnamkg/", "Namespace base of every IRI the dataset mints (ends with /)."
    )
    store: str = _setting(
        "oxigraph:var/store",
        "Store backend: 'oxigraph:PATH' (embedded, on disk) or 'memory' (rdflib, in memory).",
    )
    data_dir: Path = _setting(REPO_ROOT / "data", "Folder of curated data files (*.ttl).")
    ontology_dir: Path = _setting(REPO_ROOT / "ontology", "Folder of ontology files (*.ttl).")
    shapes_dir: Path = _setting(REPO_ROOT / "shapes", "Folder of SHACL shape files (*.ttl).")
    queries_dir: Path = _setting(
        REPO_ROOT / "queries", "Folder of example queries (*.rq, with fr/en title and description)."
    )
    max_query_bytes: int = _setting(
        100_000, "Largest SPARQL query text accepted by /sparql.", "bytes"
    )
    max_query_depth: int = _setting(
        100, "Deepest nesting of groups, brackets and parentheses accepted in a query.", "levels"
    )
    max_body_bytes: int = _setting(1_000_000, "Largest request body accepted.", "bytes")
    max_request_line_bytes: int = _setting(
        8_190,
        "Longest request line (method, URL, version) accepted; longer: 414. gunicorn "
        "accepts at most 8190.",
        "bytes",
    )
    max_header_bytes: int = _setting(8_190, "Longest request header field accepted.", "bytes")
    federation_allowlist: str = _setting(
        "",
        "Space-separated SPARQL endpoint IRIs that SERVICE may call (empty: SERVICE is "
        "refused). A non-empty list also lifts the workers' egress sandbox.",
    )
    query_deadline_s: float = _setting(
        30.0, "Wall-clock deadline of a SPARQL query; past it the query is stopped.", "seconds"
    )
    evaluator_start_s: float = _setting(
        60.0, "Time allowed for a query evaluator process to open the store.", "seconds"
    )
    query_memory_mb: float = _setting(
        2048.0,
        "Address space a query evaluator process may use (RLIMIT_AS); a query needing more "
        "is stopped and answered 400. 0: no limit.",
        "MB",
    )
    workers: int = _setting(
        2, "gunicorn worker processes of `cnamkg serve` (about two per core).", "processes"
    )
    worker_timeout_s: float = _setting(
        120.0,
        "A worker busy for this long on one request is killed and replaced by gunicorn; "
        "must exceed evaluator_start_s + query_deadline_s.",
        "seconds",
    )
    graceful_timeout_s: float = _setting(
        30.0,
        "On SIGTERM, time the requests in flight have to finish before their workers are killed.",
        "seconds",
    )
    cache_mb: float = _setting(
        64.0,
        "Size of each worker's cache of answers (pages, SPARQL results) for the dataset "
        "version being served; 0 turns it off.",
        "MB",
    )

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        """Read every ``CNAMKG_*`` variable present in ``environ`` (default ``os.environ``).

        :raises ValueError: a variable holds a value of the wrong type (e.g. not an integer).
        """
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(f"CNAMKG_{f.name.upper()}")
            if raw is None:
                continue
            if f.type in ("float", float):
                try:
                    values[f.name] = float(raw)
                except ValueError as exc:
                    raise ValueError(f"CNAMKG_{f.name.upper()} must be a number: {raw!r}") from exc
            elif f.type in ("int", int):
                try:
                    values[f.name] = int(raw)
                except ValueError as exc:
                    raise ValueError(
                        f"CNAMKG_{f.name.upper()} must be an integer: {raw!r}"
                    ) from exc
            elif f.type in ("Path", Path):
                values[f.name] = Path(raw)
            else:
                values[f.name] = raw
        return cls(**values)

    def with_overrides(self, **changes: Any) -> Settings:
        """A copy with some fields changed (keyword names are field names)."""
        return replace(self, **changes)
