"""Throughput and latency under concurrent load with wrk (Debian's ``wrk``), loopback only.

:func:`run` sends GET requests cycling through a list of paths. With ``distinct``, each
path's ``{n}`` is replaced by a number that changes at every request, 1001–10000 (a
``LIMIT``: every query of a thread's first 9,000 differs, so no cache answers them);
without, by a fixed number (the repeated mix).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

_SCRIPT = """
local paths = {%(paths)s}
local counter = 0
local offset = 0
function setup(thread)
  thread:set("id", %(threads)s)
end
function init(args)
  offset = tonumber(id or 0) * 7919
end
request = function()
  counter = counter + 1
  local path = paths[(counter %% #paths) + 1]
  local n = %(fixed)s
  if n == 0 then n = 1001 + (offset + counter) %% 9000 end
  path = string.gsub(path, "{n}", tostring(n))
  return wrk.format("GET", path, {["Accept"] = "%(accept)s"})
end
"""

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if not m:
        raise ValueError(text)
    return float(m[1]) * _UNITS[m[2]]


def run(
    base: str,
    paths: list[str],
    *,
    connections: int,
    seconds: int,
    distinct: bool = False,
    fixed: int = 1000,
    accept: str = "*/*",
    timeout_s: int = 60,
) -> dict[str, float]:
    """Load ``base`` + each of ``paths`` with ``connections`` connections for ``seconds``.

    :return: requests/s, p50/p99 latency (ms), errors (socket errors + non-2xx/3xx).
    :raises RuntimeError: wrk is missing.
    """
    if shutil.which("wrk") is None:
        raise RuntimeError("wrk missing: run bench/setup.sh (Debian package wrk)")
    quoted = ", ".join('"' + p.replace("\\", "\\\\").replace('"', '\\"') + '"' for p in paths)
    threads = min(2, connections)
    script = _SCRIPT % {
        "paths": quoted,
        "threads": "math.random(1, 1000)",
        "fixed": 0 if distinct else fixed,
        "accept": accept,
    }
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script)
    try:
        out = subprocess.run(
            [
                "wrk",
                f"-t{threads}",
                f"-c{connections}",
                f"-d{seconds}s",
                f"--timeout={timeout_s}s",
                "--latency",
                "-s",
                f.name,
                base,
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    finally:
        Path(f.name).unlink()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])  # type: ignore[index]
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out)[1])  # type: ignore[index]
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out)[1])  # type: ignore[index]
    errors = 0
    if m := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out):
        errors += int(m[1])
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        errors += sum(int(x) for x in m.groups())
    if rps == 0 or p99 == 0:
        raise RuntimeError(f"wrk measured nothing:\n{out}")
    return {"req/s": rps, "p50 ms": p50, "p99 ms": p99, "errors": errors}
