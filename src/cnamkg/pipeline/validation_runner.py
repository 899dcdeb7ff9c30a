"""SHACL validation of uploaded data in a child process, under a wall-clock deadline.

pySHACL runs in Python and cannot be interrupted from another thread; a hostile upload
(a pattern that backtracks, a graph that makes a path expensive) must not hold a serving
worker. As :mod:`cnamkg.query.runner` does for queries, each worker keeps one validation
process (``multiprocessing``, *spawn* start method) that reads the shapes and ontology
once, validates one upload at a time under the address-space limit of query evaluators,
and is killed past the deadline (``CNAMKG_QUERY_DEADLINE_S``): the request is answered
503 with ``Retry-After`` (RFC 9110 §15.6.4) and the next upload gets a new process.
"""

from __future__ import annotations

import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool

import rdflib

from cnamkg.errors import QueryTimeout
from cnamkg.pipeline.load import parse_folder
from cnamkg.pipeline.validate import rdflib_graph, shacl_report
from cnamkg.query.runner import bound_memory
from cnamkg.settings import Settings

#: The shapes and ontology graphs of the validation process (set by :func:`_start`).
_RULES: tuple[rdflib.Graph, rdflib.Graph] | None = None


def _start(settings: Settings) -> None:
    """In the child: bound its memory, read the shapes and the ontology."""
    global _RULES
    bound_memory(settings)
    shapes = parse_folder(settings.shapes_dir, "urn:x-cnamkg:shapes")
    ontology = parse_folder(settings.ontology_dir, "urn:x-cnamkg:ontology")
    _RULES = (rdflib_graph(shapes), rdflib_graph(ontology))


def _ready() -> bool:
    """In the child: nothing; answered once :func:`_start` has run."""
    return _RULES is not None


def _validate(data_nt: bytes) -> tuple[bool, bytes]:
    """In the child: validate an N-Triples document; the report as N-Triples."""
    assert _RULES is not None
    data = rdflib.Graph().parse(data=data_nt, format="nt")
    conforms, report = shacl_report(data, *_RULES)
    return conforms, report.serialize(format="nt", encoding="utf-8")


class ValidationRunner:
    """One validation process per serving process, started on first use.

    :param settings: its deadline (``query_deadline_s``), memory bound
        (``query_memory_mb``), and the shapes and ontology folders.
    """

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def _executor(self) -> ProcessPoolExecutor:
        """The validation process, started if need be: its start (an interpreter, pySHACL,
        the shapes) is waited for under ``evaluator_start_s``, not the upload's deadline."""
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=1,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start,
                initargs=(self._settings,),
            )
            try:
                self._pool.submit(_ready).result(timeout=self._settings.evaluator_start_s)
            except (FutureTimeout, BrokenProcessPool):
                self._discard()
                raise
        return self._pool

    def _discard(self) -> None:
        """Kill the validation process (past its deadline, or broken)."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        for process in list(getattr(pool, "_processes", {}).values()):
            process.kill()
        pool.shutdown(wait=False, cancel_futures=True)

    def validate(self, data: rdflib.Graph) -> tuple[bool, rdflib.Graph]:
        """Validate ``data`` against the shapes (W3C SHACL §3, with the ontology, no
        inference).

        :return: ``sh:conforms`` and the validation report graph (SHACL §3.6).
        :raises QueryTimeout: still running at the deadline (the process was killed).
        :raises ShapesError: the shapes cannot be used.
        :raises MemoryError: the validation process died (its memory bound reached).
        """
        body = data.serialize(format="nt", encoding="utf-8")
        deadline = self._settings.query_deadline_s
        with self._lock:  # one upload at a time per serving process
            try:
                executor = self._executor()
            except (FutureTimeout, BrokenProcessPool):
                raise QueryTimeout(self._settings.evaluator_start_s, "validation") from None
            try:
                future = executor.submit(_validate, body)
                conforms, report_nt = future.result(timeout=deadline)
            except FutureTimeout:
                self._discard()
                raise QueryTimeout(deadline, "validation") from None
            except BrokenProcessPool:
                self._discard()
                raise MemoryError("the validation process died (its memory bound)") from None
        return conforms, rdflib.Graph().parse(data=report_nt, format="nt")

    def close(self) -> None:
        """Stop the validation process, if one was started."""
        with self._lock:
            self._discard()
