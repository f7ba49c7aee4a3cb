"""A planner's own depth grid becomes a scenario like the two shipped ones."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pyogrio
import pytest
import rasterio
from impactkit import real_inputs
from rasterio.transform import from_origin
from typer.testing import CliRunner

from geo.crs import METRIC_CRS, STORAGE_CRS
from geo.errors import (
    ChecksumError,
    CRSError,
    DataError,
    ExtentError,
    InvalidParameterError,
    MissingFileError,
)
from geo.impact.compute import compute_impact
from geo.impact.hazard import CLASS_AREA_COLUMNS
from geo.impact.user_scenarios import (
    add_user_scenario,
    list_user_scenarios,
    load_user_scenarios,
    remove_user_scenario,
)
from geo.settings import Settings

HKV = "flood/depth_grids_hkv/Flood_Current_Depth_Jakarta_geographic"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        user_scenarios_path=tmp_path / "user_scenarios.json",
        user_layers_path=tmp_path / "user_layers.json",
        build_path=tmp_path / "ketahanan.gpkg",
    )


def _tif(path: Path, array: np.ndarray, transform: Any, crs: Any) -> Path:
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=array.shape[1],
        height=array.shape[0],
        count=1,
        dtype="float32",
        crs=crs,
        transform=transform,
        nodata=-9999.0,
    ) as dst:
        dst.write(array.astype("float32"), 1)
    return path


def _hkv_as_geotiff(data_dir: Path, path: Path) -> Path:
    with rasterio.open(data_dir / f"{HKV}.asc") as src:
        array = src.read(1)
        return _tif(path, array, src.transform, STORAGE_CRS)


def _utm_block(path: Path, depth: float = 2.0) -> Path:
    """A 2 km x 2 km grid of 100 m cells in METRIC_CRS over central Jakarta, all one depth."""
    return _tif(
        path, np.full((20, 20), depth), from_origin(700_000, 9_320_000, 100, 100), METRIC_CRS
    )


def test_register_list_and_remove(settings: Settings, tmp_path: Path) -> None:
    path = _utm_block(tmp_path / "tanggul.tif")
    entry = add_user_scenario(path, "tanggul", settings, name_en="Dike 2030", hazard_date="2030")
    assert entry["crs"].endswith("32748") and entry["deepest_m"] == 2.0
    assert [e["scenario_id"] for e in list_user_scenarios(settings)] == ["tanggul"]
    ((scenario, grid),) = load_user_scenarios(settings)
    assert scenario.compare_with == "kini" and scenario.user and scenario.name_en == "Dike 2030"
    assert grid.dtype == "float32"
    remove_user_scenario(settings, "tanggul")
    assert list_user_scenarios(settings) == []


@pytest.mark.parametrize(
    ("scenario_id", "match"),
    [
        ("kini", "taken"),
        ("selisih", "taken"),
        ("Tanggul", "lower-case"),
        ("x", "lower-case"),
        ("tanggul\n", "lower-case"),
    ],
)
def test_bad_ids_are_refused(
    settings: Settings, tmp_path: Path, scenario_id: str, match: str
) -> None:
    path = _utm_block(tmp_path / "g.tif")
    with pytest.raises(InvalidParameterError, match=match):
        add_user_scenario(path, scenario_id, settings)


def test_bad_grids_are_refused_with_a_message(settings: Settings, tmp_path: Path) -> None:
    asc = tmp_path / "noprj.asc"
    asc.write_text(
        "ncols 2\nnrows 2\nxllcorner 106.8\nyllcorner -6.2\ncellsize 0.001\n"
        "NODATA_value -9999\n0 1\n1 0\n"
    )
    with pytest.raises(CRSError, match=r"\.prj"):
        add_user_scenario(asc, "tanpa_prj", settings)
    far = _tif(
        tmp_path / "far.tif", np.ones((4, 4)), from_origin(10.0, 50.0, 0.01, 0.01), STORAGE_CRS
    )
    with pytest.raises(ExtentError, match="outside the Jakarta extent"):
        add_user_scenario(far, "jauh", settings)
    cm = _utm_block(tmp_path / "cm.tif", depth=150.0)
    with pytest.raises(DataError, match="centimetres"):
        add_user_scenario(cm, "senti", settings)
    empty = _tif(
        tmp_path / "empty.tif",
        np.full((4, 4), -9999.0),
        from_origin(700_000, 9_320_000, 100, 100),
        METRIC_CRS,
    )
    with pytest.raises(DataError, match="no value"):
        add_user_scenario(empty, "kosong", settings)
    table = tmp_path / "depth.csv"
    table.write_text("a\n1\n")
    with pytest.raises(InvalidParameterError, match="GeoTIFF"):
        add_user_scenario(table, "tabel", settings)
    with pytest.raises(MissingFileError):
        add_user_scenario(tmp_path / "none.tif", "hilang", settings)
    assert list_user_scenarios(settings) == []  # nothing registered by any of them


def test_a_changed_or_missing_grid_stops_the_next_build(settings: Settings, tmp_path: Path) -> None:
    path = _utm_block(tmp_path / "g.tif")
    add_user_scenario(path, "ubah", settings)
    _utm_block(path, depth=1.0)
    with pytest.raises(ChecksumError, match="register it again"):
        load_user_scenarios(settings)
    path.unlink()
    with pytest.raises(MissingFileError, match="ketahanan layer remove ubah"):
        load_user_scenarios(settings)


@pytest.mark.realdata
def test_the_hkv_grid_as_geotiff_reproduces_today(
    real_settings: Settings, settings: Settings, tmp_path: Path
) -> None:
    path = _hkv_as_geotiff(real_settings.data_dir, tmp_path / "hkv.tif")
    add_user_scenario(path, "salinan", settings)
    planner = load_user_scenarios(settings)
    inputs = _real_inputs(real_settings)
    result = compute_impact(
        inputs["layers"], inputs["grids"], inputs["register"], settings, planner
    )
    cols = [f"people_{c}" for c in CLASS_AREA_COLUMNS] + ["affected", "displaced", "need_rice_kg"]
    kini, copy = result.layers["dampak_kini"], result.layers["dampak_salinan"]
    assert copy[cols].fillna(-1).equals(kini[cols].fillna(-1))
    diff = result.layers["dampak_selisih_salinan"]
    moved = diff[["no_longer_affected", "moved_out_of_high"]].dropna()
    assert (moved == 0).all().all() and len(moved) == len(kini.dropna(subset=["affected"]))
    # the same cells: the class transitions are computed (and are none)
    assert (diff["area_class_lower_km2"].dropna() == 0).all() and diff[
        "area_class_lower_km2"
    ].notna().any()


@pytest.mark.realdata
def test_a_utm_grid_on_other_cells_is_a_scenario_too(
    real_settings: Settings, settings: Settings, tmp_path: Path
) -> None:
    add_user_scenario(_utm_block(tmp_path / "blok.tif"), "blok", settings)
    inputs = _real_inputs(real_settings)
    result = compute_impact(
        inputs["layers"],
        inputs["grids"],
        inputs["register"],
        settings,
        load_user_scenarios(settings),
    )
    frame = result.layers["dampak_blok"]
    kel = frame[frame["tingkat"] == "kelurahan"]
    inside = kel[kel["covered_share"] > 0.999]
    assert len(inside) > 0 and (inside["people_high"] == inside["population"]).all()
    outside = kel[kel["covered_share"] == 0]
    assert outside["affected"].isna().all()  # no cell of the grid: no data, not 0
    partly = kel[(kel["covered_share"] > 0) & (kel["covered_share"] < 0.999)]
    assert (partly["people_nodata"] > 0).all()
    diff = result.layers["dampak_selisih_blok"]
    assert diff["area_class_lower_km2"].isna().all()  # other cells: no cell-by-cell comparison


def _real_inputs(real_settings: Settings) -> dict[str, Any]:
    return real_inputs(real_settings.data_dir)


@pytest.mark.realdata
def test_layer_add_scenario_then_build(
    real_settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The planner's way: `ketahanan layer add --scenario`, then `ketahanan build`."""
    from api.cli import app
    from geo.settings import get_settings

    out = tmp_path / "out"
    monkeypatch.setenv("KETAHANAN_DATA_DIR", str(real_settings.data_dir))
    monkeypatch.setenv("KETAHANAN_BUILD_PATH", str(out / "ketahanan.gpkg"))
    monkeypatch.setenv("KETAHANAN_USER_LAYERS_PATH", str(tmp_path / "ul.json"))
    monkeypatch.setenv("KETAHANAN_USER_SCENARIOS_PATH", str(tmp_path / "us.json"))
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        grid = _utm_block(tmp_path / "blok.tif")
        both = runner.invoke(
            app, ["layer", "add", str(grid), "--scenario", "blok", "--indicator", "x"]
        )
        assert both.exit_code == 2 and "exactly one" in both.output
        added = runner.invoke(
            app, ["layer", "add", str(grid), "--scenario", "blok", "--name-en", "Block"]
        )
        assert added.exit_code == 0, added.output
        listed = runner.invoke(app, ["layer", "list"])
        assert "blok" in listed.output and "scenario" in listed.output
        built = runner.invoke(app, ["build", "--no-verify"])
        assert built.exit_code == 0, built.output
        names = {name for name, _ in pyogrio.list_layers(out / "ketahanan.gpkg")}
        assert {"dampak_blok", "dampak_selisih_blok"} <= names
        scenarios = pyogrio.read_dataframe(out / "ketahanan.gpkg", layer="dampak_skenario")
        assert scenarios.set_index("id").loc["blok", "name_en"] == "Block"
        removed = runner.invoke(app, ["layer", "remove", "blok"])
        assert removed.exit_code == 0 and "removed scenario blok" in removed.output
        again = runner.invoke(app, ["layer", "remove", "blok"])
        assert again.exit_code == 2 and "no planner layer or scenario" in again.output
    finally:
        get_settings.cache_clear()
    shutil.rmtree(out, ignore_errors=True)
