"""The notebooks run top to bottom on the build output, and are stored without outputs."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from geo.settings import Settings

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


def _notebooks() -> list[Path]:
    return sorted(NOTEBOOKS.glob("*.ipynb"))


@pytest.mark.parametrize("path", _notebooks(), ids=lambda p: p.name)
def test_stored_without_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, path.name


@pytest.mark.realdata
@pytest.mark.parametrize("path", _notebooks(), ids=lambda p: p.name)
def test_notebook_runs(path: Path, real_build: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    # The kernel reads its settings from the environment: point it at this session's build.
    monkeypatch.setenv("KETAHANAN_BUILD_PATH", str(real_build.build_path))
    monkeypatch.setenv("KETAHANAN_USER_LAYERS_PATH", str(real_build.user_layers_path))
    monkeypatch.setenv("KETAHANAN_USER_SCENARIOS_PATH", str(real_build.user_scenarios_path))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    bindir = str(Path(sys.executable).parent)
    monkeypatch.setenv("PATH", bindir + os.pathsep + os.environ.get("PATH", ""))
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
