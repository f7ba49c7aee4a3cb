"""The 2017 validation: AUC and Spearman on hand-checked cases, and the table on tiny layers."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from geo.crs import METRIC_CRS, STORAGE_CRS
from geo.indicators.definitions import INDICATORS
from geo.validation import SCORE_BEFORE_2017, auc, rw_flooded_2017, spearman, validation_table


def test_auc_by_hand() -> None:
    positive = np.array([True, True, False, False])
    assert auc(np.array([4.0, 3.0, 2.0, 1.0]), positive) == 1.0
    assert auc(np.array([1.0, 2.0, 3.0, 4.0]), positive) == 0.0
    # one tie between a positive and a negative counts one half: (1 + 1 + 0.5 + 1) / 4
    assert auc(np.array([3.0, 2.0, 2.0, 1.0]), positive) == pytest.approx(0.875)
    assert auc(np.array([np.nan, 2.0, 1.0, 0.0]), positive) == 1.0  # NaN left out
    assert np.isnan(auc(np.array([1.0, 2.0]), np.array([True, True])))


def test_spearman_by_hand() -> None:
    a = pd.Series([1.0, 2.0, 3.0, 4.0, np.nan])
    assert spearman(a, pd.Series([10.0, 20.0, 30.0, 40.0, 0.0])) == pytest.approx(1.0)
    assert spearman(a, pd.Series([4.0, 3.0, 2.0, 1.0, 9.0])) == pytest.approx(-1.0)
    assert np.isnan(spearman(a.iloc[:2], a.iloc[:2]))


def _layers() -> tuple[pd.DataFrame, gpd.GeoDataFrame, gpd.GeoDataFrame]:
    # four kelurahan of two RWs each (100 m squares in a row); the 2017 flood hit both RWs of
    # the first kelurahan and one of the second
    rw = gpd.GeoDataFrame(
        {"kode_kelurahan": [f"31.71.01.100{i // 2 + 1}" for i in range(8)]},
        geometry=[box(i * 100, 0, i * 100 + 100, 100) for i in range(8)],
        crs=METRIC_CRS,
    ).to_crs(STORAGE_CRS)
    flood = gpd.GeoDataFrame(
        geometry=[box(10, 10, 90, 90), box(110, 10, 190, 90), box(210, 10, 290, 90)],
        crs=METRIC_CRS,
    ).to_crs(STORAGE_CRS)
    kel = pd.DataFrame(
        {
            "kode": [f"31.71.01.100{i}" for i in range(1, 5)],
            "siap_flood_share_2007": [0.9, 0.5, 0.1, 0.0],
            "siap_depth_mean": [0.1, 0.8, 0.2, 0.0],
            "siap_rw_flooded_2017_share": [1.0, 0.5, 0.0, 0.0],
        }
    )
    return kel, rw, flood


def test_rw_flooded_2017_by_representative_point() -> None:
    _, rw, flood = _layers()
    assert rw_flooded_2017(rw, flood).tolist() == [True, True, True] + [False] * 5


def test_validation_table_on_tiny_layers() -> None:
    kel, rw, flood = _layers()
    weights = {"siap_flood_share_2007": 1.0, "siap_depth_mean": 1.0}
    table = validation_table(
        kel, rw, flood, INDICATORS, weights, indicators=("siap_flood_share_2007", "siap_depth_mean")
    ).set_index("indicator")
    share = table.loc["siap_flood_share_2007"]
    assert share["rw"] == 8 and share["rw_flooded_2017"] == 3 and share["kelurahan"] == 4
    # flood share 2007 orders the kelurahan exactly as the 2017 shares (ties aside)
    assert share["spearman"] == pytest.approx(kel.iloc[:, 1:].rank().corr().iloc[0, 2])
    # flooded RWs: 0.9, 0.9, 0.5; dry: 0.5, 0.1, 0.1, 0.0, 0.0 -> (5 + 5 + 4.5) / 15
    assert share["auc"] == pytest.approx(14.5 / 15)
    # depth: flooded 0.1, 0.1, 0.8; dry 0.8, 0.2, 0.2, 0, 0 -> (2 + 2 + 4.5) / 15
    assert table.loc["siap_depth_mean", "auc"] == pytest.approx(8.5 / 15)
    assert SCORE_BEFORE_2017 in table.index and 0 <= table.loc[SCORE_BEFORE_2017, "auc"] <= 1
