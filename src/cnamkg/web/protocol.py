"""Parse a SPARQL 1.1 Protocol query request (§2.1) from a Flask request.

Three forms: GET with ``query`` in the URL (§2.1.1), POST of a form
(``application/x-www-form-urlencoded``, §2.1.2), POST of the query itself
(``application/sparql-query``, §2.1.3). ``default-graph-uri`` and ``named-graph-uri``
may repeat (§2.1.4). Update requests are refused: this service has no update operation
(§2.2; field case BUG-26).
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox
from flask import Request
from werkzeug.datastructures import MultiDict

from cnamkg.query.sparql_terms import iri_ref

_FORM = "application/x-www-form-urlencoded"
_DIRECT = "application/sparql-query"
_UPDATE = "application/sparql-update"


class ProtocolError(Exception):
    """A request that is not a valid query operation.

    :param status: 400 (malformed), 415 (unsupported media type).
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
    """

    query: str | None
    default_graphs: tuple[str, ...] | None
    named_graphs: tuple[str, ...] | None


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
    return tuple(values)


def parse_query_request(request: Request, *, max_body_bytes: int) -> QueryRequest:
    """Read the query operation of ``request``.

    Other parameters are ignored, as Fuseki and Oxigraph server do.

    :raises ProtocolError: an update or a repeated ``query`` (400); an unsupported POST
        body type (415).
    """
    if request.method == "POST":
        mimetype = request.mimetype
        if mimetype == _FORM:
            params = MultiDict(request.form)
            params.update(request.args)
        elif mimetype == _DIRECT:
            if "query" in request.args:
                raise ProtocolError(
                    400, "a direct POST carries the query in its body, not in ?query="
                )
            params = MultiDict(request.args)
            body = request.get_data(cache=False)
            try:
                params.add("query", body.decode("utf-8"))
            except UnicodeDecodeError:
                raise ProtocolError(400, "the query body is not UTF-8") from None
        elif mimetype == _UPDATE:
            raise ProtocolError(400, "this endpoint is read-only: SPARQL Update is not offered")
        else:
            raise ProtocolError(
                415,
                f"unsupported Content-Type {mimetype or '(none)'!r}: send {_FORM} or {_DIRECT}",
            )
    else:
        params = MultiDict(request.args)
    if "update" in params:
        raise ProtocolError(400, "this endpoint is read-only: the update operation is not offered")
    queries = params.getlist("query")
    if len(queries) > 1:
        raise ProtocolError(400, "more than one query parameter")
    return QueryRequest(
        query=queries[0] if queries else None,
        default_graphs=_graphs(params, "default-graph-uri"),
        named_graphs=_graphs(params, "named-graph-uri"),
    )
