"""``datetime`` on a collection's time property, as OGC API - Features Part 1 defines it.

An instant selects the features whose time is that instant and an interval (closed, or open at
one end with ``..``) those whose time falls in it, both ends included. A layer of snapshots of
a state (:data:`geo.vocabulary.SNAPSHOT_LAYERS`, e.g. the hourly flood layer) reads an instant
as "the state in force then": the features of the latest snapshot at or before the instant,
none before the first snapshot. An interval selects the snapshots whose time falls in it.

Times are compared in UTC; a time without an offset is UTC.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo.ogc.values import iso_utc

TRS = "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"
"""The temporal reference system of every temporal extent (OGC API - Features Part 1)."""


def utc_times(series: pd.Series) -> pd.Series:
    """The times of ``series`` (datetimes or RFC 3339 text) as UTC timestamps (NaT: unknown)."""
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        times = pd.Series(series)
        tz = getattr(times.dt, "tz", None)
        return times.dt.tz_localize("UTC") if tz is None else times.dt.tz_convert("UTC")
    return pd.to_datetime(series.astype(object), utc=True, errors="coerce", format="ISO8601")


def extent(times: pd.Series) -> tuple[str, str] | None:
    """The temporal extent (first, last) of ``times`` as RFC 3339 UTC text; None when empty."""
    known = times.dropna()
    if not len(known):
        return None
    return iso_utc(known.min()), iso_utc(known.max())


def in_force(times: pd.Series, instant: str) -> pd.Timestamp | None:
    """The latest time of ``times`` at or before ``instant`` (None: before the first)."""
    at = pd.Timestamp(instant)
    before = times[times <= at]
    return None if before.empty else pd.Timestamp(before.max())


def time_mask(
    times: pd.Series,
    interval: tuple[str | None, str | None],
    *,
    instant: bool = False,
    snapshots: bool = False,
) -> np.ndarray:
    """Which rows of ``times`` (UTC, from :func:`utc_times`) a ``datetime`` selects.

    Parameters
    ----------
    times : Series
        UTC timestamps, one per feature.
    interval : (start, end)
        RFC 3339 UTC text from :func:`geo.params.parse_datetime`; None for an open end.
    instant : bool
        The parameter was an instant (start and end are then the same).
    snapshots : bool
        The features are snapshots of a state: an instant selects the snapshot in force.

    Returns
    -------
    ndarray of bool
    """
    known = times.notna().to_numpy()
    start, end = interval
    if instant and snapshots and start is not None:
        chosen = in_force(times, start)
        if chosen is None:
            return np.zeros(len(times), dtype=bool)
        return known & (times == chosen).to_numpy(dtype=bool)
    mask = known.copy()
    if start is not None:
        mask &= (times >= pd.Timestamp(start)).to_numpy(dtype=bool)
    if end is not None:
        mask &= (times <= pd.Timestamp(end)).to_numpy(dtype=bool)
    return mask
