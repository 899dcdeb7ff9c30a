"""A real browser for the page tests (issue 8 §2): Debian's chromium, headless, driven by
Playwright for Python (its own browsers are not downloaded: ``executable_path`` is the
system chromium). Each test gets a fresh page whose console errors and uncaught
exceptions fail the test; screenshots go to ``tests/artifacts/`` (git-ignored, kept by CI).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest
from browsing import DESKTOP


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing: .ci/run installs Debian's chromium package")
        pytest.skip("chromium is not installed")
    return found


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless chromium for the whole session."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(
            executable_path=_chromium(),
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
