"""``/sparql``: SPARQL 1.1 Protocol query operation → policy → store → results by conneg."""

from __future__ import annotations

from itertools import islice

import pyoxigraph as ox
from flask import Blueprint, Response, render_template, request

from cnamkg.query.guard import check_query
from cnamkg.representation import formats as F
from cnamkg.representation.conneg import negotiate
from cnamkg.representation.i18n import UI, page_language
from cnamkg.representation.rdf import serialize_graph
from cnamkg.representation.results import serialize_results
from cnamkg.web import context
from cnamkg.web.errors import plain
from cnamkg.web.prefixes import prefixes
from cnamkg.web.protocol import ProtocolError, parse_query_request

bp = Blueprint("sparql", __name__)

#: Rows shown in an HTML results table (DESIGN.md, Limits).
HTML_ROWS = 1000


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint() -> Response:
    """Answer a query operation, or show the query form to a browser when there is no query."""
    settings = context.settings()
    try:
        req = parse_query_request(request, max_body_bytes=settings.max_body_bytes)
    except ProtocolError as exc:
        return plain(exc.status, exc.message)
    lang = page_language(request.args.get("lang"), request.accept_languages)
    if req.query is None:
        if negotiate(request.accept_mimetypes, (F.HTML, F.RESULTS_JSON)) == F.HTML:
            return _html(render_template("sparql.html", lang=lang, t=UI[lang], query=""))
        return plain(400, "Missing 'query' parameter (SPARQL 1.1 Protocol §2.1).")
    shape = check_query(req.query, max_bytes=settings.max_query_bytes)
    result = context.store().query(
        req.query,
        default_graphs=req.default_graphs,
        named_graphs=req.named_graphs,
        dataset_from_query=shape.has_dataset_clause,
    )
    if isinstance(result, ox.QueryTriples):
        fmt = negotiate(request.accept_mimetypes, F.RDF_FORMATS)
        body = serialize_graph(result, fmt, prefixes())
    else:
        fmt = negotiate(request.accept_mimetypes, (*F.RESULTS_FORMATS, F.HTML))
        if fmt == F.HTML:
            return _html(_results_table(result, lang, req.query))
        body = serialize_results(result, fmt)
    return Response(body, content_type=fmt.content_type, headers={"Vary": "Accept"})


def _html(text: str) -> Response:
    return Response(text, content_type=F.HTML.content_type, headers={"Vary": "Accept"})


def _results_table(result: ox.QuerySolutions | ox.QueryBoolean, lang: str, query: str) -> str:
    if isinstance(result, ox.QueryBoolean):
        return render_template(
            "sparql.html", lang=lang, t=UI[lang], query=query, boolean=bool(result)
        )
    variables = [v.value for v in result.variables]
    rows = [[row[v] for v in variables] for row in islice(result, HTML_ROWS + 1)]
    return render_template(
        "sparql.html",
        lang=lang,
        t=UI[lang],
        query=query,
        variables=variables,
        rows=rows[:HTML_ROWS],
        truncated=len(rows) > HTML_ROWS,
        limit=HTML_ROWS,
    )
