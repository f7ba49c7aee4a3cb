"""The February 2017 flood hour by hour, made compact for a map that replays it.

The build holds the event as ``flood_2017_hourly``: one row per flooded RW per hourly snapshot
(73 snapshots, 2017-02-20 00:00 to 2017-02-23 00:00 WIB, UTC+7). A replay needs, once, the
geometry of every RW that is ever flooded (the 302 RWs of ``flood_2017_rw_max``) and, per hour,
which of them are flooded and in which state, so moving the hour only restyles polygons already
drawn. :func:`replay_frames` works that out, with the figures of each hour:

Kelurahan touched
    With U_h the union of the RW polygons flooded at hour h (any state 1-4), a kelurahan is
    touched when ``area(kelurahan ∩ U_h) >= MIN_TOUCH_M2`` (METRIC_CRS). The floor keeps out the
    slivers where the RW polygons (2014, HOT) and the kelurahan (Dukcapil 2017) boundaries
    disagree by a few metres.

People living in flooded RWs (an estimate)
    The Dukcapil register counts people per kelurahan, not per RW (the RW polygons carry no
    population), so, as :mod:`geo.impact.exposure` does, the people of a kelurahan are spread
    evenly over its area: ``people_k,h = P_k x area(kelurahan_k ∩ U_h) / area(kelurahan_k)``,
    rounded half up per kelurahan; the hour's figure is their sum over the kelurahan touched.
    It is an estimate: it assumes people live evenly across the kelurahan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.crs import METRIC_CRS
from geo.errors import DataError, InvalidParameterError

MIN_TOUCH_M2 = 10_000.0
"""Flooded area (m², METRIC_CRS) from which a kelurahan counts as touched (1 ha)."""

PEOPLE_FORMULA = "P_kelurahan x area(kelurahan ∩ flooded RWs) / area(kelurahan)"
"""How the people estimate is made (shown with the figure)."""

HOURLY_LAYER = "flood_2017_hourly"
RW_LAYER = "flood_2017_rw_max"
"""The build layers the replay reads: the snapshots and the RW polygons (one per RW)."""


@dataclass(frozen=True)
class ReplayHour:
    """One snapshot: the RWs flooded and the figures of the hour.

    Attributes
    ----------
    local : str
        The snapshot's time as the source names it (``2017-02-21T12:00:00+07:00``).
    utc : str
        The same instant in UTC (``2017-02-21T05:00:00Z``), the form the page's URL carries.
    rws : tuple of int
        Positions (in the replay's RW list) of the RWs flooded, ascending.
    states : tuple of int
        Their flood states (1-4), in the same order.
    kelurahan : tuple of (str, int)
        ``(kode, people)`` of each kelurahan touched, by code.
    """

    local: str
    utc: str
    rws: tuple[int, ...]
    states: tuple[int, ...]
    kelurahan: tuple[tuple[str, int], ...]

    @property
    def people(self) -> int:
        """Estimated people living in the flooded RWs (sum over the kelurahan touched)."""
        return sum(p for _, p in self.kelurahan)


def utc_text(local: str) -> str:
    """``2017-02-21T12:00:00+07:00`` as ``2017-02-21T05:00:00Z``."""
    return datetime.fromisoformat(local).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def replay_frames(
    hourly: pd.DataFrame, rw_ids: list[str], rw_geoms: np.ndarray, kelurahan: gpd.GeoDataFrame
) -> list[ReplayHour]:
    """Every snapshot's flooded RWs, states, kelurahan touched and people, in time order.

    Parameters
    ----------
    hourly : DataFrame
        The ``flood_2017_hourly`` rows: ``snapshot`` (ISO with offset), ``geom_id``, ``state``.
    rw_ids : list of str
        The ``geom_id`` of each RW of the replay, in its order.
    rw_geoms : ndarray of shapely polygons
        Their full-resolution polygons in lon/lat (STORAGE_CRS).
    kelurahan : GeoDataFrame
        The kelurahan layer (``kode``, ``population``, geometry).

    Returns
    -------
    list of ReplayHour

    Raises
    ------
    DataError
        When a snapshot names a RW the RW layer lacks (the two layers disagree).
    """
    position = pd.Series(np.arange(len(rw_ids)), index=pd.Index(rw_ids))
    rows = pd.DataFrame(
        {
            "snapshot": hourly["snapshot"].astype(str).to_numpy(),
            "rw": position.reindex(hourly["geom_id"].astype(str).to_numpy()).to_numpy(),
            "state": pd.to_numeric(hourly["state"]).to_numpy(),
        }
    )
    if rows["rw"].isna().any():
        missing = sorted(set(hourly["geom_id"].astype(str)) - set(rw_ids))
        raise DataError(f"{HOURLY_LAYER} names RWs {RW_LAYER} lacks: {missing[:5]}")
    rows["rw"] = rows["rw"].astype(int)
    rows = rows.sort_values(["snapshot", "rw"], kind="stable").drop_duplicates(["snapshot", "rw"])
    touched = _people_by_hour(rows, rw_geoms, kelurahan)
    out = []
    for snap, group in rows.groupby("snapshot", sort=True):
        kel = touched.get(str(snap), ())
        out.append(
            ReplayHour(
                local=str(snap),
                utc=utc_text(str(snap)),
                rws=tuple(int(r) for r in group["rw"]),
                states=tuple(int(s) for s in group["state"]),
                kelurahan=kel,
            )
        )
    return out


def _people_by_hour(
    rows: pd.DataFrame, rw_geoms: np.ndarray, kelurahan: gpd.GeoDataFrame
) -> dict[str, tuple[tuple[str, int], ...]]:
    """``snapshot -> ((kode, people), ...)`` over the kelurahan touched (module docstring)."""
    kel_m = kelurahan.to_crs(METRIC_CRS)
    kel_geoms = shapely.make_valid(kel_m.geometry.to_numpy())
    kel_area = shapely.area(kel_geoms)
    rw_m = gpd.GeoSeries(rw_geoms, crs=kelurahan.crs).to_crs(METRIC_CRS).to_numpy()
    rw_m = shapely.make_valid(np.asarray(rw_m, dtype=object))
    # pieces of each RW in each kelurahan it overlaps, computed once for every hour
    rw_idx, kel_idx = shapely.STRtree(kel_geoms).query(rw_m, predicate="intersects")
    pieces = gpd.GeoDataFrame(
        {"rw": rw_idx, "kel": kel_idx},
        geometry=shapely.intersection(rw_m[rw_idx], kel_geoms[kel_idx]),
        crs=METRIC_CRS,
    )
    joined = rows[["snapshot", "rw"]].merge(pieces, on="rw")
    flooded = gpd.GeoDataFrame(joined, geometry="geometry", crs=METRIC_CRS)
    # overlapping RWs of one hour count once: union per (hour, kelurahan), then measure
    areas = flooded.dissolve(by=["snapshot", "kel"]).area
    frame = areas.rename("area").reset_index()
    frame = frame[frame["area"] >= MIN_TOUCH_M2]
    population = pd.to_numeric(kelurahan["population"], errors="coerce").to_numpy(dtype=float)
    kel_pos = frame["kel"].to_numpy(dtype=int)
    share = frame["area"].to_numpy() / kel_area[kel_pos]
    people = np.floor(np.nan_to_num(population[kel_pos]) * np.minimum(share, 1.0) + 0.5)
    frame = frame.assign(kode=kelurahan["kode"].astype(str).to_numpy()[kel_pos], people=people)
    out: dict[str, tuple[tuple[str, int], ...]] = {}
    for snap, group in frame.sort_values("kode").groupby("snapshot", sort=False):
        people_of = group["people"].astype(int).tolist()
        out[str(snap)] = tuple(zip(group["kode"], people_of, strict=True))
    return out


def hour_index(text: str, hours: list[ReplayHour]) -> int:
    """The position of the snapshot an instant names (``2017-02-21T05:00:00Z`` or with offset).

    Raises
    ------
    InvalidParameterError
        The text is no ISO 8601 instant with an offset, or no snapshot is at that instant.
    """
    first, last = (hours[0].utc, hours[-1].utc) if hours else ("", "")
    expected = f"an hour of the event as 2017-02-21T05:00:00Z (UTC), {first} to {last}"
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidParameterError(f"banjir: not a time; give {expected}") from None
    if when.tzinfo is None:
        raise InvalidParameterError(f"banjir: say the time zone (Z or +07:00); give {expected}")
    wanted = when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    for i, hour in enumerate(hours):
        if hour.utc == wanted:
            return i
    raise InvalidParameterError(f"banjir: no snapshot at {wanted}; give {expected}")
