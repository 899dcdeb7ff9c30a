"""Accessibility of each page type (issue 8 §2): axe-core (vendored from npm in
tests/vendor/axe-core) finds no violation of impact serious or critical, in French and
in English."""

from __future__ import annotations

import pytest
from browsing import axe_violations

#: One page of each type.
PAGES = [
    "/",
    "/organization",
    "/search?q=sorbonne",
    "/page/organization/cnam",
    "/page/project/caire",
    "/page/event/journee-etude-ia-societe",
    "/page/call/ia-cluster",
    "/page/topic/themes",
    "/page/document/communique-journee-ia",
    "/sparql",
    # a result graph (CONSTRUCT/DESCRIBE) drawn by the server
    "/sparql?query=DESCRIBE%20%3Chttps%3A%2F%2Fw3id.org%2Fcnamkg%2Fid%2Fproject%2Fcaire%3E",
    "/page/programme/france-2030",
    "/ontology",
    "/shapes",
    "/validate",
    "/api",
    "/dumps/",
    "/about",
    "/timeline",
    "/funding",
    "/page/organization/nowhere",
]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_serious_accessibility_violation(
    page, embedded_server: str, path: str, lang: str
) -> None:  # type: ignore[no-untyped-def]
    sep = "&" if "?" in path else "?"
    answer = page.goto(f"{embedded_server}{path}{sep}lang={lang}")
    if path.endswith("/nowhere"):
        # the page of an entity we do not have: a 404 the browser reports on its console
        assert answer.status == 404
        assert [e for e in page.console_errors if "404" in e] == page.console_errors
        page.console_errors.clear()
    assert axe_violations(page) == []
    if path == "/sparql":  # the editor, then its results table
        page.wait_for_selector(".yasqe")
        assert axe_violations(page) == []
        page.locator("a[data-example]").first.click()
        page.locator(".yasr table tbody tr").first.wait_for()
        assert axe_violations(page) == []
