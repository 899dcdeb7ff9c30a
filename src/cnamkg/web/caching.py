"""HTTP caching (RFC 9111) and conditional requests (RFC 9110 §13) for every GET.

The dataset changes only at a build, so a representation is fully determined by the
dataset version, the URL, and the negotiation headers. The entity tag is computed from
those *before* any work: a client or proxy revalidating with ``If-None-Match`` gets
``304 Not Modified`` without a query being evaluated (RFC 9110 §13.1.2, §15.4.5).
"""

from __future__ import annotations

import hashlib

from flask import Flask, Response, request

from cnamkg.web import context

#: Seconds a cache may reuse a response without revalidating (RFC 9111 §5.2.2.1).
MAX_AGE = 60


def entity_tag() -> str:
    """The weak entity tag of the current GET: dataset version + URL + negotiation.

    Weak (RFC 9110 §8.8.1): equal tags mean the same content, not byte-identical streams.
    """
    h = hashlib.sha256()
    for part in (
        context.store().info.version,
        request.full_path,
        request.headers.get("Accept", ""),
        request.headers.get("Accept-Language", ""),
    ):
        h.update(part.encode("utf-8", "surrogateescape") + b"\0")
    return f'W/"{h.hexdigest()[:32]}"'


def register(app: Flask) -> None:
    """Answer conditional GETs with 304 before routing; tag every 200 GET response."""

    @app.before_request
    def _not_modified() -> Response | None:
        if request.method not in ("GET", "HEAD"):
            return None
        tag = entity_tag()
        if request.if_none_match and request.if_none_match.contains_weak(
            tag.removeprefix("W/").strip('"')
        ):
            resp = Response(status=304)
            resp.headers["ETag"] = tag
            resp.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
            return resp
        return None

    @app.after_request
    def _tag(resp: Response) -> Response:
        if request.method in ("GET", "HEAD") and resp.status_code == 200:
            resp.headers["ETag"] = entity_tag()
            resp.headers.setdefault("Cache-Control", f"public, max-age={MAX_AGE}")
        return resp
