"""The dataset as a whole: ``/.well-known/void`` (VoID + DCAT) and ``/robots.txt``."""

from __future__ import annotations

from flask import Blueprint, Response, request, url_for
from markupsafe import escape

from cnamkg.query.browse import entities_by_kind
from cnamkg.representation import formats as F
from cnamkg.representation.conneg import negotiate
from cnamkg.representation.rdf import serialize_graph
from cnamkg.representation.void import void_description
from cnamkg.web import context
from cnamkg.web.prefixes import prefixes

bp = Blueprint("dataset", __name__)


@bp.route("/.well-known/void")
def void() -> Response:
    """The VoID and DCAT description of the dataset, in the RDF format ``Accept`` asks for
    (VoID §7.2: the well-known location of a site's VoID description)."""
    fmt = negotiate(request.accept_mimetypes, F.RDF_FORMATS)
    triples = void_description(
        context.store(),
        base=context.settings().base_iri,
        sparql_url=url_for("sparql.endpoint", _external=True),
        dump_urls=[],
    )
    body = serialize_graph(triples, fmt, prefixes())
    return Response(body, content_type=fmt.content_type, headers={"Vary": "Accept"})


@bp.route("/robots.txt")
def robots() -> Response:
    """Crawlers may read every page; the SPARQL endpoint is for clients, not crawlers."""
    sitemap = url_for("dataset.sitemap", _external=True)
    text = f"User-agent: *\nDisallow: /sparql\nSitemap: {sitemap}\n"
    return Response(text, mimetype="text/plain")


@bp.route("/sitemap.xml")
def sitemap() -> Response:
    """Every entity page, in both languages (sitemaps.org protocol 0.9)."""
    base = context.settings().base_iri
    items = [e for group in entities_by_kind(context.store(), base).values() for e in group]
    urls = [
        url_for("entities.page", kind=e.kind, slug=e.slug, lang=lang, _external=True)
        for e in items
        for lang in ("fr", "en")
    ]
    body = "".join(f"<url><loc>{escape(u)}</loc></url>" for u in urls)
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</urlset>'
    )
    return Response(xml, mimetype="application/xml")
