"""The `cnamkg` command: exit codes 0 (conforms), 1 (violations), 2 (unreadable input),
and reports that name focus node, path, constraint, message and data file."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import CNAMKG, FIXTURE, cli_env, run_cli


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, cwd=cwd)


def fixture_args(root: Path = FIXTURE) -> list[str]:
    return [
        "--data",
        str(root / "data"),
        "--shapes",
        str(root / "shapes"),
        "--ontology",
        str(root / "ontology"),
    ]


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    for part in ("data", "ontology", "shapes"):
        shutil.copytree(FIXTURE / part, tmp_path / part)
    return tmp_path


def test_validate_conforming_exits_0() -> None:
    r = run("validate", *fixture_args())
    assert r.returncode == 0, r.stderr
    assert "Conforms" in r.stdout


def test_validate_violation_exits_1_with_report(copy: Path) -> None:
    (copy / "data" / "eve.ttl").write_text(
        "<https://w3id.org/cnamkg/id/organization/eve> a <http://example.org/vocab#Person> .\n"
    )
    r = run("validate", *fixture_args(copy))
    assert r.returncode == 1
    assert "focus node: https://w3id.org/cnamkg/id/organization/eve" in r.stdout
    assert "path:       http://www.w3.org/2000/01/rdf-schema#label" in r.stdout
    assert "sh:MinCountConstraintComponent" in r.stdout
    assert "A person needs a label." in r.stdout
    assert f"data file:  {copy / 'data' / 'eve.ttl'}" in r.stdout


def test_validate_syntax_error_exits_2_with_file_line(copy: Path) -> None:
    bad = copy / "data" / "bad.ttl"
    bad.write_text("@prefix e: <http://e/> .\n\ne:a e:b .\n")
    r = run("validate", *fixture_args(copy))
    assert r.returncode == 2
    assert f"{bad}:3:" in r.stderr
    assert "Traceback" not in r.stderr


def test_validate_missing_folder_exits_2(tmp_path: Path) -> None:
    r = run("validate", "--data", str(tmp_path / "nope"))
    assert r.returncode == 2
    assert "no such directory" in r.stderr and "Traceback" not in r.stderr


def test_build_and_query(copy: Path) -> None:
    store = f"oxigraph:{copy / 'store'}"
    r = run("build", "--store", store, *fixture_args(copy))
    assert r.returncode == 0, r.stderr
    assert "built" in r.stdout
    r = run("build", "--store", store, *fixture_args(copy))
    assert "up to date" in r.stdout
    q = 'SELECT ?l WHERE { <https://w3id.org/cnamkg/id/organization/bob> <http://www.w3.org/2000/01/rdf-schema#label> ?l FILTER(lang(?l) = "en") }'
    r = run("query", "--store", store, "--format", "csv", q)
    assert r.returncode == 0, r.stderr
    assert r.stdout.replace("\r\n", "\n") == "l\nBob\n"


def test_query_syntax_error_exits_1(copy: Path) -> None:
    store = f"oxigraph:{copy / 'store'}"
    run("build", "--store", store, *fixture_args(copy))
    r = run("query", "--store", store, "SELECT * WHERE { ?s ?p }")
    assert r.returncode == 1
    assert "1:" in r.stderr and "Traceback" not in r.stderr


def test_query_without_a_build_is_a_clear_error(tmp_path: Path) -> None:
    r = run("query", "--store", f"oxigraph:{tmp_path / 'none'}", "ASK {}")
    assert r.returncode == 2
    assert "cnamkg build" in r.stderr and "Traceback" not in r.stderr


def test_empty_data_folder_exits_2(tmp_path: Path) -> None:
    """A mistyped or empty --data must not validate, nor build a store of the ontology alone."""
    (tmp_path / "empty").mkdir()
    args = [
        "--data",
        str(tmp_path / "empty"),
        "--shapes",
        str(FIXTURE / "shapes"),
        "--ontology",
        str(FIXTURE / "ontology"),
    ]
    r = run("validate", *args)
    assert r.returncode == 2 and "no data file" in r.stderr
    r = run("build", "--store", f"oxigraph:{tmp_path / 'store'}", *args)
    assert r.returncode == 2 and not (tmp_path / "store" / "current").exists()


def test_rdf12_triple_term_exits_2_with_file_line(copy: Path) -> None:
    bad = copy / "data" / "zz.ttl"
    bad.write_text(
        'VERSION "1.2"\n\n<http://a.example/x> <http://a.example/c> <<( <http://a.example/s> <http://a.example/p> <http://a.example/o> )>> .\n'
    )
    r = run("validate", *fixture_args(copy))
    assert r.returncode == 2
    assert f"{bad}:3: RDF 1.2 triple terms are not supported" in r.stderr
    assert "Traceback" not in r.stderr


def test_ill_typed_literal_prints_no_traceback(copy: Path) -> None:
    with (copy / "data" / "people.ttl").open("a") as f:
        f.write(
            '\n<https://w3id.org/cnamkg/id/organization/bob> <http://example.org/vocab#born> "2020-13-45"^^<http://www.w3.org/2001/XMLSchema#date> .\n'
        )
    r = run("validate", *fixture_args(copy))
    assert r.returncode == 0
    assert "Traceback" not in r.stderr


def test_query_format_that_does_not_fit_exits_2(copy: Path) -> None:
    store = f"oxigraph:{copy / 'store'}"
    run("build", "--store", store, *fixture_args(copy))
    r = run("query", "--store", store, "--format", "ttl", "SELECT * WHERE { ?s ?p ?o }")
    assert r.returncode == 2 and "srj" in r.stderr
    r = run("query", "--store", store, "--format", "csv", "CONSTRUCT WHERE { ?s ?p ?o }")
    assert r.returncode == 2 and "ttl" in r.stderr
    r = run("query", "--store", store, "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1")
    assert r.returncode == 0 and r.stdout.endswith("\n")


@pytest.mark.parametrize("fault", ["syntax", "violation"])
def test_serving_bad_data_from_memory_is_refused_before_any_worker(copy: Path, fault: str) -> None:
    """`serve` on the memory store validates first, as `build` does: the file:line or the
    SHACL report, no traceback, no server (found by the break-it review: each gunicorn
    worker failed to boot with a 50-line traceback)."""

    bad = copy / "data" / "eve.ttl"
    if fault == "syntax":
        bad.write_text("@prefix e: <http://e/> .\n\ne:a e:b .\n")
    else:
        bad.write_text(
            "<https://w3id.org/cnamkg/id/organization/eve> a <http://example.org/vocab#Person> .\n"
        )
    r = run_cli("serve", "--port", "1", *fixture_args(copy), env=cli_env(CNAMKG_STORE="memory"))
    assert r.returncode != 0 and "Traceback" not in r.stderr + r.stdout
    if fault == "syntax":
        assert f"{bad}:3:" in r.stderr
    else:
        assert "focus node: https://w3id.org/cnamkg/id/organization/eve" in r.stderr


def test_serve_keeps_the_last_good_build_when_the_sources_break(copy: Path) -> None:
    """Issue 6 §1: invalid data never replaces valid data; `serve` says so and serves the
    last good build (the server answers, with the old data)."""
    import socket
    import time

    import requests

    env = cli_env(CNAMKG_STORE=f"oxigraph:{copy / 'store'}")
    args = fixture_args(copy)
    assert run_cli("build", *args, env=env).returncode == 0
    (copy / "data" / "bad.ttl").write_text("@prefix e: <http://e/> .\n\ne:a e:b .\n")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [*CNAMKG, "serve", "--port", str(port), "--workers", "1", *args],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    r = None
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                r = requests.get(f"http://127.0.0.1:{port}/page/organization/alice", timeout=5)
                break
            except requests.ConnectionError:
                time.sleep(0.2)
        assert r is not None and r.status_code == 200, "the server did not serve"
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
    assert f"{copy / 'data' / 'bad.ttl'}:3:" in err and "serving the last good build" in err
    assert "Traceback" not in err


def test_a_damaged_store_is_a_clear_error_and_a_forced_build_repairs_it(copy: Path) -> None:
    """Issue 6 §1: a store that cannot be opened gives the path and the fix, never a
    traceback (RocksDB reports corruption as RuntimeError: `query` printed a traceback and
    every gunicorn worker failed to boot)."""
    import os

    env = cli_env(
        CNAMKG_STORE=f"oxigraph:{copy / 'store'}",
        CNAMKG_DATA_DIR=str(copy / "data"),
        CNAMKG_SHAPES_DIR=str(copy / "shapes"),
        CNAMKG_ONTOLOGY_DIR=str(copy / "ontology"),
    )

    def cli(*words: str) -> subprocess.CompletedProcess[str]:
        return run_cli(*words, env=env)

    assert cli("build").returncode == 0
    for f in (copy / "store" / "current" / "db").iterdir():
        if f.is_file():
            f.write_bytes(os.urandom(64))
    for words in (("query", "ASK {}"), ("serve", "--port", "1")):
        r = cli(*words)
        assert r.returncode == 2 and "Traceback" not in r.stderr, words
        assert "cannot open the store" in r.stderr and "cnamkg build --force" in r.stderr
    assert cli("build", "--force").returncode == 0
    assert cli("query", "ASK { ?s ?p ?o }").stdout.strip().lower() in ("true", "yes")
