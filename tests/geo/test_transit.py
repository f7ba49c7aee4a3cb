"""Weekday departures per hour from GTFS."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from geo.transit import gtfs_seconds, weekday_departures_per_hour, weekday_trip_stops


def _feed() -> SimpleNamespace:
    t = {
        "stops": pd.DataFrame(
            {
                "stop_id": ["S", "P1", "P2", "E", "Q"],
                "location_type": ["1", "0", "0", "2", "0"],
                "parent_station": ["", "S", "S", "S", ""],
            }
        ),
        "calendar": pd.DataFrame(
            {
                "service_id": ["WK", "SUN"],
                **{d: ["1", "0"] for d in ("monday", "tuesday", "wednesday", "thursday", "friday")},
                "saturday": ["0", "0"],
                "sunday": ["0", "1"],
            }
        ),
        "trips": pd.DataFrame(
            {"trip_id": ["F", "ONCE", "SUNDAY"], "service_id": ["WK", "WK", "SUN"]}
        ),
        "stop_times": pd.DataFrame(
            {
                "trip_id": ["F", "F", "F", "ONCE", "SUNDAY"],
                "stop_id": ["P1", "P2", "P1", "P1", "Q"],
            }
        ),
        # 05:00-06:00 every 10 min = 6 departures; 22:00-22:30 every 20 min = 2 (22:00, 22:20)
        "frequencies": pd.DataFrame(
            {
                "trip_id": ["F", "F"],
                "start_time": ["05:00:00", "22:00:00"],
                "end_time": ["06:00:00", "22:30:00"],
                "headway_secs": ["600", "1200"],
            }
        ),
    }
    return SimpleNamespace(tables=t)


def test_departures_definition() -> None:
    s = weekday_departures_per_hour(_feed())
    # P1: trip F calls twice (loop) x 8 departures + trip ONCE once = 17 per day
    assert s["P1"] == pytest.approx(17 / 24)
    assert s["P2"] == pytest.approx(8 / 24)
    assert s["S"] == pytest.approx(25 / 24)  # station = sum of its platforms
    assert pd.isna(s["E"])  # entrance
    assert s["Q"] == 0.0  # served on Sundays only
    assert weekday_departures_per_hour(_feed(), hours=17)["P2"] == pytest.approx(8 / 17)


def test_trip_stops_hold_each_trip_and_stop_once() -> None:
    pairs = weekday_trip_stops(_feed())
    # F calls at P1 twice (a loop): one pair; the Sunday trip is not a weekday trip
    assert sorted(map(tuple, pairs[["trip_id", "stop_id"]].to_numpy().tolist())) == [
        ("F", "P1"),
        ("F", "P2"),
        ("ONCE", "P1"),
    ]
    per_trip = dict(zip(pairs["trip_id"], pairs["departures_per_day"], strict=True))
    assert per_trip == {"F": 8.0, "ONCE": 1.0}


def test_gtfs_seconds_past_midnight() -> None:
    out = gtfs_seconds(pd.Series(["25:30:00", "bad", "05:00:10"]))
    assert out.iloc[0] == 25 * 3600 + 1800 and pd.isna(out.iloc[1]) and out.iloc[2] == 18010


@pytest.mark.realdata
def test_real_feed(real_settings) -> None:  # type: ignore[no-untyped-def]
    from geo.ingest import read_gtfs

    folder = real_settings.data_dir / "transit" / "transjakarta_gtfs_2025_09" / "gtfs"
    feed = read_gtfs(folder, source="transjakarta_gtfs_2025_09")
    s = weekday_departures_per_hour(feed)
    assert len(s) == 8650
    boarding = s.dropna()
    assert (boarding >= 0).all() and boarding.median() > 1
    assert s.isna().sum() == 464  # entrances
