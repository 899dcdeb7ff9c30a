"""The Flask application factory: nothing is built at import time."""

from __future__ import annotations

import hashlib
import json
import logging
import re
import time
import uuid
from typing import Any
from urllib.parse import urlencode

import pyoxigraph as ox
from flask import Flask, Response, g, request

from cnamkg.errors import StoreUnavailable
from cnamkg.pipeline.validation_runner import ValidationRunner
from cnamkg.query.examples import load_examples
from cnamkg.query.runner import InProcessRunner, QueryRunner
from cnamkg.representation.i18n import best_label, page_language
from cnamkg.representation.literals import format_literal, period_parts
from cnamkg.settings import Settings
from cnamkg.store.base import Store
from cnamkg.store.registry import open_store, store_path
from cnamkg.vocab import XSD
from cnamkg.web import caching, context, errors
from cnamkg.web.blueprints import (
    api,
    assets,
    browse,
    dataset,
    entities,
    reconcile,
    sparql,
    validation,
)
from cnamkg.web.errors import plain
from cnamkg.web.prefixes import shorten
from cnamkg.web.reload import BuildWatcher
from cnamkg.web.urls import link_for, local_path

log = logging.getLogger("cnamkg.web")


def term_text(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    """Display text of a result term, told apart by kind as in N-Triples (RDF 1.2
    N-Triples §2): an IRI shown unlinked as ``<iri>``, ``_:id``, a literal's lexical form
    with ``@tag`` or, for a datatype other than ``xsd:string``, ``^^xsd:name`` (or
    ``^^<iri>``), a triple term as ``<<( s p o )>>``; a lexical form longer than
    :data:`MAX_CELL_CHARS` is cut."""
    if isinstance(term, ox.NamedNode):
        return f"<{term.value}>"
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):
        return f"<<( {term} )>>"
    value = term.value
    if len(value) > MAX_CELL_CHARS:
        # a page stays small whatever a query builds (second break-it review: 422 MB)
        value = f"{value[:MAX_CELL_CHARS]}… ({len(term.value):,} characters)"
    if term.language:
        return f"{value} @{term.language}"
    datatype = term.datatype.value
    if datatype == XSD + "string":
        return value
    short = "xsd:" + datatype[len(XSD) :] if datatype.startswith(XSD) else f"<{datatype}>"
    return f"{value} ^^{short}"


#: Longest lexical form shown whole in an HTML results table; the rest is cut with its
#: length said (the full value is in the machine formats).
MAX_CELL_CHARS = 1000


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def html_safe_text(value: Any) -> Any:
    """Jinja ``finalize``: control characters, which HTML forbids in text (HTML Living
    Standard §13.2.2, "control" code points), become U+FFFD (field case BUG-11)."""
    if isinstance(value, str) and _CONTROL.search(value):
        return type(value)(_CONTROL.sub("\ufffd", value))
    return value


def _date_type(lexical: str) -> str:
    """The XSD date type a date's lexical form has (``2025``, ``2025-06``, ``2025-06-05``,
    or a time)."""
    if "T" in lexical:
        return XSD + "dateTime"
    if len(lexical) == 4:
        return XSD + "gYear"
    return XSD + ("gYearMonth" if len(lexical) == 7 else "date")


#: The Content-Security-Policy of HTML answers: scripts, styles, images and fetches from
#: this origin only (inline styles allowed: the vendored editor sets style attributes);
#: no plugins, no framing, no <base> rewriting, forms posted here only.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)


def _query_hash() -> str:
    """The first 12 hex digits of the SHA-256 of the request's SPARQL query (as the
    endpoint read it), or ``-``: logs group requests by query without holding its text."""
    text = g.get("query_text")
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:12] if text else "-"


#: A request id taken from the client (``X-Request-Id``): letters, digits, ``._:-``.
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


def _bad_host() -> Response | None:
    """400 for a request whose ``Host`` is missing (HTTP/1.1) or not a valid host (RFC
    9110 §7.2: "A server MUST respond with a 400 (Bad Request) status code to any
    HTTP/1.1 request message that lacks a Host header field [...] or [has] a Host header
    field with an invalid field value"). Links are built from it: werkzeug reads an
    invalid one as empty, which wrote ``http:///sitemap.xml``."""
    header = request.environ.get("HTTP_HOST")
    if header is None and request.environ.get("SERVER_PROTOCOL") != "HTTP/1.1":
        return None  # HTTP/1.0 may leave it out; the server's address stands in
    if header is not None and request.host:
        return None
    reason = "missing" if header is None else "not a valid host"
    return plain(400, f"Bad request: the Host header is {reason} (RFC 9110 §7.2).")


def create_app(settings: Settings | None = None, store: Store | None = None) -> Flask:
    """Build the web application.

    :param settings: configuration (default: :meth:`Settings.from_env`).
    :param store: an opened store (default: :func:`cnamkg.store.registry.open_store`).
    :raises cnamkg.errors.StoreUnavailable: the configured store cannot be opened.
    """
    settings = settings or Settings.from_env()
    app = Flask(__name__)
    # one byte over the limit, so that a body of exactly the limit can be read whole and
    # the protocol layer tells "at the limit" from "over it" (web/protocol.py)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes + 1
    app.extensions["cnamkg.settings"] = settings
    app.extensions["cnamkg.examples"] = load_examples(settings.queries_dir)
    # where the build is before it is opened: one switched in between is seen at once
    opened = BuildWatcher.target_before_open(settings) if store is None else None
    app.extensions["cnamkg.store"] = (
        store if store is not None else open_store(settings, serving=True)
    )
    # public queries: in killable evaluator processes, unless the store was handed over
    app.extensions["cnamkg.runner"] = (
        QueryRunner(settings) if store is None else InProcessRunner(settings, store)
    )
    # uploads to /validate: in a killable validation process (pipeline/validation_runner.py)
    app.extensions["cnamkg.validation_runner"] = ValidationRunner(settings)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.jinja_env.finalize = html_safe_text
    app.jinja_env.filters["term_href"] = lambda term, lang=None: (
        link_for(term.value, settings.base_iri, lang) if isinstance(term, ox.NamedNode) else None
    )
    app.jinja_env.filters["iri_href"] = lambda iri, lang=None: link_for(
        iri, settings.base_iri, lang
    )
    app.jinja_env.filters["term_text"] = term_text
    app.jinja_env.globals["asset"] = assets.asset_url
    app.jinja_env.filters["capfirst"] = lambda text: text[:1].upper() + text[1:]
    app.jinja_env.filters["date"] = lambda d, lang: format_literal(d, _date_type(d), lang) or d
    app.jinja_env.filters["period"] = lambda start, end, lang: period_parts(
        (start.value, start.datatype.value),
        (end.value, end.datatype.value) if end is not None else None,
        lang,
    )
    app.jinja_env.filters["in_language"] = best_label
    app.jinja_env.filters["shorten"] = shorten
    app.jinja_env.filters["number"] = lambda n, lang: format_literal(str(n), XSD + "integer", lang)

    @app.context_processor
    def _language_switch() -> dict[str, Any]:
        def other_lang_url() -> str:
            """This URL with ``lang`` set to the other page language."""
            current = page_language(request.args.get("lang"), request.accept_languages)
            args = request.args.to_dict(flat=False)
            args["lang"] = ["en" if current == "fr" else "fr"]
            return f"{local_path(request.path)}?{urlencode(args, doseq=True)}"

        return {"other_lang_url": other_lang_url}

    errors.register(app)
    app.register_blueprint(sparql.bp)
    app.register_blueprint(entities.bp)
    app.register_blueprint(dataset.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(reconcile.bp)
    app.register_blueprint(assets.bp)
    app.register_blueprint(validation.bp)
    app.register_blueprint(browse.bp)

    # an on-disk store that this app opened follows `cnamkg build` (web/reload.py)
    watcher = None
    if store is None and store_path(settings.store) is not None:
        watcher = BuildWatcher(app, settings, opened)

    @app.before_request
    def _start() -> Response | None:
        g.started = time.perf_counter()
        given = request.headers.get("X-Request-Id", "")
        # a client's id is kept when it is a plain token: it is written into the log line
        g.request_id = given if _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex[:16]
        if (refused := _bad_host()) is not None:
            return refused
        if watcher is not None:
            watcher.check()  # a new build, if `cnamkg build` switched one in
        # the whole request runs on one build, even if the next one is switched in
        g.cnamkg_store = app.extensions["cnamkg.store"]
        g.cnamkg_runner = app.extensions["cnamkg.runner"]

    caching.register(app)  # after the request id is set, before the headers hook

    @app.after_request
    def _headers(resp: Response) -> Response:
        # CORS: a public, read-only, credential-free service (Fetch Standard, CORS protocol).
        resp.headers["Access-Control-Allow-Origin"] = "*"
        if request.method == "OPTIONS":
            resp.headers["Access-Control-Allow-Methods"] = "GET, HEAD, POST, OPTIONS"
            resp.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type, Accept-Language"
            resp.headers["Access-Control-Max-Age"] = "86400"
        resp.headers["X-Content-Type-Options"] = "nosniff"
        resp.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        if resp.mimetype == "text/html" and "Content-Security-Policy" not in resp.headers:
            # only our own scripts run (the JSON-LD and editor-config blocks are data); a
            # view may set a stricter policy of its own (the reconciliation preview)
            resp.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        resp.headers["X-Request-Id"] = g.get("request_id", "")
        log.info(
            "request id=%s method=%s route=%s status=%s ms=%.1f query=%s cache=%s",
            g.get("request_id", ""),
            request.method,
            request.url_rule.rule if request.url_rule is not None else "-",
            resp.status_code,
            (time.perf_counter() - g.get("started", time.perf_counter())) * 1000,
            _query_hash(),
            g.get("cache", "-"),
        )
        return resp

    @app.route("/healthz")
    def healthz() -> Response:
        """The process is up and answering (no store access: see ``/readyz``)."""
        return Response(json.dumps({"status": "up"}), mimetype="application/json")

    @app.route("/readyz")
    def readyz() -> Response:
        """Ready to serve: the dataset this process serves and its answer cache's counts
        (hits, misses, entries, bytes); 503 while the store cannot be read — it is asked
        ``ASK {}`` each time, so a remote engine that went down shows here. Never cached
        (``Cache-Control: no-store``)."""
        cache = app.extensions["cnamkg.answers"].stats()
        try:
            store = context.store()
            info = store.info
            store.query("ASK {}")
        except StoreUnavailable as exc:  # e.g. a remote engine that is down (503)
            body = {"status": "unavailable", "reason": str(exc), "cache": cache}
            return Response(json.dumps(body), status=503, mimetype="application/json")
        body = {
            "status": "ready",
            "version": info.version,
            "built_at": info.built_at,
            "cache": cache,
        }
        return Response(json.dumps(body), mimetype="application/json")

    return app
