"""The browser of the page tests (issue 8 §2): Debian's chromium, headless, driven by
Playwright for Python (its own browsers are not downloaded: ``executable_path`` is the
system chromium). Each test gets a fresh page whose console errors and uncaught
exceptions fail the test; screenshots go to ``tests/artifacts/`` (git-ignored, kept by CI);
axe-core (vendored from npm) checks accessibility.

The fixtures ``browser`` and ``page`` are a plugin the suite's conftest names
(``pytest_plugins``): a ``conftest.py`` in this folder would shadow the suite's, which
other modules import by that name.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import chromium

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
AXE = Path(__file__).resolve().parents[1] / "vendor" / "axe-core" / "axe.min.js"
#: Viewports of the screenshots: a desktop and a phone (CSS pixels).
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def screenshot(tab: object, name: str) -> None:
    """Save the page at desktop and phone widths as ``tests/artifacts/{name}-{width}.png``."""
    ARTIFACTS.mkdir(exist_ok=True)
    for size in (DESKTOP, PHONE):
        tab.set_viewport_size(size)  # type: ignore[attr-defined]
        tab.screenshot(path=str(ARTIFACTS / f"{name}-{size['width']}.png"), full_page=True)  # type: ignore[attr-defined]
    tab.set_viewport_size(DESKTOP)  # type: ignore[attr-defined]


def axe_violations(tab: object) -> list[dict[str, object]]:
    """axe-core's violations of impact serious or critical on the current page."""
    tab.add_script_tag(path=str(AXE))  # type: ignore[attr-defined]
    found = tab.evaluate(  # type: ignore[attr-defined]
        "async () => (await axe.run(document)).violations"
        ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"
    )
    return [v for v in found if v["impact"] in ("serious", "critical")]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless chromium for the whole session."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(
            executable_path=chromium(),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        yield launched
        launched.close()


class ConsoleErrors(list[str]):
    """What the page wrote to the console as errors, and its uncaught exceptions."""


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    """A fresh page (desktop viewport, French and English accepted); a console error or
    an uncaught exception on any page it visits fails the test (issue 8 §2)."""
    context = browser.new_context(  # type: ignore[attr-defined]
        viewport=DESKTOP,
        locale="fr-FR",
        bypass_csp=True,  # axe is injected as a script
    )
    tab = context.new_page()
    errors = ConsoleErrors()
    tab.on("console", lambda m: errors.append(f"{m.type}: {m.text}") if m.type == "error" else None)
    tab.on("pageerror", lambda e: errors.append(f"exception: {e}"))
    tab.console_errors = errors
    yield tab
    context.close()
    assert list(errors) == [], errors
