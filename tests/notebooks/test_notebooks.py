"""The notebooks run top to bottom on the build output, and are stored without outputs.

Each notebook asserts in its cells what it shows; this test runs it and checks the outputs a
reader would see, cell by cell (cells are found by their tag).
"""

from __future__ import annotations

import base64
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient

from geo.indicators.definitions import INDICATORS
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
    # the inline backend, as in Jupyter: the figure becomes an image output to check
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
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
    CHECKS[path.name]({tag: cell for cell in nb.cells for tag in cell.metadata.get("tags", [])})


def _text(cell: Any, kind: str = "stream") -> str:
    """The text a cell printed (``stream``) or displayed as its result (``execute_result``)."""
    parts = []
    for out in cell.outputs:
        assert out.output_type != "error", out
        if out.output_type == kind == "stream":
            parts.append(out.text)
        elif out.output_type == kind:
            parts.append(out.data.get("text/html") or out.data.get("text/plain", ""))
    return "".join(parts)


def _pillar_indicators(cells: dict[str, Any]) -> None:
    assert _text(cells["load"]).startswith("267 kelurahan;")
    table = _text(cells["dictionary"], "execute_result")
    assert all(f">{ind}<" in table for ind in INDICATORS), "an indicator is missing"
    printed = _text(cells["top10"])
    blocks = printed.strip().split("\n\n")
    assert [b.splitlines()[0] for b in blocks] == ["siap", "sehat", "terhubung"]
    for block in blocks:  # a header line and ten kelurahan, each with its code
        rows = block.splitlines()[2:]
        assert len(rows) == 10 and all(re.match(r"\s*31\.\d\d\.\d\d\.\d{4} ", r) for r in rows)
    images = [o for o in cells["choropleth"].outputs if "image/png" in o.get("data", {})]
    assert len(images) == 1, "one figure with the three maps"
    assert len(base64.b64decode(images[0]["data"]["image/png"])) > 20_000
    compare = _text(cells["weights"], "execute_result")
    assert "score_siap_new" in compare
    assert compare.split("<tbody>")[1].count("<tr>") == 10  # ten kelurahan


CHECKS: dict[str, Callable[[dict[str, Any]], None]] = {
    "pillar_indicators.ipynb": _pillar_indicators,
}
"""What each notebook must show, by notebook."""


def test_every_notebook_has_its_output_checks() -> None:
    assert {p.name for p in _notebooks()} == set(CHECKS)
