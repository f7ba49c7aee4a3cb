"""The ``ketahanan`` command line, run the way a planner runs it (environment, then command)."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from api.cli import app
from geo.build import load_layer
from geo.catalogue import load_catalogue
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


@pytest.fixture()
def data_copy(cli_settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the real data folder (to change), set as KETAHANAN_DATA_DIR."""
    data = tmp_path / "data"
    shutil.copytree(cli_settings.data_dir, data)
    monkeypatch.setenv("KETAHANAN_DATA_DIR", str(data))
    get_settings.cache_clear()
    return data


@pytest.mark.realdata
def test_data_verify_names_a_changed_file(data_copy: Path) -> None:
    data = data_copy
    (data / "sehat/bank_sampah_3r/jakarta_3r_bank_sampah.csv").write_text("wilayah\nx\n")
    (data / "transit/rail_2021/rail_stations_trafi.geojson").unlink()
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
    old = before.reindex(after_kel.index).to_numpy(dtype=float)
    new = after_kel["score_sehat"].to_numpy(dtype=float)
    changed = ~np.isclose(new, old, atol=1e-9, equal_nan=True)
    assert changed.sum() > 100
    # units that rested on one Sehat indicator (a partial score) now have two: full scores
    assert np.isfinite(new).sum() > np.isfinite(old).sum()

    # layer remove: unregistered, and the next build is back to the scores without it
    code, out = _run("layer", "remove", "sehat_clean_water_access")
    assert code == 0 and "removed sehat_clean_water_access" in out, out
    code, out = _run("layer", "list")
    assert code == 0 and "sehat_clean_water_access" not in out
    code, out = _run("layer", "remove", "sehat_clean_water_access")
    assert code == 2 and "no planner layer or scenario is registered" in out
    code, out = _run("build")
    assert code == 0, out
    again = load_layer(cli_settings.build_path, "kelurahan").set_index("kode")
    assert again["sehat_clean_water_access"].isna().all()
    assert np.allclose(again["score_sehat"], before.reindex(again.index), equal_nan=True)


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


@pytest.mark.realdata
def test_data_checksums_follow_a_deliberate_data_update(
    cli_settings: Settings, data_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = data_copy
    catalogue = tmp_path / "catalogue.json"
    shutil.copy(cli_settings.catalogue_path, catalogue)
    monkeypatch.setenv("KETAHANAN_CATALOGUE_PATH", str(catalogue))
    get_settings.cache_clear()
    original = catalogue.read_text(encoding="utf-8")

    # unchanged data: the recomputed catalogue is the catalogue, byte for byte
    code, out = _run("data", "checksums")
    assert code == 0 and out == original

    # a deliberate update: one file changed, one added
    changed = data / "sehat/bank_sampah_3r/jakarta_3r_bank_sampah.csv"
    changed.write_bytes(changed.read_bytes() + b"\n")
    added = data / "sehat/bank_sampah_3r/CATATAN.md"
    added.write_text("# catatan\n", encoding="utf-8")
    code, printed = _run("data", "checksums")
    assert code == 0
    files = {f["path"]: f for s in json.loads(printed)["sources"] for f in s["files"]}
    rel = changed.relative_to(data).as_posix()
    assert files[rel]["sha256"] == hashlib.sha256(changed.read_bytes()).hexdigest()
    assert files[rel]["bytes"] == changed.stat().st_size
    assert added.relative_to(data).as_posix() in files
    assert catalogue.read_text(encoding="utf-8") == original, "written without --write"
    assert _run("data", "verify")[0] == 1

    code, out = _run("data", "checksums", "--write")
    assert code == 0 and f"written {catalogue}" in " ".join(out.split())
    assert catalogue.read_text(encoding="utf-8") == printed  # what was shown is what is kept
    assert load_catalogue(catalogue).ids == load_catalogue(cli_settings.catalogue_path).ids
    code, out = _run("data", "verify")
    assert code == 0, out

    # a source folder gone: a clear error, the catalogue untouched
    shutil.rmtree(data / "strategy")
    before = catalogue.read_text(encoding="utf-8")
    code, out = _run("data", "checksums", "--write")
    assert code == 2 and "strategy" in out and "Traceback" not in out
    assert catalogue.read_text(encoding="utf-8") == before
