"""The funding picture's layout (representation/funding_picture.py), on made-up trees."""

from __future__ import annotations

from cnamkg.query.funding import Programme, Project
from cnamkg.representation.funding_picture import COLUMN, funding_picture


def picture(tree: list[Programme]):  # type: ignore[no-untyped-def]
    return funding_picture(tree, label=lambda iri: iri.upper(), link=lambda iri: f"/{iri}")


def test_an_organisation_in_two_projects_is_drawn_once_with_two_links() -> None:
    tree = [
        Programme(
            "p",
            calls={
                "c1": [Project("x", coordinators=["o1"], partners=["shared"])],
                "c2": [Project("y", coordinators=["shared"])],
            },
        )
    ]
    drawn = picture(tree)
    assert [n.iri for n in drawn.nodes] == ["p", "c1", "c2", "x", "y", "o1", "shared"]
    assert [(e.source, e.target, e.role) for e in drawn.edges if e.target == "shared"] == [
        ("x", "shared", "partner"),
        ("y", "shared", "coordinator"),
    ]
    # four columns left to right: programme, calls, projects, organisations
    xs = sorted({n.x for n in drawn.nodes})
    assert len(xs) == 4 and all(b - a == COLUMN for a, b in zip(xs[:-1], xs[1:], strict=True))
    assert drawn.width == 40 + 4 * COLUMN
    # each edge goes rightwards, from the end of its source's label to its target
    for e in drawn.edges:
        start, end = (float(v.split(",")[0]) for v in (e.path.split()[0][1:], e.path.split()[-1]))
        assert start < end


def test_a_sub_programme_sits_beside_the_calls_and_long_labels_are_cut() -> None:
    tree = [Programme("top", parts=[Programme("sub" * 20)], calls={"call": []})]
    drawn = picture(tree)
    by_iri = {n.iri: n for n in drawn.nodes}
    assert by_iri["sub" * 20].x == by_iri["call"].x > by_iri["top"].x
    assert by_iri["sub" * 20].short.endswith("…") and len(by_iri["sub" * 20].short) == 23
    assert by_iri["sub" * 20].label == "SUB" * 20
    assert {k.kind for k in drawn.legend} == {"programme", "call"}


def test_no_programme_draws_nothing() -> None:
    drawn = picture([])
    assert drawn.nodes == [] and drawn.edges == [] and drawn.width == 0
