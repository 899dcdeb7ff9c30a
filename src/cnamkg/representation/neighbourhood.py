"""The picture of an entity's neighbourhood: the entity in the middle, the entities it
links to and that link to it around it, one edge per neighbour named by its properties.

Only the layout is computed here (positions in SVG user units, shapes by kind); the SVG
itself is written by the ``_neighbourhood.html`` template, so that every text goes through
Jinja's escaping. The picture is an image with a text alternative (WCAG 2.2 SC 1.1.1):
its ``<title>`` and ``<desc>`` name every neighbour, and each node carries a ``<title>``
tooltip and a link to the neighbour's page.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import pyoxigraph as ox

from cnamkg.vocab import DCTERMS_SOURCE, PROV_WAS_DERIVED_FROM, RDF_TYPE

#: Most neighbours drawn; the others are counted in :attr:`Picture.hidden`.
MAX_NEIGHBOURS = 12


@dataclass(frozen=True)
class Layout:
    """Where a picture puts its nodes and labels.

    :param name: ``wide`` (desktop) or ``narrow`` (phone); the page shows one by width.
    :param width: picture width, in SVG user units (1 unit = 1 px at natural size).
    :param height: picture height.
    :param radius_x: horizontal radius of the ellipse the neighbours sit on.
    :param radius_y: vertical radius.
    :param label_chars: longest label drawn whole (longer ones end with "…").
    :param beside: labels beside the nodes on the left and right (room for
        ``label_chars`` characters, about 6.7 units each at 12 px); else always below.
    """

    name: str
    width: int
    height: int
    radius_x: int
    radius_y: int
    label_chars: int
    beside: bool


#: Desktop: a wide ellipse, labels beside the side nodes.
WIDE = Layout("wide", 900, 420, 240, 165, 26, True)
#: Phone: a tall ellipse drawn at about its natural size on a 390 px screen, labels
#: below the nodes.
NARROW = Layout("narrow", 380, 620, 110, 250, 15, False)
WIDTH, HEIGHT = WIDE.width, WIDE.height

#: Shape of each kind's node; the legend and the shapes' meaning are in the template.
SHAPES = {
    "organization": "rect",
    "project": "circle",
    "call": "diamond",
    "programme": "hexagon",
    "event": "star",
    "topic": "ellipse",
    "document": "page",
    "place": "triangle",
}


@dataclass
class Node:
    """One entity drawn.

    :param iri: the entity.
    :param label: its label in the page language.
    :param short: the label as drawn (cut at :data:`LABEL_CHARS`).
    :param kind: its kind (chooses the shape), or ``"other"``.
    :param href: its page URL.
    :param x: centre abscissa, in user units.
    :param y: centre ordinate.
    :param properties: labels of the properties linking it to the centre, ``→`` for
        outgoing and ``←`` for incoming.
    :param anchor: SVG ``text-anchor`` of its label.
    :param tx: abscissa of its label.
    :param ty: ordinate of its label's baseline.
    """

    iri: str
    label: str
    short: str
    kind: str
    href: str | None
    x: float = 0.0
    y: float = 0.0
    properties: list[str] = field(default_factory=list)
    anchor: str = "middle"
    tx: float = 0.0
    ty: float = 0.0

    @property
    def shape(self) -> str:
        """Name of the node's shape (:data:`SHAPES`)."""
        return SHAPES.get(self.kind, "ellipse")

    @property
    def points(self) -> str:
        """The polygon points of diamond, hexagon, star, triangle and page shapes."""
        x, y = self.x, self.y
        if self.shape == "diamond":
            pts = [(0, -16), (16, 0), (0, 16), (-16, 0)]
        elif self.shape == "hexagon":
            pts = [(15 * math.cos(a), 15 * math.sin(a)) for a in _angles(6, 0)]
        elif self.shape == "star":
            pts = [
                (r * math.cos(a), r * math.sin(a))
                for i, a in enumerate(_angles(10, -math.pi / 2))
                for r in ((17 if i % 2 == 0 else 7),)
            ]
        elif self.shape == "triangle":
            pts = [(0, -16), (15, 12), (-15, 12)]
        else:  # page: a sheet with a folded corner
            pts = [(-11, -15), (5, -15), (11, -9), (11, 15), (-11, 15)]
        return " ".join(f"{x + dx:.1f},{y + dy:.1f}" for dx, dy in pts)


def _angles(n: int, start: float) -> list[float]:
    return [start + 2 * math.pi * i / n for i in range(n)]


@dataclass
class Picture:
    """The neighbourhood of one entity, laid out.

    :param centre: the entity itself, at the middle.
    :param neighbours: up to :data:`MAX_NEIGHBOURS` linked entities on an ellipse.
    :param hidden: how many further neighbours are not drawn.
    :param layout: sizes and label placement.
    """

    centre: Node
    neighbours: list[Node]
    hidden: int
    layout: Layout = WIDE

    @property
    def legend(self) -> list[Node]:
        """One node at the origin per kind drawn, in :data:`SHAPES` order."""
        drawn = {n.kind for n in (self.centre, *self.neighbours)}
        return [Node("", "", "", k, None) for k in SHAPES if k in drawn]


def cut_label(text: str, chars: int) -> str:
    """``text``, or its first ``chars - 1`` characters and "…" when it is longer."""
    return text if len(text) <= chars else text[: chars - 1].rstrip() + "…"


def neighbourhood(
    iri: str,
    triples: list[ox.Triple],
    *,
    label: Callable[[str], str],
    kind: Callable[[str], str | None],
    link: Callable[[str], str | None],
    layout: Layout = WIDE,
) -> Picture | None:
    """Lay out the neighbourhood of ``iri`` from its description.

    :param triples: the entity's description (outgoing and incoming triples).
    :param label: IRI → its label in the page language.
    :param kind: IRI → its kind when it is one of our entities, else ``None`` (only our
        entities are drawn: they have pages to link to).
    :param link: IRI → page URL.
    :param layout: :data:`WIDE` or :data:`NARROW`.
    :return: the picture, or ``None`` when the entity links to no other entity.
    """
    found: dict[str, Node] = {}
    order: dict[str, int] = {}
    for t in triples:
        p = t.predicate.value
        if p == RDF_TYPE:
            continue
        if t.subject == ox.NamedNode(iri) and isinstance(t.object, ox.NamedNode):
            other, arrow = t.object.value, "→"
        elif t.object == ox.NamedNode(iri) and isinstance(t.subject, ox.NamedNode):
            other, arrow = t.subject.value, "←"
        else:
            continue
        k = kind(other)
        if other == iri or k is None:
            continue
        node = found.get(other)
        if node is None:
            name = label(other)
            node = found[other] = Node(
                other, name, cut_label(name, layout.label_chars), k, link(other)
            )
            # provenance last: the picture is about the entity's relations
            order[other] = 1 if p in (DCTERMS_SOURCE, PROV_WAS_DERIVED_FROM) else 0
        text = f"{arrow} {label(p)}"
        if text not in node.properties:
            node.properties.append(text)
    if not found:
        return None
    ranked = sorted(found.values(), key=lambda n: (order[n.iri], n.kind, n.label.casefold()))
    shown = ranked[:MAX_NEIGHBOURS]
    cx, cy = layout.width / 2, layout.height / 2
    for n, angle in zip(shown, _angles(len(shown), -math.pi / 2), strict=True):
        n.x = round(cx + layout.radius_x * math.cos(angle), 1)
        n.y = round(cy + layout.radius_y * math.sin(angle), 1)
        if not layout.beside or abs(n.x - cx) < 40:  # label above or below the node
            n.anchor, n.tx, n.ty = "middle", n.x, n.y + (32 if n.y > cy else -24)
        else:  # left or right: label beside the node, away from the centre
            n.anchor = "start" if n.x > cx else "end"
            n.tx, n.ty = n.x + (22 if n.x > cx else -22), n.y + 5
    name = label(iri)
    centre = Node(
        iri, name, cut_label(name, layout.label_chars), kind(iri) or "other", None, cx, cy
    )
    centre.tx, centre.ty = cx, cy + 34
    _separate([centre, *shown], cy)
    return Picture(centre, shown, len(ranked) - len(shown), layout)


#: Estimated advance of one character of a 12 px label, and a label line's height.
CHAR_WIDTH, LINE_HEIGHT = 6.7, 14


def label_box(n: Node) -> tuple[float, float, float, float]:
    """The estimated box of a node's label: left, right, top, bottom (user units)."""
    width = CHAR_WIDTH * len(n.short)
    left = {"start": n.tx, "end": n.tx - width}.get(n.anchor, n.tx - width / 2)
    return left, left + width, n.ty - 11, n.ty + 3


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[1] and b[0] < a[1] and a[2] < b[3] and b[2] < a[3]


def _separate(nodes: list[Node], cy: float) -> None:
    """Move a label that would overlap one already placed a line away from the centre
    (down in the lower half, up in the upper half), a few times at most."""
    placed: list[tuple[float, float, float, float]] = []
    for n in nodes:
        step = LINE_HEIGHT if n.y >= cy else -LINE_HEIGHT
        for _ in range(4):
            if not any(_overlap(label_box(n), box) for box in placed):
                break
            n.ty += step
        placed.append(label_box(n))
