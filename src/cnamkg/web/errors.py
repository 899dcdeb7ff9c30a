"""One table from errors to HTTP answers; bodies are plain text (HTML for browsers on
entity pages), never a traceback (SPARQL 1.1 Protocol §2.1.7: 400 for a malformed query,
5xx for a server fault)."""

from __future__ import annotations

import logging

from flask import Flask, Response, request, url_for
from gunicorn.http.errors import ParseException as BodyParseError
from werkzeug.exceptions import HTTPException

from cnamkg.errors import (
    NotRepresentable,
    QueryFailed,
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
    QueryTooLarge,
    QueryUnsupported,
    RemoteStoreError,
    StoreUnavailable,
)
from cnamkg.representation import formats as F
from cnamkg.representation.conneg import NotAcceptable
from cnamkg.representation.i18n import page_language
from cnamkg.web.pages import html_page
from cnamkg.web.urls import data_url

log = logging.getLogger(__name__)


def _sentence(exc: Exception) -> str:
    """An error's message as a sentence: capital first letter, final full stop."""
    text = str(exc).strip()
    if text and text[0].islower():
        text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def plain(status: int, text: str, **headers: str) -> Response:
    """A plain-text UTF-8 response."""
    body = text if text.endswith("\n") else text + "\n"
    return Response(body, status=status, mimetype="text/plain", headers=headers)


def _browser() -> bool:
    """True when the client prefers HTML to plain text (a browser), so that an error is
    shown as a page (DESIGN.md: "Unknown entity: 404 page (HTML) or plain 404 (RDF)")."""
    if request.path.startswith(("/data/", "/sparql", "/static/")):
        return False
    best = request.accept_mimetypes.best_match(["text/plain", "text/html"])
    return best == "text/html" and request.accept_mimetypes["text/html"] > 0


def _names_html() -> bool:
    """True when ``Accept`` names HTML itself (not through ``*/*``, which curl sends)."""
    return any(
        value.split(";", 1)[0].strip().lower() in ("text/html", "application/xhtml+xml") and q > 0
        for value, q in request.accept_mimetypes
    )


def _offer_links(offered: tuple[F.Format, ...]) -> dict[str, str]:
    """Media type → a URL that serves it without negotiation, where the route has one
    (``/data/…{.ext}``, ``/ontology.{ext}``, ``/.well-known/void.{ext}``, the page)."""
    args = request.view_args or {}
    links: dict[str, str] = {}
    for f in offered:
        if request.endpoint in ("entities.data", "entities.identifier") and f != F.HTML:
            slug = args.get("slug") or args.get("name", "").partition(".")[0]
            links[f.media_type] = data_url(args["kind"], slug, f.extension)
        elif request.endpoint == "entities.identifier":
            links[f.media_type] = url_for("entities.page", kind=args["kind"], slug=args["slug"])
        elif request.endpoint in ("dataset.ontology", "dataset.void") and f != F.HTML:
            links[f.media_type] = url_for(request.endpoint, ext=f.extension)
    return links


def register(app: Flask) -> None:
    """Install the error handlers on ``app``."""

    @app.errorhandler(BodyParseError)
    def _body(exc: BodyParseError) -> Response:
        # a body gunicorn cannot read (a malformed chunk size, a missing chunk end, a
        # forbidden trailer): the client's fault, RFC 9112 §7.1 (was a 500 and a traceback)
        return plain(400, f"Malformed request body: {exc}.")

    @app.errorhandler(QuerySyntaxError)
    def _syntax(exc: QuerySyntaxError) -> Response:
        return plain(400, f"Malformed query. {_sentence(exc)}")

    @app.errorhandler(QueryTooLarge)
    def _too_large(exc: QueryTooLarge) -> Response:
        return plain(413, f"Query too large. {_sentence(exc)}")

    @app.errorhandler(QueryRefused)
    def _refused(exc: QueryRefused) -> Response:
        return plain(400, f"Query refused. {_sentence(exc)}")

    @app.errorhandler(NotAcceptable)
    def _not_acceptable(exc: NotAcceptable) -> Response:
        if _names_html():
            # a client that reads HTML: a page listing the offers, with links (RFC 9110
            # §15.5.7: the content lists the available representations)
            lang = page_language(request.args.get("lang"), request.accept_languages)
            links = _offer_links(exc.offered)
            offers = [(f, links.get(f.media_type)) for f in exc.offered]
            return html_page(
                "error.html",
                lang,
                status=406,
                headers={"Vary": "Accept, Accept-Language"},
                code=406,
                name="Not Acceptable",
                offers=offers,
            )
        return plain(406, exc.describe(), Vary="Accept")

    @app.errorhandler(NotRepresentable)
    def _not_representable(exc: NotRepresentable) -> Response:
        graph = exc.media_type in {f.media_type for f in F.GRAPH_RESULT_FORMATS}
        family = F.GRAPH_RESULT_FORMATS if graph else F.RESULTS_FORMATS
        others = "".join(f"  {f.media_type}\n" for f in family if f.media_type != exc.media_type)
        return plain(406, f"Not Acceptable. {exc}. It is available as:\n{others}", Vary="Accept")

    @app.errorhandler(QueryTimeout)
    def _timeout(exc: QueryTimeout) -> Response:
        stopped = f"{exc.what.capitalize()} stopped."
        return plain(503, f"{stopped} {_sentence(exc)}", **{"Retry-After": "60"})

    @app.errorhandler(QueryFailed)
    def _failed(exc: QueryFailed) -> Response:
        log.error("query evaluation failed: %s", exc)
        return plain(500, "The query failed during evaluation; the error has been logged.")

    @app.errorhandler(QueryUnsupported)
    def _unsupported(exc: QueryUnsupported) -> Response:
        # RFC 9110 §15.6.2: valid SPARQL this store's engine cannot evaluate; its message
        # is about the query, so the client sees it
        log.warning("query not supported by the store's engine: %s", exc)
        return plain(501, f"Not implemented. {_sentence(exc)}")

    @app.errorhandler(RemoteStoreError)
    def _remote(exc: RemoteStoreError) -> Response:
        # RFC 9110 §15.6.3: we act as a gateway to the remote engine, which failed
        log.error("remote store: %s", exc)
        return plain(502, f"Bad gateway. {_sentence(exc)}", **{"Retry-After": "30"})

    @app.errorhandler(StoreUnavailable)
    def _unavailable(exc: StoreUnavailable) -> Response:
        log.error("store unavailable: %s", exc)
        return plain(503, "The store is unavailable; try again later.", **{"Retry-After": "30"})

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> Response:
        code = exc.code or 500
        if _browser():
            lang = page_language(request.args.get("lang"), request.accept_languages)
            resp = html_page("error.html", lang, status=code, code=code, name=exc.name)
        else:
            resp = plain(code, f"{code} {exc.name}. {exc.description or ''}".strip())
        for key, value in exc.get_headers():
            if key.lower() != "content-type":
                resp.headers[key] = value
        # the answer's form depends on Accept (page or text) and its language on
        # Accept-Language (RFC 9110 §12.5.5)
        resp.vary.update(("Accept", "Accept-Language"))
        return resp

    @app.errorhandler(Exception)
    def _internal(exc: Exception) -> Response:
        log.exception("unhandled error")
        return plain(500, "Internal server error. The error has been logged.")
