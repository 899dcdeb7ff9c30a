"""``/id/…`` (303 by conneg), ``/page/…`` (HTML) and ``/data/…`` (RDF) of one entity.

W3C "Cool URIs for the Semantic Web", §4.3 (303 URIs forwarding to one generic
document), with content negotiation by ``Accept`` (RFC 9110 §12.5.1).
"""

from __future__ import annotations

import functools
import json
import re

import pyoxigraph as ox
from flask import Blueprint, Response, abort, redirect, request, url_for

from cnamkg.iris import EntityRef, entity_ref, is_valid_ref
from cnamkg.query import describe as d
from cnamkg.query.incoming import IncomingSlice, incoming_counts, incoming_slice
from cnamkg.query.overview import overview
from cnamkg.representation import formats as F
from cnamkg.representation.conneg import negotiate
from cnamkg.representation.i18n import best_label, local_name, page_language
from cnamkg.representation.neighbourhood import NARROW, WIDE, neighbourhood
from cnamkg.representation.page import build_page
from cnamkg.representation.rdf import serialize_graph
from cnamkg.store.base import Store
from cnamkg.web import context
from cnamkg.web.pages import html_page
from cnamkg.web.prefixes import prefixes
from cnamkg.web.urls import (
    alternates,
    data_url,
    link_for,
    local_path,
    page_number,
    page_url,
)

bp = Blueprint("entities", __name__)

#: Incoming links shown per property on one page.
INCOMING_PAGE_SIZE = 50


def _alternates(kind: str, slug: str, current: F.Format | None) -> str:
    """The ``Link`` header naming the entity's other representations (RDF and page)."""

    def url_of(f: F.Format) -> str:
        if f == F.HTML:
            return url_for("entities.page", kind=kind, slug=slug)
        return data_url(kind, slug, f.extension)

    return alternates(url_of, (*F.RDF_FORMATS, F.HTML), current or F.HTML)


#: A percent-encoded unreserved character (RFC 3986 §2.3: ALPHA, DIGIT, "-", ".", "_", "~").
_UNRESERVED_ESCAPE = re.compile(
    r"%(4[1-9A-Fa-f]|5[0-9Aa]|6[1-9A-Fa-f]|7[0-9Aa]|3[0-9]|2[DdEe]|5[Ff]|7[Ee])"
)


@bp.before_app_request
def _percent_encoded_variant() -> Response | None:
    """``/id/project/c%61ire`` names the same entity as ``/id/project/caire``: 301 to the
    form without needless percent-encoding (RFC 3986 §6.2.2.2, normalisation), on every
    route. A decoded form with a dot segment (``%2e%2e``) is not redirected: it would
    name another path once a client removes the dots (§5.2.4); it gets its 404."""
    raw = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI") or ""
    raw_path = raw.split("?", 1)[0]
    if "%2f" in raw_path.lower():
        # no path of ours holds an encoded slash; the server decodes it into a "/", so
        # /page%2Forganization%2Fcnam would be a second URL of a page (RFC 3986 §2.2)
        abort(404, description="No resource has this address.")
    # decode only percent-encoded unreserved characters; %2F and the like stay distinct
    normal = _UNRESERVED_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), raw_path)
    dots = any(segment in (".", "..") for segment in normal.split("/"))
    if raw_path and normal != raw_path and normal == request.path and not dots:
        query = request.query_string.decode("latin-1")
        return redirect(local_path(request.path) + (f"?{query}" if query else ""), code=301)
    return None


def _ascii_lower(text: str) -> str:
    """``text`` with A–Z lowered and nothing else changed (``str.lower`` would turn the
    Kelvin sign K into k and redirect a foreign name to one of ours)."""
    return text.translate(_ASCII_LOWER)


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


@bp.route("/id/<path:rest>")
@bp.route("/page/<path:rest>")
@bp.route("/data/<path:rest>")
def noncanonical(rest: str) -> Response:
    """Variants of an entity URL (trailing slash, upper case, extra segments): 301 to the
    canonical form when there is one, else 404 (Cool URIs: one IRI per thing)."""
    route = request.path.split("/", 2)[1]
    parts = [p for p in _ascii_lower(rest).split("/") if p]
    if len(parts) == 2:
        kind, name = parts
        slug = name.partition(".")[0] if route == "data" else name
        if is_valid_ref(kind, slug):
            target = f"/{route}/{kind}/{name}"
            if target != request.path:
                query = request.query_string.decode("latin-1")
                return redirect(target + (f"?{query}" if query else ""), code=301)
    abort(404, description="No entity has this IRI.")


def _entity(kind: str, slug: str) -> str:
    """The canonical IRI of an existing entity; 404 for a malformed or unknown one."""
    if not is_valid_ref(kind, slug):
        lower = EntityRef(_ascii_lower(kind), _ascii_lower(slug))
        if is_valid_ref(lower.kind, lower.slug) and d.exists(
            context.store(), lower.iri(context.settings().base_iri)
        ):
            # an upper-case variant of an entity's IRI: the canonical IRI is lower case
            query = request.query_string.decode("latin-1")
            target = _ascii_lower(request.path) + (f"?{query}" if query else "")
            abort(redirect(target, code=301))
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
        if fmt is None and F.by_extension(_ascii_lower(ext)) is not None:
            query = request.query_string.decode("latin-1")
            target = data_url(kind, slug, _ascii_lower(ext)) + (f"?{query}" if query else "")
            return redirect(target, code=301)  # .TTL names the same document as .ttl
        if fmt is None:
            abort(404, description=f"Unknown format extension {ext!r}.")
    else:
        fmt = negotiate(request.accept_mimetypes, F.RDF_FORMATS)
        headers["Vary"] = "Accept"
        headers["Content-Location"] = data_url(kind, slug, fmt.extension)
    body = serialize_graph(d.describe(context.store(), iri), fmt, prefixes())
    headers["Link"] = _alternates(kind, slug, fmt)
    return Response(body, content_type=fmt.content_type, headers=headers)


def _incoming(store: Store, iri: str, lang: str) -> dict[str, IncomingSlice]:
    """One slice of incoming links per property: the first :data:`INCOMING_PAGE_SIZE`,
    or page ``?page=N`` of the property named by ``?via=`` (404 when either names
    nothing: a page number past the end, or a property with no link here)."""
    counts = incoming_counts(store, iri)
    via = request.args.get("via")
    number = page_number(request.args.get("page"))
    if via is not None and via not in counts:
        abort(404, description="No link to this entity goes through that property.")
    if number is None:
        abort(404, description="No such page of links.")
    offset = (number - 1) * INCOMING_PAGE_SIZE
    if via is None and offset:
        abort(404, description="A page of links needs ?via= naming the property.")
    if via is not None and offset >= counts[via]:
        abort(404, description="No such page of links.")
    return {
        p: incoming_slice(
            store,
            iri,
            p,
            n,
            offset=offset if p == via else 0,
            limit=INCOMING_PAGE_SIZE,
            lang=lang,
        )
        for p, n in counts.items()
    }


def _bounded_description(iri: str, triples: list[ox.Triple]) -> list[ox.Triple]:
    """The triples of ``iri`` and, recursively, of the blank nodes they reach (a concise
    bounded description, as W3C's CBD: a quantity or a site is part of the entity's
    statement, and an empty ``{"@id": "_:…"}`` in the page's JSON-LD said nothing)."""
    by_subject: dict[ox.NamedNode | ox.BlankNode, list[ox.Triple]] = {}
    for t in triples:
        if isinstance(t.subject, ox.NamedNode | ox.BlankNode):
            by_subject.setdefault(t.subject, []).append(t)
    found: list[ox.Triple] = []
    todo: list[ox.NamedNode | ox.BlankNode] = [ox.NamedNode(iri)]
    seen = set(todo)
    while todo:
        for t in by_subject.get(todo.pop(), []):
            found.append(t)
            if isinstance(t.object, ox.BlankNode) and t.object not in seen:
                seen.add(t.object)
                todo.append(t.object)
    return found


@bp.route("/page/<kind>/<slug>")
def page(kind: str, slug: str) -> Response:
    """The entity's HTML page in the language of ``?lang=`` or ``Accept-Language``."""
    iri = _entity(kind, slug)
    base = context.settings().base_iri
    lang = page_language(request.args.get("lang"), request.accept_languages)
    store = context.store()
    triples = d.describe(store, iri, incoming=False)
    pages = _incoming(store, iri, lang)
    for piece in pages.values():
        triples.extend(piece.triples)
    glance = overview(store, iri, kind)
    iris = (
        {iri}
        | glance.iris()
        | {
            term.value
            for t in triples
            for term in (t.subject, t.predicate, t.object)
            if isinstance(term, ox.NamedNode)
        }
    )
    names = d.labels(store, iris)
    view = build_page(
        iri,
        triples,
        names,
        d.provenance(store, iri),
        lang=lang,
        link=lambda target: link_for(target, base, lang),
        incoming_pages={p: (piece.total, piece.offset) for p, piece in pages.items()},
    )
    # one lookup per IRI for both layouts (labels, kinds and URLs are the same)
    label_of = functools.cache(lambda x: best_label(names.get(x), lang) or local_name(x))
    kind_of = functools.cache(lambda x: ref.kind if (ref := entity_ref(x, base)) else None)
    link_of = functools.cache(lambda x: page_url(x, base, lang))
    pictures = [
        neighbourhood(iri, triples, label=label_of, kind=kind_of, link=link_of, layout=layout)
        for layout in (WIDE, NARROW)
    ]
    own = _bounded_description(iri, triples)
    embedded = json.loads(serialize_graph(own, F.JSON_LD, prefixes()))
    headers = {"Vary": "Accept-Language", "Link": _alternates(kind, slug, None)}
    if request.args.get("via"):
        # one property's links, page N: a view of the page, not another resource
        canonical = url_for("entities.page", kind=kind, slug=slug, lang=lang, _external=True)
        headers["Link"] += f', <{canonical}>; rel="canonical"'
    return html_page(
        "entity.html",
        lang,
        headers=headers,
        page=view,
        glance=glance,
        entity=lambda x: {"label": label_of(x), "href": link_of(x), "kind": kind_of(x)},
        picture=pictures[0],
        narrow_picture=pictures[1],
        embedded=embedded,
        page_link=url_for("entities.page", kind=kind, slug=slug, lang=lang, _external=True),
        kind=kind,
        slug=slug,
        page_size=INCOMING_PAGE_SIZE,
        formats=[(f, data_url(kind, slug, f.extension)) for f in F.RDF_FORMATS],
    )
