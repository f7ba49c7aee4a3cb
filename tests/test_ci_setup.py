"""What CI relies on, checked where a clean machine would otherwise find out the hard way."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from geo.settings import PROJECT_ROOT

CI_RUN = PROJECT_ROOT / ".ci" / "run"


def _commands(script: str) -> list[str]:
    """The script's lines without comments, continuation lines joined."""
    joined = script.replace("\\\n", " ")
    return [
        line.split(" #")[0] for line in joined.splitlines() if not line.lstrip().startswith("#")
    ]


def test_every_apt_get_waits_for_the_dpkg_lock() -> None:
    lines = _commands(CI_RUN.read_text())
    variables = dict(re.findall(r'^\s*([A-Z_]+)="([^"]*)"', "\n".join(lines), re.MULTILINE))
    calls = []
    for line in lines:
        expanded = re.sub(r"\$\{?([A-Z_]+)\}?", lambda m: variables.get(m[1], m[0]), line)
        calls += re.findall(r"\bapt-get\b[^;&|]*", expanded)
    assert calls, "no apt-get call found in .ci/run"
    for call in calls:
        assert re.search(r"-o DPkg::Lock::Timeout=([1-9]\d*)", call), call


def test_every_test_has_a_time_limit(pytestconfig: pytest.Config) -> None:
    assert pytestconfig.pluginmanager.hasplugin("timeout"), "pytest-timeout is not installed"
    assert float(pytestconfig.getini("timeout")) >= 300


@pytest.mark.parametrize("path", [".schemathesis/", "var/", ".venv/"])
def test_tool_output_is_ignored_by_git(path: str) -> None:
    git = shutil.which("git")
    assert git is not None, "git is needed to check .gitignore"
    done = subprocess.run(
        [git, "check-ignore", "--no-index", "-q", path], cwd=PROJECT_ROOT, timeout=30
    )
    assert done.returncode == 0, f"{path} is not ignored by .gitignore"
