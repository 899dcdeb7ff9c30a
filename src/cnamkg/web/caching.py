"""HTTP caching (RFC 9111) and conditional requests (RFC 9110 §13) for every GET.

The dataset changes only at a build, so a representation is fully determined by the
dataset version, the URL, and the negotiation headers. The entity tag is computed from
those *before* any work: a client or proxy revalidating with ``If-None-Match`` gets
``304 Not Modified`` without a query being evaluated (RFC 9110 §13.1.2, §15.4.5).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from flask import Flask, Response, g, request

from cnamkg.query.guard import keywords
from cnamkg.web import context

#: Seconds a cache may reuse a response without revalidating (RFC 9111 §5.2.2.1).
MAX_AGE = 60


#: SPARQL functions whose value changes from one evaluation to the next (SPARQL 1.1
#: Query §17.4.5.1, §17.4.2.8–9): a query using one is never cached.
VOLATILE = frozenset({"RAND", "NOW", "UUID", "STRUUID", "BNODE"})


def cacheable() -> bool:
    """False for a query whose answer may change without a new build."""
    query = request.args.get("query")
    return query is None or not VOLATILE.intersection(keywords(query))


def entity_tag() -> str:
    """The weak entity tag of the current GET: dataset version + host + URL + negotiation.

    Weak (RFC 9110 §8.8.1): equal tags mean the same content, not byte-identical streams.
    """
    h = hashlib.sha256()
    for part in (
        context.store().info.version,
        request.host,
        request.full_path,
        request.headers.get("Accept", ""),
        request.headers.get("Accept-Language", ""),
    ):
        h.update(part.encode("utf-8", "surrogateescape") + b"\0")
    return f'W/"{h.hexdigest()[:32]}"'


def _built_at() -> datetime:
    """When the dataset being served was built (the ``Last-Modified`` of everything)."""
    built = datetime.fromisoformat(context.store().info.built_at)
    return built if built.tzinfo else built.replace(tzinfo=UTC)


def register(app: Flask) -> None:
    """Answer conditional GETs with 304 before routing; tag every 200 GET response."""

    @app.before_request
    def _not_modified() -> Response | None:
        if request.method not in ("GET", "HEAD") or not cacheable():
            return None
        tag = g.etag = entity_tag()  # computed once; the response reuses it
        # only a concrete tag matches: "*" would need to know that a representation
        # exists, which is known only after routing (RFC 9110 §13.1.2)
        tags = request.if_none_match
        # If-Modified-Since waits for routing (see _tag): a date says nothing about
        # whether the URL names anything, and a 304 must not hide a 404 or a redirect
        fresh = tags.contains_weak(tag.removeprefix("W/").strip('"')) and not tags.star_tag
        if fresh:
            resp = Response(status=304)
            resp.headers["ETag"] = tag
            resp.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
            resp.headers["Vary"] = "Accept, Accept-Language"  # as the 200 would (§15.4.5)
            return resp
        return None

    @app.after_request
    def _tag(resp: Response) -> Response:
        if request.method not in ("GET", "HEAD") or resp.status_code != 200:
            return resp
        tag = g.get("etag")  # set before the request when it is cacheable
        if tag is not None:
            resp.headers["ETag"] = tag
            resp.last_modified = _built_at()
            resp.headers.setdefault("Cache-Control", f"public, max-age={MAX_AGE}")
            tags, since = request.if_none_match, request.if_modified_since
            # "If-None-Match: *" is false once a representation exists (RFC 9110
            # §13.1.2); If-Modified-Since counts only without If-None-Match (§13.1.3)
            if tags.star_tag or (
                not tags and since is not None and since >= _built_at().replace(microsecond=0)
            ):
                # 304 with the 200's headers but no content (§15.4.5)
                not_modified = Response(status=304)
                for name in ("ETag", "Cache-Control", "Vary", "Content-Location", "Link"):
                    if name in resp.headers:
                        not_modified.headers[name] = resp.headers[name]
                not_modified.last_modified = resp.last_modified
                resp.close()
                return not_modified
        else:
            resp.headers["Cache-Control"] = "no-store"
        return resp
