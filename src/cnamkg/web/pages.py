"""One way to answer with an HTML page: a template rendered in the page language, with
the UI strings of that language (``t``), as ``text/html; charset=utf-8``."""

from __future__ import annotations

from typing import Any

from flask import Response, render_template

from cnamkg.representation import formats as F
from cnamkg.representation.i18n import UI


def html_page(
    template: str,
    lang: str,
    *,
    status: int = 200,
    headers: dict[str, str] | None = None,
    **values: Any,
) -> Response:
    """Render ``template`` for ``lang`` (``fr`` or ``en``) with ``values``.

    :param status: the HTTP status.
    :param headers: response headers, e.g. ``Vary`` naming what chose the page.
    :return: the response (``text/html; charset=utf-8``).
    """
    body = render_template(template, lang=lang, t=UI[lang], **values)
    return Response(body, status=status, content_type=F.HTML.content_type, headers=headers or {})
