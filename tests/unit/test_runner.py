"""The query runner's evaluators when a client goes away in the middle of an answer
(found by the long load test, bench/load.py): a short answer's evaluator drains the rest
and is kept — replacing it costs an interpreter start, which disconnecting clients made
the server pay after every abandoned request — while a long answer's is still stopped."""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Iterator
from pathlib import Path

import pytest

from cnamkg.errors import QueryTooComplex
from cnamkg.pipeline.build import build
from cnamkg.query.runner import Job, QueryRunner, Streamed
from conftest import fixture_settings

JSON = "application/sparql-results+json"
SHORT = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 50"
DIGITS = "{ 0 1 2 3 4 5 6 7 8 9 }"
#: A million rows: far more than a drain may read.
LONG = "SELECT * WHERE { " + " ".join(f"VALUES ?d{i} {DIGITS}" for i in range(6)) + " }"


@pytest.fixture(scope="module")
def runner(tmp_path_factory: pytest.TempPathFactory) -> Iterator[QueryRunner]:
    store = tmp_path_factory.mktemp("runner-store")
    settings = fixture_settings(store=f"oxigraph:{store}")
    build(settings, Path(store))
    r = QueryRunner(settings)
    yield r
    r.close()


def _evaluators() -> set[int]:
    """The live child processes of this test process (other tests' may be among them)."""
    return {p.pid for p in multiprocessing.active_children() if p.is_alive()}


def _idle_pid(runner: QueryRunner) -> int:
    """The pid of the runner's one idle evaluator (after a query was answered in full)."""
    (ev,) = runner._idle  # noqa: SLF001 (the only way to name the process that served)
    return int(ev.process.pid)


def _abandon(runner: QueryRunner, query: str) -> int:
    """Start ``query`` on the runner's idle evaluator, read its first chunk, then drop
    the stream as a server does when the client has gone; return the evaluator's pid."""
    ask = runner.run(Job(query="ASK {}", results_format=JSON))
    assert isinstance(ask, Streamed)
    assert b"true" in b"".join(ask.chunks)  # answered in full: its evaluator is idle
    pid = _idle_pid(runner)
    outcome = runner.run(Job(query=query, results_format=JSON))
    assert isinstance(outcome, Streamed)
    assert next(outcome.chunks)
    outcome.chunks.close()  # GeneratorExit, as when the WSGI server closes the response
    return pid


def test_a_short_abandoned_answer_keeps_its_evaluator(runner: QueryRunner) -> None:
    pid = _abandon(runner, SHORT)
    assert pid in _evaluators()
    # the next query is served by the same process, which answers in full
    before = _evaluators()
    outcome = runner.run(Job(query=SHORT, results_format=JSON))
    assert isinstance(outcome, Streamed)
    assert b'"bindings"' in b"".join(outcome.chunks)
    assert _idle_pid(runner) == pid and _evaluators() - before == set()


def test_a_long_abandoned_answer_stops_its_evaluator(runner: QueryRunner) -> None:
    pid = _abandon(runner, LONG)
    assert pid not in _evaluators()  # killed, its CPU released
    outcome = runner.run(Job(query=SHORT, results_format=JSON))
    assert isinstance(outcome, Streamed)
    assert b'"bindings"' in b"".join(outcome.chunks)
    assert _idle_pid(runner) != pid


def test_a_query_over_its_memory_is_stopped_with_a_clear_error(tmp_path: Path) -> None:
    """Found by the break-it review: an ORDER BY over a cartesian product grew its
    evaluator by about 400 MB/s until the deadline (12 GB at 30 s). With
    ``query_memory_mb`` the evaluator's address space is bounded (RLIMIT_AS): the query
    is stopped when an allocation fails, long before its deadline, and named."""
    settings = fixture_settings(store=f"oxigraph:{tmp_path}", query_memory_mb=1024.0)
    build(settings, tmp_path)
    runner = QueryRunner(settings)
    try:
        with pytest.raises(QueryTooComplex, match="1024 MB of memory"):
            runner.run(
                Job(
                    query="SELECT * WHERE { "
                    + " ".join(f"VALUES ?d{i} {DIGITS}" for i in range(8))
                    + " } ORDER BY DESC(?d0) LIMIT 1",
                    results_format=JSON,
                )
            )
        # the next query gets a new evaluator, under the same limit, and is answered
        outcome = runner.run(Job(query=SHORT, results_format=JSON))
        assert isinstance(outcome, Streamed)
        assert b'"bindings"' in b"".join(outcome.chunks)
    finally:
        runner.close()


def test_an_answer_dropped_without_close_leaves_a_working_evaluator(
    runner: QueryRunner,
) -> None:
    """An answer nobody closes is closed by the garbage collector, which in the same pass
    finalised the pipe's Connection: the evaluator was kept with a closed pipe, and the
    next query through it failed with a 500 (EBADF). Found by the whole suite's order."""
    ask = runner.run(Job(query="ASK {}", results_format=JSON))
    assert isinstance(ask, Streamed)
    b"".join(ask.chunks)
    outcome = runner.run(Job(query=SHORT, results_format=JSON))
    assert isinstance(outcome, Streamed)
    assert next(outcome.chunks)
    cycle: list[object] = [outcome]
    cycle.append(cycle)  # only the cyclic collector can free it, as in a server
    del outcome, cycle
    gc.collect()
    for _ in range(3):  # served in full, by a live evaluator, again and again
        again = runner.run(Job(query=SHORT, results_format=JSON))
        assert isinstance(again, Streamed)
        assert b'"bindings"' in b"".join(again.chunks)
