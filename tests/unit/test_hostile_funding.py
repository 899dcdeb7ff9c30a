"""Funding hierarchies that valid data can hold and the pages must survive (break-it
review of issue 8): ``dcterms:isPartOf`` cycles and self-loops, programmes with two
parents at every level (2ⁿ paths to the top), chains of hundreds of parts, consortia of
thousands. Over the embedded engine, as served (query/funding.py, query/overview.py,
representation/funding_picture.py)."""

from __future__ import annotations

import pyoxigraph as ox

from cnamkg.query.funding import MAX_DEPTH, funding_tree
from cnamkg.query.overview import MAX_CHAIN_LENGTH, MAX_CHAINS, overview
from cnamkg.representation.funding_picture import MAX_ROWS, funding_picture
from cnamkg.store.base import DatasetInfo
from cnamkg.store.oxigraph import OxigraphStore

ID = "https://w3id.org/cnamkg/id/"
CNAMKG = "https://w3id.org/cnamkg/ontology#"
A = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
PART_OF = "http://purl.org/dc/terms/isPartOf"
PROGRAMME = "http://purl.org/cerif/frapo/FundingProgramme"
FUNDED_BY = "http://purl.org/cerif/frapo/isFundedBy"


def store(*triples: tuple[str, str, str]) -> OxigraphStore:
    """An embedded store holding ``triples`` in its default graph (the union graph a
    build writes)."""
    quads = [
        ox.Quad(ox.NamedNode(s), ox.NamedNode(p), ox.NamedNode(o), ox.DefaultGraph())
        for s, p, o in triples
    ]
    return OxigraphStore.in_memory(quads, DatasetInfo("test", "2026-11-30", (ID + "g",)))


def programme(name: str) -> tuple[str, str, str]:
    return (ID + "programme/" + name, A, PROGRAMME)


def part(a: str, b: str) -> tuple[str, str, str]:
    return (ID + "programme/" + a, PART_OF, ID + "programme/" + b)


def call(name: str, of: str) -> list[tuple[str, str, str]]:
    return [
        (ID + "call/" + name, A, CNAMKG + "Call"),
        (ID + "call/" + name, PART_OF, ID + "programme/" + of),
    ]


def project(name: str, call_name: str) -> list[tuple[str, str, str]]:
    iri = ID + "project/" + name
    return [
        (iri, A, "https://schema.org/Project"),
        (iri, CNAMKG + "selectedIn", ID + "call/" + call_name),
    ]


def everything(tree):  # type: ignore[no-untyped-def]
    return [p.iri for top in tree for p, _ in top.walk()]


def test_a_cycle_and_a_self_loop_are_shown_once_each_not_dropped() -> None:
    s = store(
        programme("a"),
        programme("b"),
        part("a", "b"),
        part("b", "a"),
        programme("self"),
        part("self", "self"),
        *call("c", "a"),
        *project("p", "c"),
    )
    tree = funding_tree(s)
    shown = everything(tree)
    assert sorted(shown) == [ID + "programme/a", ID + "programme/b", ID + "programme/self"]
    assert len(shown) == len(set(shown))
    picture = funding_picture(tree, label=str, link=lambda i: None)
    assert ID + "project/p" in {n.iri for n in picture.nodes}
    # no entity is its own ancestor or part on its page
    glance = overview(s, ID + "programme/a", "programme")
    assert all(ID + "programme/a" not in chain for chain in glance.above)
    assert [r.iri for r in glance.parts] == [ID + "call/c", ID + "programme/b"]
    itself = overview(s, ID + "programme/self", "programme")
    assert itself.above == [] and itself.parts == []


def test_two_parents_at_every_level_give_a_few_paths_not_two_to_the_n() -> None:
    levels = 24  # 2²⁴ paths to the top
    triples = []
    for i in range(levels):
        for side in "ab":
            triples.append(programme(f"l{i}{side}"))
            if i + 1 < levels:
                triples += [part(f"l{i}{side}", f"l{i + 1}a"), part(f"l{i}{side}", f"l{i + 1}b")]
    triples += call("c", "l0a") + call("c", "l0b") + project("p", "c")
    triples.append((ID + "project/p", FUNDED_BY, ID + "programme/l3a"))
    s = store(*triples)
    glance = overview(s, ID + "project/p", "project")
    assert 0 < len(glance.above) <= MAX_CHAINS and not glance.above_complete
    assert all(len(chain) <= MAX_CHAIN_LENGTH for chain in glance.above)
    assert glance.above[0][:2] == [ID + "call/c", ID + "programme/l0a"]
    tree = funding_tree(s)
    shown = everything(tree)
    assert sorted(shown) == sorted({t[0] for t in triples if t[2] == PROGRAMME})


def test_a_chain_of_hundreds_of_parts_is_walked_without_recursion() -> None:
    n = 1500
    triples = [programme(f"ch{i}") for i in range(n)]
    triples += [part(f"ch{i}", f"ch{i + 1}") for i in range(n - 1)]
    triples += call("deep", "ch0") + project("p", "deep")
    s = store(*triples)
    tree = funding_tree(s)
    assert len(everything(tree)) == n  # each once, in trees of at most MAX_DEPTH levels
    assert all(len(top.walk()) <= MAX_DEPTH for top in tree)
    funding_picture(tree, label=str, link=lambda i: None)
    glance = overview(s, ID + "project/p", "project")
    assert len(glance.above) == 1 and len(glance.above[0]) == MAX_CHAIN_LENGTH
    assert not glance.above_complete


def test_a_consortium_of_thousands_is_read_once_and_drawn_in_part() -> None:
    members = 3000
    triples = [programme("big"), *call("c", "big"), *project("p", "c")]
    triples += [
        (ID + "project/p", CNAMKG + "partner", ID + f"organization/o{i}") for i in range(members)
    ]
    tree = funding_tree(store(*triples))
    (consortium,) = tree[0].calls[ID + "call/c"]
    assert len(consortium.partners) == members == len(set(consortium.partners))
    picture = funding_picture(tree, label=str, link=lambda i: None)
    organisations = [n for n in picture.nodes if n.kind == "organization"]
    assert len(organisations) == MAX_ROWS and picture.hidden == members - MAX_ROWS
    drawn = {n.iri for n in picture.nodes}
    assert all(e.target in drawn for e in picture.edges)


class Counting:
    """A store that counts the queries it answers (the work a page costs, as a number)."""

    def __init__(self, store: OxigraphStore) -> None:
        self.store, self.queries = store, 0

    def query(self, text: str, **kwargs: object):  # type: ignore[no-untyped-def]
        self.queries += 1
        return self.store.query(text, **kwargs)  # type: ignore[arg-type]


def test_a_project_in_hundreds_of_calls_under_a_long_chain_costs_a_bounded_walk() -> None:
    """Second break-it review: a project selected in 500 calls hung under a chain of
    1,500 programmes and funded by all of them took 20 s, reading every path's closure.
    Now its box asks for the parents of the nodes it shows only, and a programme's box
    reads its own subtree only."""
    n, calls = 1500, 500
    triples = [programme(f"ch{i}") for i in range(n)]
    triples += [part(f"ch{i}", f"ch{i + 1}") for i in range(n - 1)]
    for c in range(calls):
        triples += call(f"c{c}", f"ch{c}") + project("heavy", f"c{c}")
    triples += [(ID + "project/heavy", FUNDED_BY, ID + f"programme/ch{i}") for i in range(n)]
    s = Counting(store(*triples))
    glance = overview(s, ID + "project/heavy", "project")  # type: ignore[arg-type]
    assert len(glance.above) == MAX_CHAINS and not glance.above_complete
    assert s.queries <= 2 * (1 + MAX_CHAINS * MAX_CHAIN_LENGTH) + 1
    s.queries = 0
    top = overview(s, ID + "programme/ch1499", "programme")  # type: ignore[arg-type]
    bottom = overview(s, ID + "programme/ch0", "programme")  # type: ignore[arg-type]
    assert top.above == [] and [r.iri for r in top.parts] == [ID + "programme/ch1498"]
    assert [r.iri for r in top.projects] == [ID + "project/heavy"]
    assert len(bottom.above) == 1 and len(bottom.above[0]) == MAX_CHAIN_LENGTH
    assert [r.iri for r in bottom.parts] == [ID + "call/c0"]
    assert [r.iri for r in bottom.projects] == [ID + "project/heavy"]
