"""``/assets/…``: our static files under fingerprinted names, cached for a year.

A page names ``/assets/style.{hash}.css`` (``{hash}``: the first 12 hex digits of the
SHA-256 of the file), so a changed file has a new URL and a browser may keep each one for
ever: ``Cache-Control: public, max-age=31536000, immutable`` (RFC 9111 §5.2.2.1, RFC 8246).
A name whose fingerprint is not the file's is 404: it was a file that no longer exists.
Flask's ``/static/…`` stays, revalidated, for links from elsewhere.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, send_from_directory

bp = Blueprint("assets", __name__)

#: One year, the longest a cache is asked to keep a response (RFC 9111 §5.2.2.1).
YEAR_S = 31_536_000


@cache
def fingerprint(folder: str, filename: str) -> str:
    """The first 12 hex digits of the SHA-256 of ``folder/filename`` (read once).

    :raises FileNotFoundError: there is no such file.
    """
    return hashlib.sha256((Path(folder) / filename).read_bytes()).hexdigest()[:12]


def asset_url(filename: str) -> str:
    """The fingerprinted URL of a static file: ``yasgui/yasgui.min.js`` →
    ``/assets/yasgui/yasgui.min.{hash}.js``.

    :raises FileNotFoundError: there is no such static file.
    """
    folder = str(current_app.static_folder)
    stem, dot, ext = filename.rpartition(".")
    return f"/assets/{stem}.{fingerprint(folder, filename)}{dot}{ext}"


@bp.route("/assets/<path:name>")
def asset(name: str) -> Response:
    """A static file named with its fingerprint, cached for a year."""
    stem, _, ext = name.rpartition(".")
    base, _, digest = stem.rpartition(".")
    filename = f"{base}.{ext}"
    folder = str(current_app.static_folder)
    if not base or ".." in filename.split("/") or filename.startswith("/"):
        abort(404)
    try:
        if fingerprint(folder, filename) != digest:
            abort(404)
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        abort(404)
    resp = send_from_directory(folder, filename, max_age=YEAR_S)
    resp.headers["Cache-Control"] = f"public, max-age={YEAR_S}, immutable"
    return resp
