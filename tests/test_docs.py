"""The README keeps its promises: its test command is what CI runs, and every setting and
command is documented."""

from __future__ import annotations

import re
from dataclasses import fields

from cnamkg.settings import REPO_ROOT, Settings

README = (REPO_ROOT / "README.md").read_text("utf-8")


def test_ci_runs_the_readme_test_command() -> None:
    ci = (REPO_ROOT / ".ci" / "run").read_text("utf-8")
    assert "make test" in README and "make serve" in README
    assert re.search(r"^make test$", ci, re.MULTILINE)


def test_every_setting_is_documented() -> None:
    for f in fields(Settings):
        assert f"CNAMKG_{f.name.upper()}" in README, f.name
        assert f.metadata.get("help"), f.name


def test_every_command_is_documented() -> None:
    for command in ("validate", "build", "serve", "query", "link"):
        assert f"cnamkg {command}" in README
