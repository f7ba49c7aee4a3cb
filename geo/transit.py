"""Scheduled service from a GTFS feed: weekday departures per hour at each stop.

Definition (used for the ``weekday_departures_per_hour`` column of ``tj_stops``)
------------------------------------------------------------------------------
1. Weekday services are the ``calendar.txt`` services running on all of Monday to Friday
   (``monday`` .. ``friday`` all 1). ``calendar_dates.txt`` exceptions are not applied (the
   TransJakarta 2025-09 feed has none).
2. Departures of a trip per day: a trip listed in ``frequencies.txt`` departs
   ``ceil((end_time - start_time) / headway_secs)`` times in each of its frequency windows
   (departures at start, start + headway, ... strictly before end); a trip without
   frequencies departs once.
3. Daily departures at a stop = sum over weekday trips of (departures of the trip x number of
   the trip's ``stop_times`` rows at the stop). A loop trip calling twice at a stop counts twice.
4. Per hour = daily departures / ``hours`` (default 24: the mean over the whole weekday, so
   stops with night service are comparable with day-only ones; the TransJakarta network runs
   around the clock on its 24-hour routes).
5. A station (``location_type`` 1) gets the sum of its child stops (``parent_station``).
   Entrances and other non-boarding nodes (``location_type`` >= 2) get NaN. A boarding stop
   that no weekday trip serves gets 0.

These are *stop calls*: a bus serving ten stops counts at each of them. Distinct trips near a
place come from :func:`weekday_trip_stops` (each trip and stop once, with the trip's daily
departures), which the indicator ``terhubung_tj_trips_500m`` counts each trip once from.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

import numpy as np
import pandas as pd

from geo.errors import SchemaError

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")


class FeedLike(Protocol):
    """What this module needs from ``geo.ingest.GTFSFeed``: str-typed GTFS tables by name."""

    @property
    def tables(self) -> Mapping[str, pd.DataFrame]:
        """GTFS tables by name (``stops``, ``trips``, ...)."""


def gtfs_seconds(values: pd.Series) -> pd.Series:
    """Parse GTFS ``HH:MM:SS`` times (hours may exceed 24) to seconds after midnight.

    Parameters
    ----------
    values : Series of str
        GTFS times; blank or malformed values give NaN.

    Returns
    -------
    Series of float
        Seconds after the start of the service day.
    """
    parts = values.astype("string").str.strip().str.extract(r"^(\d+):(\d{1,2}):(\d{1,2})$")
    numbers = parts.apply(pd.to_numeric, errors="coerce")
    return (numbers[0] * 3600 + numbers[1] * 60 + numbers[2]).astype("float64")


def _table(feed: FeedLike, name: str, columns: tuple[str, ...]) -> pd.DataFrame:
    table = feed.tables.get(name)
    if table is None:
        raise SchemaError(f"GTFS feed has no {name}.txt")
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise SchemaError(f"GTFS {name}.txt lacks column(s): {', '.join(missing)}")
    return table


def trip_departures(feed: FeedLike) -> pd.Series:
    """Departures per weekday of every weekday trip (steps 1-2 of the module docstring).

    Returns
    -------
    Series of float
        Indexed by ``trip_id``.
    """
    trips = _table(feed, "trips", ("trip_id", "service_id"))
    calendar = _table(feed, "calendar", ("service_id", *WEEKDAYS))

    day_flags = calendar[list(WEEKDAYS)].apply(pd.to_numeric, errors="coerce").fillna(0)
    weekday_services = set(calendar.loc[(day_flags == 1).all(axis=1), "service_id"].str.strip())
    weekday_trips = trips.loc[trips["service_id"].str.strip().isin(weekday_services), "trip_id"]
    departures = pd.Series(1.0, index=pd.Index(weekday_trips.unique(), name="trip_id"))

    frequencies = feed.tables.get("frequencies")
    if frequencies is not None and len(frequencies):
        _table(feed, "frequencies", ("trip_id", "start_time", "end_time", "headway_secs"))
        start = gtfs_seconds(frequencies["start_time"])
        end = gtfs_seconds(frequencies["end_time"])
        headway = pd.to_numeric(frequencies["headway_secs"], errors="coerce")
        span = (end - start).clip(lower=0)
        runs = pd.Series(np.ceil(span / headway.where(headway > 0)), index=frequencies.index)
        per_trip = runs.groupby(frequencies["trip_id"].to_numpy()).sum(min_count=1)
        per_trip = per_trip.reindex(departures.index).dropna()
        departures.loc[per_trip.index] = per_trip.to_numpy()
    departures.name = "departures_per_day"
    return departures


def weekday_trip_stops(feed: FeedLike) -> pd.DataFrame:
    """Each weekday trip and each stop it calls at, once, with the trip's daily departures.

    Returns
    -------
    DataFrame
        ``trip_id``, ``stop_id``, ``departures_per_day`` (one row per distinct trip and stop;
        a loop trip calling twice at a stop is one row).
    """
    stop_times = _table(feed, "stop_times", ("trip_id", "stop_id"))
    departures = trip_departures(feed)
    calls = stop_times.loc[stop_times["trip_id"].isin(departures.index), ["trip_id", "stop_id"]]
    calls = calls.drop_duplicates().reset_index(drop=True)
    calls["departures_per_day"] = calls["trip_id"].map(departures).to_numpy(dtype=float)
    return calls


def weekday_departures_per_hour(feed: FeedLike, *, hours: float = 24.0) -> pd.Series:
    """Scheduled weekday departures per hour at each stop of a GTFS feed.

    See the module docstring for the exact definition.

    Parameters
    ----------
    feed : GTFSFeed
        A feed whose ``tables`` hold ``stops``, ``trips``, ``stop_times``, ``calendar`` and,
        optionally, ``frequencies`` as str-typed DataFrames.
    hours : float
        Hours the daily departures are spread over (default 24).

    Returns
    -------
    Series of float
        Indexed by ``stop_id`` (every stop of ``stops.txt``), named
        ``weekday_departures_per_hour``.
    """
    stops = _table(feed, "stops", ("stop_id",))
    stop_times = _table(feed, "stop_times", ("trip_id", "stop_id"))
    trip_departures_ = trip_departures(feed)

    calls = stop_times.loc[
        stop_times["trip_id"].isin(trip_departures_.index), ["trip_id", "stop_id"]
    ]
    calls = calls.assign(departures=calls["trip_id"].map(trip_departures_).to_numpy())
    daily = calls.groupby("stop_id")["departures"].sum()

    stop_ids = stops["stop_id"]
    if "location_type" in stops.columns:
        loc_type = pd.to_numeric(stops["location_type"], errors="coerce").fillna(0).to_numpy()
    else:
        loc_type = np.zeros(len(stops))
    result = pd.Series(daily.reindex(stop_ids).fillna(0.0).to_numpy(), index=stop_ids)
    if "parent_station" in stops.columns:
        parent = stops["parent_station"].fillna("").str.strip()
        child_sum = result.groupby(parent.to_numpy()).sum()
        is_station = loc_type == 1
        result[is_station] = child_sum.reindex(stop_ids[is_station]).fillna(0.0).to_numpy()
    result[loc_type >= 2] = np.nan
    result = result / hours
    result.index.name = "stop_id"
    result.name = "weekday_departures_per_hour"
    return result
