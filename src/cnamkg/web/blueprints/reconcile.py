"""``/reconcile``: the Reconciliation Service API, version 0.2 (W3C Entity Reconciliation
Community Group, https://reconciliation-api.github.io/specs/0.2/), as OpenRefine calls it.

- ``GET /reconcile`` without ``queries``: the service manifest (§2).
- ``GET`` or ``POST`` (``application/x-www-form-urlencoded``) with ``queries``, a JSON
  object of queries: one result list per query key (§3).
- ``GET /reconcile/suggest/{entity,type,property}?prefix=…&cursor=…``: auto-completion (§4).
- ``GET /reconcile/preview?id=…``: a small HTML card of an entity, for an iframe (§5).

Entity ids are the IRI after ``{base}id/`` (``organization/cnam``), so ``identifierSpace``
+ id is the entity's IRI; type ids are our kinds. Every answer carries CORS headers
(``Access-Control-Allow-Origin: *``, app.py), so a browser client can call the service.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pyoxigraph as ox
from flask import Blueprint, Response, abort, current_app, render_template, request

from cnamkg import __version__
from cnamkg.iris import KINDS
from cnamkg.query.reconcile import (
    Candidate,
    EntityIndex,
    PropertyValue,
    Query,
    descriptions,
    entity_index,
    ontology_terms,
    reconcile,
)
from cnamkg.query.sparql_terms import iri_ref
from cnamkg.representation import formats as F
from cnamkg.representation.i18n import UI, best_label, page_language
from cnamkg.text import fold
from cnamkg.web import context
from cnamkg.web.prefixes import prefixes, shorten

bp = Blueprint("reconcile", __name__)

#: Most queries in one batch (OpenRefine sends 10 at a time by default).
MAX_QUERIES = 100
#: Candidates per query when the query gives no ``limit``, and the most it may ask for.
DEFAULT_LIMIT, MAX_LIMIT = 5, 100
#: Longest query text, and most property values in one query (each value is compared
#: with every candidate's: the work must stay bounded; break-it review).
MAX_TEXT, MAX_VALUES = 500, 20
#: Results per page of a suggest answer.
SUGGEST_PAGE = 10
#: The size of the preview iframe the manifest asks for, in CSS pixels.
PREVIEW_WIDTH, PREVIEW_HEIGHT = 400, 160
#: The preview is made to be framed by any site (OpenRefine shows it in an iframe).
PREVIEW_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors *"
)
QUERY_KEYS = frozenset({"query", "type", "limit", "properties", "type_strict"})


class BadQueries(ValueError):
    """Parameters the service cannot read: a ``queries`` parameter that is not a batch of
    reconciliation queries (§3.1), or a suggest request without its ``prefix`` (§4)."""


def _json(body: Any, status: int = 200) -> Response:
    return Response(
        json.dumps(body, ensure_ascii=False),
        status=status,
        mimetype="application/json",
        headers={"Vary": "Accept-Language"},
    )


def _error(status: int, message: str) -> Response:
    return _json({"status": "error", "message": message}, status)


def _root() -> str:
    return request.url_root.rstrip("/")


def _index() -> EntityIndex:
    """The entity index of the request's build, made once per build."""
    store = context.store()
    key = (id(store), store.info.version)
    cached = current_app.extensions.get("cnamkg.reconcile_index")
    if cached is None or cached[0] != key:
        cached = (key, entity_index(store, context.settings().base_iri))
        current_app.extensions["cnamkg.reconcile_index"] = cached
    return cached[1]


def _expand(term: str) -> str:
    """A prefixed name of :func:`prefixes` (``schema:url``) as its IRI; anything else as is."""
    prefix, colon, local = term.partition(":")
    table = prefixes()
    if colon and prefix in table and not local.startswith("//"):
        return table[prefix] + local
    return term


def _is_iri(term: str) -> bool:
    """An absolute IRI that can be written in a SPARQL query (RFC 3987)."""
    try:
        iri_ref(term)
        ox.NamedNode(term)
    except ValueError:
        return False
    return ":" in term


def manifest() -> dict[str, Any]:
    """The service manifest (Reconciliation API 0.2 §2), URLs on this request's origin."""
    base = context.settings().base_iri
    root = _root()
    lang = page_language(request.args.get("lang"), request.accept_languages)
    return {
        "versions": ["0.2"],
        "name": "cnamkg — le paysage public français de l'IA autour du Cnam",
        "identifierSpace": f"{base}id/",
        "schemaSpace": f"{base}ontology#",
        "documentation": f"{root}/api",
        "serviceVersion": __version__,
        "view": {"url": f"{root}/id/{{{{id}}}}"},
        "preview": {
            "url": f"{root}/reconcile/preview?id={{{{id}}}}",
            "width": PREVIEW_WIDTH,
            "height": PREVIEW_HEIGHT,
        },
        "defaultTypes": [_type(kind, lang) for kind in KINDS],
        "suggest": {
            what: {"service_url": root, "service_path": f"/reconcile/suggest/{what}"}
            for what in ("entity", "type", "property")
        },
    }


def _type(kind: str, lang: str) -> dict[str, str]:
    return {"id": kind, "name": UI[lang][f"kind1.{kind}"]}


def _property_values(pid: str, v: Any, where: str) -> list[PropertyValue]:
    if isinstance(v, list):
        return [pv for item in v for pv in _property_values(pid, item, where)]
    if isinstance(v, bool):
        return [PropertyValue(pid, "true" if v else "false")]
    if isinstance(v, int | float) and math.isfinite(v):
        return [PropertyValue(pid, format(v, "g") if isinstance(v, float) else str(v))]
    if isinstance(v, str):
        return [PropertyValue(pid, v)]
    if isinstance(v, dict) and isinstance(v.get("id"), str):
        return [PropertyValue(pid, v["id"], is_id=True)]
    raise BadQueries(f'{where}.v: a string, number, boolean or {{"id": …}}, or a list of them')


def parse_queries(text: str) -> dict[str, Query]:
    """A ``queries`` parameter as queries by key (Reconciliation API 0.2 §3.1, the
    ``reconciliation-query-batch`` schema).

    :param text: the JSON text of the parameter.
    :raise BadQueries: with the JSON position or the query key and field at fault.
    """
    try:
        batch = json.loads(text)
        json.dumps(batch, ensure_ascii=False).encode("utf-8")  # lone surrogates (\ud800)
    except json.JSONDecodeError as exc:
        raise BadQueries(
            f"queries is not JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    except (ValueError, UnicodeEncodeError) as exc:  # a 5,000-digit number; a surrogate
        raise BadQueries(f"queries is not usable JSON: {exc}") from None
    except RecursionError:
        raise BadQueries("queries is nested too deeply") from None
    if not isinstance(batch, dict):
        raise BadQueries('queries must be a JSON object of queries: {"q0": {"query": …}, …}')
    if len(batch) > MAX_QUERIES:
        raise BadQueries(f"at most {MAX_QUERIES} queries per request; {len(batch)} given")
    parsed = {}
    for key, q in batch.items():
        where = f"queries[{json.dumps(key, ensure_ascii=False)}]"
        if not isinstance(q, dict):
            raise BadQueries(f"{where}: a query is a JSON object")
        unknown = sorted(set(q) - QUERY_KEYS)
        if unknown:
            raise BadQueries(f"{where}: unknown field {unknown[0]!r}")
        text_q = q.get("query", "")
        if not isinstance(text_q, str):
            raise BadQueries(f"{where}.query: a string")
        if len(text_q) > MAX_TEXT:
            raise BadQueries(f"{where}.query: at most {MAX_TEXT} characters")
        types = q.get("type", [])
        types = [types] if isinstance(types, str) else types
        if not isinstance(types, list) or not all(isinstance(t, str) for t in types):
            raise BadQueries(f"{where}.type: a type id or a list of them")
        unknown_types = [t for t in types if t not in KINDS and not _is_iri(_expand(t))]
        if unknown_types:
            raise BadQueries(
                f"{where}.type: unknown type {unknown_types[0]!r}: one of {', '.join(KINDS)}, "
                "or a class IRI"
            )
        limit = q.get("limit", DEFAULT_LIMIT)
        if isinstance(limit, bool) or not isinstance(limit, int | float) or not limit >= 0:
            raise BadQueries(f"{where}.limit: a number of candidates, 0 or more")
        limit = min(limit, MAX_LIMIT)  # also Infinity (1e400)
        strict = q.get("type_strict", "any")
        if strict not in ("any", "should", "all"):
            raise BadQueries(f"{where}.type_strict: one of any, should, all")
        props = q.get("properties", [])
        if not isinstance(props, list):
            raise BadQueries(f'{where}.properties: a list of {{"pid": …, "v": …}}')
        values: list[PropertyValue] = []
        for i, p in enumerate(props):
            at = f"{where}.properties[{i}]"
            if not isinstance(p, dict) or not isinstance(p.get("pid"), str) or "v" not in p:
                raise BadQueries(f'{at}: {{"pid": a property id, "v": a value}}')
            pid = _expand(p["pid"])
            if not _is_iri(pid):
                raise BadQueries(f"{at}.pid: a property IRI or prefixed name, not {p['pid']!r}")
            values.extend(_property_values(pid, p["v"], at))
            if len(values) > MAX_VALUES:
                raise BadQueries(f"{where}.properties: at most {MAX_VALUES} values in all")
        if "query" not in q and not props:
            raise BadQueries(f"{where}: a query needs a 'query' text or 'properties'")
        parsed[key] = Query(
            text=text_q,
            types=tuple(_expand(t) for t in types),
            type_strict=strict,
            limit=int(limit),
            properties=tuple(values),
        )
    return parsed


def _candidate(c: Candidate, lang: str, about: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": c.entity.id,
        "name": c.entity.best_name(lang),
        "score": c.score,
        "match": c.match,
        "type": [_type(c.entity.kind, lang)],
        "features": [{"id": k, "value": v} for k, v in c.features],
    }
    if c.entity.iri in about:
        out["description"] = about[c.entity.iri]
    return out


@bp.route("/reconcile", methods=["GET", "POST"])
def service() -> Response:
    """The manifest, or the candidates of a batch of queries."""
    text = request.values.get("queries")
    if text is None:
        if request.method == "POST":
            return _error(400, "missing 'queries': a JSON object of reconciliation queries")
        return _json(manifest())
    queries = parse_queries(text)
    lang = page_language(request.values.get("lang"), request.accept_languages)
    store, base, index = context.store(), context.settings().base_iri, _index()
    results = {key: reconcile(store, base, index, q) for key, q in queries.items()}
    iris = {c.entity.iri for found in results.values() for c in found}
    about = descriptions(store, iris, lang)
    return _json(
        {
            key: {"result": [_candidate(c, lang, about) for c in found]}
            for key, found in results.items()
        }
    )


@bp.errorhandler(BadQueries)
def _bad(exc: BadQueries) -> Response:
    return _error(400, str(exc))


def _page_args() -> tuple[str, int, str]:
    """``prefix``, ``cursor`` and the language of a suggest request.

    :raises BadQueries: no ``prefix``, or a ``cursor`` that is not a whole number ≥ 0.
    """
    prefix = request.args.get("prefix")
    if prefix is None:
        raise BadQueries("missing 'prefix': the text typed so far")
    given = request.args.get("cursor", "0")
    if not given.isascii() or not given.isdigit() or len(given) > 9:
        raise BadQueries("'cursor' must be a whole number, 0 or more")
    cursor = int(given)
    lang = page_language(request.args.get("lang"), request.accept_languages)
    return prefix[:200], cursor, lang


@bp.route("/reconcile/suggest/entity")
def suggest_entity() -> Response:
    """Entities whose names contain ``prefix`` (best first), optionally of one ``type``."""
    prefix, cursor, lang = _page_args()
    wanted = request.args.get("type")
    hits = _index().starting(prefix, wanted) if wanted in (None, *KINDS) else []
    page = hits[cursor : cursor + SUGGEST_PAGE]
    about = descriptions(context.store(), [e.iri for e in page], lang)
    result = []
    for e in page:
        item: dict[str, Any] = {
            "id": e.id,
            "name": e.best_name(lang),
            "notable": [_type(e.kind, lang)],
        }
        if e.iri in about:
            item["description"] = about[e.iri]
        result.append(item)
    return _json({"result": result})


@bp.route("/reconcile/suggest/type")
def suggest_type() -> Response:
    """Our kinds whose id or name (French or English) contains ``prefix``."""
    prefix, cursor, lang = _page_args()
    needle = fold(prefix.strip())
    found = [
        _type(kind, lang)
        for kind in KINDS
        if needle in kind or any(needle in fold(UI[lg][f"kind1.{kind}"]) for lg in UI)
    ]
    return _json({"result": found[cursor : cursor + SUGGEST_PAGE]})


@bp.route("/reconcile/suggest/property")
def suggest_property() -> Response:
    """Properties of the ontology graph whose label or prefixed name contains ``prefix``."""
    prefix, cursor, lang = _page_args()
    needle = fold(prefix.strip())
    store, base = context.store(), context.settings().base_iri
    known = prefixes()
    found = []
    for term in ontology_terms(store, base, properties=True):
        short = shorten(term.iri, known)
        if needle in fold(short) or any(needle in fold(v) for v in term.labels.values()):
            name = best_label(term.labels, lang) or short
            found.append({"id": term.iri, "name": name, "description": short})
    return _json({"result": found[cursor : cursor + SUGGEST_PAGE]})


@bp.route("/reconcile/preview")
def preview() -> Response:
    """An entity's card: name, kind, description, link to its page (§5)."""
    wanted = request.args.get("id")
    if not wanted:
        return _error(400, "missing 'id': an entity id such as organization/cnam")
    lang = page_language(request.args.get("lang"), request.accept_languages)
    entity = _index().by_id.get(wanted)
    if entity is None:
        abort(404)
    about = descriptions(context.store(), [entity.iri], lang)
    body = render_template(
        "reconcile_preview.html",
        lang=lang,
        t=UI[lang],
        name=entity.best_name(lang),
        kind=UI[lang][f"kind1.{entity.kind}"],
        description=about.get(entity.iri),
        others=[text for _, text in entity.names if text != entity.best_name(lang)],
        page=f"{_root()}/page/{entity.id}?lang={lang}",
        iri=entity.iri,
    )
    return Response(
        body,
        content_type=F.HTML.content_type,
        headers={"Content-Security-Policy": PREVIEW_CSP, "Vary": "Accept-Language"},
    )
