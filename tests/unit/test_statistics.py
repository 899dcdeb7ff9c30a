"""Whole-dataset statistics are evaluated by the build and served from its stored
answers, never evaluated again per request (issue 5 §2)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from cnamkg.pipeline.build import ANSWERS, build
from cnamkg.query.browse import entities_by_kind, most_linked, newest, search
from cnamkg.representation.service import service_description
from cnamkg.representation.void import void_description
from cnamkg.store.answers import AnsweredStore, AnswerFiles
from cnamkg.store.base import QueryResult
from cnamkg.store.oxigraph import OxigraphStore
from cnamkg.store.registry import open_store
from conftest import BASE, repo_settings


class Refusing:
    """A store that evaluates nothing: any query reaching it fails the test."""

    def __init__(self, info: object) -> None:
        self.info = info
        self.asked: list[str] = []

    def query(
        self,
        text: str,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        base_iri: str | None = None,
    ) -> QueryResult:
        self.asked.append(text)
        raise AssertionError(f"evaluated per request: {text}")

    def close(self) -> None:
        pass


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's data built into an on-disk store; the folder of the build."""
    folder = tmp_path_factory.mktemp("store")
    return build(repo_settings(store=f"oxigraph:{folder}"), folder).path


def _statistics(store: object) -> tuple[object, ...]:
    return (
        entities_by_kind(store, BASE),  # type: ignore[arg-type]
        search(store, BASE, "sorbonne"),  # type: ignore[arg-type]
        newest(store, BASE),  # type: ignore[arg-type]
        most_linked(store, BASE),  # type: ignore[arg-type]
        sorted(
            map(str, void_description(store, base=BASE, sparql_url="http://h/sparql", dumps=[]))
        ),  # type: ignore[arg-type]
        sorted(map(str, service_description(store, "http://h/sparql"))),  # type: ignore[arg-type]
    )


def test_statistics_are_answered_without_evaluating(built: Path) -> None:
    """Home counts, lists, search index, newest, most linked, VoID and the service
    description all come from the build's answers, and equal a live evaluation."""
    live = OxigraphStore.open_read_only(built / "db", open_store(_settings(built)).info)
    refusing = Refusing(live.info)
    stored = AnsweredStore(refusing, AnswerFiles(built / ANSWERS))  # type: ignore[arg-type]
    assert _statistics(stored) == _statistics(live)
    assert refusing.asked == []


def test_other_queries_are_evaluated(built: Path) -> None:
    """A query the build did not answer, or a stored one with a protocol dataset, goes to
    the store (SPARQL 1.1 Protocol §2.1.4: the protocol dataset changes the answer)."""
    refusing = Refusing(None)
    stored = AnsweredStore(refusing, AnswerFiles(built / ANSWERS))  # type: ignore[arg-type]
    with pytest.raises(AssertionError):
        stored.query("SELECT * WHERE { ?s ?p ?o } LIMIT 1")
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert text in AnswerFiles(built / ANSWERS)  # the VoID triple count
    stored.query(text)
    with pytest.raises(AssertionError):
        stored.query(text, default_graphs=[f"{BASE}graph/ontology"])
    assert refusing.asked == ["SELECT * WHERE { ?s ?p ?o } LIMIT 1", text]


def test_the_served_store_uses_the_answers(built: Path) -> None:
    store = open_store(_settings(built))
    assert isinstance(store, AnsweredStore)


def _settings(built: Path):  # type: ignore[no-untyped-def]
    return repo_settings(store=f"oxigraph:{built.parent}")


@pytest.mark.parametrize("damage", ["truncate", "empty", "delete"])
def test_an_unusable_answer_is_evaluated_instead(
    tmp_path: Path, built: Path, damage: str, caplog: pytest.LogCaptureFixture
) -> None:
    """A stored answer damaged, or gone under a running server (an old build removed by
    two later builds), is evaluated on the store instead: same result, and a log line
    (found by the break-it review: the home page, search and VoID answered 500)."""
    import shutil

    copy = tmp_path / "answers"
    shutil.copytree(built / ANSWERS, copy)
    files = AnswerFiles(copy)  # the listing is taken now, as when a server opens a build
    live = OxigraphStore.open_read_only(built / "db", open_store(_settings(built)).info)
    expected = _statistics(live)
    for f in copy.iterdir():
        if damage == "delete":
            f.unlink()
        else:
            data = f.read_bytes()
            f.write_bytes(data[: len(data) // 2] if damage == "truncate" else b"")
    assert _statistics(AnsweredStore(live, files)) == expected
    assert "stored answer unusable" in caplog.text
