"""The ``ketahanan`` command line, run the way a planner runs it (environment, then command)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from geo.build import load_layer
from geo.settings import Settings, get_settings


@pytest.fixture()
def cli_settings(
    real_build: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Settings]:
    """Environment for the CLI: a copy of the session's build and a fresh layer registry."""
    build = tmp_path / "ketahanan.gpkg"
    shutil.copy(real_build.build_path, build)
    shutil.copy(real_build.report_path, build.with_suffix(".report.json"))
    monkeypatch.setenv("KETAHANAN_DATA_DIR", str(real_build.data_dir))
    monkeypatch.setenv("KETAHANAN_BUILD_PATH", str(build))
    monkeypatch.setenv("KETAHANAN_USER_LAYERS_PATH", str(tmp_path / "user_layers.json"))
    monkeypatch.setenv("KETAHANAN_USER_SCENARIOS_PATH", str(tmp_path / "user_scenarios.json"))
    get_settings.cache_clear()
    yield get_settings()
    get_settings.cache_clear()


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


@pytest.mark.realdata
def test_data_verify_passes_on_the_real_data(cli_settings: Settings) -> None:
    code, out = _run("data", "verify")
    assert code == 0, out
    assert "files verified" in out


@pytest.mark.realdata
def test_data_verify_names_a_changed_file(
    cli_settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    shutil.copytree(cli_settings.data_dir, data)
    (data / "sehat/bank_sampah_3r/jakarta_3r_bank_sampah.csv").write_text("wilayah\nx\n")
    (data / "transit/rail_2021/rail_stations_trafi.geojson").unlink()
    monkeypatch.setenv("KETAHANAN_DATA_DIR", str(data))
    get_settings.cache_clear()
    code, out = _run("data", "verify")
    assert code == 1
    assert "changed" in out and "sehat/bank_sampah_3r/jakarta_3r_bank_sampah.csv" in out
    assert "missing" in out and "transit/rail_2021/rail_stations_trafi.geojson" in out


@pytest.mark.realdata
def test_layer_add_then_build_changes_the_sehat_scores(
    cli_settings: Settings, tmp_path: Path
) -> None:
    kel = load_layer(cli_settings.build_path, "kelurahan")
    before = kel.set_index("kode")["score_sehat"]
    assert kel["sehat_clean_water_access"].isna().all()
    # A planner's table keyed by kelurahan code (values made up for the test only).
    csv = tmp_path / "akses_air.csv"
    rows = [f"{kode},{(i % 10) / 10:.1f}" for i, kode in enumerate(kel["kode"])]
    csv.write_text("kode,akses_air\n" + "\n".join(rows) + "\n", encoding="utf-8")

    code, out = _run(
        "layer", "add", str(csv), "--indicator", "sehat_clean_water_access",
        "--value-column", "akses_air",
    )  # fmt: skip
    assert code == 0, out
    code, out = _run("layer", "list")
    assert code == 0 and "sehat_clean_water_access" in out
    code, out = _run("build")
    assert code == 0, out
    assert "Build report" in out and "kelurahan" in out

    after_kel = load_layer(cli_settings.build_path, "kelurahan").set_index("kode")
    assert after_kel["sehat_clean_water_access"].notna().sum() == 267
    changed = (after_kel["score_sehat"] - before.reindex(after_kel.index)).abs() > 1e-9
    assert changed.sum() > 100


@pytest.mark.realdata
def test_layer_add_names_bad_rows_and_registers_nothing(
    cli_settings: Settings, tmp_path: Path
) -> None:
    csv = tmp_path / "bad.csv"
    csv.write_text(
        "kode,akses_air\n31.71.01.1001,0.5\n31.99.99.9999,0.4\n31.71.01.1002,banyak\n",
        encoding="utf-8",
    )
    code, out = _run(
        "layer", "add", str(csv), "--indicator", "sehat_clean_water_access",
        "--value-column", "akses_air",
    )  # fmt: skip
    assert code == 2
    assert "31.99.99.9999" in out or "banyak" in out
    assert not cli_settings.user_layers_path.exists() or "sehat_clean_water_access" not in (
        cli_settings.user_layers_path.read_text()
    )


@pytest.mark.realdata
@pytest.mark.parametrize(
    "weights",
    ['{"siap_flood_share_2007": -1}', '{"no_such_indicator": 1}', '{"siap_depth_mean": "x"}'],
)
def test_bad_weights_stop_the_build_and_keep_the_output(
    cli_settings: Settings, monkeypatch: pytest.MonkeyPatch, weights: str
) -> None:
    before = cli_settings.build_path.read_bytes()
    monkeypatch.setenv("KETAHANAN_SCORE_WEIGHTS", weights)
    get_settings.cache_clear()
    code, out = _run("build")
    assert code != 0
    assert "error" in out.lower() and "Traceback" not in out
    assert cli_settings.build_path.read_bytes() == before
