"""``/id/…`` (303 by conneg), ``/page/…`` (HTML) and ``/data/…`` (RDF) of one entity.

W3C "Cool URIs for the Semantic Web", §4.3 (303 URIs forwarding to one generic
document), with content negotiation by ``Accept`` (RFC 9110 §12.5.1).
"""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, abort, redirect, render_template, request

from cnamkg.iris import EntityRef, is_valid_ref
from cnamkg.query import describe as d
from cnamkg.representation import formats as F
from cnamkg.representation.conneg import negotiate
from cnamkg.representation.i18n import UI, page_language
from cnamkg.representation.page import build_page
from cnamkg.representation.rdf import serialize_graph
from cnamkg.web import context
from cnamkg.web.prefixes import prefixes
from cnamkg.web.urls import data_url, link_for, page_url

bp = Blueprint("entities", __name__)


def _entity(kind: str, slug: str) -> str:
    """The canonical IRI of an existing entity; 404 for a malformed or unknown one."""
    if not is_valid_ref(kind, slug):
        abort(404, description="No entity has this IRI.")
    iri = EntityRef(kind, slug).iri(context.settings().base_iri)
    if not d.exists(context.store(), iri):
        abort(404, description="No entity has this IRI.")
    return iri


@bp.route("/id/<kind>/<slug>")
def identifier(kind: str, slug: str) -> Response:
    """303 See Other to the page (HTML) or the description (RDF) chosen by ``Accept``."""
    iri = _entity(kind, slug)
    fmt = negotiate(request.accept_mimetypes, (F.HTML, *F.RDF_FORMATS))
    if fmt == F.HTML:
        asked = request.args.get("lang")  # kept on the redirect, normalised
        lang = page_language(asked, None) if asked else None
        target = page_url(iri, context.settings().base_iri, lang) or ""
    else:
        target = data_url(kind, slug, fmt.extension)
    resp = redirect(target, code=303)
    resp.headers["Vary"] = "Accept"
    return resp


@bp.route("/data/<kind>/<name>")
def data(kind: str, name: str) -> Response:
    """The entity's description in RDF, by extension (``.ttl`` …) or by ``Accept``."""
    slug, dot, ext = name.partition(".")
    iri = _entity(kind, slug)
    headers = {}
    if dot:
        fmt = F.by_extension(ext)
        if fmt is None:
            abort(404, description=f"Unknown format extension {ext!r}.")
    else:
        fmt = negotiate(request.accept_mimetypes, F.RDF_FORMATS)
        headers["Vary"] = "Accept"
        headers["Content-Location"] = data_url(kind, slug, fmt.extension)
    body = serialize_graph(d.describe(context.store(), iri), fmt, prefixes())
    return Response(body, content_type=fmt.content_type, headers=headers)


@bp.route("/page/<kind>/<slug>")
def page(kind: str, slug: str) -> Response:
    """The entity's HTML page in the language of ``?lang=`` or ``Accept-Language``."""
    iri = _entity(kind, slug)
    base = context.settings().base_iri
    lang = page_language(request.args.get("lang"), request.accept_languages)
    store = context.store()
    triples = d.describe(store, iri)
    iris = {iri} | {
        term.value
        for t in triples
        for term in (t.subject, t.predicate, t.object)
        if isinstance(term, ox.NamedNode)
    }
    view = build_page(
        iri,
        triples,
        d.labels(store, iris),
        d.provenance(store, iri),
        lang=lang,
        link=lambda target: link_for(target, base, lang),
    )
    html = render_template(
        "entity.html",
        page=view,
        lang=lang,
        t=UI[lang],
        kind=kind,
        formats=[(f, data_url(kind, slug, f.extension)) for f in F.RDF_FORMATS],
        other_lang_url=page_url(iri, base, "en" if lang == "fr" else "fr"),
    )
    return Response(html, content_type=F.HTML.content_type, headers={"Vary": "Accept-Language"})
