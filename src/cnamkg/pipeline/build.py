"""Build: validate the sources, then write a new embedded Oxigraph store beside the old one
and switch to it atomically (DESIGN.md, Stores).

Layout of a store folder ``PATH`` (``var/store`` by default)::

    PATH/current            symlink to the build being served
    PATH/build-<digest>/    one build: ``db/`` (Oxigraph files), ``meta.json``, ``dumps/``
                            and ``answers/`` (statistics, :mod:`cnamkg.store.answers`)

A build is written under a temporary name, renamed when complete, and ``current`` is
replaced with ``os.replace`` (atomic on POSIX): a crash at any point leaves the previous
build serving.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from cnamkg import __version__
from cnamkg.errors import StoreUnavailable, ValidationFailed
from cnamkg.pipeline.dumps import write_dumps
from cnamkg.pipeline.load import Sources, load_sources, rdf_files, sources_digest
from cnamkg.pipeline.statistics import record_statistics
from cnamkg.settings import Settings
from cnamkg.store.base import DatasetInfo
from cnamkg.store.oxigraph import OxigraphStore

if TYPE_CHECKING:  # pySHACL (and rdflib) are imported only when sources are validated
    from cnamkg.pipeline.validate import ValidationReport

CURRENT = "current"
DUMPS = "dumps"
META = "meta.json"
DB = "db"
#: Folder of a build's stored answers (:mod:`cnamkg.store.answers`).
ANSWERS = "answers"


@dataclass(frozen=True)
class BuildResult:
    """What a build did.

    :param info: version, time and graphs of the store now current.
    :param path: the build folder.
    :param triples: number of quads written.
    :param rebuilt: False when the sources were unchanged and the existing build was kept.
    :param report: the validation report (``None`` when nothing was rebuilt).
    :param seconds: wall-clock time of each step of a rebuild (``parse and validate``,
        ``load``, ``statistics``, ``dumps``), in seconds.
    """

    info: DatasetInfo
    path: Path
    triples: int
    rebuilt: bool
    report: ValidationReport | None
    seconds: dict[str, float] = field(default_factory=dict)


def source_paths(settings: Settings) -> list[Path]:
    """Every source file the dataset is built from: data, ontology and shapes."""
    return [
        *rdf_files(settings.data_dir),
        *rdf_files(settings.ontology_dir),
        *rdf_files(settings.shapes_dir),
    ]


def current_digest(settings: Settings) -> str:
    """The content digest of the sources as they are on disk now."""
    return sources_digest(source_paths(settings), base_iri=settings.base_iri)


def read_current(store_dir: Path) -> tuple[DatasetInfo, Path] | None:
    """The info and ``db`` folder of the current build, or ``None`` when there is none.

    :raises StoreUnavailable: ``current`` exists but its metadata is unreadable.
    """
    current = store_dir / CURRENT
    if not current.exists():
        return None
    meta_path = current / META
    try:
        meta = json.loads(meta_path.read_text("utf-8"))
        dumps = current.resolve() / DUMPS
        info = DatasetInfo(
            meta["version"],
            meta["built_at"],
            tuple(meta["graphs"]),
            str(dumps) if dumps.is_dir() else None,
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise StoreUnavailable(
            f"{meta_path}: unreadable build metadata ({exc}); run `cnamkg build` to rebuild"
        ) from exc
    return info, current.resolve() / DB


def load_and_validate(settings: Settings) -> tuple[Sources, ValidationReport]:
    """Parse every source and validate the data.

    :raises cnamkg.errors.SourceSyntaxError: a file does not parse.
    :raises ValidationFailed: the data violates the shapes (the report is attached).
    """
    from cnamkg.pipeline.validate import validate_sources

    sources = load_sources(
        base_iri=settings.base_iri,
        data_paths=rdf_files(settings.data_dir),
        ontology_dir=settings.ontology_dir,
        shapes_dir=settings.shapes_dir,
    )
    report = validate_sources(sources)
    if not report.conforms:
        raise ValidationFailed(report)
    return sources, report


def store_quads(named: list[ox.Quad]) -> list[ox.Quad]:
    """The quads a store holds: every source quad in its named graph, and its triple once
    more in the store's default graph, which is thus the union (RDF merge) of the named
    graphs.

    Queries without ``FROM`` see the union; ``FROM``/``FROM NAMED`` and the protocol's
    ``default-graph-uri`` select named graphs as SPARQL 1.1 Query §13.2 says.

    :param named: the quads of :meth:`cnamkg.pipeline.load.Sources.published`.
    """
    default = ox.DefaultGraph()
    return named + [ox.Quad(q.subject, q.predicate, q.object, default) for q in named]


def dataset_info(digest: str, named: list[ox.Quad]) -> DatasetInfo:
    """The description of a dataset built now from ``named`` quads."""
    graphs = tuple(sorted({q.graph_name.value for q in named}))
    return DatasetInfo(digest, datetime.now(UTC).isoformat(timespec="seconds"), graphs)


def source_stats(settings: Settings) -> list[list[object]]:
    """What the file system says of the sources, without reading them: our version, the
    base IRI, then ``[folder/name, size in bytes, modification time in ns]`` per file."""
    rows: list[list[object]] = [["cnamkg", __version__, settings.base_iri]]
    for p in sorted(source_paths(settings), key=lambda q: (q.parent.name, q.name)):
        st = p.stat()
        rows.append([f"{p.parent.name}/{p.name}", st.st_size, st.st_mtime_ns])
    return rows


def _recorded_stats(build_dir: Path) -> object:
    try:
        return json.loads((build_dir / META).read_text("utf-8")).get("sources")
    except (OSError, ValueError, AttributeError):
        return None


def _record_stats(build_dir: Path, stats: list[list[object]]) -> None:
    """Note ``stats`` in a build's metadata (atomically; best effort: a read-only store
    folder only means hashing again at the next start)."""
    meta_path = build_dir / META
    try:
        meta = json.loads(meta_path.read_text("utf-8"))
        meta["sources"] = stats
        tmp = meta_path.with_name(f".{META}-{os.getpid()}")
        tmp.write_text(json.dumps(meta, indent=2), "utf-8")
        os.replace(tmp, meta_path)
    except (OSError, ValueError, TypeError):
        pass


def build(settings: Settings, store_dir: Path, *, force: bool = False) -> BuildResult:
    """Validate the sources and (re)build the on-disk store, unless it is up to date.

    :param settings: where the sources are.
    :param store_dir: the store folder (``oxigraph:PATH``'s ``PATH``).
    :param force: rebuild even when the digest is unchanged.
    :raises cnamkg.errors.SourceSyntaxError: a file does not parse; nothing is changed.
    :raises ValidationFailed: the data violates the shapes; nothing is changed.
    """
    existing = read_current(store_dir) if (store_dir / CURRENT).exists() else None
    stats = source_stats(settings)
    if existing is not None and not force and _recorded_stats(existing[1].parent) == stats:
        # names, sizes and modification times as recorded: the sources were not touched
        # since they were hashed, and a start need not read them all again (as git's index)
        info, db = existing
        return BuildResult(info, db.parent, -1, rebuilt=False, report=None)
    digest = current_digest(settings)
    if existing is not None and existing[0].version == digest and not force:
        info, db = existing
        _record_stats(db.parent, stats)
        return BuildResult(info, db.parent, -1, rebuilt=False, report=None)
    seconds: dict[str, float] = {}
    started = time.perf_counter()

    def step(name: str) -> None:
        nonlocal started
        now = time.perf_counter()
        seconds[name] = now - started
        started = now

    sources, report = load_and_validate(settings)
    step("parse and validate")
    store_dir.mkdir(parents=True, exist_ok=True)
    _remove_abandoned(store_dir)
    tmp = Path(tempfile.mkdtemp(prefix=f".build-{os.getpid()}-", dir=store_dir))
    try:
        quads = list(sources.published())
        info = dataset_info(digest, quads)
        store = ox.Store(str(tmp / DB))
        store.bulk_extend(store_quads(quads))
        store.flush()
        step("load")
        record_statistics(OxigraphStore(store, info), settings.base_iri).write(tmp / ANSWERS)
        del store
        step("statistics")
        write_dumps(quads, tmp / DUMPS)
        step("dumps")
        meta = {**asdict(info), "triples": len(quads), "sources": stats}
        (tmp / META).write_text(json.dumps(meta, indent=2), "utf-8")
        final = store_dir / f"build-{digest[:16]}-{os.getpid()}-{tmp.name[-6:]}"
        tmp.rename(final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    previous = (store_dir / CURRENT).resolve() if (store_dir / CURRENT).exists() else None
    _switch_current(store_dir, final)
    # the build a running server may still serve stays whole (its dumps too) until the
    # next build; older ones go (field report: dumps vanished under a running server)
    kept = {final.resolve()} | ({previous} if previous is not None else set())
    _remove_old_builds(store_dir, keep=kept)
    return BuildResult(info, final, len(quads), rebuilt=True, report=report, seconds=seconds)


def _switch_current(store_dir: Path, target: Path) -> None:
    link = store_dir / f".{CURRENT}-{os.getpid()}"
    if link.is_symlink():
        link.unlink()
    link.symlink_to(target.name)
    os.replace(link, store_dir / CURRENT)


def _remove_abandoned(store_dir: Path) -> None:
    """Remove what builds killed midway left behind: a half-written ``.build-{pid}-…``
    folder or a ``.current-{pid}`` link whose process is gone (a live one is another
    build, still running)."""
    for p in [*store_dir.glob(".build-*"), *store_dir.glob(f".{CURRENT}-*")]:
        pid = p.name.split("-")[1]  # both patterns have a "-" after the name
        if not pid.isdigit() or _alive(int(pid)):
            continue
        if p.is_symlink() or p.is_file():
            p.unlink(missing_ok=True)
        else:
            shutil.rmtree(p, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # it exists, run by another user
    return True


def _remove_old_builds(store_dir: Path, *, keep: set[Path]) -> None:
    """Remove builds other than those in ``keep`` (best effort)."""
    for p in store_dir.glob("build-*"):
        if p.resolve() not in keep and p.is_dir():
            shutil.rmtree(p, ignore_errors=True)
