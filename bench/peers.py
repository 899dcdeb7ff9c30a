"""The SPARQL servers the benchmark compares, each started on loopback over the same
generated Turtle file (issue 5 §4): cnamkg (``cnamkg build`` then ``cnamkg serve``),
Oxigraph server (the ``oxigraph`` CLI from PyPI), Virtuoso Open Source (Debian's
``virtuoso-opensource``, bulk-loaded with ``isql``) and rdflib-endpoint (PyPI, in its own
virtual environment: it pins its own rdflib). ``bench/setup.sh`` installs them.

Each starter returns a :class:`Peer`: its query endpoint, its process, how long the load
took (s) and how long the server took to answer its first query (cold start, s).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RDFLIB_ENDPOINT = REPO / "var" / "bench" / "venv-rdflib-endpoint" / "bin" / "rdflib-endpoint"
VIRTUOSO_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
GRAPH = "https://w3id.org/cnamkg/graph/generated"


@dataclass
class Peer:
    """A running server.

    :param name: as shown in tables.
    :param endpoint: its SPARQL query URL.
    :param process: the server process (its children are counted in RSS).
    :param load_s: time to load the data (s), ``None`` when loading is part of start.
    :param start_s: time from launch to the first answered query (s).
    :param base: the server's root URL.
    """

    name: str
    endpoint: str
    process: subprocess.Popen[bytes]
    load_s: float | None
    start_s: float
    base: str = ""
    extra: dict[str, float] = field(default_factory=dict)

    def stop(self) -> None:
        """Terminate the server (and wait for it)."""
        self.process.terminate()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def generated(triples: int, work: Path) -> Path:
    """The generated Turtle file of about ``triples`` triples in ``work/data`` (written by
    ``bench/generate.py`` unless it exists: generation is deterministic)."""
    ttl = work / "data" / "generated.ttl"
    if not ttl.exists():
        subprocess.run(
            [sys.executable, str(REPO / "bench" / "generate.py"), "--triples", str(triples)]
            + ["--out", str(ttl.parent)],
            check=True,
        )
    return ttl


def free_port() -> int:
    """A free loopback TCP port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_answering(url: str, proc: subprocess.Popen[bytes], timeout_s: float = 1800) -> float:
    """Seconds until ``url`` answers 200 (the process must stay up).

    :raises RuntimeError: the process exited, answered a 4xx, or ``timeout_s`` passed.
    """
    t = time.perf_counter()
    while time.perf_counter() - t < timeout_s:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args} exited with {proc.returncode}")
        try:
            status = requests.get(url, timeout=5).status_code
            if status == 200:
                return time.perf_counter() - t
            if 400 <= status < 500:
                raise RuntimeError(f"{url} answered {status}")
        except requests.RequestException:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"{url} did not answer within {timeout_s} s")


def _ask(endpoint: str) -> str:
    return endpoint + "?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D"


def start_cnamkg(data: Path, work: Path, *, workers: int) -> Peer:
    """Build cnamkg's embedded store from ``data`` (folder of the generated file), then
    serve it with ``workers`` gunicorn workers. ``extra`` holds the build and validation
    times."""
    env = {
        **os.environ,
        "CNAMKG_DATA_DIR": str(data),
        "CNAMKG_STORE": f"oxigraph:{work / 'store'}",
    }
    t = time.perf_counter()
    subprocess.run([str(BIN / "cnamkg"), "validate"], env=env, check=True, capture_output=True)
    validate_s = time.perf_counter() - t
    t = time.perf_counter()
    built = subprocess.run(
        [str(BIN / "cnamkg"), "build", "--force"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    build_s = time.perf_counter() - t
    # "parse and validate 1.2 s; load 0.3 s; statistics 0.1 s; dumps 0.2 s"
    steps = {k: float(v) for k, v in re.findall(r"([a-z ]+) ([\d.]+) s", built.stdout)}
    steps = {k.strip(): v for k, v in steps.items()}
    # the peer bulk loader, in process: pyoxigraph's Store.bulk_load of the same file
    bulk = work / "pyoxigraph-bulk"
    shutil.rmtree(bulk, ignore_errors=True)
    t = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, pyoxigraph as ox; s = ox.Store(sys.argv[1]); "
            "s.bulk_load(path=sys.argv[2], format=ox.RdfFormat.TURTLE); s.flush()",
            str(bulk),
            str(data / "generated.ttl"),
        ],
        check=True,
    )
    bulk_s = time.perf_counter() - t
    shutil.rmtree(bulk, ignore_errors=True)
    port = free_port()
    proc = subprocess.Popen(
        [str(BIN / "cnamkg"), "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    start_s = wait_answering(_ask(base + "/sparql"), proc)
    return Peer(
        "cnamkg",
        base + "/sparql",
        proc,
        build_s,
        start_s,
        base,
        {
            "validate s": validate_s,
            "build s (validate + load + statistics + dumps)": build_s,
            **{f"build step: {k} s": v for k, v in steps.items()},
            "pyoxigraph in-process bulk_load s": bulk_s,
        },
    )


def serve_cnamkg(store: Path, **settings: str) -> tuple[subprocess.Popen[bytes], str]:
    """`cnamkg serve` with its production defaults on the embedded store ``store`` (built
    first if need be), with extra ``CNAMKG_*`` settings; waits until ``/readyz`` answers.

    :return: the server process and its base URL.
    """
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CNAMKG_")}
    env.update(CNAMKG_STORE=f"oxigraph:{store}", **settings)
    proc = subprocess.Popen(
        [str(BIN / "cnamkg"), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    wait_answering(base + "/readyz", proc, timeout_s=3600)
    return proc, base


def start_oxigraph(ttl: Path, work: Path) -> Peer:
    """Bulk-load ``ttl`` with ``oxigraph load``, then ``oxigraph serve-read-only``."""
    db = work / "oxigraph"
    shutil.rmtree(db, ignore_errors=True)
    t = time.perf_counter()
    subprocess.run(
        [str(BIN / "oxigraph"), "load", "--location", str(db), "--file", str(ttl)],
        check=True,
        capture_output=True,
    )
    load_s = time.perf_counter() - t
    port = free_port()
    proc = subprocess.Popen(
        [
            str(BIN / "oxigraph"),
            "serve-read-only",
            "--location",
            str(db),
            "--bind",
            f"127.0.0.1:{port}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    return Peer(
        "oxigraph server",
        base + "/query",
        proc,
        load_s,
        wait_answering(_ask(base + "/query"), proc),
        base,
    )


def _virtuoso_ini(db: Path, data_dir: Path, sql_port: int, http_port: int) -> str:
    """Debian's virtuoso.ini with this instance's folder and ports, the data folder
    allowed for bulk loading, and the buffers Virtuoso's docs advise for 2 GB."""
    ini = VIRTUOSO_INI.read_text()
    ini = ini.replace("/var/lib/virtuoso-opensource-7/db", str(db))
    ini = re.sub(r"(?m)^ServerPort\s*=\s*1111", f"ServerPort = {sql_port}", ini)
    ini = re.sub(r"(?m)^ServerPort\s*=\s*8890", f"ServerPort = {http_port}", ini)
    ini = re.sub(
        r"(?m)^DirsAllowed\s*=.*$",
        f"DirsAllowed = ., /usr/share/virtuoso-opensource-7/vad, {data_dir}",
        ini,
    )
    ini = re.sub(r"(?m)^NumberOfBuffers\s*=.*$", "NumberOfBuffers = 170000", ini)
    ini = re.sub(r"(?m)^MaxDirtyBuffers\s*=.*$", "MaxDirtyBuffers = 130000", ini)
    ini = re.sub(r"(?m)^MaxClientConnections\s*=.*$", "MaxClientConnections = 64", ini)
    ini = re.sub(r"(?m)^ServerThreads\s*=.*$", "ServerThreads = 64", ini)
    return ini


def start_virtuoso(ttl: Path, work: Path) -> Peer:
    """A fresh Virtuoso instance in ``work/virtuoso``, bulk-loaded with ``isql``
    (``ld_dir`` + ``rdf_loader_run``), then restarted to measure its cold start."""
    if shutil.which("virtuoso-t") is None:
        raise RuntimeError("virtuoso-t missing: run bench/setup.sh")
    db = work / "virtuoso"
    shutil.rmtree(db, ignore_errors=True)
    db.mkdir(parents=True)
    sql_port, http_port = free_port(), free_port()
    ini = db / "virtuoso.ini"
    ini.write_text(_virtuoso_ini(db, ttl.parent.resolve(), sql_port, http_port))
    base = f"http://127.0.0.1:{http_port}"

    def launch() -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            ["virtuoso-t", "+foreground", "+configfile", str(ini)],
            cwd=db,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    proc = launch()
    wait_answering(_ask(base + "/sparql"), proc)
    t = time.perf_counter()
    sql = (
        f"ld_dir('{ttl.parent.resolve()}', '{ttl.name}', '{GRAPH}'); rdf_loader_run(); checkpoint;"
    )
    subprocess.run(
        ["isql-vt", str(sql_port), "dba", "dba", f"exec={sql}"], check=True, capture_output=True
    )
    load_s = time.perf_counter() - t
    proc.terminate()
    proc.wait(timeout=120)
    proc = launch()
    start_s = wait_answering(_ask(base + "/sparql"), proc)
    return Peer("virtuoso", base + "/sparql", proc, load_s, start_s, base)


def start_rdflib_endpoint(ttl: Path, work: Path) -> Peer:
    """rdflib-endpoint serving ``ttl`` (parsed into memory at start: load and start are
    one step)."""
    if not RDFLIB_ENDPOINT.exists():
        raise RuntimeError("rdflib-endpoint missing: run bench/setup.sh")
    port = free_port()
    proc = subprocess.Popen(
        [str(RDFLIB_ENDPOINT), "serve", str(ttl), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    start_s = wait_answering(_ask(base + "/"), proc)  # its endpoint is the root path
    return Peer("rdflib-endpoint", base + "/", proc, None, start_s, base)


def rss_kb(pid: int) -> int:
    """Resident memory of a process and its descendants (kB), from /proc."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return total
