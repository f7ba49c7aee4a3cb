"""Scenarios on a tiny world computed by hand: levels, differences, ranking, dictionary."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from rasterio.transform import from_origin
from shapely.geometry import box

from geo.admin import dissolve_units
from geo.crs import METRIC_CRS
from geo.errors import DataError
from geo.impact.compare import ranked
from geo.impact.compute import compute_impact, reconcile
from geo.impact.scenarios import IMPACT_COLUMNS, UNIT_COLUMNS
from geo.settings import Settings


def tiny_world() -> tuple[dict[str, Any], dict[str, Any], pd.DataFrame]:
    """Three kelurahan of 200 m x 400 m (8 cells of 100 m each), two kecamatan, two kota."""
    kel = gpd.GeoDataFrame(
        {
            "kode": ["31.71.01.1001", "31.71.01.1002", "31.72.01.1001"],
            "nama": ["A", "B", "C"],
            "kode_kecamatan": ["31.71.01", "31.71.01", "31.72.01"],
            "nama_kecamatan": ["K1", "K1", "K2"],
            "kode_kota": ["31.71", "31.71", "31.72"],
            "nama_kota": ["Pusat", "Pusat", "Utara"],
            "population": [1000, 2000, 500],
            "households": [300, 600, 150],
        },
        geometry=[box(0, 0, 200, 400), box(200, 0, 400, 400), box(400, 0, 600, 400)],
        crs=METRIC_CRS,
    )
    kel["area_km2"] = kel.area / 1e6
    current = np.zeros((4, 6))
    current[:2, 0:2] = 0.3  # A: the top half low
    current[:, 2:4] = 2.0  # B: all high
    design = current.copy()
    design[:, 2:4] = 0.0
    design[:2, 2:4] = 0.8  # B: the top half medium, the rest dry
    design[:1, 4:6] = 0.3  # C: two cells low, worse than today

    def grid(a: np.ndarray) -> SimpleNamespace:
        return SimpleNamespace(array=a, transform=from_origin(0, 400, 100, 100), crs=METRIC_CRS)

    rw = gpd.GeoDataFrame(
        {"kode_kelurahan": ["31.71.01.1001", "31.71.01.1002"]},
        geometry=[box(0, 0, 200, 400), box(200, 0, 400, 400)],
        crs=METRIC_CRS,
    )
    flood_2017 = gpd.GeoDataFrame(
        {"max_state": [3]}, geometry=[box(0, 0, 200, 400)], crs=METRIC_CRS
    )
    layers = {
        "kelurahan": kel,
        "kecamatan": dissolve_units(kel, "kecamatan"),
        "kota": dissolve_units(kel, "kota"),
        "rw": rw,
        "flood_2017_rw_max": flood_2017,
    }
    register = pd.DataFrame(
        {
            "population": [1000, 2000, 500],
            "male": [500, 1000, 250],
            "female": [500, 1000, 250],
            "under5": [100, 200, 50],
            "age_5_14": [100, 200, 50],
            "age_15_64": [700, 1400, 350],
            "age_65plus": [100, 200, 50],
        },
        index=pd.Index(kel["kode"], name="kode"),
    )
    return (
        layers,
        {"flood_depth_current": grid(current), "flood_depth_design": grid(design)},
        register,
    )


@pytest.fixture(scope="module")
def result() -> Any:
    layers, grids, register = tiny_world()
    return compute_impact(layers, grids, register, Settings())


def _rows(frame: pd.DataFrame, level: str = "kelurahan") -> pd.DataFrame:
    return frame[frame["tingkat"] == level].set_index("kode")


def test_people_per_class_by_hand(result: Any) -> None:
    kini = _rows(result.layers["dampak_kini"])
    assert kini.loc["31.71.01.1001", ["people_low", "people_unaffected"]].tolist() == [500, 500]
    assert kini.loc["31.71.01.1002", "people_high"] == 2000
    assert kini.loc["31.72.01.1001", "affected"] == 0
    rencana = _rows(result.layers["dampak_rencana"])
    assert rencana.loc["31.71.01.1002", ["people_medium", "people_unaffected"]].tolist() == [
        1000,
        1000,
    ]
    assert rencana.loc["31.72.01.1001", "people_low"] == 125
    # displaced: 500 x 1 % = 5; 2000 x 5 % = 100; 1000 x 3 % = 30; 125 x 1 % = 1.25 -> 1
    assert kini["displaced"].tolist() == [5, 100, 0]
    assert rencana["displaced"].tolist() == [5, 30, 1]
    assert kini.loc["31.71.01.1002", "need_rice_kg"] == pytest.approx(280.0)
    assert kini.loc["31.71.01.1002", "displaced_age_15_64"] == 70


def test_kecamatan_and_kota_are_sums(result: Any) -> None:
    frame = result.layers["dampak_kini"]
    kec = _rows(frame, "kecamatan")
    kota = _rows(frame, "kota")
    assert kec.loc["31.71.01", "affected"] == 2500 and kota.loc["31.71", "affected"] == 2500
    assert kec.loc["31.71.01", "population"] == 3000
    assert kec.loc["31.71.01", "affected_share"] == pytest.approx(2500 / 3000)
    assert kota.loc["31.72", "kode_kota"] == "31.72" and kota.loc["31.72", "nama"] == "Utara"
    assert kec.loc["31.71.01", "nama_kecamatan"] == "K1"
    assert list(frame.columns[-len(IMPACT_COLUMNS) - 1 : -1]) == list(IMPACT_COLUMNS)
    assert result.checks["kini"]["affected"] == 2500


def test_rw_states_scenario_and_its_coverage(result: Any) -> None:
    feb = _rows(result.layers["dampak_feb2017"])
    assert feb.loc["31.71.01.1001", "people_medium"] == 1000  # state 3 over all of A
    assert feb.loc["31.71.01.1002", "affected"] == 0
    assert np.isnan(feb.loc["31.72.01.1001", "affected"])  # no RW data in C: null
    assert feb.loc["31.72.01.1001", "covered_share"] == 0.0
    kota = _rows(result.layers["dampak_feb2017"], "kota")
    assert np.isnan(kota.loc["31.72", "affected"]) and kota.loc["31.71", "affected"] == 1000


def test_difference_and_ranking(result: Any) -> None:
    diff = _rows(result.layers["dampak_selisih_rencana"])
    b = diff.loc["31.71.01.1002"]
    assert (b["no_longer_affected"], b["moved_out_of_high"], b["displaced_avoided"]) == (
        1000,
        2000,
        70,
    )
    assert b["area_class_lower_km2"] == pytest.approx(0.08) and b["area_class_higher_km2"] == 0
    c = diff.loc["31.72.01.1001"]
    assert (c["no_longer_affected"], c["change"]) == (-125, "loss")
    assert c["area_class_higher_km2"] == pytest.approx(0.02)
    assert diff.loc["31.71.01.1001", "change"] == "none"  # affected, nothing changes
    assert diff["gain_rank"].tolist() == [2, 1, 3]
    lists = ranked(result.layers["dampak_selisih_rencana"])
    assert list(lists["gain"]["kode"]) == ["31.71.01.1002"]
    assert list(lists["none_or_loss"]["kode"]) == ["31.72.01.1001", "31.71.01.1001"]
    kec = _rows(result.layers["dampak_selisih_rencana"], "kecamatan")
    assert kec.loc["31.71.01", "no_longer_affected"] == 1000
    assert kec.loc["31.71.01", "area_class_lower_km2"] == pytest.approx(0.08)


def test_summary_and_dictionary(result: Any) -> None:
    summary = result.layers["dampak_ringkasan"].set_index(["skenario", "kelas"])
    assert summary.loc[("kini", "affected"), "people"] == 2500
    assert summary.loc[("kini", "high"), "displaced"] == 100
    assert summary.loc[("rencana", "affected"), "people"] == 1625
    kamus = result.layers["dampak_kamus"]
    for name, frame in result.layers.items():
        if name.startswith("dampak_") and "tingkat" in frame.columns:
            documented = set(kamus.loc[kamus["collection"] == name, "id"])
            expected = set(frame.columns) - {"geometry", *UNIT_COLUMNS}
            assert documented == expected, name
    rice = kamus[(kamus["collection"] == "dampak_kini") & (kamus["id"] == "need_rice_kg")]
    assert "2.8 kg per person a week" in rice["formula"].iloc[0]
    assert "population 2019-06-30" in rice["date"].iloc[0]
    scen = result.layers["dampak_skenario"].set_index("id")
    assert "how many people" in scen.loc["kini", "question_en"]
    assert scen.loc["rencana", "compare_with"] == "kini"


def test_reconcile_catches_a_total_that_does_not_add_up(result: Any) -> None:
    frame = result.layers["dampak_kini"].copy()
    frame.loc[frame["kode"] == "31.71.01.1001", "affected_female"] += 1
    with pytest.raises(DataError, match=r"31\.71\.01\.1001: affected by sex"):
        reconcile(frame)
    frame = result.layers["dampak_kini"].copy()
    frame.loc[frame["kode"] == "31.71.01", "area_high_km2"] += 0.01
    with pytest.raises(DataError, match=r"kecamatan 31\.71\.01 is not the sum of its kelurahan"):
        reconcile(frame)
