"""The OpenAPI description of the HTTP API (issue 6 §2): ``/openapi.json`` is a valid
OpenAPI 3.1 document naming every route, ``/api`` shows it, and schemathesis — every
check, every phase — finds the live server true to it on each backend."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from openapi_spec_validator import validate

from cnamkg.settings import Settings
from cnamkg.web.app import create_app

HERE = Path(__file__).resolve().parent / "schemathesis"


def _template(rule: str) -> str:
    """A Flask rule as an OpenAPI path template (``<kind>`` → ``{kind}``)."""
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule)


def test_the_description_is_valid_openapi(embedded_server: str) -> None:
    resp = requests.get(f"{embedded_server}/openapi.json", timeout=30)
    assert resp.status_code == 200
    assert resp.headers["Content-Type"] == "application/json"
    doc = resp.json()
    validate(doc)  # raises on any violation of the OpenAPI 3.1 schema
    assert doc["openapi"] == "3.1.0"
    assert doc["servers"] == [{"url": embedded_server}]
    # the entity routes' examples name an entity that exists
    kind = doc["paths"]["/page/{kind}/{slug}"]["get"]["parameters"][0]["schema"]["examples"][0]
    slug = doc["paths"]["/page/{kind}/{slug}"]["get"]["parameters"][1]["schema"]["examples"][0]
    assert requests.get(f"{embedded_server}/page/{kind}/{slug}", timeout=30).status_code == 200


def test_every_route_is_described(embedded_server: str) -> None:
    doc = requests.get(f"{embedded_server}/openapi.json", timeout=30).json()
    app = create_app(Settings(store="memory"))
    routes = {
        (_template(rule.rule), method.lower())
        for rule in app.url_map.iter_rules()
        for method in rule.methods or ()
        if method in ("GET", "POST")
        and rule.endpoint != "static"
        # the catch-alls answering 301 to canonical entity URLs, or 404
        and "<path:" not in rule.rule
    }
    # a rule ending in "/" also answers without it: 308 to the rule (werkzeug)
    routes |= {
        (path.rstrip("/"), method)
        for path, method in routes
        if path.endswith("/") and len(path) > 1 and (path.rstrip("/"), method) not in routes
    }
    described = {(path, method) for path, item in doc["paths"].items() for method in item}
    assert routes == described


def test_the_api_page_shows_every_operation(embedded_server: str) -> None:
    doc = requests.get(f"{embedded_server}/openapi.json", timeout=30).json()
    resp = requests.get(f"{embedded_server}/api?lang=en", timeout=30)
    assert resp.status_code == 200
    assert resp.headers["Content-Type"] == "text/html; charset=utf-8"
    for path, item in doc["paths"].items():
        for method, op in item.items():
            assert f'id="{op["operationId"]}"' in resp.text
            assert f"<code>{method.upper()} {path}</code>" in resp.text
            for code in op["responses"]:
                assert f'<th scope="row">{code}</th>' in resp.text
    assert 'href="/openapi.json"' in resp.text
    # descriptions are CommonMark: code spans become <code>, nothing else is markup
    assert "<code>/dumps/</code>" in resp.text and "`" not in resp.text


def test_schemathesis_finds_the_server_true_to_its_description(
    live_server: str, tmp_path: Path
) -> None:
    """Schemathesis (examples, coverage, fuzzing and stateful phases; every check: no
    5xx, documented statuses, media types, headers and bodies, schema-invalid requests
    refused with 4xx, unsupported methods 405) against the live server."""
    env = {**os.environ, "SCHEMATHESIS_HOOKS": "hooks", "PYTHONPATH": str(HERE)}
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "schemathesis"),
            "--config-file",
            str(HERE / "schemathesis.toml"),
            "--no-color",
            "run",
            f"{live_server}/openapi.json",
            "--checks",
            "all",
            "--max-examples",
            "40",
            "--workers",
            "2",
            "--request-timeout",
            "60",
            "--seed",
            "20261130",
        ],
        env=env,
        cwd=tmp_path,  # schemathesis keeps a cache folder where it runs
        capture_output=True,
        text=True,
        timeout=900,
    )
    if result.returncode != 0:
        pytest.fail(result.stdout[-20000:] + result.stderr[-5000:])
    # every operation was tested (schemathesis counts /{kind} and /{kind}/ as one)
    selected = re.search(r"Selected: (\d+)/(\d+)\s+Tested: (\d+)", result.stdout)
    assert selected is not None, result.stdout[-3000:]
    assert len(set(selected.groups())) == 1, selected.group(0)
    cases = re.search(r"(\d+) generated, (\d+) passed", result.stdout)
    assert cases is not None and int(cases[1]) == int(cases[2]) > 0, result.stdout[-3000:]
