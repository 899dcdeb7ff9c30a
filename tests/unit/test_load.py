"""Loading sources: one named graph per data file; syntax errors name file:line:column."""

from __future__ import annotations

from pathlib import Path

import pytest

from cnamkg.errors import SourceMissingError, SourceSyntaxError
from cnamkg.pipeline.load import load_sources, parse_file, sources_digest

BASE = "https://w3id.org/cnamkg/"


def write(path: Path, text: str) -> Path:
    path.write_text(text, "utf-8")
    return path


def test_syntax_error_has_file_line_and_column(tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.ttl", "@prefix e: <http://e/> .\ne:a e:b e:c .\ne:a e:b .\n")
    with pytest.raises(SourceSyntaxError) as info:
        parse_file(bad, BASE + "graph/bad")
    err = info.value
    assert (err.path, err.line) == (bad, 3)
    assert err.column is not None
    assert str(err).startswith(f"{bad}:3:")


def test_non_utf8_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "latin1.ttl"
    bad.write_bytes('<http://e/a> <http://e/b> "caf\u00e9" .\n'.encode("latin-1"))
    with pytest.raises(SourceSyntaxError) as info:
        parse_file(bad, BASE + "graph/latin1")
    assert info.value.path == bad


def test_one_named_graph_per_data_file(tmp_path: Path) -> None:
    a = write(tmp_path / "a.ttl", "<http://e/x> <http://e/p> _:b . _:b <http://e/q> 1 .")
    b = write(tmp_path / "b.nt", '_:b <http://e/q> "2" .\n')
    (tmp_path / "onto").mkdir()
    sources = load_sources(
        base_iri=BASE, data_paths=[a, b], ontology_dir=tmp_path / "onto", shapes_dir=None
    )
    graphs = {f.path.name: {q.graph_name.value for q in f.quads} for f in sources.data}
    assert graphs == {"a.ttl": {BASE + "graph/a"}, "b.nt": {BASE + "graph/b"}}
    # blank nodes with the same label in two files stay distinct (RDF 1.1 Concepts §3.4)
    blanks_a = {
        q.subject.value
        for q in sources.data[0].quads
        if q.subject.__class__.__name__ == "BlankNode"
    }
    blanks_b = {q.subject.value for q in sources.data[1].quads}
    assert blanks_a and blanks_b and not blanks_a & blanks_b


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(SourceMissingError):
        load_sources(base_iri=BASE, data_paths=[], ontology_dir=tmp_path / "nope", shapes_dir=None)


def test_digest_changes_with_content(tmp_path: Path) -> None:
    a = write(tmp_path / "a.ttl", "<http://e/x> <http://e/p> 1 .")
    first = sources_digest([a], base_iri=BASE)
    assert sources_digest([a], base_iri=BASE) == first
    write(a, "<http://e/x> <http://e/p> 2 .")
    assert sources_digest([a], base_iri=BASE) != first
