"""``/`` (home) and ``/{kind}`` (lists of entities)."""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, render_template, request

from cnamkg.iris import KINDS
from cnamkg.query.browse import entities_by_kind, search
from cnamkg.query.describe import labels
from cnamkg.representation import formats as F
from cnamkg.representation.conneg import negotiate
from cnamkg.representation.i18n import UI, best_label, page_language, sort_key
from cnamkg.web import context
from cnamkg.web.urls import page_url

bp = Blueprint("browse", __name__)

#: JSON answers of the search.
JSON = F.Format("application/json", "json", "JSON")


def _listing(kinds: tuple[str, ...], template: str) -> Response:
    base = context.settings().base_iri
    lang = page_language(request.args.get("lang"), request.accept_languages)
    store = context.store()
    grouped = entities_by_kind(store, base)
    names = labels(store, [e.iri for k in kinds for e in grouped[k]])
    sections = []
    for kind in kinds:
        items = [
            (best_label(names.get(e.iri), lang) or e.slug, page_url(e.iri, base, lang), e.iri)
            for e in grouped[kind]
        ]
        items.sort(key=lambda item: sort_key(item[0]))
        sections.append((kind, items))
    html = render_template(
        template,
        sections=sections,
        lang=lang,
        t=UI[lang],
        info=store.info,
        other_lang="en" if lang == "fr" else "fr",
        examples=context.examples(),
    )
    return Response(html, content_type=F.HTML.content_type, headers={"Vary": "Accept-Language"})


@bp.route("/")
def home() -> Response:
    """Counts per kind and a link to every entity."""
    return _listing(KINDS, "home.html")


@bp.route("/search")
def search_page() -> Response:
    """Label search: HTML for browsers, JSON (``application/json``) for scripts."""
    base = context.settings().base_iri
    lang = page_language(request.args.get("lang"), request.accept_languages)
    q = request.args.get("q", "")[:200]
    hits = search(context.store(), base, q)
    store = context.store()
    names = labels(store, [h.item.iri for h in hits])
    results = [
        {
            "iri": h.item.iri,
            "kind": h.item.kind,
            "label": best_label(names.get(h.item.iri), lang) or h.label,
            "matched": h.label,
            "page": page_url(h.item.iri, base, lang),
        }
        for h in hits
    ]
    if negotiate(request.accept_mimetypes, (F.HTML, JSON)) == JSON:
        body = json.dumps({"query": q, "results": results}, ensure_ascii=False, indent=2)
        return Response(
            body, mimetype="application/json", headers={"Vary": "Accept, Accept-Language"}
        )
    html = render_template(
        "search.html",
        lang=lang,
        t=UI[lang],
        q=q,
        results=results,
        other_lang="en" if lang == "fr" else "fr",
    )
    return Response(
        html, content_type=F.HTML.content_type, headers={"Vary": "Accept, Accept-Language"}
    )


@bp.route("/<kind>")
def kind_list(kind: str) -> Response:
    """Every entity of one kind, sorted by label."""
    if kind not in KINDS:
        abort(404)
    return _listing((kind,), "home.html")
