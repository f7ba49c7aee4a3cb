"""Bring your own layer."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
from test_indicators import sq, world

from geo.crs import METRIC_CRS
from geo.errors import CRSError, DataError, InvalidParameterError, NotFoundError, SchemaError
from geo.indicators.compute import compute_indicators
from geo.settings import Settings
from geo.user_layers import add_user_layer, list_user_layers, remove_user_layer


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(user_layers_path=tmp_path / "user_layers.json", build_path=tmp_path / "b.gpkg")


@pytest.fixture
def kel() -> gpd.GeoDataFrame:
    return world()[0]["kelurahan"]


def _csv(tmp_path: Path, text: str, name: str = "water.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_valid_csv_registers_and_changes_scores(tmp_path: Path, settings: Settings, kel) -> None:
    layers, grids = world()
    before = compute_indicators(layers, grids, settings)
    assert before.kelurahan["sehat_clean_water_access"].isna().all()
    path = _csv(
        tmp_path,
        "kode,akses\n31.71.01.1001,0.2\n3171011002,0.9\n31.71.02.1001,0.5\n31.01.01.1001,0.1\n",
    )
    entry = add_user_layer(
        path, "sehat_clean_water_access", settings, value_column="akses", kelurahan=kel
    )
    assert entry["key"] == "kode" and len(entry["sha256"]) == 64
    assert [e["indicator_id"] for e in list_user_layers(settings)] == ["sehat_clean_water_access"]
    after = compute_indicators(layers, grids, settings)
    values = after.kelurahan.set_index("kode")["sehat_clean_water_access"]
    assert values["31.71.01.1002"] == pytest.approx(0.9)
    assert not np.allclose(before.kelurahan["score_sehat"], after.kelurahan["score_sehat"])
    by_id = {d["id"]: d for d in after.dictionary}
    assert by_id["sehat_clean_water_access"]["no_data_reason"] is None
    assert by_id["sehat_clean_water_access"]["user_layer"] is True
    # household-weighted mean at kecamatan 31.71.01: (0.2*3000 + 0.9*6000) / 9000
    kec = after.kecamatan.set_index("kode")["sehat_clean_water_access"]
    assert kec["31.71.01"] == pytest.approx((0.2 * 3000 + 0.9 * 6000) / 9000)
    removed = remove_user_layer(settings, "sehat_clean_water_access")
    assert removed["path"] == str(path.resolve()) and list_user_layers(settings) == []
    with pytest.raises(NotFoundError):
        remove_user_layer(settings, "sehat_clean_water_access")


def test_name_keyed_csv_and_new_indicator(tmp_path: Path, settings: Settings, kel) -> None:
    path = _csv(tmp_path, "kelurahan,kecamatan,nilai\nAlfa,Satu,3\nGama,Dua,4\n")
    entry = add_user_layer(path, "siap_drainage_gaps", settings, kelurahan=kel)
    assert entry["pillar"] == "siap" and entry["value_column"] == "nilai"
    layers, grids = world()
    out = compute_indicators(layers, grids, settings)
    assert out.kelurahan.set_index("kode")["siap_drainage_gaps"]["31.71.02.1001"] == 4
    assert np.isnan(out.kelurahan.set_index("kode")["siap_drainage_gaps"]["31.71.01.1002"])


def _unchanged(settings: Settings) -> None:
    assert list_user_layers(settings) == []


def test_unknown_code_names_rows(tmp_path: Path, settings: Settings, kel) -> None:
    path = _csv(tmp_path, "kode,v\n31.71.01.1001,0.5\n31.71.09.9999,0.4\n")
    with pytest.raises(SchemaError) as err:
        add_user_layer(path, "sehat_clean_water_access", settings, kelurahan=kel)
    assert "line 3" in err.value.message and "31.71.09.9999" in err.value.message
    _unchanged(settings)


def test_unknown_name_names_rows(tmp_path: Path, settings: Settings, kel) -> None:
    path = _csv(tmp_path, "kelurahan,v\nAlfa,0.5\nAtlantis,0.4\n")
    with pytest.raises(SchemaError) as err:
        add_user_layer(path, "sehat_clean_water_access", settings, kelurahan=kel)
    assert "Atlantis" in err.value.message and "line 3" in err.value.message
    _unchanged(settings)


def test_non_numeric_names_rows(tmp_path: Path, settings: Settings, kel) -> None:
    path = _csv(tmp_path, "kode,v\n31.71.01.1001,0.5\n31.71.01.1002,banyak\n")
    with pytest.raises(SchemaError) as err:
        add_user_layer(path, "sehat_clean_water_access", settings, kelurahan=kel)
    assert "line 3" in err.value.message and "banyak" in err.value.message
    _unchanged(settings)


def test_out_of_range_share(tmp_path: Path, settings: Settings, kel) -> None:
    path = _csv(tmp_path, "kode,v\n31.71.01.1001,85\n")
    with pytest.raises(SchemaError, match="line 2"):
        add_user_layer(path, "sehat_clean_water_access", settings, kelurahan=kel)
    _unchanged(settings)


def test_polygon_layer_area_weighted(tmp_path: Path, settings: Settings, kel) -> None:
    gdf = gpd.GeoDataFrame(
        {"v": [1.0, 0.0]}, geometry=[sq(0, 0, 500, 1000), sq(500, 0, 1500, 1000)], crs=METRIC_CRS
    ).to_crs("EPSG:4326")
    path = tmp_path / "water.geojson"
    gdf.to_file(path, driver="GeoJSON")
    add_user_layer(path, "sehat_clean_water_access", settings, kelurahan=kel)
    layers, grids = world()
    out = compute_indicators(layers, grids, settings).kelurahan.set_index("kode")
    assert out["sehat_clean_water_access"]["31.71.01.1001"] == pytest.approx(0.5, abs=1e-6)
    assert out["sehat_clean_water_access"]["31.71.01.1002"] == pytest.approx(0.0, abs=1e-6)
    assert np.isnan(out["sehat_clean_water_access"]["31.71.02.1001"])


def test_wrong_crs_fails(tmp_path: Path, settings: Settings, kel) -> None:
    # UTM coordinates declared as lon/lat: outside the Jakarta extent
    gdf = gpd.GeoDataFrame({"v": [0.5]}, geometry=[sq(0, 0, 500, 500)], crs="EPSG:4326")
    path = tmp_path / "wrong.geojson"
    gdf.to_file(path, driver="GeoJSON")
    with pytest.raises(DataError):
        add_user_layer(path, "sehat_clean_water_access", settings, kelurahan=kel)
    nocrs = gpd.GeoDataFrame({"v": [0.5]}, geometry=[sq(0, 0, 500, 500)])
    shp = tmp_path / "nocrs.shp"
    nocrs.to_file(shp)
    with pytest.raises(CRSError):
        add_user_layer(shp, "sehat_clean_water_access", settings, kelurahan=kel)
    _unchanged(settings)


def test_bad_ids(tmp_path: Path, settings: Settings, kel) -> None:
    path = _csv(tmp_path, "kode,v\n31.71.01.1001,0.5\n")
    with pytest.raises(InvalidParameterError, match="built-in"):
        add_user_layer(path, "siap_flood_share_2007", settings, kelurahan=kel)
    with pytest.raises(InvalidParameterError, match="pillar"):
        add_user_layer(path, "other_thing", settings, kelurahan=kel)
    _unchanged(settings)


def test_changed_file_is_refused_at_build(tmp_path: Path, settings: Settings, kel) -> None:
    path = _csv(tmp_path, "kode,v\n31.71.01.1001,0.5\n")
    add_user_layer(path, "sehat_clean_water_access", settings, kelurahan=kel)
    path.write_text("kode,v\n31.71.01.1001,0.6\n", encoding="utf-8")
    layers, grids = world()
    with pytest.raises(DataError, match="changed"):
        compute_indicators(layers, grids, settings)
