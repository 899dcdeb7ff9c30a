"""Static assets and page weight (issue 8 §3): pages name their CSS, scripts and icon by
fingerprinted URLs served with a year-long immutable Cache-Control (RFC 9111 §5.2.2.1,
RFC 8246); a stale fingerprint or a path out of the folder is 404; every HTML page stays
under 100 KB before compression."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient

STATIC = Path(__file__).resolve().parents[2] / "src" / "cnamkg" / "web" / "static"
PAGES = [
    "/",
    "/organization",
    "/search?q=a",
    "/page/organization/cnam",
    "/page/project/caire",
    "/page/event/journee-etude-ia-societe",
    "/page/topic/themes",
    "/sparql",
    "/ontology",
    "/shapes",
    "/validate",
    "/api",
    "/about",
    "/timeline",
    "/funding",
    "/dumps/",
]


@pytest.mark.parametrize("path", PAGES)
def test_pages_are_light_and_name_fingerprinted_assets(kg: FlaskClient, path: str) -> None:
    r = kg.get(path, headers={"Accept": "text/html"})
    assert r.status_code == 200 and r.mimetype == "text/html"
    assert len(r.data) < 100_000
    html = r.get_data(as_text=True)
    assert "/static/" not in html
    urls = re.findall(r'(?:href|src)="(/assets/[^"]+)"', html)
    assert any(u.endswith(".css") for u in urls)
    for url in urls:
        with kg.get(url) as answer:  # a file response: closed after use
            assert answer.status_code == 200, url
            cache = answer.headers["Cache-Control"]
        assert cache == "public, max-age=31536000, immutable"
        name = re.sub(r"\.([0-9a-f]{12})(\.[a-z]+)$", r"\2", url.removeprefix("/assets/"))
        digest = re.search(r"\.([0-9a-f]{12})\.[a-z]+$", url).group(1)  # type: ignore[union-attr]
        assert hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:12] == digest


@pytest.mark.parametrize(
    "url",
    [
        "/assets/style.000000000000.css",  # a fingerprint that is not the file's
        "/assets/style.css",
        "/assets/../pyproject.000000000000.toml",
        "/assets/%2e%2e/%2e%2e/pyproject.000000000000.toml",
        "/assets/nothing.000000000000.js",
        "/assets/yasgui.000000000000",
    ],
)
def test_other_asset_names_are_404(kg: FlaskClient, url: str) -> None:
    assert kg.get(url).status_code == 404
