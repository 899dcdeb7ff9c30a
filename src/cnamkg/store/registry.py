"""Open the store named by the ``CNAMKG_STORE`` setting (DESIGN.md, Stores).

- ``oxigraph:PATH``: the build in ``PATH/current`` (see :mod:`cnamkg.pipeline.build`), read-only,
  with the statistics the build evaluated (:mod:`cnamkg.store.answers`).
- ``memory``: the sources validated and loaded into an rdflib dataset in memory
  (:mod:`cnamkg.store.memory`).
- ``sparql:URL``: a remote SPARQL 1.1 endpoint, read-only (:mod:`cnamkg.store.remote`).
"""

from __future__ import annotations

from pathlib import Path

from cnamkg.errors import StoreUnavailable
from cnamkg.pipeline.build import (
    ANSWERS,
    current_digest,
    dataset_info,
    load_and_validate,
    read_current,
)
from cnamkg.settings import Settings
from cnamkg.store.answers import AnsweredStore, AnswerFiles
from cnamkg.store.base import Store
from cnamkg.store.oxigraph import OxigraphStore


def store_path(spec: str) -> Path | None:
    """The folder of an ``oxigraph:PATH`` setting, or ``None`` for other backends.

    :raises ValueError: the setting names no known backend.
    """
    if spec.startswith("oxigraph:"):
        return Path(spec.removeprefix("oxigraph:"))
    if spec == "memory" or spec.startswith("sparql:"):
        return None
    raise ValueError(f"unknown store {spec!r}: use 'oxigraph:PATH', 'memory' or 'sparql:URL'")


def open_store(settings: Settings, *, serving: bool = False) -> Store:
    """Open the configured store.

    :raises StoreUnavailable: an on-disk store has not been built or cannot be opened.
    :param serving: for a serving process (a web worker, a query evaluator): a remote
        endpoint that cannot be reached now does not stop it from starting.
    :raises cnamkg.errors.RemoteStoreError: a remote endpoint cannot be reached (unless
        ``serving``).
    :raises ValueError: ``settings.store`` names no known backend.
    :raises cnamkg.errors.ValidationFailed: (``memory``) the sources do not validate.
    """
    # each backend's libraries are imported when it is opened (rdflib and SPARQLWrapper
    # cost a second of start-up that an embedded store does not need)
    path = store_path(settings.store)
    if settings.store.startswith("sparql:"):
        from cnamkg.store.remote import RemoteStore

        return RemoteStore(
            settings.store.removeprefix("sparql:"),
            base=settings.base_iri,
            timeout_s=settings.query_deadline_s,
            strict=not serving,
        )
    if path is None:
        from cnamkg.store.memory import MemoryStore

        sources, _ = load_and_validate(settings)
        quads = list(sources.published())
        info = dataset_info(current_digest(settings), quads)
        return MemoryStore(quads, info)
    current = read_current(path)
    if current is None:
        raise StoreUnavailable(f"{path}: no store has been built here; run `cnamkg build`")
    info, db = current
    # the whole-dataset statistics were evaluated by the build (issue 5 §2)
    answers = AnswerFiles(db.parent / ANSWERS)
    return AnsweredStore(OxigraphStore.open_read_only(db, info), answers)
