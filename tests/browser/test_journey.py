"""A visitor's journey in a real browser (issue 8 §2), over the served product
(`cnamkg serve` on its embedded store): home, search, an organisation, one of its
projects, English, the query editor, an example query's rows, an entity of the results.
No console error on the way (the ``page`` fixture); screenshots at desktop and phone
widths in ``tests/artifacts/``."""

from __future__ import annotations

import re

from browsing import screenshot


def test_from_the_home_page_to_a_query_and_back(page, embedded_server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(embedded_server + "/")
    assert page.locator("html").get_attribute("lang") == "fr"
    screenshot(page, "home")

    # search « sorbonne » from the header, reach Sorbonne Université's page
    page.fill("#site-search", "sorbonne")
    page.press("#site-search", "Enter")
    page.wait_for_url(re.compile(r"/search\?"))
    screenshot(page, "search")
    page.get_by_role("link", name="Sorbonne Université", exact=True).first.click()
    page.wait_for_url(re.compile(r"/page/organization/sorbonne-universite"))
    assert page.locator("h1").inner_text() == "Sorbonne Université"
    screenshot(page, "organisation")

    # follow a link to the project it coordinates
    page.get_by_role("link", name="PostGenAI@Paris", exact=True).first.click()
    page.wait_for_url(re.compile(r"/page/project/postgenai-paris"))
    assert page.locator("h1").inner_text() == "PostGenAI@Paris"
    french = page.locator("main").inner_text()
    screenshot(page, "project")

    # switch to English: the page's language and its labels change
    page.locator("header a[hreflang='en']").click()
    page.wait_for_url(re.compile(r"lang=en"))
    assert page.locator("html").get_attribute("lang") == "en"
    english = page.locator("main").inner_text()
    assert english != french and "Coordinator" in english or "coordinator" in english

    # the query editor: run an example query, see rows, open an entity of the results
    page.locator("header a[href*='/sparql']").first.click()
    page.wait_for_selector(".yasqe")
    screenshot(page, "sparql")
    page.locator("a[data-example]").first.click()
    rows = page.locator(".yasr table tbody tr")
    rows.first.wait_for()
    assert rows.count() > 0
    entity = page.locator(f".yasr table a[href^='{embedded_server}/']").first
    entity.click()
    page.wait_for_url(re.compile(r"/page/"))
    assert page.locator("h1").inner_text()

    # the timeline, from the footer
    page.locator("footer a[href*='/timeline']").click()
    page.wait_for_url(re.compile(r"/timeline"))
    assert page.locator("li.moment").count() > 10
    screenshot(page, "timeline")


def test_the_journey_works_with_the_keyboard_alone(page, embedded_server: str) -> None:  # type: ignore[no-untyped-def]
    """Tab to the search field, type, Enter; Tab to a result, Enter: no mouse needed."""
    page.goto(embedded_server + "/?lang=en")

    def tab_until(matches: str, most: int = 60) -> None:
        for _ in range(most):
            page.keyboard.press("Tab")
            if page.evaluate(f"() => document.activeElement.matches({matches!r})"):
                return
        raise AssertionError(f"{matches} never got the focus")

    tab_until("#site-search")
    page.keyboard.type("cnam")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search\?"))
    tab_until("main a[href*='/page/organization/cnam']")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/page/organization/cnam"))
    assert page.locator("h1").inner_text() == "Cnam"


def test_pages_work_without_javascript(browser, embedded_server: str) -> None:  # type: ignore[no-untyped-def]
    """Every page but the editor and the interactive picture works without JavaScript:
    pages render, search answers, and the query form runs a query on the server."""
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    try:
        tab.goto(embedded_server + "/page/project/caire?lang=en")
        assert tab.locator("h1").inner_text() == "CAIRE"
        assert tab.locator("svg.neighbourhood a").count() > 0  # the picture, as plain SVG
        tab.goto(embedded_server + "/search?q=sorbonne")
        assert tab.get_by_role("link", name="Sorbonne Université", exact=True).count() > 0
        tab.goto(embedded_server + "/sparql?lang=en")
        assert tab.locator("#query-form").is_visible()
        tab.fill(
            "#query", "SELECT ?s WHERE { ?s a <http://www.w3.org/ns/org#Organization> } LIMIT 3"
        )
        tab.locator("#query-form button[type=submit]").click()
        tab.wait_for_url(re.compile(r"/sparql\?"))
        assert tab.locator("table.results tbody tr").count() == 3
    finally:
        context.close()
