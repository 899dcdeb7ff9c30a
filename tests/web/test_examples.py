"""Issue 3 §3: the example queries (queries/*.rq) have fr/en titles and descriptions,
appear in the editor and on the home page, and each gives a non-empty answer on the real
knowledge graph."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import rdflib
from flask.testing import FlaskClient
from markupsafe import escape

from cnamkg.query.examples import load_examples
from cnamkg.settings import REPO_ROOT

EXAMPLES = load_examples(REPO_ROOT / "queries")


def test_there_are_examples() -> None:
    assert len(EXAMPLES) >= 5


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.slug for e in EXAMPLES])
def test_example_gives_a_non_empty_answer(kg: FlaskClient, example) -> None:
    r = kg.post(
        "/sparql",
        data={"query": example.query},
        headers={"Accept": "application/sparql-results+json, text/turtle;q=0.9"},
    )
    assert r.status_code == 200, r.get_data(as_text=True)
    if r.mimetype == "text/turtle":
        assert len(rdflib.Graph().parse(data=r.data, format="turtle")) > 0
    else:
        doc = json.loads(r.data)
        assert doc.get("boolean") is True or doc["results"]["bindings"]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_examples_are_listed_in_the_editor_and_on_the_home_page(kg: FlaskClient, lang: str) -> None:
    editor = kg.get(f"/sparql?lang={lang}", headers={"Accept": "text/html"}).get_data(as_text=True)
    home = kg.get(f"/?lang={lang}").get_data(as_text=True)
    for ex in EXAMPLES:
        assert str(escape(ex.title[lang])) in editor and str(escape(ex.title[lang])) in home
        assert str(escape(ex.description[lang])) in editor
    config = json.loads(editor.split('id="yasgui-config">')[1].split("</script>")[0])
    assert config["endpoint"] == "http://localhost/sparql"
    assert config["prefixes"]["schema"] == "https://schema.org/"
    assert config["prefixes"]["cnamkg"] == "https://w3id.org/cnamkg/ontology#"
    assert set(config["examples"]) == {ex.slug for ex in EXAMPLES}
    assert config["given"] is False
    given = kg.get(
        "/sparql", query_string={"query": "ASK {}"}, headers={"Accept": "text/html"}
    ).get_data(as_text=True)
    assert json.loads(given.split('id="yasgui-config">')[1].split("</script>")[0])["given"] is True


def test_editor_assets_are_served_from_our_own_static_files(kg: FlaskClient) -> None:
    """No CDN at run time: every script and stylesheet of the editor page is ours."""
    import re

    page = kg.get("/sparql", headers={"Accept": "text/html"}).get_data(as_text=True)
    urls = re.findall(r'<script src="([^"]+)"', page) + re.findall(
        r'<link rel="stylesheet" href="([^"]+)"', page
    )
    assert urls and all(u.startswith("/assets/") for u in urls), urls
    for asset, mimetype in (
        ("yasgui/yasgui.min", "text/javascript"),
        ("yasgui/yasgui.min", "text/css"),
        ("editor", "text/javascript"),
    ):
        ext = ".js" if mimetype == "text/javascript" else ".css"
        (url,) = [u for u in urls if re.fullmatch(f"/assets/{asset}\\.[0-9a-f]{{12}}\\{ext}", u)]
        with kg.get(url) as r:
            assert r.status_code == 200 and r.mimetype == mimetype


def test_a_file_without_titles_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "x.rq").write_text("# title@fr: X\nASK {}\n")
    with pytest.raises(ValueError, match="x.rq: no '# title@en:'"):
        load_examples(tmp_path)
