"""The query editor and graph results in a real browser (issue 8 §1): a CONSTRUCT or
DESCRIBE query offers a link to its result graph, a table of triples whose entity IRIs
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
    link.locator("a").click()
    page.wait_for_url(re.compile(r"/sparql\?query=.*DESCRIBE.*#result-graph"))
    rows = page.locator("#result-graph table.triples tbody tr")
    rows.first.wait_for()
    assert rows.count() > 10
    assert page.locator("#result-graph").is_visible()  # not hidden behind the editor
    screenshot(page, "sparql-graph")
    page.locator('#result-graph td a[href="/page/organization/afas?lang=en"]').first.click()
    page.wait_for_url(re.compile(r"/page/organization/afas\?lang=en"))
