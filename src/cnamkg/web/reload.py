"""A running server picks up a new build without restart (issue 6 §1).

``cnamkg build`` switches ``PATH/current`` atomically to a new build folder
(:mod:`cnamkg.pipeline.build`). Each web worker looks at where ``current`` points at most
once per :data:`CHECK_EVERY_S` seconds, before a request; when it points elsewhere, the
worker opens the new build read-only and serves the following requests from it, with a
fresh set of query evaluators (which open the same ``current``). A request already
running keeps the store and runner it started with (they are pinned on ``flask.g``), so
it finishes on the old build; the old build's evaluators are stopped once idle. A new
build that cannot be opened is logged and the worker keeps serving the one it has.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from pathlib import Path

from flask import Flask

from cnamkg.errors import StoreUnavailable
from cnamkg.pipeline.build import CURRENT
from cnamkg.query.runner import QueryRunner
from cnamkg.settings import Settings
from cnamkg.store.registry import open_store, store_path

log = logging.getLogger(__name__)

#: Longest time a worker serves an old build after ``current`` moved (seconds).
CHECK_EVERY_S = 1.0


def _target(current: Path) -> str | None:
    try:
        return os.readlink(current)
    except OSError:
        return None


class BuildWatcher:
    """Swaps a worker's store and query runner when ``current`` moves.

    :param app: the application whose ``cnamkg.store``/``cnamkg.runner`` it swaps.
    :param settings: the settings the store was opened with (``oxigraph:PATH`` only).
    :param opened: where ``current`` pointed before the served store was opened.
    """

    def __init__(self, app: Flask, settings: Settings, opened: str | None) -> None:
        self._app = app
        self._settings = settings
        folder = store_path(settings.store)
        assert folder is not None, "only an on-disk store is rebuilt under a server"
        self._current = folder / CURRENT
        self._serving = opened
        self._checked = time.monotonic()
        self._lock = threading.Lock()

    @classmethod
    def target_before_open(cls, settings: Settings) -> str | None:
        """Where ``current`` points now (read before opening the store, so that a build
        switched in between is seen at the first check)."""
        folder = store_path(settings.store)
        return _target(folder / CURRENT) if folder is not None else None

    def check(self) -> None:
        """Open the build ``current`` points to, if it moved since the last check."""
        now = time.monotonic()
        if now - self._checked < CHECK_EVERY_S:
            return
        with self._lock:
            self._checked = now
            target = _target(self._current)
            if target is None or target == self._serving:
                return
            try:
                store = open_store(self._settings, serving=True)
            except StoreUnavailable as exc:
                log.error(
                    "new build %s cannot be opened, still serving %s: %s",
                    target,
                    self._serving,
                    exc,
                )
                self._serving = target  # not retried until current moves again
                return
            old_runner: QueryRunner = self._app.extensions["cnamkg.runner"]
            self._app.extensions["cnamkg.store"] = store
            self._app.extensions["cnamkg.runner"] = QueryRunner(self._settings)
            old_runner.close()  # idle evaluators of the old build; busy ones finish first
            log.info("serving build %s (dataset %s)", target, store.info.version[:12])
            self._serving = target
