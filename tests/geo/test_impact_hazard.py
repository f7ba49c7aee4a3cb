"""Hazard classes on hand-computed tiny rasters and RW polygons: every class boundary."""

from __future__ import annotations

from types import SimpleNamespace

import geopandas as gpd
import numpy as np
import pytest
from rasterio.transform import from_origin
from shapely.geometry import box

from geo.crs import METRIC_CRS, STORAGE_CRS
from geo.impact.hazard import (
    HazardClass,
    Thresholds,
    cell_areas_m2,
    classify_depth,
    grid_class_areas,
    rw_state_class_areas,
)
from geo.settings import Settings

H = HazardClass
DEFAULT = Thresholds(0.1, 0.7, 1.5)


def _grid(array: np.ndarray, cell: float = 100.0) -> SimpleNamespace:
    rows = array.shape[0]
    return SimpleNamespace(
        array=array, transform=from_origin(0, rows * cell, cell, cell), crs=METRIC_CRS
    )


def test_each_class_boundary_belongs_to_the_class_below() -> None:
    depth = np.array([np.nan, -0.5, 0.0, 0.05, 0.1, 0.1001, 0.7, 0.7001, 1.5, 1.5001, 4.0])
    expected = [H.NO_DATA, *[H.UNAFFECTED] * 4, H.LOW, H.LOW, H.MEDIUM, H.MEDIUM, H.HIGH, H.HIGH]
    assert classify_depth(depth, DEFAULT).tolist() == [int(c) for c in expected]


def test_a_depth_written_as_the_threshold_is_at_it_at_the_files_precision() -> None:
    # An ESRI ASCII grid read by GDAL is float32: "0.1" becomes 0.10000000149... in float64.
    as_read = np.array([np.float32(0.1), np.float32(0.7)], dtype="float64")
    assert classify_depth(as_read, DEFAULT, dtype="float32").tolist() == [H.UNAFFECTED, H.LOW]
    # compared in float64 the cell written "0.1" would wrongly move up into the low class
    assert classify_depth(as_read, DEFAULT, dtype="float64").tolist() == [H.LOW, H.LOW]
    # an integer grid compares with the thresholds as they are
    assert classify_depth(np.array([1.0, 2.0]), DEFAULT, dtype="int16").tolist() == [
        H.MEDIUM,
        H.HIGH,
    ]


def test_thresholds_come_from_the_settings_and_must_rise() -> None:
    t = Thresholds.from_settings(Settings(impact_low_min_m=0.2, impact_medium_min_m=1.0))
    assert (t.low, t.medium, t.high) == (0.2, 1.0, 1.5)
    assert classify_depth(np.array([0.2, 0.21, 1.0, 1.01]), t).tolist() == [0, 1, 1, 2]
    with pytest.raises(ValueError, match="must rise"):
        Thresholds(0.7, 0.7, 1.5)
    with pytest.raises(ValueError, match="KETAHANAN_IMPACT_LOW_MIN_M"):
        Settings(impact_low_min_m=2.0)


def test_cell_areas_of_a_metric_grid_are_exact() -> None:
    areas = cell_areas_m2(_grid(np.zeros((3, 2)), cell=50.0))
    assert areas.shape == (3, 2)
    assert np.allclose(areas, 2500.0)


def test_cell_areas_of_a_lonlat_grid_match_the_projected_cell_polygons() -> None:
    # three 0.01-degree cells over Jakarta, measured independently as projected polygons
    grid = SimpleNamespace(
        array=np.zeros((1, 3)), transform=from_origin(106.8, -6.2, 0.01, 0.01), crs=STORAGE_CRS
    )
    cells = gpd.GeoSeries(
        [box(106.8 + j * 0.01, -6.21, 106.81 + j * 0.01, -6.2) for j in range(3)], crs=STORAGE_CRS
    )
    expected = cells.to_crs(METRIC_CRS).area.to_numpy()
    assert cell_areas_m2(grid)[0] == pytest.approx(expected, rel=1e-9)
    assert 1.2e6 < expected[0] < 1.25e6  # about 1.1 km x 1.1 km


def test_grid_class_areas_by_hand() -> None:
    # 4 x 4 cells of 100 m; row 0 is the north edge; 0.1, 0.7 and 1.5 sit on the thresholds
    depth = np.array(
        [
            [0.0, 0.3, 0.8, 2.0],
            [0.0, 0.3, 0.8, 2.0],
            [0.1, 0.7, 1.5, np.nan],
            [0.1, 0.7, 1.5, np.nan],
        ]
    )
    grid = _grid(depth)
    units = gpd.GeoDataFrame(
        {"kode": ["west", "east", "mid", "half_out", "outside"]},
        geometry=[
            box(0, 0, 200, 400),  # columns 0-1: 0, 0, 0.1, 0.1 unaffected; 0.3, 0.3, 0.7, 0.7 low
            box(200, 200, 400, 400),  # rows 0-1 of columns 2-3: two medium, two high
            box(200, 0, 300, 200),  # two cells of exactly 1.5 m: medium
            box(300, 0, 500, 200),  # two no-data cells, and as much area outside the grid
            box(1000, 1000, 1100, 1100),
        ],
        crs=METRIC_CRS,
    )
    out = grid_class_areas(units, grid, classify_depth(depth, DEFAULT))
    west, east, mid, half, outside = (out.iloc[i] for i in range(5))
    assert west["area_unaffected_m2"] == pytest.approx(40_000)
    assert west["area_low_m2"] == pytest.approx(40_000)
    assert west["share_unaffected"] == pytest.approx(0.5)
    assert west["share_low"] == pytest.approx(0.5)
    assert west["share_medium"] == west["share_high"] == west["share_nodata"] == 0.0
    assert east["area_medium_m2"] == pytest.approx(20_000)
    assert east["area_high_m2"] == pytest.approx(20_000)
    assert (east["share_medium"], east["share_high"]) == (pytest.approx(0.5), pytest.approx(0.5))
    assert mid["share_medium"] == pytest.approx(1.0) and mid["share_high"] == 0.0
    # half the unit lies outside the grid, the other half is no-data cells: all no data
    assert half["area_nodata_m2"] == pytest.approx(20_000)
    assert half["share_nodata"] == pytest.approx(1.0)
    assert half["share_unaffected"] == 0.0
    shares = out[[c for c in out.columns if c.startswith("share_")]]
    assert np.allclose(shares.iloc[:4].sum(axis=1), 1.0)
    assert outside[shares.columns].isna().all()  # no cell at all: null, not "unaffected"


def test_the_part_of_a_unit_outside_the_grid_is_no_data() -> None:
    depth = np.full((2, 2), 1.0)  # all medium
    units = gpd.GeoDataFrame(geometry=[box(0, 0, 400, 200)], crs=METRIC_CRS)  # half inside
    out = grid_class_areas(units, _grid(depth), classify_depth(depth, DEFAULT)).iloc[0]
    assert out["share_medium"] == pytest.approx(0.5)
    assert out["share_nodata"] == pytest.approx(0.5)


def test_rw_state_class_areas_by_hand() -> None:
    unit = gpd.GeoDataFrame(
        {"kode": ["k", "islands"]},
        geometry=[box(0, 0, 100, 100), box(500, 500, 600, 600)],
        crs=METRIC_CRS,
    )
    rws = gpd.GeoDataFrame(
        {"max_state": [4, 2, 1, 3]},
        geometry=[
            box(0, 0, 20, 100),  # state 4: 20 %
            box(10, 0, 40, 100),  # state 2: 30 %, of which 10 % under the state 4 polygon
            box(40, 0, 60, 100),  # state 1, depth unknown: not affected
            box(90, 0, 200, 100),  # state 3: 10 % inside the unit, the rest outside it
        ],
        crs=METRIC_CRS,
    )
    out = rw_state_class_areas(unit, rws, np.array([True, False]))
    k = out.iloc[0]
    assert k["share_high"] == pytest.approx(0.2)
    assert k["share_low"] == pytest.approx(0.2)  # the overlap goes to the deeper state
    assert k["share_medium"] == pytest.approx(0.1)
    assert k["share_unaffected"] == pytest.approx(0.5)
    assert k["share_nodata"] == 0.0
    assert k["area_low_m2"] == pytest.approx(2000.0)
    assert out.iloc[1].isna().all()  # not covered by the RW source: no data
