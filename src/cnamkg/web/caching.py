"""HTTP caching (RFC 9111) and conditional requests (RFC 9110 §13) for every GET.

The dataset changes only at a build, so a representation is fully determined by the
dataset version, the URL, and the negotiation headers. The entity tag is computed from
those *before* any work: a client or proxy revalidating with ``If-None-Match`` gets
``304 Not Modified`` without a query being evaluated (RFC 9110 §13.1.2, §15.4.5).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from datetime import UTC, datetime
from urllib.parse import urlencode

from flask import Flask, Response, g, request

from cnamkg.query.guard import keyword_candidates, tokens
from cnamkg.settings import Settings
from cnamkg.web import context
from cnamkg.web.response_cache import PER_REQUEST, CachedAnswer, ResponseCache

#: Seconds a cache may reuse a response without revalidating (RFC 9111 §5.2.2.1).
MAX_AGE = 60


#: SPARQL functions whose value changes from one evaluation to the next (SPARQL 1.1
#: Query §17.4.5.1, §17.4.2.8–9): a query using one is never cached.
VOLATILE = frozenset({"RAND", "NOW", "UUID", "STRUUID", "BNODE"})


#: Paths whose answers describe the running process, not the dataset.
LIVE_PATHS = frozenset({"/healthz", "/readyz"})


def cacheable() -> bool:
    """False for a query whose answer may change without a new build, and for the
    process's own status."""
    if request.path in LIVE_PATHS:
        return False
    query = request.args.get("query")
    if query is None:
        return True
    # every piece of text the parser might read as a keyword, as the SERVICE check does
    # (field report: RAND() inside "<1,RAND(),0)…>", lexed here as an IRI, was cached)
    words = keyword_candidates(query)
    return not any(v in w for w in words for v in VOLATILE)


def _normal_target() -> str:
    """The path and its parameters, sorted, with a SPARQL ``query`` normalised to its
    tokens (comments dropped, one space between tokens): queries that differ only in
    layout share one tag and one cache entry."""
    # sorted by name only: the order of a repeated parameter's values is kept, since the
    # first one is the one read (field report: ?lang=fr&lang=en served the English page)
    args = sorted(
        (
            (k, " ".join(t.group() for t in tokens(v) if t.lastgroup != "comment"))
            if k == "query"
            else (k, v)
            for k, v in request.args.items(multi=True)
        ),
        key=lambda kv: kv[0],
    )
    return request.path + ("?" + urlencode(args) if args else "")


def entity_tag() -> str:
    """The weak entity tag of the current GET: dataset version + scheme and host + URL +
    negotiation (scheme and host: pages write absolute links from them — an answer made
    for ``http://`` must not be served to ``https://``, nor one host's to another).

    Weak (RFC 9110 §8.8.1): equal tags mean the same content, not byte-identical streams.
    """
    h = hashlib.sha256()
    for part in (
        context.store().info.version,
        request.url_root,  # scheme, host and script root: what absolute links start with
        _normal_target(),
        request.headers.get("Accept", ""),
        request.headers.get("Accept-Language", ""),
    ):
        h.update(part.encode("utf-8", "surrogateescape") + b"\0")
    return f'W/"{h.hexdigest()[:32]}"'


def _built_at() -> datetime:
    """When the dataset being served was built (the ``Last-Modified`` of everything)."""
    built = datetime.fromisoformat(context.store().info.built_at)
    return built if built.tzinfo else built.replace(tzinfo=UTC)


#: Headers a 304 repeats from the 200 it stands for (RFC 9110 §15.4.5).
_KEPT = ("ETag", "Cache-Control", "Vary", "Content-Location", "Link")
#: How many 200 answers' headers a process remembers for answering 304 before routing.
_REMEMBERED = 4096


class _Remembered:
    """The headers of recent 200 answers by entity tag, so that a revalidation answers 304
    before any query runs, yet with the very headers the 200 had (bounded, LRU)."""

    def __init__(self) -> None:
        self._by_tag: OrderedDict[str, list[tuple[str, str]]] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, tag: str, headers: list[tuple[str, str]]) -> None:
        with self._lock:
            self._by_tag[tag] = headers
            self._by_tag.move_to_end(tag)
            while len(self._by_tag) > _REMEMBERED:
                self._by_tag.popitem(last=False)

    def get(self, tag: str) -> list[tuple[str, str]] | None:
        with self._lock:
            return self._by_tag.get(tag)


def _not_modified(headers: list[tuple[str, str]]) -> Response:
    resp = Response(status=304)
    for name, value in headers:
        resp.headers[name] = value
    return resp


def register(app: Flask) -> None:
    """Tag every cacheable 200 GET; answer conditional GETs with 304 — before routing when
    this process already sent the 200 the tag names, else after routing; answer repeated
    GETs from the :class:`~cnamkg.web.response_cache.ResponseCache`."""
    remembered = _Remembered()
    settings: Settings = app.extensions["cnamkg.settings"]
    answers = ResponseCache(int(settings.cache_mb * 1024 * 1024))
    app.extensions["cnamkg.answers"] = answers

    @app.before_request
    def _known_tag() -> Response | None:
        if request.method not in ("GET", "HEAD") or not cacheable():
            return None
        tag = g.etag = entity_tag()  # computed once; the response reuses it
        tags = request.if_none_match
        # only a concrete tag matches here ("*" and If-Modified-Since say nothing about
        # whether the URL names anything: they wait for routing, see _tag)
        if tags and not tags.star_tag and tags.contains_weak(tag.removeprefix("W/").strip('"')):
            headers = remembered.get(tag)
            if headers is not None:
                return _not_modified(headers)
        if answers.capacity and not tags and request.if_modified_since is None:
            kept = answers.get(tag)
            g.cache = "hit" if kept is not None else "miss"
            if kept is not None:
                return Response(kept.body, status=kept.status, headers=list(kept.headers))
        return None

    @app.after_request
    def _tag(resp: Response) -> Response:
        if request.method not in ("GET", "HEAD") or resp.status_code != 200:
            return resp
        tag = g.get("etag")  # set before the request when it is cacheable
        if tag is None:
            resp.headers["Cache-Control"] = "no-store"
            return resp
        resp.headers["ETag"] = tag
        resp.last_modified = _built_at()
        resp.headers.setdefault("Cache-Control", f"public, max-age={MAX_AGE}")
        kept = [(k, v) for k in _KEPT for v in resp.headers.getlist(k)]
        remembered.put(tag, kept)
        # files (dumps, static assets) are sent from disk already: not worth memory
        if g.get("cache") == "miss" and request.method == "GET" and not resp.direct_passthrough:
            headers = tuple((k, v) for k, v in resp.headers.items() if k.lower() not in PER_REQUEST)
            if resp.is_streamed:
                resp.response = answers.keep_stream(tag, 200, headers, resp.response)
            else:
                answers.put(tag, CachedAnswer(200, headers, resp.get_data()))
        tags, since = request.if_none_match, request.if_modified_since
        # RFC 9110 §13.1.2: If-None-Match is false when a tag matches, or for "*" once a
        # representation exists; §13.1.3: If-Modified-Since counts only without it
        if tags:
            fresh = tags.star_tag or tags.contains_weak(tag.removeprefix("W/").strip('"'))
        else:
            fresh = since is not None and since >= _built_at().replace(microsecond=0)
        if fresh:
            resp.close()
            return _not_modified(kept)
        return resp
