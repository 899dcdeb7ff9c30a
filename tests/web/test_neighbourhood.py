"""The neighbourhood picture of entity pages (issue 4 §2): server-side SVG, well-formed
XML (SVG 2 §5), one linked node per neighbour with a tooltip (``<title>``, SVG 2 §5.9),
a text alternative for the whole picture (WCAG 2.2 SC 1.1.1), no script."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pyoxigraph as ox
from flask.testing import FlaskClient

from cnamkg.representation.neighbourhood import MAX_NEIGHBOURS, neighbourhood

SVG = "{http://www.w3.org/2000/svg}"


def _svgs(html: str) -> list[ET.Element]:
    """The pictures (wide, then narrow); they hold no nested <svg> (the legend's are in
    the <figcaption>, after them)."""
    found = [ET.fromstring(m) for m in re.findall(r"<svg xmlns=.*?</svg>", html, re.S)]
    assert len(found) == 2, "a wide and a narrow picture"
    return found


def _svg(html: str) -> ET.Element:
    return _svgs(html)[0]


def test_picture_links_each_neighbour_with_a_tooltip(kg: FlaskClient) -> None:
    html = kg.get("/page/organization/cnam?lang=en").get_data(as_text=True)
    svg = _svg(html)
    # a group, not an image: it holds links (an image's children are hidden from assistive
    # technologies; axe-core: nested-interactive)
    assert svg.get("role") == "group" and svg.get("aria-labelledby") == "nb-title-wide"
    assert svg.get("aria-describedby") == "nb-desc-wide"
    assert svg.find(f"{SVG}title").text == "Neighbourhood of Cnam"
    links = {a.get("href"): a for a in svg.iter(f"{SVG}a")}
    # the Cnam's units, the study day it organises, the projects it is partner of
    for path in (
        "/page/organization/ht2s?lang=en",
        "/page/event/journee-etude-ia-societe?lang=en",
        "/page/project/caire?lang=en",
    ):
        assert path in links, path
    caire = links["/page/project/caire?lang=en"]
    assert caire.find(f"{SVG}title").text == "CAIRE · project · ← partner"
    assert caire.find(f"{SVG}circle") is not None  # projects are circles
    assert "CAIRE" in svg.find(f"{SVG}desc").text
    assert not list(svg.iter(f"{SVG}script"))


def test_every_neighbour_is_inside_the_picture(kg: FlaskClient) -> None:
    """Both layouts keep every node and label inside their view box; a label's extent is
    estimated at 6.7 units a character (12 px text), so labels are not cut at the edges
    (field report: « ation française pou… »)."""
    html = kg.get("/page/event/journee-etude-ia-societe?lang=fr").get_data(as_text=True)
    ids = re.findall(r'id="(nb-[a-z]+-[a-z]+)"', html)
    assert len(ids) == len(set(ids)) == 4  # title and desc of each picture, unique
    for svg in _svgs(html):
        _, _, width, height = (float(v) for v in svg.get("viewBox").split())
        for el in svg.iter():
            for x, y in ((el.get("cx"), el.get("cy")), (el.get("x"), el.get("y"))):
                if x is not None and y is not None:
                    assert 0 <= float(x) <= width and 0 <= float(y) <= height
            if el.tag == f"{SVG}text":
                extent = 6.7 * len(el.text or "")
                x = float(el.get("x"))
                left = {"start": x, "end": x - extent, "middle": x - extent / 2}
                start = left[el.get("text-anchor")]
                assert 0 <= start and start + extent <= width, (el.text, svg.get("class"))


def test_labels_are_escaped_in_the_picture(client: FlaskClient) -> None:
    """Field case BUG-24: Mallory's English label is markup; it is text in the SVG."""
    html = client.get("/page/organization/o'neil", headers={"Accept": "text/html"})
    assert html.status_code == 404  # linked to, but not described: no page, no picture
    page = client.get("/page/organization/mallory?lang=en").get_data(as_text=True)
    assert "<script>alert" not in page


def test_layout_caps_the_neighbours_and_counts_the_rest() -> None:
    centre = "https://w3id.org/cnamkg/id/programme/hub"
    p = ox.NamedNode("http://example.org/p")
    triples = [
        ox.Triple(ox.NamedNode(f"https://w3id.org/cnamkg/id/project/p{i}"), p, ox.NamedNode(centre))
        for i in range(MAX_NEIGHBOURS + 5)
    ]
    picture = neighbourhood(
        centre,
        triples,
        label=lambda iri: iri.rsplit("/", 1)[1],
        kind=lambda iri: iri.split("/")[-2],
        link=lambda iri: "/page/" + iri.split("/id/")[1],
    )
    assert picture is not None
    assert len(picture.neighbours) == MAX_NEIGHBOURS and picture.hidden == 5
    assert {n.properties[0] for n in picture.neighbours} == {"← p"}
    assert len({(n.x, n.y) for n in picture.neighbours}) == MAX_NEIGHBOURS  # no overlap
    assert [n.kind for n in picture.legend] == ["project", "programme"]


def test_no_picture_without_neighbours() -> None:
    lone = "https://w3id.org/cnamkg/id/topic/lone"
    triples = [ox.Triple(ox.NamedNode(lone), ox.NamedNode("http://e/p"), ox.Literal("x"))]
    assert (
        neighbourhood(lone, triples, label=str, kind=lambda i: "topic", link=lambda i: None) is None
    )


def test_labels_do_not_overlap(kg: FlaskClient) -> None:
    """Field check at 390 px: two bottom labels of CAIRE's tall picture overlapped; a label
    that would overlap one already placed moves a line away from the centre."""
    for path in (
        "/page/project/caire",
        "/page/organization/cnam",
        "/page/event/journee-etude-ia-societe",
    ):
        for svg in _svgs(kg.get(path).get_data(as_text=True)):
            boxes = []
            for el in svg.iter(f"{SVG}text"):
                width = 6.7 * len(el.text or "")
                x, y = float(el.get("x")), float(el.get("y"))
                left = {"start": x, "end": x - width}.get(el.get("text-anchor"), x - width / 2)
                boxes.append((left, left + width, y - 11, y + 3, el.text))
            for i, a in enumerate(boxes):
                for b in boxes[i + 1 :]:
                    apart = a[1] <= b[0] or b[1] <= a[0] or a[3] <= b[2] or b[3] <= a[2]
                    assert apart, (path, svg.get("class"), a[4], b[4])
