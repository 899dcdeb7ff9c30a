"""``/sparql``: SPARQL 1.1 Protocol query operation → policy → runner → results by conneg.

Machines get the standard formats, streamed; a browser (``Accept`` preferring
``text/html``) gets the query form, results as an HTML table (graphs as Turtle text), and
errors shown beside its query instead of a bare text body.
"""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, g, request, url_for

from cnamkg.errors import QueryRefused, QuerySyntaxError, QueryTimeout
from cnamkg.iris import ontology_iri
from cnamkg.query.guard import check_query
from cnamkg.query.runner import Boolean, GraphText, Job, Outcome, Streamed, Table
from cnamkg.representation import formats as F
from cnamkg.representation.conneg import NotAcceptable, negotiate
from cnamkg.representation.i18n import EDITOR_SENTENCES, EDITOR_WORDS, UI, page_language
from cnamkg.representation.rdf import serialize_graph
from cnamkg.representation.service import service_description
from cnamkg.web import context
from cnamkg.web.errors import plain
from cnamkg.web.pages import html_page
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
    try:
        req = parse_query_request(request, max_body_bytes=settings.max_body_bytes)
        g.query_text = req.query  # for the request log's query hash
    except ProtocolError as exc:
        return plain(exc.status, exc.message)
    # a page's language from ?lang= or a posted form's lang (the editor's « View the
    # result graph »)
    lang = page_language(req.lang, request.accept_languages)
    html = _wants_html() and req.format is None
    if req.query is None:
        if html:
            return _page(lang, query="")
        if request.method in ("GET", "HEAD"):
            return _service_description(req)
        return plain(400, "Missing 'query' parameter (SPARQL 1.1 Protocol §2.1).")
    try:
        outcome = _run(req, table=html)
    except (QuerySyntaxError, QueryRefused, QueryTimeout) as exc:
        if html:
            status = 503 if isinstance(exc, QueryTimeout) else 400
            return _page(lang, query=req.query, error=str(exc), status=status)
        raise
    if isinstance(outcome, Streamed):
        return Response(
            outcome.chunks,
            content_type=_content_type(outcome.media_type),
            headers={"Vary": "Accept"},
        )
    return _html_result(outcome, lang, req)


def _service_description(req: QueryRequest) -> Response:
    """SPARQL 1.1 Service Description §2: GET on the endpoint with no query describes it."""
    if req.format:
        fmt = F.by_name(req.format, F.RDF_FORMATS)
        if fmt is None:
            raise NotAcceptable(F.RDF_FORMATS)
    else:
        fmt = negotiate(request.accept_mimetypes, F.RDF_FORMATS)
    endpoint = _endpoint_iri() or request.base_url
    body = serialize_graph(service_description(context.store(), endpoint), fmt, prefixes())
    return Response(body, content_type=fmt.content_type, headers={"Vary": "Accept"})


def _content_type(media_type: str) -> str:
    fmt = next(
        f for f in (*F.RESULTS_FORMATS, *F.GRAPH_RESULT_FORMATS) if f.media_type == media_type
    )
    return fmt.content_type


def _choose(req: QueryRequest, offers: tuple[F.Format, ...]) -> str | None:
    """The media type of the result format: a hand-typed ``format=`` first (as Fuseki and
    Virtuoso accept), else ``Accept`` (RFC 9110 §12.5.1); ``None`` when nothing offered
    fits (the runner then answers 406 once it knows the query form)."""
    try:
        if req.format is None:
            return negotiate(request.accept_mimetypes, offers).media_type
    except NotAcceptable:
        return None
    fmt = F.by_name(req.format, offers)
    return fmt.media_type if fmt else None


def _run(req: QueryRequest, *, table: bool) -> Outcome:
    assert req.query is not None
    if not req.query.strip():
        raise QuerySyntaxError("the query is empty")
    settings = context.settings()
    check_query(
        req.query,
        max_bytes=settings.max_query_bytes,
        max_depth=settings.max_query_depth,
        graphs=frozenset(context.store().info.graphs),
        allowed_services=frozenset(settings.federation_allowlist.split()),
    )
    job = Job(
        query=req.query,
        default_graphs=req.default_graphs,
        named_graphs=req.named_graphs,
        base_iri=_endpoint_iri(),
        results_format=_choose(req, F.RESULTS_FORMATS),
        graph_format=_choose(req, F.GRAPH_RESULT_FORMATS),
        table_rows=HTML_ROWS if table else None,
        prefixes=prefixes(),
    )
    if not table and job.results_format is None and job.graph_format is None:
        # nothing acceptable whatever the query form: answer before evaluating
        raise NotAcceptable((*F.RESULTS_FORMATS, *F.GRAPH_RESULT_FORMATS))
    return context.runner().run(job)


def _endpoint_iri() -> str | None:
    """The endpoint's own IRI, against which a query's relative IRIs resolve (RFC 3986
    §5.1.3: the retrieval URI), or ``None`` when the request's Host makes no valid IRI."""
    try:
        return ox.NamedNode(request.base_url).value
    except ValueError:
        return None


#: Prefixes written at the top of the editor (the full list is in the service description).
EDITOR_PREFIXES = ("rdfs", "skos", "dcterms", "schema", "org", "cnamkg")

#: The editor's first query when none is given.
DEFAULT_QUERY = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?entity ?label WHERE {{
  ?entity rdfs:label ?label .
  FILTER(lang(?label) = "{lang}")
}} ORDER BY ?label LIMIT 50"""


def _page(lang: str, *, status: int = 200, **values: object) -> Response:
    examples = context.examples()
    default_query = DEFAULT_QUERY.format(lang=lang)
    editor_config = {
        "endpoint": request.base_url,
        "query": values.get("query") or default_query,
        "given": bool(values.get("query")),
        "prefixes": {p: ns for p, ns in prefixes().items() if p in EDITOR_PREFIXES},
        "examples": {ex.slug: ex.query for ex in examples},
        # entity IRIs of results link to this host's pages (issue 8 §1)
        "entities": context.settings().base_iri + "id/",
        "local": request.url_root.rstrip("/") + "/id/",
        "ontology": ontology_iri(context.settings().base_iri) + "#",
        "ontologyPage": url_for("dataset.ontology"),
        "lang": lang,
        # YASGUI's own words and sentences in the page language (none for English)
        "words": EDITOR_WORDS.get(lang, {}),
        "sentences": EDITOR_SENTENCES.get(lang, []),
        "labels": {
            "query": UI[lang]["query_label"],
            "endpoint": UI[lang]["endpoint_label"],
            "rows": UI[lang]["rows_per_page"],
            "filter": UI[lang]["filter_results"],
        },
    }
    headers = {"Vary": "Accept, Accept-Language"}
    if status == 503:
        headers["Retry-After"] = "60"
    return html_page(
        "sparql.html",
        lang,
        status=status,
        headers=headers,
        examples=examples,
        default_query=default_query,
        editor_config=editor_config,
        **values,
    )


def _html_result(outcome: Table | Boolean | GraphText, lang: str, req: QueryRequest) -> Response:
    query = req.query
    if isinstance(outcome, Boolean):
        return _page(lang, query=query, boolean=outcome.value)
    if isinstance(outcome, GraphText):
        return _page(
            lang,
            query=query,
            graph=outcome.turtle,
            triples=outcome.triples[:HTML_ROWS],
            truncated=len(outcome.triples) > HTML_ROWS,
            limit=HTML_ROWS,
            downloads=F.GRAPH_RESULT_FORMATS,
            default_graphs=req.default_graphs or (),
            named_graphs=req.named_graphs or (),
        )
    return _page(
        lang,
        query=query,
        variables=outcome.variables,
        rows=outcome.rows[:HTML_ROWS],
        truncated=len(outcome.rows) > HTML_ROWS,
        limit=HTML_ROWS,
    )
