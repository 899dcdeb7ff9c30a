"""Shared fixtures: settings and apps over the fixture dataset or the real data, and a
real gunicorn server over real HTTP (loopback only)."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient

from cnamkg.settings import REPO_ROOT, Settings
from cnamkg.web.app import create_app

#: The browser tests' fixtures (browser, page): tests/browser/browsing.py.
pytest_plugins = ["browser.browsing"]

TESTS = Path(__file__).parent
FIXTURE = TESTS / "data" / "fixture"
BASE = "https://w3id.org/cnamkg/"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No CNAMKG_* variable of the developer's shell leaks into a test."""
    for name in list(os.environ):
        if name.startswith("CNAMKG_"):
            monkeypatch.delenv(name)


def fixture_settings(**overrides: object) -> Settings:
    """Settings over the small fixture dataset (tests/data/fixture), in memory."""
    s = Settings(
        store="memory",
        data_dir=FIXTURE / "data",
        ontology_dir=FIXTURE / "ontology",
        shapes_dir=FIXTURE / "shapes",
    )
    return s.with_overrides(**overrides)


def repo_settings(**overrides: object) -> Settings:
    """Settings over the repository's real data/, ontology/ and shapes/, in memory."""
    return Settings(store="memory").with_overrides(**overrides)


@pytest.fixture(scope="session")
def fixture_app() -> Flask:
    """The app over the fixture dataset."""
    return create_app(fixture_settings())


@pytest.fixture
def client(fixture_app: Flask) -> FlaskClient:
    """A test client of the fixture app (``memory`` store: rdflib)."""
    return fixture_app.test_client()


@pytest.fixture(scope="session")
def embedded_fixture_app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """The app over the fixture dataset on the embedded store (on-disk Oxigraph), for
    what only Oxigraph's engine reads (RDF 1.2 triple terms)."""
    from cnamkg.pipeline.build import build

    store = tmp_path_factory.mktemp("fixture-store")
    settings = fixture_settings(store=f"oxigraph:{store}")
    build(settings, store)
    return create_app(settings)


@pytest.fixture
def embedded_client(embedded_fixture_app: Flask) -> FlaskClient:
    """A test client of the fixture app on the embedded store."""
    return embedded_fixture_app.test_client()


@pytest.fixture(scope="session")
def kg_app() -> Flask:
    """The app over the real knowledge graph (data/, ontology/, shapes/)."""
    return create_app(repo_settings())


@pytest.fixture
def kg(kg_app: Flask) -> FlaskClient:
    """A test client of the real knowledge graph."""
    return kg_app.test_client()


#: The command that runs cnamkg's CLI with this interpreter.
CNAMKG = [sys.executable, "-m", "cnamkg.cli"]


def cli_env(**settings: str) -> dict[str, str]:
    """The environment of a cnamkg process under test: this process's, without any
    ``CNAMKG_*`` variable of the developer's shell, plus ``settings``
    (``CNAMKG_STORE="memory"``…)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CNAMKG_")}
    env.update(settings)
    return env


def run_cli(
    *args: str,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """Run ``cnamkg ARGS`` to its end, its output captured as text.

    :param env: the environment (:func:`cli_env`); ``None``: this process's.
    :param timeout: seconds before :class:`subprocess.TimeoutExpired`.
    """
    return subprocess.run(
        [*CNAMKG, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout
    )


def free_port() -> int:
    """A TCP port free on the loopback interface."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def _running(
    command: list[str],
    log_path: Path,
    answers: Callable[[str], bool],
    *,
    port: int,
    timeout_s: float,
    **popen: Any,
) -> Iterator[str]:
    """Run a server ``command`` (listening on loopback ``port``, output to ``log_path``)
    until ``answers(url)`` holds; yield its URL; stop it afterwards. If it exits or does
    not answer within ``timeout_s`` seconds, kill it and raise with its log."""
    url = f"http://127.0.0.1:{port}"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, **popen)
        try:
            deadline = time.monotonic() + timeout_s
            while True:
                try:
                    if answers(url):
                        break
                except (requests.ConnectionError, requests.Timeout):
                    pass  # not listening yet, or busy starting (a loaded machine)
                if proc.poll() is not None or time.monotonic() > deadline:
                    proc.kill()
                    raise RuntimeError(f"{command[0]} did not start: {log_path.read_text()}")
                time.sleep(0.1)
            yield url
        finally:
            proc.terminate()
            proc.wait(timeout=30)


@contextlib.contextmanager
def serving(store_dir: Path, *, any_answer: bool = False, **env_overrides: str) -> Iterator[str]:
    """`cnamkg serve` (gunicorn, two workers, on-disk Oxigraph store built from the
    repository's data) on a free loopback port, with extra ``CNAMKG_*`` settings.

    :param any_answer: consider it started at its first HTTP answer, whatever the status
        (a server whose store is unreachable answers 502).
    :return: the base URL, e.g. ``http://127.0.0.1:43210``.
    """
    port = free_port()
    env = cli_env(**{"CNAMKG_STORE": f"oxigraph:{store_dir}", **env_overrides})
    with _running(
        [*CNAMKG, "serve", "--port", str(port), "--workers", "2"],
        store_dir / f"server-{port}.log",
        lambda url: requests.get(url + "/", timeout=2).status_code == 200 or any_answer,
        port=port,
        timeout_s=120,
        cwd=REPO_ROOT,
        env=env,
    ) as url:
        yield url


@contextlib.contextmanager
def oxigraph_server(location: Path) -> Iterator[str]:
    """A real Oxigraph server (the ``oxigraph`` CLI from PyPI), read-write, on a free
    loopback port, persisting in ``location``.

    :return: its base URL; ``/query`` is the SPARQL endpoint, ``/store`` the Graph Store.
    """
    cli = Path(sys.executable).with_name("oxigraph")
    if not cli.exists():
        pytest.fail("the oxigraph CLI is missing: `make test` installs it (pyproject test extra)")
    port = free_port()
    with _running(
        [str(cli), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        location.parent / f"oxigraph-{port}.log",
        lambda url: requests.get(url + "/query", params={"query": "ASK {}"}, timeout=2).ok,
        port=port,
        timeout_s=60,
    ) as url:
        yield url


#: The backends the HTTP tests run on (DESIGN.md, Stores): the embedded Oxigraph store
#: built by `cnamkg build`, a remote engine (a real Oxigraph server) filled by
#: `cnamkg build --target sparql:URL --graph-store URL`, and ``memory`` (rdflib), also
#: the store of the Flask-client tests (fixture_app, kg_app).
BACKENDS = ("embedded", "remote", "memory")


@pytest.fixture(scope="session")
def embedded_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The product as `cnamkg serve` runs it, with default settings, on its embedded store."""
    with serving(tmp_path_factory.mktemp("store")) as url:
        yield url


@pytest.fixture(scope="session")
def remote_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`cnamkg serve` in front of a real Oxigraph server, with the repository's data
    uploaded through the Graph Store Protocol by `cnamkg build --target`."""
    work = tmp_path_factory.mktemp("remote")
    with oxigraph_server(work / "oxigraph") as engine:
        endpoint = f"sparql:{engine}/query"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "cnamkg.cli",
                "build",
                "--target",
                endpoint,
                "--graph-store",
                f"{engine}/store",
            ],
            cwd=REPO_ROOT,
            check=True,
            capture_output=True,
        )
        with serving(work, CNAMKG_STORE=endpoint) as url:
            yield url


@pytest.fixture(scope="session")
def memory_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`cnamkg serve` on the ``memory`` store: each process validates the repository's
    data and holds it in an rdflib dataset."""
    with serving(tmp_path_factory.mktemp("memory"), CNAMKG_STORE="memory") as url:
        yield url


@pytest.fixture(scope="session", params=BACKENDS)
def live_server(request: pytest.FixtureRequest) -> str:
    """The served product over each backend in turn (tests run once per backend)."""
    url: str = request.getfixturevalue(f"{request.param}_server")
    return url


@pytest.fixture
def loopback_listener() -> Iterator[tuple[int, list[bytes]]]:
    """A loopback TCP listener that records what each connection sends first."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    seen: list[bytes] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(2)
                try:
                    seen.append(conn.recv(1024))
                except OSError:
                    seen.append(b"")

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], seen
    stop.set()
    thread.join()
    server.close()


def chromium() -> str:
    """Debian's chromium, which ``.ci/run`` installs: missing, the test fails under CI and
    is skipped elsewhere."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing: .ci/run installs Debian's chromium package")
        pytest.skip("chromium is not installed")
    return found
