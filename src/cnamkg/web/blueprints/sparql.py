"""``/sparql``: SPARQL 1.1 Protocol query operation → policy → store → results by conneg.

Machines get the standard formats; a browser (``Accept`` preferring ``text/html``) gets the
query form, results as an HTML table (graphs as Turtle text), and errors shown beside its
query instead of a bare text body.
"""

from __future__ import annotations

from itertools import islice

import pyoxigraph as ox
from flask import Blueprint, Response, render_template, request

from cnamkg.errors import QueryFailed, QueryRefused, QuerySyntaxError
from cnamkg.query.guard import check_query
from cnamkg.representation import formats as F
from cnamkg.representation.conneg import NotAcceptable, negotiate
from cnamkg.representation.i18n import UI, page_language
from cnamkg.representation.rdf import serialize_graph
from cnamkg.representation.results import serialize_results
from cnamkg.settings import Settings
from cnamkg.store.base import QueryResult
from cnamkg.web import context
from cnamkg.web.errors import plain
from cnamkg.web.prefixes import prefixes
from cnamkg.web.protocol import ProtocolError, QueryRequest, parse_query_request

bp = Blueprint("sparql", __name__)

#: Rows shown in an HTML results table (DESIGN.md, Limits).
HTML_ROWS = 1000


def _wants_html() -> bool:
    try:
        return negotiate(request.accept_mimetypes, (*F.RESULTS_FORMATS, F.HTML)) == F.HTML
    except NotAcceptable:
        return False


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint() -> Response:
    """Answer a query operation, or show the query form to a browser when there is no query."""
    settings = context.settings()
    lang = page_language(request.args.get("lang"), request.accept_languages)
    try:
        req = parse_query_request(request, max_body_bytes=settings.max_body_bytes)
    except ProtocolError as exc:
        return plain(exc.status, exc.message)
    html = _wants_html() and req.format is None
    if req.query is None:
        if html:
            return _page(lang, query="")
        return plain(400, "Missing 'query' parameter (SPARQL 1.1 Protocol §2.1).")
    try:
        result = _evaluate(req, settings)
    except (QuerySyntaxError, QueryRefused) as exc:
        if html:
            return _page(lang, query=req.query, error=str(exc), status=400)
        raise
    # Oxigraph evaluates lazily: store faults surface while the results are written.
    try:
        if html:
            return _html_result(result, lang, req.query)
        if isinstance(result, ox.QueryTriples):
            fmt = _choose(req, F.GRAPH_RESULT_FORMATS)
            body = serialize_graph(result, fmt, prefixes())
        else:
            fmt = _choose(req, F.RESULTS_FORMATS)
            body = serialize_results(result, fmt)
    except (OSError, RuntimeError) as exc:
        raise QueryFailed(str(exc)) from exc
    return Response(body, content_type=fmt.content_type, headers={"Vary": "Accept"})


def _choose(req: QueryRequest, offers: tuple[F.Format, ...]) -> F.Format:
    """The result format: a hand-typed ``format=`` first (as Fuseki and Virtuoso accept),
    else ``Accept`` (RFC 9110 §12.5.1).

    :raises NotAcceptable: the format named, or every accepted type, is not offered.
    """
    if req.format is None:
        return negotiate(request.accept_mimetypes, offers)
    fmt = F.by_name(req.format, offers)
    if fmt is None:
        raise NotAcceptable(offers)
    return fmt


def _evaluate(req: QueryRequest, settings: Settings) -> QueryResult:
    assert req.query is not None
    if not req.query.strip():
        raise QuerySyntaxError("the query is empty")
    check_query(req.query, max_bytes=settings.max_query_bytes, max_depth=settings.max_query_depth)
    return context.store().query(
        req.query,
        default_graphs=req.default_graphs,
        named_graphs=req.named_graphs,
        base_iri=_endpoint_iri(),
    )


def _endpoint_iri() -> str | None:
    """The endpoint's own IRI, against which a query's relative IRIs resolve (RFC 3986
    §5.1.3: the retrieval URI), or ``None`` when the request's Host makes no valid IRI."""
    try:
        return ox.NamedNode(request.base_url).value
    except ValueError:
        return None


def _page(lang: str, *, status: int = 200, **values: object) -> Response:
    text = render_template("sparql.html", lang=lang, t=UI[lang], **values)
    return Response(
        text, status=status, content_type=F.HTML.content_type, headers={"Vary": "Accept"}
    )


def _html_result(result: QueryResult, lang: str, query: str) -> Response:
    if isinstance(result, ox.QueryBoolean):
        return _page(lang, query=query, boolean=bool(result))
    if isinstance(result, ox.QueryTriples):
        turtle = serialize_graph(result, F.TURTLE, prefixes()).decode("utf-8")
        return _page(lang, query=query, graph=turtle)
    variables = [v.value for v in result.variables]
    rows = [[row[v] for v in variables] for row in islice(result, HTML_ROWS + 1)]
    return _page(
        lang,
        query=query,
        variables=variables,
        rows=rows[:HTML_ROWS],
        truncated=len(rows) > HTML_ROWS,
        limit=HTML_ROWS,
    )
