"""Zonal statistics on known rasters."""

from __future__ import annotations

from types import SimpleNamespace

import geopandas as gpd
import numpy as np
import pytest
from rasterio.transform import from_origin
from shapely.geometry import box

from geo.crs import METRIC_CRS, STORAGE_CRS
from geo.zonal import zonal_stats


def _grid(array: np.ndarray) -> SimpleNamespace:
    return SimpleNamespace(array=array, transform=from_origin(0, 400, 100, 100), crs=METRIC_CRS)


def test_known_mean_share_and_nodata() -> None:
    array = np.array(
        [
            [0.0, 1.0, 2.0, 3.0],
            [0.0, 1.0, np.nan, 3.0],
            [5.0, 5.0, 5.0, 5.0],
            [9.0, 9.0, 9.0, 9.0],
        ]
    )
    units = gpd.GeoDataFrame(
        {"kode": ["top", "outside", "tiny"]},
        geometry=[box(0, 200, 400, 400), box(1000, 1000, 1100, 1100), box(10, 10, 40, 40)],
        crs=METRIC_CRS,
    )
    out = zonal_stats(units, _grid(array), threshold=0.5)
    # top two rows, seven cells with data: (0+1+2+3+0+1+3)/7
    assert out.loc[0, "mean"] == pytest.approx(10 / 7)
    assert out.loc[0, "share_above"] == pytest.approx(5 / 7)
    assert out.loc[0, "n_cells"] == 7 and out.loc[0, "n_nodata"] == 1
    assert np.isnan(out.loc[1, "mean"]) and out.loc[1, "n_cells"] == 0  # no data: null, not 0
    assert np.isnan(out.loc[2, "mean"])  # no cell centre inside


def test_reprojects_units_to_grid_crs() -> None:
    array = np.full((4, 4), 2.0)
    grid = SimpleNamespace(
        array=array, transform=from_origin(700_000, 9_320_400, 100, 100), crs=METRIC_CRS
    )
    units = gpd.GeoDataFrame(geometry=[box(700_000, 9_320_000, 700_400, 9_320_400)], crs=METRIC_CRS)
    out = zonal_stats(units.to_crs(STORAGE_CRS), grid)
    assert out.loc[0, "mean"] == pytest.approx(2.0)
    assert out.loc[0, "n_cells"] == 16
