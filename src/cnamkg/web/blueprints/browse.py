"""``/`` (home) and ``/{kind}`` (lists of entities)."""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, redirect, request

from cnamkg.iris import KINDS
from cnamkg.query.browse import EntityItem, entities_by_kind, most_linked, newest, search
from cnamkg.query.describe import labels, web_addresses
from cnamkg.query.funding import funding_tree
from cnamkg.query.timeline import timeline
from cnamkg.representation import formats as F
from cnamkg.representation.conneg import negotiate
from cnamkg.representation.funding_picture import funding_picture
from cnamkg.representation.i18n import best_label, page_language, sort_key
from cnamkg.representation.literals import format_literal
from cnamkg.web import context
from cnamkg.web.pages import html_page
from cnamkg.web.urls import page_number, page_url

bp = Blueprint("browse", __name__)


#: Entities per page of a ``/{kind}`` list.
KIND_PAGE_SIZE = 100


def _labelled(
    items: list[EntityItem], names: dict[str, dict[str, str]], lang: str, base: str
) -> list[dict[str, str | None]]:
    return [
        {
            "iri": e.iri,
            "kind": e.kind,
            "label": best_label(names.get(e.iri), lang) or e.slug,
            "href": page_url(e.iri, base, lang),
        }
        for e in items
    ]


@bp.route("/")
def home() -> Response:
    """What the dataset holds: counts per kind, the newest and the most linked entities,
    example queries."""
    base = context.settings().base_iri
    lang = page_language(request.args.get("lang"), request.accept_languages)
    store = context.store()
    counts = [(kind, len(items)) for kind, items in entities_by_kind(store, base).items()]
    recent = newest(store, base)
    linked = most_linked(store, base)
    names = labels(store, [e.iri for e, _ in recent + linked])
    return html_page(
        "home.html",
        lang,
        headers={"Vary": "Accept-Language"},
        counts=counts,
        newest=list(zip(_labelled([e for e, _ in recent], names, lang, base), recent, strict=True)),
        most_linked=list(
            zip(_labelled([e for e, _ in linked], names, lang, base), linked, strict=True)
        ),
        info=store.info,
        examples=context.examples(),
    )


@bp.route("/about")
def about() -> Response:
    """What the dataset is, its sources, licence, how to cite, query, reconcile and download
    it (issue 8 §1)."""
    base = context.settings().base_iri
    lang = page_language(request.args.get("lang"), request.accept_languages)
    store = context.store()
    documents = entities_by_kind(store, base)["document"]
    names = labels(store, [d.iri for d in documents])
    sources = sorted(
        _labelled(documents, names, lang, base), key=lambda item: sort_key(item["label"] or "")
    )
    where = web_addresses(store, [d.iri for d in documents])
    for item in sources:
        item["url"] = where.get(str(item["iri"]))
    root = request.url_root.rstrip("/")
    return html_page(
        "about.html",
        lang,
        headers={"Vary": "Accept-Language"},
        sources=sources,
        info=store.info,
        root=root,
        dataset_iri=base + "dataset",
    )


@bp.route("/funding")
def funding_page() -> Response:
    """Who funds what (issue 8 §1): programmes, the calls they open, the projects selected
    in each call and their consortium, coordinator first."""
    base = context.settings().base_iri
    lang = page_language(request.args.get("lang"), request.accept_languages)
    store = context.store()
    tree = funding_tree(store)
    iris = set().union(*(p.iris() for p in tree)) if tree else set()
    names = labels(store, iris)

    def label_of(iri: str) -> str:
        return best_label(names.get(iri), lang) or iri

    def href_of(iri: str) -> str | None:
        return page_url(iri, base, lang)

    def link(iri: str) -> dict[str, str | None]:
        return {"label": label_of(iri), "href": href_of(iri)}

    picture = funding_picture(tree, label=label_of, link=href_of)
    return html_page(
        "funding.html",
        lang,
        headers={"Vary": "Accept-Language"},
        tree=tree,
        link=link,
        picture=picture,
    )


@bp.route("/timeline")
def timeline_page() -> Response:
    """The dated facts of the dataset by year: foundings, starts, launches, selections,
    announcements (issue 8 §1), from SPARQL over the store, so it grows with the data."""
    base = context.settings().base_iri
    lang = page_language(request.args.get("lang"), request.accept_languages)
    store = context.store()
    moments = timeline(store, base)
    names = labels(store, {m.item.iri for m in moments} | {m.prop for m in moments})
    years: dict[str, list[dict[str, object]]] = {}
    for m in moments:
        years.setdefault(m.year, []).append(
            {
                "date": m.date,
                # formatted by its own datatype, not guessed from the text's length
                "shown": format_literal(m.date, m.datatype, lang) or m.date,
                "what": best_label(names.get(m.prop), lang) or m.prop,
                "label": best_label(names.get(m.item.iri), lang) or m.item.slug,
                "kind": m.item.kind,
                "href": page_url(m.item.iri, base, lang),
            }
        )
    return html_page(
        "timeline.html", lang, headers={"Vary": "Accept-Language"}, years=list(years.items())
    )


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
    if negotiate(request.accept_mimetypes, (F.HTML, F.JSON)) == F.JSON:
        body = json.dumps({"query": q, "results": results}, ensure_ascii=False, indent=2)
        return Response(
            body, mimetype="application/json", headers={"Vary": "Accept, Accept-Language"}
        )
    return html_page(
        "search.html", lang, headers={"Vary": "Accept, Accept-Language"}, q=q, results=results
    )


@bp.route("/<kind>/")
def kind_list_slash(kind: str) -> Response:
    """``/organization/`` names the list ``/organization``: 301 (one URL per resource)."""
    if kind not in KINDS:
        abort(404)
    query = request.query_string.decode("latin-1")
    return redirect(f"/{kind}" + (f"?{query}" if query else ""), code=301)


@bp.route("/<kind>")
def kind_list(kind: str) -> Response:
    """The entities of one kind sorted by label in the page language (accents and case
    folded), :data:`KIND_PAGE_SIZE` per page (``?page=N``, 404 past the last page)."""
    if kind not in KINDS:
        abort(404)
    base = context.settings().base_iri
    lang = page_language(request.args.get("lang"), request.accept_languages)
    number = page_number(request.args.get("page"))
    if number is None:
        abort(404, description="No such page.")
    store = context.store()
    items = entities_by_kind(store, base)[kind]
    entries = _labelled(items, labels(store, [e.iri for e in items]), lang, base)
    entries.sort(key=lambda e: (sort_key(e["label"] or ""), e["iri"]))
    offset = (number - 1) * KIND_PAGE_SIZE
    if offset and offset >= len(entries):
        abort(404, description="No such page.")
    return html_page(
        "kind.html",
        lang,
        headers={"Vary": "Accept-Language"},
        kind=kind,
        entries=entries[offset : offset + KIND_PAGE_SIZE],
        total=len(entries),
        offset=offset,
        page=number,
        page_size=KIND_PAGE_SIZE,
    )
