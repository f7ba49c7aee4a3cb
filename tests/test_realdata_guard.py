"""The realdata guard: unmarked tests see no data, and a wrong marker stops collection."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from innerpytest import run_pytest

from geo.settings import Settings, get_settings

CONFTEST = """
import pytest
from realdata_guard import empty_data_dir, no_data_unless_marked, pytest_collection_modifyitems

@pytest.fixture(scope="session")
def real_settings():
    return "the data"
"""


def test_an_unmarked_test_sees_an_empty_data_folder(empty_data_dir: Path) -> None:
    for settings in (Settings(), get_settings()):
        assert settings.data_dir == empty_data_dir
        assert list(settings.data_dir.iterdir()) == []
    probe = "from geo.settings import Settings; print(Settings().data_dir)"
    child = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    assert child.stdout.strip() == str(empty_data_dir)


def _collect(tmp_path: Path, test_source: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "conftest.py").write_text(CONFTEST)
    (tmp_path / "pytest.ini").write_text("[pytest]\nmarkers =\n    realdata: reads the data\n")
    (tmp_path / "test_sample.py").write_text("import pytest\n\n" + test_source)
    return run_pytest(tmp_path, dict(os.environ))


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("def test_reads(real_settings):\n    assert real_settings\n", "is not marked realdata"),
        (
            "@pytest.mark.realdata\ndef test_marked():\n    assert True\n",
            "marked realdata but does not use real_settings",
        ),
    ],
    ids=["unmarked-user", "marked-non-user"],
)
def test_a_wrong_marker_stops_collection(tmp_path: Path, source: str, message: str) -> None:
    done = _collect(tmp_path, source)
    assert done.returncode == pytest.ExitCode.USAGE_ERROR, done.stdout + done.stderr
    assert message in done.stdout + done.stderr


def test_a_right_marker_runs(tmp_path: Path) -> None:
    source = (
        "@pytest.mark.realdata\ndef test_reads(real_settings):\n    assert real_settings\n\n"
        "def test_other():\n    assert True\n"
    )
    done = _collect(tmp_path, source)
    assert done.returncode == pytest.ExitCode.OK, done.stdout + done.stderr
    assert "2 passed" in done.stdout
