"""A tiny synthetic Jakarta, built in METRIC_CRS with answers known by hand.

Kelurahan (1 km squares, origin X0, Y0 in UTM 48S):

* A 31.71.01.1001: x 0-1000, y 0-1000; population 10,000
* B 31.71.01.1002: x 1000-2000, y 0-1000; population 20,000
* C 31.71.02.1001: x 0-1000, y 1000-2000; population 5,000
* D 31.01.01.1001: 20 km north (an "island", no RW, no grid, outside the transit hull)

See the tests for the expected values.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from rasterio.transform import from_origin
from shapely.geometry import MultiPolygon, Point, box

from geo.crs import METRIC_CRS, STORAGE_CRS

X0, Y0 = 700_000.0, 9_320_000.0


def sq(x0: float, y0: float, x1: float, y1: float) -> Any:
    """A box shifted to the synthetic origin."""
    return box(X0 + x0, Y0 + y0, X0 + x1, Y0 + y1)


def pt(x: float, y: float) -> Point:
    """A point shifted to the synthetic origin."""
    return Point(X0 + x, Y0 + y)


def to_storage(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Reproject a METRIC_CRS layer to STORAGE_CRS."""
    return gdf.set_crs(METRIC_CRS).to_crs(STORAGE_CRS)


def world() -> tuple[dict[str, Any], dict[str, Any]]:
    """Layers and grids of the synthetic world."""
    kel = gpd.GeoDataFrame(
        {
            "kode": ["31.71.01.1001", "31.71.01.1002", "31.71.02.1001", "31.01.01.1001"],
            "nama": ["Alfa", "Beta", "Gama", "Delta"],
            "kode_kecamatan": ["31.71.01", "31.71.01", "31.71.02", "31.01.01"],
            "nama_kecamatan": ["Satu", "Satu", "Dua", "Pulau"],
            "kode_kota": ["31.71", "31.71", "31.71", "31.01"],
            "nama_kota": ["Jakarta Pusat", "Jakarta Pusat", "Jakarta Pusat", "Kepulauan Seribu"],
            "population": [10_000, 20_000, 5_000, 1_000],
            "households": [3_000, 6_000, 1_000, 300],
            "area_km2": [1.0, 1.0, 1.0, 1.0],
        },
        geometry=[
            MultiPolygon([sq(0, 0, 1000, 1000)]),
            MultiPolygon([sq(1000, 0, 2000, 1000)]),
            MultiPolygon([sq(0, 1000, 1000, 2000)]),
            MultiPolygon([sq(0, 20_000, 1000, 21_000)]),
        ],
    )
    rw_geoms = [
        sq(x, y, x + 500, y + 500)
        for (ox, oy) in ((0, 0), (1000, 0), (0, 1000))
        for x in (ox, ox + 500)
        for y in (oy, oy + 500)
    ]
    rw = gpd.GeoDataFrame(
        {"rw_id": [str(i) for i in range(len(rw_geoms))], "rw": ["01"] * len(rw_geoms)},
        geometry=rw_geoms,
    )
    flood07 = gpd.GeoDataFrame({"rw": ["01"]}, geometry=[sq(0, 0, 500, 1000)])
    flood17 = gpd.GeoDataFrame(
        {"geom_id": ["a", "b"], "max_state": [3, 2]},
        geometry=[sq(1000, 0, 1500, 500), sq(1500, 500, 2000, 1000)],
    )
    pumps = gpd.GeoDataFrame({"name": ["p999", "p1001"]}, geometry=[pt(2999, 500), pt(3001, 500)])
    gates = gpd.GeoDataFrame({"name": ["g"]}, geometry=[pt(500, 500)])
    stops = gpd.GeoDataFrame(
        {
            "stop_id": ["s499", "s501", "sC", "entrance"],
            "stop_name": ["a", "b", "c", "e"],
            "location_type": [0, 0, 0, 2],
            "weekday_departures_per_hour": [10.0, 5.0, 4.0, np.nan],
        },
        geometry=[pt(-499, 500), pt(-501, 200), pt(500, 1600), pt(600, 1600)],
    )
    rail = gpd.GeoDataFrame({"station_name": ["R"]}, geometry=[pt(2500, 500)])
    slum = gpd.GeoDataFrame(
        {"rw": ["01"], "kode_kelurahan": ["31.71.01.1001"], "kode_kota": ["31.71"]},
        geometry=[sq(0, 0, 500, 500)],
    )
    waste_banks = pd.DataFrame(
        {
            "kode_kelurahan": [
                "31.71.01.1001",
                "31.71.01.1001",
                "31.71.01.1001",
                "31.71.02.1001",
                None,
            ],
            "status": ["Aktif", "", "Tidak Aktif", "Aktif", "Aktif"],
        }
    )
    river = pd.DataFrame(
        {
            "kode_kecamatan": ["31.71.01"] * 3 + ["31.71.02"] * 2,
            "periode": [202401, 202402, 202403, 202401, 202402],
            "rata_rata": [1.0, 2.0, 100.0, 3.0, 3.0],
        }
    )
    # depth grid: 100 m cells over x 0-2000, y 0-1000; A's left half 1.0 m, right half 0.0 m;
    # B: left half 0.2 m, right half no data
    array = np.zeros((10, 20))
    array[:, 0:5] = 1.0
    array[:, 10:15] = 0.2
    array[:, 15:20] = np.nan
    grid = SimpleNamespace(
        array=array, transform=from_origin(X0, Y0 + 1000, 100, 100), crs=METRIC_CRS
    )
    layers: dict[str, Any] = {
        "kelurahan": to_storage(kel),
        "rw": to_storage(rw),
        "flood_rw_2007": to_storage(flood07),
        "flood_2017_rw_max": to_storage(flood17),
        "pumps": to_storage(pumps),
        "floodgates": to_storage(gates),
        "tj_stops": to_storage(stops),
        "rail_stations": to_storage(rail),
        "slum_rw": to_storage(slum),
        "waste_banks": waste_banks,
        "river_waste": river,
    }
    return layers, {"flood_depth_current": grid}


# ---------------------------------------------------------------------------------------------
# tests

import json  # noqa: E402

import pytest  # noqa: E402

from geo.indicators.compute import IndicatorResult, compute_indicators  # noqa: E402
from geo.indicators.definitions import INDICATORS  # noqa: E402
from geo.indicators.dictionary import data_dictionary  # noqa: E402
from geo.settings import Settings  # noqa: E402


@pytest.fixture(scope="module")
def result() -> IndicatorResult:
    layers, grids = world()
    return compute_indicators(layers, grids, None)


def _kel(result: IndicatorResult, code: str) -> pd.Series:
    return result.kelurahan.set_index("kode").loc[code]


def _at(frame: pd.DataFrame, code: str) -> pd.Series:
    return frame.set_index("kode").loc[code]


def test_flood_share_half_covered(result: IndicatorResult) -> None:
    assert _kel(result, "31.71.01.1001")["siap_flood_share_2007"] == pytest.approx(0.5, abs=1e-6)
    assert _kel(result, "31.71.01.1002")["siap_flood_share_2007"] == pytest.approx(0.0, abs=1e-9)


def test_no_data_is_null_not_zero(result: IndicatorResult) -> None:
    d = _kel(result, "31.01.01.1001")
    for ind in (
        "siap_flood_share_2007",
        "siap_depth_mean",
        "siap_pumps_1km",
        "sehat_slum_rw_share",
        "terhubung_tj_stops",
        "terhubung_rail_distance_km",
        "terhubung_tj_departures_500m",
    ):
        assert pd.isna(d[ind]), ind
    assert pd.isna(d["score_siap"]) and pd.isna(d["score_terhubung"])
    assert "siap_flood_share_2007" in d["score_siap_missing"]
    # grid has no cells under C: null, not 0
    assert pd.isna(_kel(result, "31.71.02.1001")["siap_depth_mean"])


def test_flood_2017_counts_share_and_worst_class(result: IndicatorResult) -> None:
    b = _kel(result, "31.71.01.1002")
    assert b["siap_rw_flooded_2017_count"] == 2
    assert b["siap_rw_flooded_2017_share"] == pytest.approx(0.5)
    assert b["siap_depth_class_2017_max"] == 3
    assert _kel(result, "31.71.01.1001")["siap_depth_class_2017_max"] == 0


def test_zonal_depth_mean_and_share(result: IndicatorResult) -> None:
    a = _kel(result, "31.71.01.1001")
    assert a["siap_depth_mean"] == pytest.approx(0.5)
    assert a["siap_depth_share_gt_0_5m"] == pytest.approx(0.5)
    b = _kel(result, "31.71.01.1002")  # half of B has no data: mean over the other half
    assert b["siap_depth_mean"] == pytest.approx(0.2)
    assert b["siap_depth_share_gt_0_5m"] == pytest.approx(0.0)


def test_distance_thresholds(result: IndicatorResult) -> None:
    # stop 499 m from A counts (10/h), the one 501 m away (5/h) does not
    assert _kel(result, "31.71.01.1001")["terhubung_tj_departures_500m"] == pytest.approx(10.0)
    # pump 999 m from B counts, the one 1001 m away does not
    assert _kel(result, "31.71.01.1002")["siap_pumps_1km"] == 1
    assert _kel(result, "31.71.01.1001")["siap_pumps_1km"] == 0


def test_stops_rail_and_people(result: IndicatorResult) -> None:
    c = _kel(result, "31.71.02.1001")
    assert c["terhubung_tj_stops"] == 1  # the entrance (location_type 2) is not a stop
    assert c["terhubung_tj_stops_per_km2"] == pytest.approx(1.0, rel=1e-3)
    assert _kel(result, "31.71.01.1002")["terhubung_rail_distance_km"] == pytest.approx(1.0)
    assert _kel(result, "31.71.01.1001")["terhubung_rail_distance_km"] == pytest.approx(2.0)
    assert _kel(result, "31.71.01.1001")["siap_people_exposed_2007"] == pytest.approx(
        5000, rel=1e-5
    )
    # circle of 500 m around the stop in C, cut by C's top edge 400 m away
    r, d = 500.0, 400.0
    segment = r**2 * np.arccos(d / r) - d * np.sqrt(r**2 - d**2)
    assert c["terhubung_tj_500m_share"] == pytest.approx((np.pi * r**2 - segment) / 1e6, rel=3e-3)


def test_sehat_values(result: IndicatorResult) -> None:
    a = _kel(result, "31.71.01.1001")
    assert a["sehat_slum_rw_count"] == 1
    assert a["sehat_slum_rw_share"] == pytest.approx(0.25)
    assert a["sehat_waste_banks_count"] == 2  # "Tidak Aktif" left out
    assert a["sehat_waste_banks_per_10k"] == pytest.approx(2.0)
    assert pd.isna(a["sehat_river_waste_t_day"])  # native at kecamatan, not pushed down
    assert pd.isna(a["sehat_clean_water_access"])


def test_aggregation_rules(result: IndicatorResult) -> None:
    kec = _at(result.kecamatan, "31.71.01")
    assert kec["siap_flood_share_2007"] == pytest.approx(0.25, abs=1e-6)  # area-weighted
    assert kec["siap_people_exposed_2007"] == pytest.approx(5000, rel=1e-5)  # sum
    assert kec["siap_rw_flooded_2017_share"] == pytest.approx(2 / 8)  # ratio of sums
    assert kec["terhubung_rail_distance_km"] == pytest.approx((2 * 10_000 + 1 * 20_000) / 30_000)
    assert kec["sehat_waste_banks_per_10k"] == pytest.approx(2 / 30_000 * 10_000)
    assert kec["sehat_river_waste_t_day"] == pytest.approx(2.0)  # median of 1, 2, 100
    assert kec["siap_depth_class_2017_max"] == 3
    kota = _at(result.kota, "31.71")
    assert kota["sehat_river_waste_t_day"] == pytest.approx(5.0)  # sum of kecamatan
    assert kota["siap_people_exposed_2007"] == pytest.approx(
        result.kelurahan.loc[
            result.kelurahan["kode_kota"] == "31.71", "siap_people_exposed_2007"
        ].sum()
    )
    assert kota["siap_flood_share_2007"] == pytest.approx(0.5 / 3, abs=1e-6)
    assert pd.isna(_at(result.kota, "31.01")["terhubung_tj_stops"])


def test_dictionary(result: IndicatorResult) -> None:
    by_id = {d["id"]: d for d in result.dictionary}
    assert set(by_id) == set(INDICATORS)
    assert by_id["sehat_clean_water_access"]["no_data_reason"] == "no data loaded"
    for d in result.dictionary:
        assert d["name_id"] and d["name_en"] and d["unit"] and d["formula"]
        assert d["direction"] in ("higher_more_exposed", "higher_less_exposed")
        assert d["aggregation_text"]
    assert by_id["siap_people_exposed_2007"]["estimate"] is True
    json.dumps(result.dictionary)
    assert len(data_dictionary()) == len(INDICATORS)


def test_scores_in_range(result: IndicatorResult) -> None:
    for level in ("kelurahan", "kecamatan", "kota"):
        frame = result.layer(level)
        for pillar in ("siap", "sehat", "terhubung"):
            s = frame[f"score_{pillar}"].dropna()
            assert ((s >= 0) & (s <= 1)).all()


def test_compute_is_idempotent(result: IndicatorResult) -> None:
    layers, grids = world()
    layers["kelurahan"] = result.kelurahan
    again = compute_indicators(layers, grids, None)
    assert list(again.kelurahan.columns) == list(result.kelurahan.columns)


# ---------------------------------------------------------------------------------------------
# real data


@pytest.fixture(scope="session")
def real_result(real_settings: Settings) -> IndicatorResult:
    from geo.build import build_layers

    built = build_layers(real_settings, verify=False)
    return compute_indicators(built.layers, built.grids, None)


@pytest.mark.realdata
def test_real_ranges(real_result: IndicatorResult) -> None:
    for level in ("kelurahan", "kecamatan", "kota"):
        frame = real_result.layer(level)
        for ind, d in INDICATORS.items():
            values = frame[ind].dropna()
            lo, hi = d.valid_range
            if lo is not None:
                assert (values >= lo - 1e-9).all(), (level, ind)
            if hi is not None:
                assert (values <= hi + 1e-9).all(), (level, ind)
        for pillar in ("siap", "sehat", "terhubung"):
            s = frame[f"score_{pillar}"].dropna()
            assert ((s >= 0) & (s <= 1)).all()


@pytest.mark.realdata
def test_real_seribu_null_for_transit(real_result: IndicatorResult) -> None:
    kel = real_result.kelurahan
    seribu = kel[kel["kode_kota"] == "31.01"]
    assert len(seribu) > 0
    transit = [i for i in INDICATORS if i.startswith("terhubung_")]
    assert seribu[transit].isna().all().all()
    assert seribu["score_terhubung"].isna().all()
    mainland = kel[kel["kode_kota"] != "31.01"]
    assert mainland["terhubung_rail_distance_km"].notna().all()


@pytest.mark.realdata
def test_real_people_exposed_sums(real_result: IndicatorResult) -> None:
    kel_total = real_result.kelurahan["siap_people_exposed_2007"].sum()
    assert real_result.kota["siap_people_exposed_2007"].sum() == pytest.approx(kel_total)
    assert real_result.kecamatan["siap_people_exposed_2007"].sum() == pytest.approx(kel_total)
    assert 0 < kel_total < real_result.kelurahan["population"].sum()


@pytest.mark.realdata
def test_real_counts(real_result: IndicatorResult) -> None:
    kel = real_result.kelurahan
    assert len(kel) == 267 and len(real_result.kecamatan) == 44 and len(real_result.kota) == 6
    assert kel["score_siap"].notna().sum() >= 200
    assert kel["sehat_river_waste_t_day"].isna().all()
    assert real_result.kecamatan["sehat_river_waste_t_day"].notna().sum() == 42
    slum_kota = set(kel.loc[kel["sehat_slum_rw_share"].notna(), "kode_kota"])
    assert slum_kota == {"31.71", "31.72", "31.74"}
    assert kel["sehat_clean_water_access"].isna().all()
