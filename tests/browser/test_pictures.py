"""The pictures are interactive in a real browser (issue 8 §1): pointing at or focusing a
node shows its full label and lights the links that reach it; clicking it (or Enter on
it) opens its page. Without JavaScript they stay SVG whose nodes are links. No console
error on the way (the ``page`` fixture)."""

from __future__ import annotations

import re

from browsing import screenshot

CAIRE = "https://w3id.org/cnamkg/id/project/caire"


def test_the_funding_picture_lights_a_project_and_its_links(page, embedded_server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(embedded_server + "/funding?lang=en")
    screenshot(page, "funding")
    picture = page.locator("svg.funding")
    tip = page.locator(".picture-tip")
    assert tip.is_hidden()
    # CAIRE: selected in one call, with five organisations
    touching = picture.locator(f'[data-from="{CAIRE}"], [data-to="{CAIRE}"]')
    assert touching.count() == 6
    picture.locator(f'a.node[data-iri="{CAIRE}"]').hover()
    assert tip.is_visible() and tip.inner_text() == "CAIRE · project"
    assert "lighting" in (picture.get_attribute("class") or "")
    assert picture.locator(".flow.lit").count() == 6
    lit = {e.get_attribute("data-to") for e in picture.locator(".flow.lit").all()}
    assert "https://w3id.org/cnamkg/id/organization/arts-et-metiers" in lit
    # away from the node, the picture is whole again
    page.mouse.move(0, 0)
    assert tip.is_hidden() and picture.locator(".lit").count() == 0
    # a click opens the node's page
    picture.locator('a.node[data-iri="https://w3id.org/cnamkg/id/organization/cnam"]').click()
    page.wait_for_url(re.compile(r"/page/organization/cnam\?lang=en"))
    assert page.locator("h1").inner_text() == "Cnam"


def test_a_neighbour_focused_from_the_keyboard_shows_its_whole_label(
    page, embedded_server: str
) -> None:  # type: ignore[no-untyped-def]
    page.goto(embedded_server + "/page/project/caire?lang=en")
    screenshot(page, "project-caire")
    node = page.locator("svg.neighbourhood.wide a.node").filter(
        has=page.locator("text", has_text="Université Bourgogne")
    )
    full = "Université Bourgogne Europe"
    assert full not in node.locator("text").text_content()  # cut in the drawing
    node.focus()
    tip = page.locator(".picture-tip")
    assert tip.is_visible() and tip.inner_text().startswith(full)
    assert page.locator("svg.neighbourhood.wide .edge.lit").count() == 1
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/page/organization/universite-bourgogne-europe"))


def test_the_funding_picture_works_without_javascript(browser, embedded_server: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    try:
        tab.goto(embedded_server + "/funding?lang=en")
        nodes = tab.locator("svg.funding a.node")
        assert nodes.count() >= 10
        assert tab.locator("ul.funding-tree a").count() >= nodes.count()  # the list says it too
        nodes.filter(has=tab.locator("text", has_text="PostGenAI@Paris")).click()
        tab.wait_for_url(re.compile(r"/page/project/postgenai-paris"))
    finally:
        context.close()


def test_an_event_page_says_when_where_and_who_at_a_glance(page, embedded_server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(embedded_server + "/page/event/journee-etude-ia-societe?lang=en")
    box = page.locator("section.glance")
    assert box.is_visible()
    text = box.inner_text()
    assert "2 October 2025, 09:00–19:30 (UTC+02:00)" in text
    assert "Online" in text and "co-organiser" in text
    screenshot(page, "event")
