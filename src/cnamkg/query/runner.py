"""Public SPARQL queries evaluated in child processes, under a wall-clock deadline, with
results streamed as they are produced.

A Python thread cannot be stopped, and Oxigraph gives no cancellation hook: a query over
its deadline must run somewhere that can be killed. Each web worker keeps evaluator
processes (``multiprocessing``, *spawn* start method); an evaluator opens the store
itself (read-only, in milliseconds for an on-disk store), receives a :class:`Job`,
evaluates it and sends the serialised result back in chunks. The parent waits for each
message no longer than the time left; past the deadline it kills the evaluator, whose CPU
is then really released, and raises :class:`cnamkg.errors.QueryTimeout` (SPARQL 1.1
Protocol §2.1.7; RFC 9110 §15.6.4, 503). Evaluators inherit the worker's egress sandbox.

Chunks flow as they are written, so a million-row SELECT never sits in memory whole.
If the deadline passes after the first chunk was sent, the response cannot change its
status any more: the stream is cut, and the client sees an incomplete transfer rather
than a normal-looking short result (field case BUG-29).
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import multiprocessing
import os
import resource
import signal
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

import pyoxigraph as ox

from cnamkg.errors import (
    NotRepresentable,
    QueryFailed,
    QuerySyntaxError,
    QueryTimeout,
    QueryTooComplex,
    QueryUnsupported,
    RemoteStoreError,
    StoreUnavailable,
)
from cnamkg.representation import formats as F
from cnamkg.representation.conneg import NotAcceptable
from cnamkg.representation.rdf import serialize_graph, triple_order
from cnamkg.representation.results import write_results
from cnamkg.settings import Settings
from cnamkg.store.base import Store, is_graph

log = logging.getLogger(__name__)

#: Largest Turtle text of a graph result put in a page (characters); a page of 1,000
#: triples with long literals reached 422 MB (second break-it review).
MAX_PAGE_TURTLE = 256_000
#: Largest chunk sent at once for graph results (bytes).
CHUNK = 65536


@dataclass(frozen=True)
class Job:
    """One query to evaluate.

    :param query: the query text (already checked by :mod:`cnamkg.query.guard`).
    :param default_graphs: protocol ``default-graph-uri`` values, or ``None``.
    :param named_graphs: protocol ``named-graph-uri`` values, or ``None``.
    :param base_iri: the IRI relative IRIs resolve against.
    :param results_format: media type for SELECT/ASK, or ``None`` when none is acceptable.
    :param graph_format: media type for CONSTRUCT/DESCRIBE, or ``None`` likewise.
    :param table_rows: for a browser, the number of rows to return as terms instead of a
        serialisation (``None`` for a serialised result).
    :param prefixes: prefixes for Turtle and JSON-LD output.
    """

    query: str
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    base_iri: str | None = None
    results_format: str | None = None
    graph_format: str | None = None
    table_rows: int | None = None
    prefixes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Streamed:
    """A serialised result: its media type and the chunks, produced lazily."""

    media_type: str
    chunks: Iterator[bytes]


@dataclass(frozen=True)
class Table:
    """A SELECT result for a browser: variables and at most ``table_rows + 1`` rows."""

    variables: list[str]
    rows: list[list[Any]]


@dataclass(frozen=True)
class Boolean:
    """An ASK result for a browser."""

    value: bool


@dataclass(frozen=True)
class GraphText:
    """A CONSTRUCT/DESCRIBE result for a browser: its first triples (at most the job's
    ``table_rows``, in the order Turtle writes them, :func:`triple_order`; then one more
    when the graph has more) for a table, and the triples shown as Turtle text, or
    ``None`` when that is longer than :data:`MAX_PAGE_TURTLE`."""

    turtle: str | None
    triples: list[ox.Triple]


Outcome = Streamed | Table | Boolean | GraphText
Send = Callable[[tuple[Any, ...]], None]


def _format(media_type: str | None) -> F.Format | None:
    formats = (*F.RESULTS_FORMATS, *F.GRAPH_RESULT_FORMATS)
    return next((f for f in formats if f.media_type == media_type), None)


def evaluate(store: Store, job: Job, send: Send) -> None:
    """Evaluate ``job`` on ``store`` and describe the outcome as messages to ``send``.

    Messages: ``("start", media_type)``, ``("chunk", bytes)``…, ``("end",)``; or one of
    ``("table", variables, rows)``, ``("boolean", value)``, ``("graph", turtle, triples)``; or
    ``("error", kind, text)`` with kind ``syntax``, ``not_acceptable``,
    ``not_representable``, ``remote``, ``unsupported``, ``too_complex``, ``unavailable``
    or ``failed``.

    The result is let go before returning: pyoxigraph's results belong to the thread that
    made them, and this frame may outlive the call in a reference cycle that the garbage
    collector breaks later, from whichever thread it runs in (a threaded server).
    """
    result = None
    try:
        result = store.query(
            job.query,
            default_graphs=job.default_graphs,
            named_graphs=job.named_graphs,
            base_iri=job.base_iri,
        )
        graph = is_graph(result)
        if job.table_rows is not None:
            if isinstance(result, ox.QueryBoolean):
                send(("boolean", bool(result)))
            elif graph:
                # a page shows at most table_rows triples (the one more says there are
                # more), in a table and as Turtle: a graph of millions is never held
                taken = list(itertools.islice(result, job.table_rows + 1))
                shown = sorted(taken[: job.table_rows], key=triple_order)
                text = serialize_graph(shown, F.TURTLE, job.prefixes).decode("utf-8")
                if len(text) > MAX_PAGE_TURTLE:
                    text = None  # too large for a page: the download gives it
                send(("graph", text, shown + taken[job.table_rows :]))
            else:
                variables = [v.value for v in result.variables]
                rows = []
                for row in result:
                    rows.append([row[v] for v in variables])
                    if len(rows) > job.table_rows:
                        break
                send(("table", variables, rows))
            return
        fmt = _format(job.graph_format if graph else job.results_format)
        if fmt is None:
            send(("error", "not_acceptable", "graph" if graph else "results"))
            return
        if graph:
            body = serialize_graph(result, fmt, job.prefixes)
            send(("start", fmt.media_type))
            for i in range(0, len(body), CHUNK):
                send(("chunk", body[i : i + CHUNK]))
        else:
            started: list[bool] = []

            def emit(chunk: bytes) -> None:
                if not started:
                    send(("start", fmt.media_type))
                    started.append(True)
                send(("chunk", chunk))

            write_results(result, fmt, emit)  # type: ignore[arg-type]
            if not started:
                send(("start", fmt.media_type))
        send(("end",))
    except QuerySyntaxError as exc:
        send(("error", "syntax", str(exc)))
    except NotRepresentable as exc:
        send(("error", "not_representable", exc.media_type, exc.reason))
    except RemoteStoreError as exc:
        send(("error", "remote", str(exc)))
    except QueryUnsupported as exc:
        send(("error", "unsupported", str(exc)))
    except QueryTooComplex as exc:
        send(("error", "too_complex", str(exc)))
    except StoreUnavailable as exc:
        send(("error", "unavailable", str(exc)))
    except (OSError, RuntimeError, ValueError) as exc:
        send(("error", "failed", str(exc)))
    finally:
        del result


def bound_memory(settings: Settings) -> None:
    """In a child process (an evaluator, the validation process): limit its address space
    to ``query_memory_mb`` (none when 0), so that work that would take the machine's
    memory fails there instead (an allocation fails; the parent reports it)."""
    if settings.query_memory_mb > 0:
        limit = int(settings.query_memory_mb * 1024 * 1024)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _child_main(settings: Settings, conn: Connection) -> None:
    """An evaluator: open the store, then evaluate jobs until the pipe closes."""
    from cnamkg.store.registry import open_store

    # Ctrl-C reaches the whole process group: the parent stops evaluators itself
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    bound_memory(settings)
    logging.getLogger("rdflib.term").setLevel(logging.ERROR)
    store = open_store(settings, serving=True)
    conn.send(("ready",))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            evaluate(store, job, conn.send)
        except (BrokenPipeError, EOFError):
            return


class _Evaluator:
    """One evaluator process and the parent's end of its pipe."""

    def __init__(self, settings: Settings) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_child_main, args=(settings, child), daemon=True)
        self.process.start()
        child.close()
        self.ready = False

    def own_pipe(self) -> bool:
        """Hold the pipe through a descriptor of its own (``os.dup``); ``False`` when the
        pipe is closed already.

        An answer abandoned without being closed is closed by the garbage collector, which
        then also finalises the :class:`Connection` it holds in the same pass — closing
        its descriptor even though the evaluator was kept (PEP 442 calls every finaliser
        of the unreachable set before it looks for resurrected objects). A kept
        evaluator's pipe must not depend on that object."""
        try:
            fd = os.dup(self.conn.fileno())
        except (OSError, ValueError):
            return False
        self.conn = Connection(fd)
        return True

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        # a stream left unread is finalised by the garbage collector, possibly after the
        # pipe itself was (Connection.__del__ closes the descriptor but keeps its number)
        with contextlib.suppress(OSError):
            self.conn.close()


#: Offers per query form, for 406 answers.
OFFERS: dict[str, tuple[F.Format, ...]] = {
    "graph": F.GRAPH_RESULT_FORMATS,
    "results": F.RESULTS_FORMATS,
}


def _outcome(message: tuple[Any, ...]) -> Outcome:
    """The outcome a single (non-streamed) message describes; raises for errors."""
    kind = message[0]
    if kind == "error":
        _raise_error(message, OFFERS)
    if kind == "table":
        return Table(message[1], message[2])
    if kind == "boolean":
        return Boolean(message[1])
    return GraphText(message[1], message[2])


def _raise_error(message: tuple[Any, ...], offers: dict[str, tuple[F.Format, ...]]) -> None:
    kind = message[1]
    if kind == "syntax":
        raise QuerySyntaxError(message[2])
    if kind == "not_acceptable":
        raise NotAcceptable(offers[message[2]])
    if kind == "not_representable":
        raise NotRepresentable(message[2], message[3])
    if kind == "remote":
        raise RemoteStoreError(message[2])
    if kind == "unavailable":
        raise StoreUnavailable(message[2])
    if kind == "unsupported":
        raise QueryUnsupported(message[2])
    if kind == "too_complex":
        raise QueryTooComplex(message[2])
    raise QueryFailed(message[2])


#: How long the rest of an abandoned answer may take to arrive, and be dropped, so that
#: its evaluator is kept (seconds).
DRAIN_S = 0.25


def _drained(ev: _Evaluator, until: float) -> bool:
    """Read and drop ``ev``'s messages until its answer ends; ``False`` when it has not
    ended by ``until`` (``time.monotonic()``) or the evaluator failed."""
    try:
        while (remaining := until - time.monotonic()) > 0 and ev.conn.poll(remaining):
            kind = ev.conn.recv()[0]
            if kind == "end":
                return True
            if kind != "chunk":
                return False
    except (EOFError, OSError):
        pass
    return False


class QueryRunner:
    """Evaluates jobs in evaluator processes under a deadline.

    :param settings: how evaluators open the store, and ``query_deadline_s``.
    """

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._idle: list[_Evaluator] = []
        self._lock = threading.Lock()
        self._closed = False

    def _acquire(self) -> _Evaluator:
        with self._lock:
            while self._idle:
                ev = self._idle.pop()
                if ev.process.is_alive():
                    return ev
                with contextlib.suppress(OSError):  # see _Evaluator.kill
                    ev.conn.close()
        return _Evaluator(self._settings)

    def _release(self, ev: _Evaluator) -> None:
        with self._lock:
            if not self._closed:
                self._idle.append(ev)
                return
        ev.kill()  # a closed runner's evaluator stops once its query is done

    def close(self) -> None:
        """Stop every idle evaluator; a busy one stops when its query is done."""
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for ev in idle:
            ev.kill()

    def run(self, job: Job) -> Outcome:
        """Evaluate ``job``; for a serialised result, return once the first chunk is ready.

        :raises QueryTimeout: the deadline passed before the result started.
        :raises QuerySyntaxError, NotAcceptable, NotRepresentable, StoreUnavailable,
            QueryFailed: as the evaluation reports.
        """
        deadline_s = self._settings.query_deadline_s
        ev = self._acquire()
        started = time.monotonic()
        give_up = started + deadline_s + (0 if ev.ready else self._settings.evaluator_start_s)
        try:
            if not ev.ready:
                first = self._receive(ev, give_up, deadline_s)
                if first[0] != "ready":
                    raise StoreUnavailable(f"evaluator failed to start: {first!r}")
                ev.ready = True
                give_up = time.monotonic() + deadline_s
            ev.conn.send(job)
            message = self._receive(ev, give_up, deadline_s)
        except BaseException:
            ev.kill()
            raise
        if message[0] == "start":
            return Streamed(message[1], self._stream(ev, give_up, deadline_s))
        self._release(ev)
        return _outcome(message)

    def _receive(self, ev: _Evaluator, give_up: float, deadline_s: float) -> tuple[Any, ...]:
        remaining = give_up - time.monotonic()
        try:
            ready = remaining > 0 and ev.conn.poll(remaining)
            if not ready:
                raise QueryTimeout(deadline_s)
            message: tuple[Any, ...] = ev.conn.recv()
        except (EOFError, OSError) as exc:
            ev.process.join(5)
            code = ev.process.exitcode
            if code is not None and code < 0:
                log.warning("evaluator ended by %s", signal.Signals(-code).name)
                memory = self._settings.query_memory_mb
                raise QueryTooComplex(
                    "this query could not be evaluated: it needs more than the "
                    f"{memory:g} MB of memory a query may use, or it is too deeply nested or "
                    "chains too many operators"
                    if memory > 0
                    else "this query could not be evaluated: it is probably too deeply nested "
                    "or chains too many operators"
                ) from exc
            raise QueryFailed(f"the evaluator process ended (exit code {code}): {exc}") from exc
        return message

    def _stream(self, ev: _Evaluator, give_up: float, deadline_s: float) -> Iterator[bytes]:
        finished = False
        try:
            while True:
                message = self._receive(ev, give_up, deadline_s)
                if message[0] == "chunk":
                    yield message[1]
                elif message[0] == "end":
                    finished = True
                    return
                else:  # an error after the status line: cut the transfer
                    log.error("query failed while streaming: %r", message)
                    raise QueryFailed(str(message[1:]))
        except GeneratorExit:
            # the client went away in the middle of the answer: let the evaluator finish
            # a short one rather than kill it. A new evaluator costs an interpreter start
            # (about half a second of CPU), which clients that disconnect could otherwise
            # make the server pay again and again; a long answer is still cut short.
            finished = _drained(ev, min(give_up, time.monotonic() + DRAIN_S)) and ev.own_pipe()
            raise
        finally:
            if finished:
                self._release(ev)
            else:
                ev.kill()


class InProcessRunner(QueryRunner):
    """Evaluates in the calling process, for a store handed to the app directly (tests,
    embedding): no deadline is enforced, since such a store cannot be reopened elsewhere.

    :param store: the store.
    """

    def __init__(self, settings: Settings, store: Store) -> None:
        super().__init__(settings)
        self._store = store

    def run(self, job: Job) -> Outcome:
        """Evaluate ``job`` here; same results and errors as :meth:`QueryRunner.run`."""
        messages: list[tuple[Any, ...]] = []
        evaluate(self._store, job, messages.append)
        if messages[0][0] == "start":
            return Streamed(messages[0][1], self._replay(messages[1:]))
        return _outcome(messages[0])

    @staticmethod
    def _replay(messages: list[tuple[Any, ...]]) -> Iterator[bytes]:
        for message in messages:
            if message[0] == "chunk":
                yield message[1]
            elif message[0] == "error":
                raise QueryFailed(str(message[1:]))
