"""The replay's hours on tiny exact geometry: kelurahan touched, people, overlap, hour names."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from geo.crs import METRIC_CRS, STORAGE_CRS
from geo.errors import DataError, InvalidParameterError
from geo.flood_replay import hour_index, replay_frames, utc_text

X0, Y0 = 700_000.0, 9_320_000.0  # central Jakarta in METRIC_CRS


def square(x: float, y: float, w: float, h: float) -> shapely.Polygon:
    return shapely.box(X0 + x, Y0 + y, X0 + x + w, Y0 + y + h)


def to_storage(geoms: list[shapely.Polygon]) -> gpd.GeoSeries:
    return gpd.GeoSeries(geoms, crs=METRIC_CRS).to_crs(STORAGE_CRS)


@pytest.fixture
def kelurahan() -> gpd.GeoDataFrame:
    """Two 1 km squares side by side: A (1,000 people) west, B (4,000 people) east."""
    geoms = to_storage([square(0, 0, 1000, 1000), square(1000, 0, 1000, 1000)])
    return gpd.GeoDataFrame(
        {"kode": ["31.71.01.1001", "31.71.01.1002"], "population": [1000, 4000]},
        geometry=geoms.to_numpy(),
        crs=STORAGE_CRS,
    )


def test_people_are_the_flooded_share_of_each_kelurahan_and_overlaps_count_once(
    kelurahan: gpd.GeoDataFrame,
) -> None:
    rws = to_storage(
        [
            square(0, 0, 500, 1000),  # r0: half of A
            square(250, 0, 500, 1000),  # r1: overlaps r0 by a quarter of A, a quarter in A only
            square(1000, 0, 250, 400),  # r2: a tenth of B
            square(995, 0, 10, 500),  # r3: 5 m x 500 m (2,500 m²) in each kelurahan
        ]
    ).to_numpy()
    hourly = pd.DataFrame(
        {
            "snapshot": ["2017-02-20T01:00:00+07:00"] * 2 + ["2017-02-20T00:00:00+07:00"] * 3,
            "geom_id": ["r2", "r0", "r0", "r1", "r3"],
            "state": [3, 2, 2, 4, 1],
        }
    )
    hours = replay_frames(hourly, ["r0", "r1", "r2", "r3"], rws, kelurahan)
    first, second = hours
    assert (first.local, first.utc) == ("2017-02-20T00:00:00+07:00", "2017-02-19T17:00:00Z")
    assert first.rws == (0, 1, 3) and first.states == (2, 4, 1)
    # r0 ∪ r1 covers 0..750 m of A (the overlap once, not 100 %), r3 adds 5 m x 500 m there:
    # 752,500 m² of 1 km², 752.5 -> 753 people; B holds only r3's other 2,500 m² (< 1 ha)
    assert first.kelurahan == (("31.71.01.1001", 753),)
    assert first.people == 753
    assert second.rws == (0, 2) and second.states == (2, 3)
    assert second.kelurahan == (("31.71.01.1001", 500), ("31.71.01.1002", 400))
    assert second.people == 900


def test_a_snapshot_rw_missing_from_the_rw_layer_is_reported(kelurahan: gpd.GeoDataFrame) -> None:
    hourly = pd.DataFrame(
        {"snapshot": ["2017-02-20T00:00:00+07:00"], "geom_id": ["x"], "state": [2]}
    )
    with pytest.raises(DataError, match="x"):
        replay_frames(hourly, ["r0"], to_storage([square(0, 0, 10, 10)]).to_numpy(), kelurahan)


def test_an_hour_is_named_by_an_instant_with_its_offset(kelurahan: gpd.GeoDataFrame) -> None:
    rws = to_storage([square(0, 0, 500, 1000)]).to_numpy()
    hourly = pd.DataFrame(
        {"snapshot": ["2017-02-21T12:00:00+07:00"], "geom_id": ["r0"], "state": [2]}
    )
    hours = replay_frames(hourly, ["r0"], rws, kelurahan)
    assert utc_text("2017-02-21T12:00:00+07:00") == "2017-02-21T05:00:00Z"
    for text in ("2017-02-21T05:00:00Z", "2017-02-21T12:00:00+07:00", " 2017-02-21T05:00Z "):
        assert hour_index(text, hours) == 0
    for bad, says in (
        ("2017-02-21T12:00:00", "time zone"),
        ("yesterday", "not a time"),
        ("2017-02-21T06:00:00Z", "no snapshot"),
    ):
        with pytest.raises(InvalidParameterError, match=says):
            hour_index(bad, hours)
