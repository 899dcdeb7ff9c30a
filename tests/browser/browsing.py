"""Helpers of the browser tests: screenshots and axe-core (issue 8 §2)."""

from __future__ import annotations

from pathlib import Path

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
