"""A skip fails the run under any truthy ``CI`` value, and only under one.

Each case runs pytest in a subprocess on a folder holding one passing and one skipping test,
with the hooks of :mod:`ciskip` installed by that folder's conftest.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from ciskip import ci_enabled
from innerpytest import run_pytest

TRUTHY = ["true", "1", "yes", "on", "TRUE", "Yes", "ON", " true "]
FALSY = ["", "0", "false", "no", "off", "False", "NO", "Off"]


@pytest.mark.parametrize("value", TRUTHY)
def test_truthy_values_mean_ci(value: str) -> None:
    assert ci_enabled(value)


@pytest.mark.parametrize("value", [*FALSY, None])
def test_falsy_values_do_not(value: str | None) -> None:
    assert not ci_enabled(value)


def _run_skipping_suite(tmp_path: Path, ci: str | None) -> subprocess.CompletedProcess[str]:
    (tmp_path / "conftest.py").write_text(
        "from ciskip import pytest_runtest_makereport, pytest_sessionfinish  # noqa: F401\n"
    )
    (tmp_path / "test_one_skip.py").write_text(
        "import pytest\n\n"
        "def test_passes():\n    assert True\n\n"
        "def test_skips():\n    pytest.skip('no chromium here')\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    if ci is not None:
        env["CI"] = ci
    return run_pytest(tmp_path, env)


@pytest.mark.parametrize("value", ["1", "On"])
def test_a_skip_fails_the_run_in_ci(tmp_path: Path, value: str) -> None:
    done = _run_skipping_suite(tmp_path, value)
    assert done.returncode == pytest.ExitCode.TESTS_FAILED, done.stdout + done.stderr
    assert "1 failed, 1 passed" in done.stdout, done.stdout
    assert "no chromium here" in done.stdout


@pytest.mark.parametrize("value", [None, "false"])
def test_a_skip_is_a_skip_outside_ci(tmp_path: Path, value: str | None) -> None:
    done = _run_skipping_suite(tmp_path, value)
    assert done.returncode == pytest.ExitCode.OK, done.stdout + done.stderr
    assert "1 passed, 1 skipped" in done.stdout, done.stdout
