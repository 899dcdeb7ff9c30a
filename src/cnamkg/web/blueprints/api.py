"""``/openapi.json`` (the OpenAPI 3.1 description of the HTTP API) and ``/api`` (the same
description as a page): one document, built by :mod:`cnamkg.representation.openapi`."""

from __future__ import annotations

import json
import re
from typing import Any

from flask import Blueprint, Response, request
from markupsafe import Markup, escape

from cnamkg.iris import EntityRef
from cnamkg.query.browse import entities_by_kind
from cnamkg.representation.i18n import page_language
from cnamkg.representation.openapi import OPENAPI_VERSION, openapi_document
from cnamkg.web import context
from cnamkg.web.pages import html_page

bp = Blueprint("api", __name__)

#: The order operations are listed in on the page.
_METHODS = ("get", "post")


def _document() -> dict[str, Any]:
    settings = context.settings()
    grouped = entities_by_kind(context.store(), settings.base_iri)
    first = next((items[0] for items in grouped.values() if items), None)
    example = EntityRef(first.kind, first.slug) if first else None
    return openapi_document(settings, server_url=request.host_url.rstrip("/"), example=example)


@bp.route("/openapi.json")
def openapi() -> Response:
    """The OpenAPI description, as JSON (OpenAPI Specification 3.1.0 §4.2)."""
    body = json.dumps(_document(), ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json")


#: A CommonMark code span with single backticks (the only markup our descriptions use).
_CODE_SPAN = re.compile(r"`([^`]+)`")


def _rich(text: str) -> Markup:
    """A description (CommonMark, OpenAPI 3.1 §4.8.1) as HTML: escaped, with its code
    spans as ``<code>``."""
    return Markup(_CODE_SPAN.sub(r"<code>\1</code>", str(escape(text))))


def _schema_text(schema: dict[str, Any]) -> str:
    """A short reading of a parameter's JSON Schema: its values, pattern or type."""
    if "enum" in schema:
        return " | ".join(str(v) for v in schema["enum"])
    if "pattern" in schema:
        return schema["pattern"]
    if schema.get("type") == "array":
        return _schema_text(schema.get("items", {})) + " …"
    return str(schema.get("format") or schema.get("type") or "")


@bp.route("/api")
def docs() -> Response:
    """The API documentation page, rendered from the OpenAPI description."""
    lang = page_language(request.args.get("lang"), request.accept_languages)
    doc = _document()
    operations = [
        {
            "method": method.upper(),
            "path": path,
            "anchor": op["operationId"],
            "summary": op["summary"],
            "description": _rich(op["description"]),
            "parameters": [
                {
                    **p,
                    "description": _rich(p["description"]),
                    "schema_text": _schema_text(p["schema"]),
                }
                for p in op.get("parameters", [])
            ],
            "body": sorted(op.get("requestBody", {}).get("content", {})),
            "responses": [
                (code, _rich(r["description"]), sorted(r.get("content", {})))
                for code, r in sorted(op["responses"].items())
            ],
        }
        for path, item in doc["paths"].items()
        for method in _METHODS
        if (op := item.get(method))
    ]
    return html_page(
        "api.html",
        lang,
        headers={"Vary": "Accept-Language"},
        info={**doc["info"], "description": _rich(doc["info"]["description"])},
        openapi_version=OPENAPI_VERSION,
        operations=operations,
    )
