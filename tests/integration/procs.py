"""Reading the process tree of a server under test from /proc (Linux)."""

from __future__ import annotations

from pathlib import Path


def _read(p: Path, name: str) -> str:
    try:
        return (p / name).read_text()
    except OSError:
        return ""


def cmdline(pid: str) -> str:
    """The command line of ``pid`` (arguments joined by spaces), or ``""``."""
    try:
        return (Path("/proc") / pid / "cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
    except OSError:
        return ""


def status(pid: str) -> dict[str, str]:
    """The fields of ``/proc/PID/status``."""
    fields = {}
    for line in _read(Path("/proc") / pid, "status").splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return fields


def children(pid: str) -> list[str]:
    """The pids whose parent is ``pid``."""
    return [
        p.name
        for p in Path("/proc").iterdir()
        if p.name.isdigit() and status(p.name).get("PPid") == pid
    ]


def cpu_ticks(pid: str) -> int:
    """User + system CPU time of ``pid``, in clock ticks (``/proc/PID/stat``)."""
    stat = _read(Path("/proc") / pid, "stat")
    if not stat:
        return 0
    fields = stat.rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def peak_rss_kb(pid: str) -> int:
    """``VmHWM``: the peak resident set size of ``pid`` so far, in KiB."""
    return int(status(pid).get("VmHWM", "0 kB").split()[0])


def server_tree(port: int) -> tuple[str, list[str]]:
    """The gunicorn master serving ``port`` and its workers."""
    serving = [
        p.name
        for p in Path("/proc").iterdir()
        if p.name.isdigit() and cmdline(p.name).endswith(f"--port {port} --workers 2")
    ]
    masters = [pid for pid in serving if status(pid).get("PPid") not in serving]
    assert len(masters) == 1, serving
    return masters[0], [pid for pid in serving if status(pid).get("PPid") == masters[0]]


def evaluators(workers: list[str]) -> list[str]:
    """The query evaluator processes of the workers (not multiprocessing's resource
    tracker, which is a child too)."""
    return [c for w in workers for c in children(w) if "spawn_main" in cmdline(c)]
