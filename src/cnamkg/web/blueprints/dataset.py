"""The dataset as a whole: ``/.well-known/void`` (VoID + DCAT) and ``/robots.txt``."""

from __future__ import annotations

import atexit
import json
import shutil
import tempfile
import threading
from dataclasses import asdict
from pathlib import Path

import pyoxigraph as ox
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    request,
    send_from_directory,
    url_for,
)
from markupsafe import escape

from cnamkg.iris import ontology_iri
from cnamkg.pipeline.dumps import DumpFile, read_index, served_media_type, write_dumps
from cnamkg.query.browse import entities_by_kind
from cnamkg.query.ontology import ontology_triples, own_terms
from cnamkg.representation import formats as F
from cnamkg.representation.conneg import negotiate
from cnamkg.representation.i18n import page_language
from cnamkg.representation.rdf import serialize_graph
from cnamkg.representation.void import void_description
from cnamkg.store.base import Store
from cnamkg.web import context
from cnamkg.web.pages import html_page
from cnamkg.web.prefixes import prefixes
from cnamkg.web.urls import alternates

bp = Blueprint("dataset", __name__)


def _negotiated(
    endpoint: str, ext: str | None, offers: tuple[F.Format, ...]
) -> tuple[F.Format, dict[str, str]]:
    """The format of ``/{path}.{ext}`` or, without extension, the one ``Accept`` picks,
    with the headers of that answer: ``Vary`` and ``Content-Location`` when negotiated,
    ``Link`` to every other representation (RFC 9110 §8.7, §12.5.5; RFC 8288)."""

    def url_of(f: F.Format) -> str:
        return url_for(endpoint, ext=None if f == F.HTML else f.extension)

    if ext is not None:
        fmt = F.by_extension(ext)
        lower = F.by_extension(ext.lower())
        if fmt is None and lower is not None and lower in offers:
            # .TTL names the same document as .ttl
            abort(redirect(url_for(endpoint, ext=ext.lower()), code=301))
        if fmt is None or fmt not in offers:
            abort(404, description=f"Unknown format extension {ext!r}.")
        headers = {}
    else:
        fmt = negotiate(request.accept_mimetypes, offers)
        headers = {"Vary": "Accept"}
        if fmt != F.HTML:
            headers["Content-Location"] = url_of(fmt)
    headers["Link"] = alternates(url_of, offers, fmt)
    return fmt, headers


@bp.route("/dataset")
def dataset() -> Response:
    """The dataset's IRI (``{base}dataset``): 303 to its description, the home page for
    HTML readers, the VoID document otherwise (Cool URIs §4.3)."""
    fmt = negotiate(request.accept_mimetypes, (F.HTML, *F.RDF_FORMATS))
    if fmt == F.HTML:
        target = url_for("browse.home")
    else:
        target = url_for("dataset.void", ext=fmt.extension)
    resp = redirect(target, code=303)
    resp.headers["Vary"] = "Accept"
    return resp


@bp.route("/.well-known/void")
@bp.route("/.well-known/void.<ext>")
def void(ext: str | None = None) -> Response:
    """The VoID and DCAT description of the dataset, in the RDF format ``Accept`` (or the
    extension) asks for (VoID §7.2: the well-known location of a site's VoID description)."""
    fmt, headers = _negotiated("dataset.void", ext, F.RDF_FORMATS)
    triples = void_description(
        context.store(),
        base=context.settings().base_iri,
        sparql_url=url_for("sparql.endpoint", _external=True),
        dumps=[(url_for("dataset.dump", name=f.name, _external=True), f) for f in _dumps()[1]],
    )
    body = serialize_graph(triples, fmt, prefixes())
    return Response(body, content_type=fmt.content_type, headers=headers)


def _dumps() -> tuple[Path | None, list[DumpFile]]:
    """The dumps of the served dataset: those `cnamkg build` wrote beside an embedded
    store, else (a remote or in-memory store) dumps written once per dataset version from
    the store's quads into a folder of this process."""
    store = context.store()
    folder = store.info.dumps_dir
    if folder is None:
        folder = _written_dumps(store)
    return Path(folder), read_index(Path(folder))


_DUMPS_LOCK = threading.Lock()


def _written_dumps(store: Store) -> str:
    cache = current_app.extensions.setdefault("cnamkg.dumps", {})
    with _DUMPS_LOCK:
        if store.info.version not in cache:
            for old in cache.values():  # an earlier version's dumps
                shutil.rmtree(old, ignore_errors=True)
            cache.clear()
            folder = tempfile.mkdtemp(prefix="cnamkg-dumps-")
            atexit.register(shutil.rmtree, folder, True)
            graphs = set(store.info.graphs)
            rows = store.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
            quads = [
                ox.Quad(r["s"], r["p"], r["o"], r["g"])
                for r in rows  # type: ignore[union-attr]
                if r["g"].value in graphs
            ]
            write_dumps(quads, Path(folder), prefixes=prefixes())
            cache[store.info.version] = folder
        folder_of_version: str = cache[store.info.version]
        return folder_of_version


@bp.route("/dumps/")
def dumps() -> Response:
    """The list of whole-dataset dumps with size and SHA-256, as JSON (or a page)."""
    _, files = _dumps()
    if negotiate(request.accept_mimetypes, (F.JSON, F.HTML)) == F.HTML:
        lang = page_language(request.args.get("lang"), request.accept_languages)
        return html_page(
            "dumps.html", lang, headers={"Vary": "Accept, Accept-Language"}, files=files
        )
    listing = [
        {**asdict(f), "url": url_for("dataset.dump", name=f.name, _external=True)} for f in files
    ]
    return Response(
        json.dumps(listing, indent=2), mimetype="application/json", headers={"Vary": "Accept"}
    )


@bp.route("/dumps/<name>")
def dump(name: str) -> Response:
    """One dump file, as written by the build."""
    folder, files = _dumps()
    entry = next((f for f in files if f.name == name), None)
    if folder is None or entry is None:
        abort(404, description="No such dump.")
    mimetype = served_media_type(entry.media_type, entry.encoding)
    return send_from_directory(folder, name, mimetype=mimetype)


@bp.route("/ontology")
@bp.route("/ontology.<ext>")
def ontology(ext: str | None = None) -> Response:
    """The ontology: HTML documentation of its own classes and properties (labels and
    comments fr/en, alignments, domains, ranges, the SHACL shapes that constrain them),
    or the ontology in RDF by ``Accept``."""
    base = context.settings().base_iri
    store = context.store()
    fmt, headers = _negotiated("dataset.ontology", ext, (F.HTML, *F.RDF_FORMATS))
    if fmt != F.HTML:
        body = serialize_graph(ontology_triples(store, base), fmt, prefixes())
        return Response(body, content_type=fmt.content_type, headers=headers)
    lang = page_language(request.args.get("lang"), request.accept_languages)
    terms = own_terms(store, base)
    docs = context.shapes()
    # class → the shapes targeting it; property → (shape, constraint) on that path
    by_class = {t.iri: [s for s in docs if t.iri in s.target_classes] for t in terms}
    by_path = {
        t.iri: [(s, c) for s in docs for c in s.constraints if c.path == t.iri] for t in terms
    }
    headers["Vary"] = ", ".join(filter(None, (headers.get("Vary"), "Accept-Language")))
    return html_page(
        "ontology.html",
        lang,
        headers=headers,
        terms=terms,
        by_class=by_class,
        by_path=by_path,
        shapes=docs,
        ontology_iri=ontology_iri(base),
        formats=[(f, url_for("dataset.ontology", ext=f.extension)) for f in F.RDF_FORMATS],
    )


@bp.route("/shapes")
@bp.route("/shapes.<ext>")
def shapes(ext: str | None = None) -> Response:
    """The SHACL shapes graph our data is validated against (and ``/validate`` checks
    uploads against): a readable list of what each shape requires, or the graph in RDF
    by ``Accept`` or extension."""
    fmt, headers = _negotiated("dataset.shapes", ext, (F.HTML, *F.SHAPES_FORMATS))
    if fmt != F.HTML:
        shapes_prefixes = {**prefixes(), "sh": "http://www.w3.org/ns/shacl#"}
        shapes_prefixes["cnamsh"] = "https://w3id.org/cnamkg/shapes#"
        body = serialize_graph(list(context.shape_triples()), fmt, shapes_prefixes)
        return Response(body, content_type=fmt.content_type, headers=headers)
    lang = page_language(request.args.get("lang"), request.accept_languages)
    headers["Vary"] = ", ".join(filter(None, (headers.get("Vary"), "Accept-Language")))
    return html_page(
        "shapes.html",
        lang,
        headers=headers,
        shapes=context.shapes(),
        formats=[(f, url_for("dataset.shapes", ext=f.extension)) for f in F.SHAPES_FORMATS],
    )


@bp.route("/robots.txt")
def robots() -> Response:
    """Crawlers may read every page; the SPARQL endpoint is for clients, not crawlers."""
    sitemap = url_for("dataset.sitemap", _external=True)
    text = f"User-agent: *\nDisallow: /sparql\nSitemap: {sitemap}\n"
    return Response(text, mimetype="text/plain")


@bp.route("/sitemap.xml")
def sitemap() -> Response:
    """Every page for people, in both languages: home, lists of each kind, entity pages,
    ontology, query editor, dumps (sitemaps.org protocol 0.9)."""
    base = context.settings().base_iri
    grouped = entities_by_kind(context.store(), base)
    urls = []
    for lang in ("fr", "en"):
        urls.append(url_for("browse.home", lang=lang, _external=True))
        urls += [
            url_for("browse.kind_list", kind=kind, lang=lang, _external=True)
            for kind, items in grouped.items()
            if items
        ]
        urls += [
            url_for(e, lang=lang, _external=True) for e in ("dataset.ontology", "sparql.endpoint")
        ]
    urls += [
        url_for("entities.page", kind=e.kind, slug=e.slug, lang=lang, _external=True)
        for group in grouped.values()
        for e in group
        for lang in ("fr", "en")
    ]
    body = "".join(f"<url><loc>{escape(u)}</loc></url>" for u in urls)
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</urlset>'
    )
    return Response(xml, mimetype="application/xml")
