"""A remote SPARQL 1.1 endpoint as a read-only store (``sparql:URL``), through SPARQLWrapper.

Any engine that speaks the SPARQL 1.1 Protocol (Virtuoso, QLever, GraphDB, Fuseki,
Oxigraph server) can stand behind every route. Results come back as pyoxigraph's types,
parsed with ``pyoxigraph.parse_query_results`` (SELECT/ASK) and ``pyoxigraph.parse``
(CONSTRUCT/DESCRIBE, asked as N-Triples), so the rest of the code does not know where a
query ran.

- The dataset's version and build time are read from the graph ``{base}graph/build`` that
  ``cnamkg build --target sparql:URL`` writes; an endpoint not built by cnamkg gets a
  version from its URL and size.
- On an endpoint built by cnamkg, a query that names no dataset (no ``FROM``/``FROM
  NAMED``, no protocol graphs) is sent with the graph ``{base}graph/build/union`` as
  ``default-graph-uri`` and the dataset's graphs as ``named-graph-uri`` (SPARQL 1.1
  Protocol §2.1.4): its default graph is their RDF merge, each triple once, and ``GRAPH
  ?g`` ranges over them, exactly as on the embedded store — whatever else the endpoint
  holds (our build graphs, other datasets) stays out, and blank nodes are those of the
  named graphs. The merge is written by ``cnamkg build --target`` rather than asked of
  the engine with one ``default-graph-uri`` per graph, because Oxigraph 0.5 counts a
  triple held by two of them twice (oxigraph/oxigraph#1919, a bag where SPARQL 1.1 Query
  §13.1 defines the default graph as the merge, a set). (The union is also the
  endpoint's default graph, for clients that query the engine directly.)
- A 429 or 503 is retried after its ``Retry-After`` (at most :data:`MAX_RETRY_WAIT_S`
  seconds, :data:`RETRIES` times); a remote that is down, times out or answers
  nonsense raises :class:`~cnamkg.errors.RemoteStoreError`, which the web layer turns into
  a 502 naming the remote (RFC 9110 §15.6.3).
"""

from __future__ import annotations

import hashlib
import http.client
import logging
import socket
import time
import urllib.error
from collections.abc import Sequence
from datetime import UTC, datetime
from io import BytesIO

import pyoxigraph as ox
from SPARQLWrapper import POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException

from cnamkg.errors import QuerySyntaxError, RemoteStoreError
from cnamkg.iris import graph_iri
from cnamkg.query.guard import keywords
from cnamkg.store.base import DatasetInfo, QueryResult, check_syntax
from cnamkg.vocab import DCTERMS

log = logging.getLogger(__name__)

#: Graph holding the build's version and time, written by ``cnamkg build --target``.
BUILD_GRAPH_NAME = "build"
#: The graph ``cnamkg build --target`` writes the merge of the dataset's graphs to (a name
#: no data file can have: file stems hold no "/").
UNION_GRAPH_NAME = "build/union"
#: Retries of a query answered 429 or 503.
RETRIES = 3
#: Longest wait honoured from a ``Retry-After`` header, in seconds.
MAX_RETRY_WAIT_S = 5.0


def query_form(text: str) -> str:
    """``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``: the first form keyword outside
    comments, strings and IRIs (read with the policy's tokenizer)."""
    for word in keywords(text):
        if word in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
            return word
    return "SELECT"


class RemoteStore:
    """A SPARQL 1.1 endpoint, read-only.

    :param endpoint: the query endpoint URL (e.g. ``http://127.0.0.1:7878/query``).
    :param base: the namespace base (to find the build graph).
    :param timeout_s: time allowed for one HTTP exchange, in seconds.
    :param strict: raise when the endpoint cannot be reached now (commands); a serving
        process passes ``False`` and starts anyway (see :attr:`info`).
    :param describe: read what the endpoint serves at once (its graphs and size); an
        endpoint only queried for a few answers (``cnamkg link`` on Wikidata's, where
        counting everything would never end) passes ``False``.
    :raises RemoteStoreError: (``strict``) the endpoint cannot be reached.
    """

    def __init__(
        self,
        endpoint: str,
        *,
        base: str,
        timeout_s: float = 30.0,
        strict: bool = True,
        describe: bool = True,
    ) -> None:
        self.endpoint = endpoint
        self.timeout_s = timeout_s
        self._base = base
        self._info: DatasetInfo | None = None
        #: the graphs of a dataset `cnamkg build --target` wrote (None: an endpoint not
        #: built by cnamkg, queried as it is)
        self._dataset: tuple[str, ...] | None = None
        #: the graph holding their merge, if the build wrote one
        self._merge: str | None = None
        self._tried = 0.0
        if not describe:
            return
        try:
            self._info = self._read_info(base)
        except RemoteStoreError:
            if strict:
                raise
            # a serving process starts anyway (field report: a worker that cannot boot
            # makes gunicorn stop the whole server); each request answers 502 until the
            # remote is back, and the dataset's description is read again then
            log.warning("remote store %s unreachable at start; retrying per request", endpoint)

    @property
    def info(self) -> DatasetInfo:
        """What the remote serves; read again (at most every 5 s) while it is unknown.

        :raises RemoteStoreError: the remote has not been reachable since start.
        """
        if self._info is None:
            now = time.monotonic()
            if now - self._tried < 5:
                raise RemoteStoreError(f"the SPARQL endpoint {self.endpoint} cannot be reached")
            self._tried = now
            self._info = self._read_info(self._base)
        return self._info

    def _read_info(self, base: str) -> DatasetInfo:
        build = graph_iri(base, BUILD_GRAPH_NAME)
        merge = graph_iri(base, UNION_GRAPH_NAME)
        rows = list(
            self._select(
                f"SELECT ?v ?t WHERE {{ GRAPH <{build}> {{ ?d <{DCTERMS}identifier> ?v ; "
                f"<{DCTERMS}modified> ?t }} }}"
            )
        )
        every = {
            row["g"].value
            for row in self._select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        }
        graphs = tuple(sorted(every - {build, merge}))
        if rows:
            self._dataset = graphs
            self._merge = merge if merge in every else None
            return DatasetInfo(rows[0]["v"].value, rows[0]["t"].value, graphs)
        size = next(iter(self._select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))["n"]
        version = hashlib.sha256(f"{self.endpoint}\0{size.value}".encode()).hexdigest()
        return DatasetInfo(version, datetime.now(UTC).isoformat(timespec="seconds"), graphs)

    def _select(self, text: str) -> ox.QuerySolutions:
        result = self.query(text)
        assert isinstance(result, ox.QuerySolutions)
        return result

    def _exchange(self, sw: SPARQLWrapper) -> tuple[bytes, str]:
        """Send the query, retrying 429/503; the body and its Content-Type."""
        for attempt in range(RETRIES + 1):
            try:
                response = sw.query().response
                return response.read(), response.headers.get("Content-Type", "")
            except QueryBadFormed as exc:
                raise QuerySyntaxError(f"the endpoint refused the query: {_tail(exc)}") from exc
            except urllib.error.HTTPError as exc:
                exc.close()  # the error response holds the connection
                if exc.code in (429, 503) and attempt < RETRIES:
                    time.sleep(_retry_after(exc.headers.get("Retry-After")))
                    continue
                raise RemoteStoreError(
                    f"the SPARQL endpoint {self.endpoint} answered {exc.code} {exc.reason}"
                ) from exc
            except SPARQLWrapperException as exc:
                code = _CODES.get(type(exc).__name__, "an error")
                raise RemoteStoreError(
                    f"the SPARQL endpoint {self.endpoint} answered {code}: {_tail(exc)}"
                ) from exc
            except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
                reason = getattr(exc, "reason", exc)
                if isinstance(reason, socket.timeout | TimeoutError):
                    reason = f"no answer within {self.timeout_s:g} s"
                raise RemoteStoreError(
                    f"the SPARQL endpoint {self.endpoint} cannot be reached: {reason}"
                ) from exc
        raise AssertionError("unreachable")

    def query(
        self,
        text: str,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        base_iri: str | None = None,
    ) -> QueryResult:
        """Evaluate a query at the endpoint; see :meth:`cnamkg.store.base.Store.query`.

        The query is parsed here first (syntax errors never reach the remote). The base
        IRI travels as a ``BASE`` declaration put first (a ``BASE`` in the query itself
        comes later and wins, SPARQL 1.1 Query §4.1.1.3); the protocol's
        ``default-graph-uri``/``named-graph-uri`` are passed on.

        :raises QuerySyntaxError: the endpoint answered 400.
        :raises RemoteStoreError: the endpoint is unreachable, failed, or answered
            something that is not a SPARQL result.
        """
        check_syntax(text, base_iri)  # malformed queries never reach the remote
        form = query_form(text).upper()
        if default_graphs is None and named_graphs is None and self._dataset is not None:
            if "FROM" not in keywords(text):
                named_graphs = self._dataset
                default_graphs = (self._merge,) if self._merge else self._dataset
        sw = SPARQLWrapper(self.endpoint)
        sw.setMethod(POST)
        sw.setTimeout(int(max(1, self.timeout_s)))
        sw.setQuery((f"BASE <{base_iri}> " if base_iri else "") + text)
        sw.setOnlyConneg(True)
        for g in default_graphs or ():
            sw.addDefaultGraph(g)
        for g in named_graphs or ():
            sw.addNamedGraph(g)
        graph = form in ("CONSTRUCT", "DESCRIBE")
        accept = "application/n-triples" if graph else "application/sparql-results+json"
        sw.addCustomHttpHeader("Accept", accept)
        body, content_type = self._exchange(sw)
        try:
            if graph:
                fmt = ox.RdfFormat.from_media_type(content_type.split(";")[0].strip())
                return list(ox.parse(BytesIO(body), fmt or ox.RdfFormat.N_TRIPLES))
            fmt = ox.QueryResultsFormat.from_media_type(content_type.split(";")[0].strip())
            return ox.parse_query_results(BytesIO(body), fmt or ox.QueryResultsFormat.JSON)
        except (SyntaxError, ValueError) as exc:
            raise RemoteStoreError(
                f"the SPARQL endpoint {self.endpoint} answered a malformed result: {exc}"
            ) from exc

    def close(self) -> None:
        """Nothing to release: every query is its own HTTP exchange."""


#: The HTTP status behind each of SPARQLWrapper's exceptions.
_CODES = {
    "Unauthorized": "401",
    "Forbidden": "403",
    "EndPointNotFound": "404",
    "URITooLong": "414",
    "EndPointInternalError": "500",
}


def _tail(exc: Exception) -> str:
    """The endpoint's own message, without SPARQLWrapper's boilerplate."""
    text = str(exc).split("Response:", 1)[-1].strip()
    if text.startswith(("b'", 'b"')):  # SPARQLWrapper shows the body as a bytes repr
        text = text[2:-1].encode("latin-1", "replace").decode("unicode_escape", "replace")
    return text[:500]


def _retry_after(value: str | None) -> float:
    """Seconds to wait from a ``Retry-After`` header (RFC 9110 §10.2.3: delay-seconds or
    an HTTP date), bounded by :data:`MAX_RETRY_WAIT_S`; 1 s when absent or unreadable."""
    if value is None:
        return 1.0
    try:
        wait = float(value)
    except ValueError:
        try:
            from email.utils import parsedate_to_datetime

            wait = (parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds()
        except (TypeError, ValueError):
            wait = 1.0
    return min(max(wait, 0.0), MAX_RETRY_WAIT_S)
