"""The funding picture of ``/funding``: programmes → calls → projects → organisations, in
columns from left to right, one edge per link (a Sankey-style diagram without widths:
the dataset states who takes part, not how much each receives).

Only the layout is computed here, in SVG user units; the ``_funding_picture.html``
template writes the SVG, so that every text goes through Jinja's escaping. Nodes are
shaped by kind as in the neighbourhood picture (:data:`cnamkg.representation.neighbourhood.SHAPES`).
An organisation in several projects is drawn once, so shared partners show. The page
keeps the nested list as the picture's text alternative (WCAG 2.2 SC 1.1.1).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from cnamkg.query.funding import Programme
from cnamkg.representation.neighbourhood import Node, cut_label

#: Width of one column, in user units: a node, about 23 characters of 12 px label.
COLUMN = 260
#: Height of one row.
ROW = 34
#: Margin around the drawing.
MARGIN = 20
#: Most entities drawn in one column; the others are counted (:attr:`FundingPicture.hidden`)
#: and stay in the list the page gives with the picture.
MAX_ROWS = 60


@dataclass(frozen=True)
class Edge:
    """A link drawn from one node to the next column's.

    :param source: the IRI on the left (a programme, call or project).
    :param target: the IRI on the right.
    :param role: ``part``, ``call``, ``selected``, ``coordinator`` or ``partner``.
    :param path: the SVG path data (a cubic Bézier from the right of the source's shape
        to the left of the target's).
    """

    source: str
    target: str
    role: str
    path: str


@dataclass
class FundingPicture:
    """The laid-out funding picture.

    :param nodes: every entity drawn once, by column then row.
    :param edges: the links between them.
    :param width: picture width in user units.
    :param height: picture height in user units.
    :param hidden: how many entities are not drawn (:data:`MAX_ROWS`).
    """

    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    width: int = 0
    height: int = 0
    hidden: int = 0

    @property
    def legend(self) -> list[Node]:
        """One node per kind drawn, in the order first drawn."""
        return [Node("", "", "", k, None) for k in dict.fromkeys(n.kind for n in self.nodes)]


def funding_picture(
    tree: list[Programme],
    *,
    label: Callable[[str], str],
    link: Callable[[str], str | None],
) -> FundingPicture:
    """Lay out ``tree`` (from :func:`cnamkg.query.funding.funding_tree`) in columns.

    :param label: IRI → label in the page language.
    :param link: IRI → page URL (or ``None``).
    :return: the picture; empty (no nodes) when ``tree`` is.
    """
    column_of: dict[str, int] = {}
    kind_of: dict[str, str] = {}
    edges: list[tuple[str, str, str]] = []

    levels = [found for top in tree for found in top.walk()]
    # a call sits in the column after its programme, beside the sub-programmes; the
    # projects after the last calls, the organisations after them
    projects = max((level + 1 if p.calls else 0 for p, level in levels), default=0) + 1
    organisations = projects + 1

    def place(iri: str, column: int, kind: str) -> None:
        # the first place found keeps the entity (depth-first order: parents first)
        column_of.setdefault(iri, column)
        kind_of.setdefault(iri, kind)

    for p, level in levels:
        place(p.iri, level, "programme")
        for part in p.parts:
            edges.append((p.iri, part.iri, "part"))
        for call, selected in p.calls.items():
            place(call, level + 1, "call")
            edges.append((p.iri, call, "call"))
            for project in selected:
                place(project.iri, projects, "project")
                edges.append((call, project.iri, "selected"))
                for org in project.coordinators:
                    place(org, organisations, "organization")
                    edges.append((project.iri, org, "coordinator"))
                for org in project.partners:
                    place(org, organisations, "organization")
                    edges.append((project.iri, org, "partner"))
    edges = list(dict.fromkeys(edges))
    if not column_of:
        return FundingPicture()
    used = sorted(set(column_of.values()))
    index = {c: i for i, c in enumerate(used)}  # a level with nothing in it takes no room
    rows: dict[int, list[str]] = {}
    hidden = 0
    for iri, c in column_of.items():  # in visiting order: parents' order carries over
        column = rows.setdefault(index[c], [])
        if len(column) < MAX_ROWS:
            column.append(iri)
        else:
            hidden += 1
    tallest = max(len(r) for r in rows.values())
    height = 2 * MARGIN + tallest * ROW
    nodes: dict[str, Node] = {}
    for c, iris in rows.items():
        top = MARGIN + (tallest - len(iris)) * ROW / 2
        for r, iri in enumerate(iris):
            text = label(iri)
            x, y = MARGIN + 18 + c * COLUMN, top + ROW * (r + 0.5)
            nodes[iri] = Node(
                iri,
                text,
                cut_label(text, 23),
                kind_of[iri],
                link(iri),
                x=x,
                y=y,
                anchor="start",
                tx=x + 22,
                ty=y + 4,
            )
    drawn = []
    for source, target, role in edges:
        if source not in nodes or target not in nodes:
            continue  # one end not drawn (MAX_ROWS)
        a, b = nodes[source], nodes[target]
        # from the end of the source's label (about 6.7 units a character at 12 px)
        x1, x2 = a.tx + 6.7 * len(a.short) + 4, b.x - 18
        middle = (x1 + x2) / 2
        path = (
            f"M{x1:.1f},{a.y:.1f} C{middle:.1f},{a.y:.1f} {middle:.1f},{b.y:.1f} {x2:.1f},{b.y:.1f}"
        )
        drawn.append(Edge(source, target, role, path))
    return FundingPicture(
        nodes=list(nodes.values()),
        edges=drawn,
        width=2 * MARGIN + len(rows) * COLUMN,
        height=int(height),
        hidden=hidden,
    )
