"""The code style the project holds itself to (pyproject.toml [tool.ruff])."""

from __future__ import annotations

import subprocess
import sys

from cnamkg.settings import REPO_ROOT


def ruff(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args, "src", "tests"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_ruff_check() -> None:
    r = ruff("check")
    assert r.returncode == 0, r.stdout + r.stderr


def test_ruff_format() -> None:
    r = ruff("format", "--check")
    assert r.returncode == 0, r.stdout + r.stderr
