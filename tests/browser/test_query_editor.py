"""The query editor and graph results in a real browser (issue 8 §1): a CONSTRUCT or
DESCRIBE query offers a button to its result graph, a table of triples whose entity IRIs
open their pages. No console error on the way (the ``page`` fixture)."""

from __future__ import annotations

import re

from browsing import screenshot


def test_a_describe_query_links_to_its_result_graph(page, embedded_server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(embedded_server + "/sparql?lang=en")
    page.wait_for_selector(".yasqe")
    link = page.locator("#graph-link")
    assert link.is_hidden()  # the first query is a SELECT
    page.locator('a[data-example="07-event-description"]').click()
    link.wait_for(state="visible")
    assert link.inner_text() == "View the result graph"
    link.locator("button").click()  # posted: a long query does not fit in a URL
    page.wait_for_url(re.compile(r"/sparql#result-graph$"))
    rows = page.locator("#result-graph table.triples tbody tr")
    rows.first.wait_for()
    assert rows.count() > 10
    assert page.locator("#result-graph").is_visible()  # not hidden behind the editor
    screenshot(page, "sparql-graph")
    page.locator('#result-graph td a[href="/page/organization/afas?lang=en"]').first.click()
    page.wait_for_url(re.compile(r"/page/organization/afas\?lang=en"))


def test_the_editor_is_no_keyboard_trap(page, embedded_server: str) -> None:  # type: ignore[no-untyped-def]
    """WCAG 2.1.2: Tab leaves the editor (CodeMirror would indent); the page opens at its
    top, not in the editor (WCAG 2.4.3), so the first Tab reaches the header."""
    page.goto(embedded_server + "/sparql?lang=en")
    page.wait_for_selector(".yasqe")
    assert page.evaluate("document.activeElement === document.body")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('header') !== null")
    page.locator(".yasqe .CodeMirror").click()
    before = page.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()")
    page.keyboard.press("Tab")
    after = page.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()")
    assert after == before  # no indentation typed
    in_editor = "document.activeElement === document.querySelector('.CodeMirror textarea')"
    assert not page.evaluate(in_editor)  # on to the editor's buttons
    page.keyboard.press("Shift+Tab")
    assert page.evaluate(in_editor)
    page.keyboard.press("Shift+Tab")  # and back out before it: the endpoint's buttons
    assert not page.evaluate(in_editor)
    assert page.evaluate("document.activeElement.closest('#yasgui') !== null")


def test_the_editor_speaks_french_and_links_terms_here(page, embedded_server: str) -> None:  # type: ignore[no-untyped-def]
    """On a French page the editor's own words are French; in results, a term of our
    ontology links to its entry on /ontology, as without script; at phone width the
    results scroll in their own box, not the page."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(embedded_server + "/sparql?lang=fr")
    page.wait_for_selector(".yasqe")
    assert page.locator(".yasqe_queryButton").get_attribute("title") == "Lancer la requête"
    assert page.locator("#yasgui .autocomplete").first.get_attribute("aria-label") == (
        "Point d'accès SPARQL"
    )
    page.locator('a[data-example="02-caire-consortium"]').click()
    page.locator(".yasr table tbody tr").first.wait_for()
    assert "résultat(s) en" in page.locator(".yasr").inner_text()
    assert page.locator(".tableFilter").get_attribute("placeholder") == "Filtrer les résultats"
    hrefs = [a.get_attribute("href") for a in page.locator(".yasr table a").all()]
    assert "/ontology?lang=fr#coordinator" in hrefs
    assert not [h for h in hrefs if h and "w3id.org" in h]  # nothing leaves the site
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "sparql-results-fr")


def test_a_malformed_query_in_the_url_shows_its_error_without_a_script_error(
    page, embedded_server: str
) -> None:  # type: ignore[no-untyped-def]
    """Second break-it review: the editor ran the query of the URL and left its rejected
    promise uncaught. The ``page`` fixture fails on any uncaught error; the browser's own
    log line of the 400 answer is expected."""
    page.goto(embedded_server + "/sparql?lang=en&query=SELECT%20*%20WHERE%20%7B%20%3Fs%20%3Fp%20")
    page.wait_for_selector(".yasqe")
    page.wait_for_timeout(1000)  # the query's answer arrives and is shown
    assert [e for e in page.console_errors if "400" not in e] == []
    page.console_errors.clear()
