"""Parse a SPARQL 1.1 Protocol query request (§2.1) from a Flask request.

Three forms: GET with ``query`` in the URL (§2.1.1), POST of a form
(``application/x-www-form-urlencoded``, §2.1.2), POST of the query itself
(``application/sparql-query``, §2.1.3). ``default-graph-uri`` and ``named-graph-uri``
may repeat (§2.1.4). Update requests are refused: this service has no update operation
(§2.2; field case BUG-26).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl

import pyoxigraph as ox
from flask import Request
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import RequestEntityTooLarge

from cnamkg.query.sparql_terms import iri_ref

_FORM = "application/x-www-form-urlencoded"
_DIRECT = "application/sparql-query"
_UPDATE = "application/sparql-update"


class ProtocolError(Exception):
    """A request that is not a valid query operation.

    :param status: 400 (malformed), 413 (too large), 415 (unsupported media type).
    :param message: what is wrong.
    """

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class QueryRequest:
    """A parsed query operation.

    :param query: the query text, or ``None`` when the request carries none.
    :param default_graphs: ``default-graph-uri`` values, or ``None`` when absent.
    :param named_graphs: ``named-graph-uri`` values, or ``None`` when absent.
    :param format: a ``format`` (or Fuseki's ``output``) parameter naming the result
        format by hand, overriding ``Accept``; ``None`` when absent.
    :param lang: a ``lang`` parameter (the language of an HTML page), or ``None``.
    """

    query: str | None
    default_graphs: tuple[str, ...] | None
    named_graphs: tuple[str, ...] | None
    format: str | None = None
    lang: str | None = None


def _graphs(params: MultiDict[str, str], name: str) -> tuple[str, ...] | None:
    values = params.getlist(name)
    if not values:
        return None
    for v in values:
        try:
            iri_ref(v)
            ox.NamedNode(v)  # absolute IRI (RFC 3987), as the store requires
        except ValueError:
            raise ProtocolError(400, f"{name} is not a valid absolute IRI: {v!r}") from None
    # a graph named twice is one graph of the dataset (Protocol §2.1.4: the RDF merge of
    # the graphs; Oxigraph counted its triples twice — found by the break-it review)
    return tuple(dict.fromkeys(values))


#: How much of a refused body is read and dropped before answering 413, so that a client
#: still sending can finish and read the answer instead of a connection reset (RFC 9112
#: §9.6, lingering close). A body larger still is cut off by closing the connection.
DRAIN_BYTES = 4 * 1024 * 1024


def _drain(request: Request) -> None:
    """Read and drop up to :data:`DRAIN_BYTES` of what is left of the body."""
    raw = request.environ.get("wsgi.input")
    left = DRAIN_BYTES
    try:
        while raw is not None and left > 0:
            part = raw.read(min(65536, left))
            if not part:
                break
            left -= len(part)
    except (OSError, ValueError):  # the client went away, or the server's reader gave up
        pass


def _too_large(request: Request, max_body_bytes: int) -> ProtocolError:
    _drain(request)
    return ProtocolError(413, f"request body over {max_body_bytes} bytes")


def read_body(request: Request, max_body_bytes: int) -> bytes:
    """The whole body, refused with 413 past ``max_body_bytes`` (RFC 9110 §15.5.14),
    whether or not it came with a ``Content-Length`` (a chunked body is never cut)."""
    if request.content_length is not None and request.content_length > max_body_bytes:
        raise _too_large(request, max_body_bytes)
    # werkzeug bounds a chunked body by MAX_CONTENT_LENGTH and signals the excess only on
    # a read past the bound: read until the end, and one byte past the limit at most.
    parts: list[bytes] = []
    size = 0
    try:
        while size <= max_body_bytes:
            part = request.stream.read(min(65536, max_body_bytes + 1 - size))
            if not part:
                break
            parts.append(part)
            size += len(part)
    except RequestEntityTooLarge:
        size = max_body_bytes + 1
    if size > max_body_bytes:
        raise _too_large(request, max_body_bytes)
    body = b"".join(parts)
    return body


def _utf8(raw: bytes, what: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError(400, f"{what} is not UTF-8 (byte {exc.start})") from None


def form_params(encoded: str, what: str) -> MultiDict[str, str]:
    """Decode ``application/x-www-form-urlencoded`` text strictly: a percent-encoded
    byte sequence that is not UTF-8 is an error, not a U+FFFD."""
    try:
        return MultiDict(parse_qsl(encoded, keep_blank_values=True, errors="strict"))
    except UnicodeDecodeError:
        raise ProtocolError(400, f"{what} holds percent-encoded bytes that are not UTF-8") from None


def parse_query_request(request: Request, *, max_body_bytes: int) -> QueryRequest:
    """Read the query operation of ``request``.

    Other parameters are ignored, as Fuseki and Oxigraph server do.

    :raises ProtocolError: an update, a repeated ``query``, text that is not UTF-8
        (400); a body over ``max_body_bytes`` (413); an unsupported POST body type (415).
    """
    params = form_params(_utf8(request.query_string, "the query string"), "the query string")
    if request.method == "POST":
        coding = request.headers.get("Content-Encoding", "identity").strip().lower()
        if coding not in ("", "identity"):
            raise ProtocolError(
                415, f"unsupported Content-Encoding {coding!r}: send the body uncompressed"
            )
        mimetype = request.mimetype
        if mimetype == _FORM:
            body = _utf8(read_body(request, max_body_bytes), "the form body")
            params = MultiDict(
                [*form_params(body, "the form body").items(multi=True), *params.items(multi=True)]
            )
        elif mimetype == _DIRECT:
            if "query" in params:
                raise ProtocolError(
                    400, "a direct POST carries the query in its body, not in ?query="
                )
            params.add("query", _utf8(read_body(request, max_body_bytes), "the query body"))
        elif mimetype == _UPDATE:
            raise ProtocolError(400, "this endpoint is read-only: SPARQL Update is not offered")
        else:
            raise ProtocolError(
                415,
                f"unsupported Content-Type {mimetype or '(none)'!r}: send {_FORM} or {_DIRECT}",
            )
    if "update" in params:
        raise ProtocolError(400, "this endpoint is read-only: the update operation is not offered")
    queries = params.getlist("query")
    if len(queries) > 1:
        raise ProtocolError(400, "more than one query parameter")
    return QueryRequest(
        query=queries[0] if queries else None,
        default_graphs=_graphs(params, "default-graph-uri"),
        named_graphs=_graphs(params, "named-graph-uri"),
        format=params.get("format") or params.get("output"),
        lang=params.get("lang"),
    )
