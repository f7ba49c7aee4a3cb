"""The indicator formulas: every value per kelurahan, and the distance-based ones per level.

Conventions
-----------
* Areas, buffers and distances are measured in :data:`geo.crs.METRIC_CRS`.
* "RW in a unit" means the RW polygon's representative point (shapely ``point_on_surface``)
  lies in the unit.
* Missing data is null, never zero. Each source has a coverage: flood, pump and gate layers
  cover the mainland RW area (a unit with no RW 2014 representative point has no data); the
  slum list covers Jakarta Pusat, Utara and Selatan only; transit layers cover units whose
  representative point lies within the convex hull of the TransJakarta stops and rail stations
  grown by 1 km (this leaves out Kepulauan Seribu); the depth grid covers the cells it has.

The formula of each indicator is written in its definition (:mod:`geo.indicators.definitions`)
and computed here; a layer missing from the build leaves its indicators null with the reason.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TypeAlias

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.errors import DataError
from geo.indicators.definitions import NO_DATA_LOADED, SLUM_COVERAGE_KOTA
from geo.indicators.spatial import (
    BUFFER_QUAD_SEGS,
    area_share_covered,
    count_points_in,
    nearest_distance,
    representative_points,
    to_metric,
    transit_coverage,
    within_distance,
)
from geo.zonal import GridLike, zonal_stats

Frame: TypeAlias = gpd.GeoDataFrame | pd.DataFrame
Progress = Callable[[str], None]

RIVER_WASTE_COLUMNS = ("rata_rata", "rata_rata_ton_per_hari")
"""Accepted names of the tonnes-per-day column of the river_waste table."""


@dataclass
class Context:
    """The build layers and grids, their METRIC_CRS copies, and why an indicator has no data."""

    layers: Mapping[str, Frame]
    grids: Mapping[str, GridLike]
    metric: dict[str, gpd.GeoDataFrame] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)

    def layer_m(self, name: str) -> gpd.GeoDataFrame | None:
        """Layer ``name`` in METRIC_CRS (made once), or None when it is not in the build."""
        if name not in self.metric:
            layer = self.layers.get(name)
            if layer is None or not isinstance(layer, gpd.GeoDataFrame):
                return None
            self.metric[name] = to_metric(layer)
        return self.metric[name]

    def missing(self, ids: list[str], source: str) -> None:
        """Record that ``ids`` have no data because layer ``source`` is not in the build."""
        for i in ids:
            self.reasons.setdefault(i, f"layer '{source}' not in the build")

    def absent(self, out: pd.DataFrame, ids: list[str], source: str) -> None:
        """Set ``ids`` to null in ``out`` because layer ``source`` is not in the build."""
        self.missing(ids, source)
        for i in ids:
            out[i] = np.nan


def boarding_stops(stops_m: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The TransJakarta stops a passenger boards at (GTFS location_type 0 or absent)."""
    if "location_type" not in stops_m.columns:
        return stops_m
    loc = pd.to_numeric(stops_m["location_type"], errors="coerce").fillna(0)
    return stops_m[loc.to_numpy() == 0]


def coverage_helpers(units_m: gpd.GeoDataFrame, ctx: Context) -> pd.DataFrame:
    """Coverage helpers per unit: ``_rw_count`` (RW 2014 points) and ``_transit``."""
    out = pd.DataFrame(index=units_m.index)
    rw = ctx.layer_m("rw")
    out["_rw_count"] = count_points_in(units_m, representative_points(rw)) if rw is not None else 0
    points = [
        g.geometry for g in (ctx.layer_m("tj_stops"), ctx.layer_m("rail_stations")) if g is not None
    ]
    out["_transit"] = transit_coverage(units_m, points)
    return out


def buffer_indicators(
    units_m: gpd.GeoDataFrame, helpers: pd.DataFrame, ctx: Context
) -> pd.DataFrame:
    """The ``recompute`` indicators (counts and sums within a distance) for any level."""
    out = pd.DataFrame(index=units_m.index)
    mainland = helpers["_rw_count"].to_numpy() > 0
    transit = helpers["_transit"].to_numpy()
    for ind, name in (("siap_pumps_1km", "pumps"), ("siap_floodgates_1km", "floodgates")):
        layer = ctx.layer_m(name)
        if layer is None:
            ctx.absent(out, [ind], name)
            continue
        counts = within_distance(units_m, layer.geometry, 1000.0)
        out[ind] = np.where(mainland, counts, np.nan)
    stops = ctx.layer_m("tj_stops")
    ind = "terhubung_tj_departures_500m"
    if stops is None or "weekday_departures_per_hour" not in stops.columns:
        ctx.absent(out, [ind], "tj_stops")
    else:
        board = boarding_stops(stops)
        dep = pd.to_numeric(board["weekday_departures_per_hour"], errors="coerce").to_numpy()
        total = within_distance(units_m, board.geometry, 500.0, dep)
        known = within_distance(units_m, board.geometry, 500.0, np.isfinite(dep).astype(float))
        anyn = within_distance(units_m, board.geometry, 500.0)
        value = np.where((anyn > 0) & (known == 0), np.nan, total)
        out[ind] = np.where(transit, value, np.nan)
    return out


def kelurahan_indicators(
    kel_m: gpd.GeoDataFrame, helpers: pd.DataFrame, ctx: Context, progress: Progress
) -> pd.DataFrame:
    """Every indicator computed at kelurahan (not the ``recompute`` ones), one column each."""
    out = pd.DataFrame(index=kel_m.index)
    progress("siap: flood 2007")
    _siap_flood_2007(out, kel_m, helpers, ctx)
    progress("siap: flood 2017")
    _siap_flood_2017(out, kel_m, helpers, ctx)
    progress("siap: depth grid")
    _siap_depth(out, kel_m, ctx)
    progress("sehat: slums and waste")
    _sehat(out, kel_m, helpers, ctx)
    progress("terhubung: stops and rail")
    _terhubung(out, kel_m, helpers, ctx)
    return out


def _siap_flood_2007(
    out: pd.DataFrame, kel_m: gpd.GeoDataFrame, helpers: pd.DataFrame, ctx: Context
) -> None:
    mainland = helpers["_rw_count"].to_numpy() > 0
    population = pd.to_numeric(kel_m["population"], errors="coerce").to_numpy(dtype=float)
    flood07 = ctx.layer_m("flood_rw_2007")
    if flood07 is None:
        ctx.missing(["siap_flood_share_2007", "siap_people_exposed_2007"], "flood_rw_2007")
        share07 = np.full(len(kel_m), np.nan)
    else:
        share07 = np.where(mainland, area_share_covered(kel_m, flood07.geometry.to_numpy()), np.nan)
    out["siap_flood_share_2007"] = share07
    out["siap_people_exposed_2007"] = population * share07


def _siap_flood_2017(
    out: pd.DataFrame, kel_m: gpd.GeoDataFrame, helpers: pd.DataFrame, ctx: Context
) -> None:
    mainland = helpers["_rw_count"].to_numpy() > 0
    rw_count = helpers["_rw_count"].to_numpy().astype(float)
    f17 = ctx.layer_m("flood_2017_rw_max")
    ids17 = [
        "siap_rw_flooded_2017_count",
        "siap_rw_flooded_2017_share",
        "siap_depth_class_2017_max",
    ]
    if f17 is None:
        ctx.absent(out, ids17, "flood_2017_rw_max")
        return
    reps = representative_points(f17)
    pts, unit = kel_m.sindex.query(reps.to_numpy(), predicate="within")
    pairs = pd.DataFrame({"pt": pts, "unit": unit}).drop_duplicates("pt")
    count = np.bincount(pairs["unit"], minlength=len(kel_m)).astype(float)
    state = pd.to_numeric(f17["max_state"], errors="coerce").to_numpy()[pairs["pt"]]
    worst = pd.Series(state).groupby(pairs["unit"].to_numpy()).max()
    worst_all = worst.reindex(np.arange(len(kel_m))).fillna(0.0).to_numpy()
    out["siap_rw_flooded_2017_count"] = np.where(mainland, count, np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["siap_rw_flooded_2017_share"] = np.where(
            mainland, np.minimum(1.0, count / rw_count), np.nan
        )
    out["siap_depth_class_2017_max"] = np.where(mainland, worst_all, np.nan)


def _siap_depth(out: pd.DataFrame, kel_m: gpd.GeoDataFrame, ctx: Context) -> None:
    grid = ctx.grids.get("flood_depth_current")
    if grid is None:
        ctx.absent(out, ["siap_depth_mean", "siap_depth_share_gt_0_5m"], "flood_depth_current")
        return
    stats = zonal_stats(kel_m, grid, threshold=0.5)
    out["siap_depth_mean"] = stats["mean"].to_numpy()
    out["siap_depth_share_gt_0_5m"] = stats["share_above"].to_numpy()


def _sehat(out: pd.DataFrame, kel_m: gpd.GeoDataFrame, helpers: pd.DataFrame, ctx: Context) -> None:
    rw_count = helpers["_rw_count"].to_numpy().astype(float)
    population = pd.to_numeric(kel_m["population"], errors="coerce").to_numpy(dtype=float)
    slum = ctx.layer_m("slum_rw")
    if slum is None:
        ctx.absent(out, ["sehat_slum_rw_count", "sehat_slum_rw_share"], "slum_rw")
    else:
        covered = kel_m["kode_kota"].isin(SLUM_COVERAGE_KOTA).to_numpy()
        count = count_points_in(kel_m, representative_points(slum)).astype(float)
        out["sehat_slum_rw_count"] = np.where(covered, count, np.nan)
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.where(rw_count > 0, np.minimum(1.0, count / rw_count), np.nan)
        out["sehat_slum_rw_share"] = np.where(covered, share, np.nan)
    banks = ctx.layers.get("waste_banks")
    if banks is None:
        ctx.absent(out, ["sehat_waste_banks_count", "sehat_waste_banks_per_10k"], "waste_banks")
    else:
        status = banks.get("status", pd.Series("", index=banks.index)).fillna("").astype(str)
        active = ~status.str.strip().str.lower().eq("tidak aktif")
        per_kel = banks.loc[active, "kode_kelurahan"].dropna().astype(str).value_counts()
        count = kel_m["kode"].map(per_kel).fillna(0).to_numpy(dtype=float)
        out["sehat_waste_banks_count"] = count
        with np.errstate(invalid="ignore", divide="ignore"):
            out["sehat_waste_banks_per_10k"] = np.where(
                population > 0, count / population * 10_000, np.nan
            )
    out["sehat_river_waste_t_day"] = np.nan  # native at kecamatan: never pushed down
    out["sehat_clean_water_access"] = np.nan
    ctx.reasons.setdefault("sehat_clean_water_access", NO_DATA_LOADED)


def _terhubung(
    out: pd.DataFrame, kel_m: gpd.GeoDataFrame, helpers: pd.DataFrame, ctx: Context
) -> None:
    transit = helpers["_transit"].to_numpy()
    stops = ctx.layer_m("tj_stops")
    stop_ids = ["terhubung_tj_stops", "terhubung_tj_stops_per_km2", "terhubung_tj_500m_share"]
    if stops is None:
        ctx.absent(out, stop_ids, "tj_stops")
    else:
        board = boarding_stops(stops)
        count = count_points_in(kel_m, board.geometry).astype(float)
        area = shapely.area(kel_m.geometry.to_numpy()) / 1e6
        out["terhubung_tj_stops"] = np.where(transit, count, np.nan)
        out["terhubung_tj_stops_per_km2"] = np.where(transit, count / area, np.nan)
        buffers = shapely.buffer(board.geometry.to_numpy(), 500.0, quad_segs=BUFFER_QUAD_SEGS)
        out["terhubung_tj_500m_share"] = np.where(
            transit, area_share_covered(kel_m, buffers), np.nan
        )
    rail = ctx.layer_m("rail_stations")
    if rail is None:
        ctx.absent(out, ["terhubung_rail_1km_share", "terhubung_rail_distance_km"], "rail_stations")
        return
    buffers = shapely.buffer(rail.geometry.to_numpy(), 1000.0, quad_segs=BUFFER_QUAD_SEGS)
    out["terhubung_rail_1km_share"] = np.where(transit, area_share_covered(kel_m, buffers), np.nan)
    out["terhubung_rail_distance_km"] = np.where(
        transit, nearest_distance(kel_m, rail.geometry) / 1000.0, np.nan
    )


def river_waste_kecamatan(kec: pd.DataFrame, ctx: Context) -> np.ndarray:
    """Median tonnes per day of river waste of each kecamatan (null without the table)."""
    table = ctx.layers.get("river_waste")
    if table is None:
        ctx.missing(["sehat_river_waste_t_day"], "river_waste")
        return np.full(len(kec), np.nan)
    column = next((c for c in RIVER_WASTE_COLUMNS if c in table.columns), None)
    if column is None:
        raise DataError(
            f"river_waste lacks a tonnes-per-day column ({', '.join(RIVER_WASTE_COLUMNS)})"
        )
    values = pd.to_numeric(table[column], errors="coerce")
    median = values.groupby(table["kode_kecamatan"].astype(str)).median()
    return kec["kode"].astype(str).map(median).to_numpy(dtype=float)
