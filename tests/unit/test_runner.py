"""The query runner's evaluators when a client goes away in the middle of an answer
(found by the long load test, bench/load.py): a short answer's evaluator drains the rest
and is kept — replacing it costs an interpreter start, which disconnecting clients made
the server pay after every abandoned request — while a long answer's is still stopped."""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from pathlib import Path

import pytest

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
    return {p.pid for p in multiprocessing.active_children() if p.is_alive()}


def _abandon(runner: QueryRunner, query: str) -> int:
    """Start ``query``, read its first chunk, then drop the stream as a server does when
    the client has gone; return the evaluator's pid."""
    before = _evaluators()
    outcome = runner.run(Job(query=query, results_format=JSON))
    assert isinstance(outcome, Streamed)
    assert next(outcome.chunks)
    (pid,) = _evaluators() - before or _evaluators()
    outcome.chunks.close()  # GeneratorExit, as when the WSGI server closes the response
    return pid


def test_a_short_abandoned_answer_keeps_its_evaluator(runner: QueryRunner) -> None:
    runner.run(Job(query="ASK {}", results_format=JSON))  # an evaluator is running
    pid = _abandon(runner, SHORT)
    assert pid in _evaluators()
    # the next query is served by the same process, which answers in full
    outcome = runner.run(Job(query=SHORT, results_format=JSON))
    assert isinstance(outcome, Streamed)
    assert b'"bindings"' in b"".join(outcome.chunks)
    assert _evaluators() == {pid}


def test_a_long_abandoned_answer_stops_its_evaluator(runner: QueryRunner) -> None:
    runner.run(Job(query="ASK {}", results_format=JSON))
    pid = _abandon(runner, LONG)
    assert pid not in _evaluators()  # killed, its CPU released
    outcome = runner.run(Job(query=SHORT, results_format=JSON))
    assert isinstance(outcome, Streamed)
    assert b'"bindings"' in b"".join(outcome.chunks)
