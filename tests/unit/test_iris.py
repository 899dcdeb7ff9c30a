"""The IRI scheme (DESIGN.md, IRIs): kinds, slugs, canonical IRIs."""

from __future__ import annotations

import pytest

from cnamkg.iris import EntityRef, entity_ref, graph_iri, is_valid_ref

BASE = "https://w3id.org/cnamkg/"


def test_round_trip() -> None:
    iri = EntityRef("project", "caire").iri(BASE)
    assert iri == "https://w3id.org/cnamkg/id/project/caire"
    assert entity_ref(iri, BASE) == EntityRef("project", "caire")


@pytest.mark.parametrize(
    ("kind", "slug"),
    [
        ("project", "Caire"),
        ("project", "caire-"),
        ("project", "a--b"),
        ("project", "x> } UNION { ?s ?p ?o } #"),
        ("project", "x\\u003E"),
        ("robot", "caire"),
        ("project", ""),
    ],
)
def test_invalid_refs(kind: str, slug: str) -> None:
    assert not is_valid_ref(kind, slug)


def test_foreign_iri_is_not_ours() -> None:
    assert entity_ref("http://example.org/id/project/caire", BASE) is None
    assert graph_iri(BASE, "communique-journee-ia") == BASE + "graph/communique-journee-ia"
