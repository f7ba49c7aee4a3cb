"""Pillar indicators of every kelurahan, kecamatan and kota, and their data dictionary.

Each indicator is declared once in :data:`INDICATORS` as an :class:`IndicatorDef`: id, names in
Bahasa Indonesia and English, unit, direction, source layers, native level, the formula (as
computed here) and how it is aggregated to kecamatan and kota. The list is the data dictionary
that the API and the exports carry (:func:`data_dictionary`).

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
* Aggregation rules (``aggregation`` of each definition):
  ``sum`` sums the kelurahan values (null when no kelurahan has a value);
  ``mean`` is a weighted mean of the kelurahan values over those with a value, weighted by
  ``weight_column`` (``area_km2`` for shares of area, ``population`` for values a resident
  experiences, ``households`` for shares of households);
  ``ratio`` recomputes the ratio from summed numerator and denominator;
  ``max`` takes the largest kelurahan value;
  ``recompute`` computes the formula again on the kecamatan / kota polygon (counts within a
  distance are not additive);
  an indicator native at kecamatan is null at kelurahan and summed to kota.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal, TypeAlias

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.crs import METRIC_CRS
from geo.errors import DataError
from geo.settings import Settings
from geo.zonal import GridLike, zonal_stats

Direction = Literal["higher_more_exposed", "higher_less_exposed"]
LEVELS = ("kelurahan", "kecamatan", "kota")
PILLARS = ("siap", "sehat", "terhubung")

Frame: TypeAlias = gpd.GeoDataFrame | pd.DataFrame
Progress = Callable[[str], None]

SLUM_COVERAGE_KOTA = ("31.71", "31.72", "31.74")
"""Kota the KOTAKU slum-RW list covers (Jakarta Pusat, Utara, Selatan); null elsewhere."""

TRANSIT_COVERAGE_MARGIN_M = 1000.0
"""How far past the convex hull of TransJakarta stops and rail stations transit data counts."""

NO_DATA_LOADED = "no data loaded"

BUFFER_QUAD_SEGS = 16
"""Segments per quarter circle of catchment buffers (area within 0.2 % of a true circle)."""

RIVER_WASTE_COLUMNS = ("rata_rata", "rata_rata_ton_per_hari")
"""Accepted names of the tonnes-per-day column of the river_waste table."""


@dataclass(frozen=True)
class IndicatorDef:
    """One indicator of the data dictionary.

    Attributes
    ----------
    id : str
        Column name in the admin layers, ``<pillar>_<what>``.
    pillar : {"siap", "sehat", "terhubung"}
    name_id, name_en : str
        Names in Bahasa Indonesia and English.
    unit : str
    direction : {"higher_more_exposed", "higher_less_exposed"}
    sources : tuple of str
        Build layers (or grids) the value comes from.
    native_level : {"kelurahan", "kecamatan"}
        The finest level the data really describes.
    formula : str
        How the value is computed (also the docstring of the computation).
    aggregation : {"sum", "mean", "ratio", "max", "recompute"}
        How kecamatan and kota values are made; see the module docstring.
    weight_column : str or None
        Weight of a ``mean`` aggregation.
    ratio_of : tuple (numerator, denominator, factor) or None
        Columns of a ``ratio`` aggregation.
    default_weight : float
        Weight in the pillar score unless changed by settings or request (0 = not scored).
    valid_range : tuple (min, max or None)
    estimate : bool
        The value is a modelled estimate, not a measurement.
    coverage : str
        Where the source has data; elsewhere the value is null.
    user_layer : bool
        Loaded by a planner (``geo.user_layers``) rather than built in.
    """

    id: str
    pillar: str
    name_id: str
    name_en: str
    unit: str
    direction: Direction
    sources: tuple[str, ...]
    native_level: str
    formula: str
    aggregation: str
    weight_column: str | None = None
    ratio_of: tuple[str, str, float] | None = None
    default_weight: float = 1.0
    valid_range: tuple[float | None, float | None] = (0.0, None)
    estimate: bool = False
    coverage: str = ""
    user_layer: bool = False

    @property
    def aggregation_text(self) -> str:
        """The aggregation rule in words."""
        if self.native_level == "kecamatan":
            return "null at kelurahan (native at kecamatan); kota = sum of kecamatan values"
        if self.aggregation == "sum":
            return "sum of kelurahan values (null when no kelurahan has a value)"
        if self.aggregation == "mean":
            return f"{self.weight_column}-weighted mean of kelurahan values that are not null"
        if self.aggregation == "ratio" and self.ratio_of:
            num, den, factor = self.ratio_of
            scale = "" if factor == 1 else f" x {factor:g}"
            return f"sum({num}) / sum({den}){scale} over the kelurahan of the unit"
        if self.aggregation == "max":
            return "maximum of kelurahan values"
        return "formula computed again on the kecamatan / kota polygon"

    def to_dict(self) -> dict[str, Any]:
        """The definition as a JSON-ready dict (with ``aggregation_text``)."""
        out = asdict(self)
        out["sources"] = list(self.sources)
        out["valid_range"] = list(self.valid_range)
        out["ratio_of"] = list(self.ratio_of) if self.ratio_of else None
        out["aggregation_text"] = self.aggregation_text
        return out


_MORE: Direction = "higher_more_exposed"
_LESS: Direction = "higher_less_exposed"
_MAINLAND = "mainland kelurahan with RW 2014 polygons (not Kepulauan Seribu)"
_TRANSIT = "units inside the TransJakarta/rail network hull + 1 km (not Kepulauan Seribu)"

_DEFS: tuple[IndicatorDef, ...] = (
    IndicatorDef(
        "siap_flood_share_2007",
        "siap",
        "Pangsa luas tergenang banjir 2007",
        "Share of area flooded in 2007",
        "share (0-1)",
        _MORE,
        ("flood_rw_2007",),
        "kelurahan",
        "area(unit ∩ union of RW polygons flooded in 2007) / area(unit), areas in METRIC_CRS",
        "mean",
        weight_column="area_km2",
        valid_range=(0.0, 1.0),
        coverage=_MAINLAND,
    ),
    IndicatorDef(
        "siap_rw_flooded_2017_count",
        "siap",
        "Jumlah RW tergenang Feb 2017",
        "RWs flooded in Feb 2017",
        "RW",
        _MORE,
        ("flood_2017_rw_max",),
        "kelurahan",
        "number of Feb-2017 flooded RW polygons whose representative point is in the unit",
        "sum",
        default_weight=0.0,
        coverage=_MAINLAND,
    ),
    IndicatorDef(
        "siap_rw_flooded_2017_share",
        "siap",
        "Pangsa RW tergenang Feb 2017",
        "Share of RWs flooded in Feb 2017",
        "share (0-1)",
        _MORE,
        ("flood_2017_rw_max", "rw"),
        "kelurahan",
        "min(1, siap_rw_flooded_2017_count / number of RW 2014 polygons whose representative "
        "point is in the unit); the 2017 and 2014 RW polygons differ, hence the cap at 1",
        "ratio",
        ratio_of=("siap_rw_flooded_2017_count", "_rw_count", 1.0),
        valid_range=(0.0, 1.0),
        coverage=_MAINLAND,
    ),
    IndicatorDef(
        "siap_depth_class_2017_max",
        "siap",
        "Kelas kedalaman terburuk Feb 2017",
        "Worst depth class, Feb 2017",
        "class 0-4",
        _MORE,
        ("flood_2017_rw_max",),
        "kelurahan",
        "max(max_state) over the unit's Feb-2017 flooded RWs: 1 depth unknown, 2 = 10-70 cm, "
        "3 = 71-150 cm, 4 = > 150 cm; 0 when no RW of the unit was flooded",
        "max",
        default_weight=0.5,
        valid_range=(0.0, 4.0),
        coverage=_MAINLAND,
    ),
    IndicatorDef(
        "siap_depth_mean",
        "siap",
        "Rata-rata kedalaman banjir model",
        "Mean modelled flood depth",
        "m",
        _MORE,
        ("flood_depth_current",),
        "kelurahan",
        "mean of the current-conditions depth grid over cells whose centre is in the unit and "
        "which hold data (cells equal-area at this latitude; no-data cells left out)",
        "mean",
        weight_column="area_km2",
        coverage="cells of the HKV depth grid (mainland)",
    ),
    IndicatorDef(
        "siap_depth_share_gt_0_5m",
        "siap",
        "Pangsa luas kedalaman > 0,5 m",
        "Share of area deeper than 0.5 m",
        "share (0-1)",
        _MORE,
        ("flood_depth_current",),
        "kelurahan",
        "cells with depth > 0.5 m / cells with data, cell centre in the unit",
        "mean",
        weight_column="area_km2",
        valid_range=(0.0, 1.0),
        coverage="cells of the HKV depth grid (mainland)",
    ),
    IndicatorDef(
        "siap_people_exposed_2007",
        "siap",
        "Perkiraan penduduk terdampak (2007)",
        "People exposed, estimate (2007 extent)",
        "persons (estimate)",
        _MORE,
        ("flood_rw_2007", "kelurahan"),
        "kelurahan",
        "ESTIMATE: population x siap_flood_share_2007 (assumes residents spread evenly over "
        "the kelurahan); not in the default score since it repeats the flood share",
        "sum",
        default_weight=0.0,
        estimate=True,
        coverage=_MAINLAND,
    ),
    IndicatorDef(
        "siap_pumps_1km",
        "siap",
        "Pompa banjir dalam 1 km",
        "Flood pumps within 1 km",
        "pumps",
        _LESS,
        ("pumps",),
        "kelurahan",
        "number of flood pumps at a distance <= 1000 m from the unit polygon (inside included)",
        "recompute",
        default_weight=0.5,
        coverage=_MAINLAND,
    ),
    IndicatorDef(
        "siap_floodgates_1km",
        "siap",
        "Pintu air dalam 1 km",
        "Floodgates within 1 km",
        "gates",
        _LESS,
        ("floodgates",),
        "kelurahan",
        "number of floodgates at a distance <= 1000 m from the unit polygon (inside included)",
        "recompute",
        default_weight=0.5,
        coverage=_MAINLAND,
    ),
    IndicatorDef(
        "sehat_slum_rw_count",
        "sehat",
        "Jumlah RW kumuh",
        "Slum RWs",
        "RW",
        _MORE,
        ("slum_rw",),
        "kelurahan",
        "number of KOTAKU slum RWs whose representative point is in the unit",
        "sum",
        default_weight=0.0,
        coverage="kota 31.71, 31.72, 31.74 (source coverage)",
    ),
    IndicatorDef(
        "sehat_slum_rw_share",
        "sehat",
        "Pangsa RW kumuh",
        "Share of RWs that are slums",
        "share (0-1)",
        _MORE,
        ("slum_rw", "rw"),
        "kelurahan",
        "min(1, sehat_slum_rw_count / number of RW 2014 representative points in the unit)",
        "ratio",
        ratio_of=("sehat_slum_rw_count", "_rw_count", 1.0),
        valid_range=(0.0, 1.0),
        coverage="kota 31.71, 31.72, 31.74 (source coverage)",
    ),
    IndicatorDef(
        "sehat_waste_banks_count",
        "sehat",
        "Jumlah bank sampah / 3R",
        "Waste banks / 3R sites",
        "sites",
        _LESS,
        ("waste_banks",),
        "kelurahan",
        "rows of the 3R / bank-sampah list matched to the kelurahan, status not 'Tidak Aktif'",
        "sum",
        default_weight=0.0,
        coverage="all kota (rows whose name did not match are dropped)",
    ),
    IndicatorDef(
        "sehat_waste_banks_per_10k",
        "sehat",
        "Bank sampah per 10.000 penduduk",
        "Waste banks per 10,000 people",
        "per 10,000 people",
        _LESS,
        ("waste_banks", "kelurahan"),
        "kelurahan",
        "sehat_waste_banks_count / population x 10,000 (null where population is 0 or null)",
        "ratio",
        ratio_of=("sehat_waste_banks_count", "population", 10_000.0),
        coverage="all kota",
    ),
    IndicatorDef(
        "sehat_river_waste_t_day",
        "sehat",
        "Sampah sungai per hari",
        "River waste collected per day",
        "t/day",
        _MORE,
        ("river_waste",),
        "kecamatan",
        "median over the months (Jan 2024 - Apr 2025) of rata_rata (tonnes per day) of the "
        "kecamatan; the median, not the mean, because of known entry errors in the source",
        "sum",
        coverage="42 mainland kecamatan",
    ),
    IndicatorDef(
        "sehat_clean_water_access",
        "sehat",
        "Akses air bersih",
        "Clean-water access",
        "share of households (0-1)",
        _LESS,
        ("user layer",),
        "kelurahan",
        "share of households with piped / clean water, from a layer loaded with "
        "`ketahanan layer add`; null until one is loaded",
        "mean",
        weight_column="households",
        valid_range=(0.0, 1.0),
        coverage="none until a planner loads a layer",
    ),
    IndicatorDef(
        "terhubung_tj_stops",
        "terhubung",
        "Jumlah halte TransJakarta",
        "TransJakarta stops",
        "stops",
        _LESS,
        ("tj_stops",),
        "kelurahan",
        "number of TransJakarta boarding stops (GTFS location_type 0) in the unit",
        "sum",
        default_weight=0.0,
        coverage=_TRANSIT,
    ),
    IndicatorDef(
        "terhubung_tj_stops_per_km2",
        "terhubung",
        "Halte TransJakarta per km²",
        "TransJakarta stops per km²",
        "stops/km²",
        _LESS,
        ("tj_stops",),
        "kelurahan",
        "terhubung_tj_stops / area_km2",
        "ratio",
        ratio_of=("terhubung_tj_stops", "area_km2", 1.0),
        coverage=_TRANSIT,
    ),
    IndicatorDef(
        "terhubung_tj_500m_share",
        "terhubung",
        "Pangsa luas dalam 500 m dari halte TJ",
        "Share of area within 500 m of a TJ stop",
        "share (0-1)",
        _LESS,
        ("tj_stops",),
        "kelurahan",
        "area(unit ∩ union of 500 m buffers of TJ boarding stops) / area(unit), METRIC_CRS",
        "mean",
        weight_column="area_km2",
        valid_range=(0.0, 1.0),
        coverage=_TRANSIT,
    ),
    IndicatorDef(
        "terhubung_rail_1km_share",
        "terhubung",
        "Pangsa luas dalam 1 km dari stasiun",
        "Share of area within 1 km of a rail station",
        "share (0-1)",
        _LESS,
        ("rail_stations",),
        "kelurahan",
        "area(unit ∩ union of 1 km buffers of KRL/MRT/LRT stations) / area(unit), METRIC_CRS",
        "mean",
        weight_column="area_km2",
        valid_range=(0.0, 1.0),
        coverage=_TRANSIT,
    ),
    IndicatorDef(
        "terhubung_tj_departures_500m",
        "terhubung",
        "Keberangkatan TJ per jam dalam 500 m",
        "TJ weekday departures per hour within 500 m",
        "departures/hour",
        _LESS,
        ("tj_stops",),
        "kelurahan",
        "sum of weekday_departures_per_hour over TJ boarding stops at a distance <= 500 m from "
        "the unit polygon (stops with unknown service left out; null if all are unknown)",
        "recompute",
        coverage=_TRANSIT,
    ),
    IndicatorDef(
        "terhubung_rail_distance_km",
        "terhubung",
        "Jarak ke stasiun terdekat",
        "Distance to the nearest rail station",
        "km",
        _MORE,
        ("rail_stations",),
        "kelurahan",
        "distance from the kelurahan centroid (no finer population data: centroid, not a "
        "population-weighted centre) to the nearest rail station, METRIC_CRS",
        "mean",
        weight_column="population",
        coverage=_TRANSIT,
    ),
)

INDICATORS: dict[str, IndicatorDef] = {d.id: d for d in _DEFS}
"""The built-in indicators by id, in dictionary order."""


def all_definitions(settings: Settings | None = None) -> dict[str, IndicatorDef]:
    """Built-in definitions plus those of the planner layers registered in ``settings``.

    Parameters
    ----------
    settings : Settings, optional
        When given, layers registered at ``settings.user_layers_path`` are included (a layer
        registered for a built-in slot replaces the slot's coverage and source).

    Returns
    -------
    dict of str to IndicatorDef
    """
    defs = dict(INDICATORS)
    if settings is None:
        return defs
    from geo.user_layers import definition_of, list_user_layers

    for entry in list_user_layers(settings):
        defs[entry["indicator_id"]] = definition_of(entry, defs.get(entry["indicator_id"]))
    return defs


# ---------------------------------------------------------------------------------------------
# geometry helpers (all vectorised; inputs in METRIC_CRS)


def _metric(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    if gdf.crs is None:
        raise DataError("a layer passed to the indicators has no CRS")
    return gdf.to_crs(METRIC_CRS)


def count_points_in(units_m: gpd.GeoDataFrame, points_m: gpd.GeoSeries) -> np.ndarray:
    """Number of points inside each unit (points on a shared border go to one unit each).

    Parameters
    ----------
    units_m : GeoDataFrame
        Polygons, same CRS as ``points_m``.
    points_m : GeoSeries
        Points.

    Returns
    -------
    ndarray of int, one per unit (positional).
    """
    if len(points_m) == 0 or len(units_m) == 0:
        return np.zeros(len(units_m), dtype="int64")
    pts, unit = units_m.sindex.query(points_m.to_numpy(), predicate="within")
    first = pd.Series(unit).groupby(pts).first().to_numpy()
    return np.bincount(first, minlength=len(units_m)).astype("int64")


def within_distance(
    units_m: gpd.GeoDataFrame,
    points_m: gpd.GeoSeries,
    distance: float,
    weights: np.ndarray | None = None,
) -> np.ndarray:
    """Count (or sum ``weights`` of) points at a distance <= ``distance`` from each unit.

    Parameters
    ----------
    units_m : GeoDataFrame
        Polygons in a metric CRS.
    points_m : GeoSeries
        Points, same CRS.
    distance : float
        Metres; a point inside the unit has distance 0.
    weights : ndarray, optional
        One value per point; NaN weights are skipped.

    Returns
    -------
    ndarray of float, one per unit (positional).
    """
    if len(points_m) == 0 or len(units_m) == 0:
        return np.zeros(len(units_m))
    pts, unit = units_m.sindex.query(points_m.to_numpy(), predicate="dwithin", distance=distance)
    w = np.ones(len(pts)) if weights is None else np.asarray(weights, dtype="float64")[pts]
    return np.bincount(unit, weights=np.nan_to_num(w, nan=0.0), minlength=len(units_m))


def area_share_covered(units_m: gpd.GeoDataFrame, cover: np.ndarray) -> np.ndarray:
    """Share of each unit's area covered by the union of ``cover`` geometries.

    Parameters
    ----------
    units_m : GeoDataFrame
        Polygons in a metric CRS.
    cover : ndarray of shapely geometries
        Polygons (possibly overlapping; they are dissolved first), same CRS.

    Returns
    -------
    ndarray of float in [0, 1], one per unit (NaN for empty units).
    """
    unit_geoms = units_m.geometry.to_numpy()
    unit_area = shapely.area(unit_geoms)
    covered: np.ndarray = np.zeros(len(unit_geoms))
    cover = np.asarray(cover)
    cover = cover[~shapely.is_empty(cover) & ~shapely.is_missing(cover)]
    if len(cover) and len(unit_geoms):
        # Clip each cover polygon to the units it touches, then dissolve per unit: the cost
        # grows with the number of (unit, cover) pairs, so it stays linear when the city is
        # tiled, unlike one union of every cover polygon.
        tree = shapely.STRtree(shapely.make_valid(cover))
        unit_idx, cover_idx = tree.query(unit_geoms, predicate="intersects")
        if len(unit_idx):
            pieces = shapely.intersection(tree.geometries[cover_idx], unit_geoms[unit_idx])
            per_unit = gpd.GeoDataFrame({"unit": unit_idx}, geometry=pieces).dissolve("unit")
            covered[per_unit.index.to_numpy()] = shapely.area(per_unit.geometry.to_numpy())
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(unit_area > 0, covered / unit_area, np.nan)
    return np.clip(share, 0.0, 1.0)


def nearest_distance(units_m: gpd.GeoDataFrame, points_m: gpd.GeoSeries) -> np.ndarray:
    """Distance from each unit's centroid to the nearest point, in CRS units (metres).

    Returns
    -------
    ndarray of float, one per unit (NaN when there is no point).
    """
    if len(points_m) == 0:
        return np.full(len(units_m), np.nan)
    centroids = shapely.centroid(units_m.geometry.to_numpy())
    tree = shapely.STRtree(points_m.to_numpy())
    (src, _), dist = tree.query_nearest(centroids, return_distance=True, all_matches=False)
    out = np.full(len(units_m), np.nan)
    out[src] = dist
    return out


def representative_points(gdf_m: gpd.GeoDataFrame) -> gpd.GeoSeries:
    """Representative points (shapely ``point_on_surface``) of a layer, same CRS."""
    return gpd.GeoSeries(shapely.point_on_surface(gdf_m.geometry.to_numpy()), crs=gdf_m.crs)


def transit_coverage(units_m: gpd.GeoDataFrame, points_m: list[gpd.GeoSeries]) -> np.ndarray:
    """True for units whose representative point is in the transit network's hull + 1 km.

    The hull is the convex hull of all given points (TransJakarta stops and rail stations),
    grown by :data:`TRANSIT_COVERAGE_MARGIN_M`.
    """
    geoms = [g.to_numpy() for g in points_m if len(g)]
    if not geoms:
        return np.zeros(len(units_m), dtype=bool)
    hull = shapely.buffer(
        shapely.convex_hull(shapely.multipoints(np.concatenate(geoms))),
        TRANSIT_COVERAGE_MARGIN_M,
    )
    reps = shapely.point_on_surface(units_m.geometry.to_numpy())
    return np.asarray(shapely.contains(hull, reps), dtype=bool)


# ---------------------------------------------------------------------------------------------
# computation per level


@dataclass
class _Context:
    layers: Mapping[str, Frame]
    grids: Mapping[str, GridLike]
    metric: dict[str, gpd.GeoDataFrame] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)

    def layer_m(self, name: str) -> gpd.GeoDataFrame | None:
        if name not in self.metric:
            layer = self.layers.get(name)
            if layer is None or not isinstance(layer, gpd.GeoDataFrame):
                return None
            self.metric[name] = _metric(layer)
        return self.metric[name]

    def missing(self, ids: list[str], source: str) -> None:
        for i in ids:
            self.reasons.setdefault(i, f"layer '{source}' not in the build")


def _boarding_stops(stops_m: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    if "location_type" not in stops_m.columns:
        return stops_m
    loc = pd.to_numeric(stops_m["location_type"], errors="coerce").fillna(0)
    return stops_m[loc.to_numpy() == 0]


def _helpers(units_m: gpd.GeoDataFrame, ctx: _Context) -> pd.DataFrame:
    """Coverage helpers: RW 2014 count and transit coverage, per unit."""
    out = pd.DataFrame(index=units_m.index)
    rw = ctx.layer_m("rw")
    out["_rw_count"] = count_points_in(units_m, representative_points(rw)) if rw is not None else 0
    points = [
        g.geometry for g in (ctx.layer_m("tj_stops"), ctx.layer_m("rail_stations")) if g is not None
    ]
    out["_transit"] = transit_coverage(units_m, points)
    return out


def _buffer_indicators(
    units_m: gpd.GeoDataFrame, helpers: pd.DataFrame, ctx: _Context
) -> pd.DataFrame:
    """The ``recompute`` indicators (counts and sums within a distance) for any level."""
    out = pd.DataFrame(index=units_m.index)
    mainland = helpers["_rw_count"].to_numpy() > 0
    transit = helpers["_transit"].to_numpy()
    for ind, name in (("siap_pumps_1km", "pumps"), ("siap_floodgates_1km", "floodgates")):
        layer = ctx.layer_m(name)
        if layer is None:
            ctx.missing([ind], name)
            out[ind] = np.nan
            continue
        counts = within_distance(units_m, layer.geometry, 1000.0)
        out[ind] = np.where(mainland, counts, np.nan)
    stops = ctx.layer_m("tj_stops")
    ind = "terhubung_tj_departures_500m"
    if stops is None or "weekday_departures_per_hour" not in stops.columns:
        ctx.missing([ind], "tj_stops")
        out[ind] = np.nan
    else:
        board = _boarding_stops(stops)
        dep = pd.to_numeric(board["weekday_departures_per_hour"], errors="coerce").to_numpy()
        total = within_distance(units_m, board.geometry, 500.0, dep)
        known = within_distance(units_m, board.geometry, 500.0, np.isfinite(dep).astype(float))
        anyn = within_distance(units_m, board.geometry, 500.0)
        value = np.where((anyn > 0) & (known == 0), np.nan, total)
        out[ind] = np.where(transit, value, np.nan)
    return out


def _kelurahan_indicators(
    kel_m: gpd.GeoDataFrame, helpers: pd.DataFrame, ctx: _Context, progress: Progress
) -> pd.DataFrame:
    out = pd.DataFrame(index=kel_m.index)
    mainland = helpers["_rw_count"].to_numpy() > 0
    rw_count = helpers["_rw_count"].to_numpy().astype(float)
    transit = helpers["_transit"].to_numpy()
    population = pd.to_numeric(kel_m["population"], errors="coerce").to_numpy(dtype=float)

    progress("siap: flood 2007")
    flood07 = ctx.layer_m("flood_rw_2007")
    if flood07 is None:
        ctx.missing(["siap_flood_share_2007", "siap_people_exposed_2007"], "flood_rw_2007")
        share07 = np.full(len(kel_m), np.nan)
    else:
        share07 = np.where(mainland, area_share_covered(kel_m, flood07.geometry.to_numpy()), np.nan)
    out["siap_flood_share_2007"] = share07
    out["siap_people_exposed_2007"] = population * share07

    progress("siap: flood 2017")
    f17 = ctx.layer_m("flood_2017_rw_max")
    ids17 = [
        "siap_rw_flooded_2017_count",
        "siap_rw_flooded_2017_share",
        "siap_depth_class_2017_max",
    ]
    if f17 is None:
        ctx.missing(ids17, "flood_2017_rw_max")
        for i in ids17:
            out[i] = np.nan
    else:
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

    progress("siap: depth grid")
    grid = ctx.grids.get("flood_depth_current")
    if grid is None:
        ctx.missing(["siap_depth_mean", "siap_depth_share_gt_0_5m"], "flood_depth_current")
        out["siap_depth_mean"] = np.nan
        out["siap_depth_share_gt_0_5m"] = np.nan
    else:
        stats = zonal_stats(kel_m, grid, threshold=0.5)
        out["siap_depth_mean"] = stats["mean"].to_numpy()
        out["siap_depth_share_gt_0_5m"] = stats["share_above"].to_numpy()

    progress("sehat: slums and waste")
    slum = ctx.layer_m("slum_rw")
    if slum is None:
        ctx.missing(["sehat_slum_rw_count", "sehat_slum_rw_share"], "slum_rw")
        out["sehat_slum_rw_count"] = np.nan
        out["sehat_slum_rw_share"] = np.nan
    else:
        covered = kel_m["kode_kota"].isin(SLUM_COVERAGE_KOTA).to_numpy()
        count = count_points_in(kel_m, representative_points(slum)).astype(float)
        out["sehat_slum_rw_count"] = np.where(covered, count, np.nan)
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.where(rw_count > 0, np.minimum(1.0, count / rw_count), np.nan)
        out["sehat_slum_rw_share"] = np.where(covered, share, np.nan)

    banks = ctx.layers.get("waste_banks")
    if banks is None:
        ctx.missing(["sehat_waste_banks_count", "sehat_waste_banks_per_10k"], "waste_banks")
        out["sehat_waste_banks_count"] = np.nan
        out["sehat_waste_banks_per_10k"] = np.nan
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

    progress("terhubung: stops and rail")
    stops = ctx.layer_m("tj_stops")
    if stops is None:
        ctx.missing(
            ["terhubung_tj_stops", "terhubung_tj_stops_per_km2", "terhubung_tj_500m_share"],
            "tj_stops",
        )
        for i in ("terhubung_tj_stops", "terhubung_tj_stops_per_km2", "terhubung_tj_500m_share"):
            out[i] = np.nan
    else:
        board = _boarding_stops(stops)
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
        ctx.missing(["terhubung_rail_1km_share", "terhubung_rail_distance_km"], "rail_stations")
        out["terhubung_rail_1km_share"] = np.nan
        out["terhubung_rail_distance_km"] = np.nan
    else:
        buffers = shapely.buffer(rail.geometry.to_numpy(), 1000.0, quad_segs=BUFFER_QUAD_SEGS)
        out["terhubung_rail_1km_share"] = np.where(
            transit, area_share_covered(kel_m, buffers), np.nan
        )
        out["terhubung_rail_distance_km"] = np.where(
            transit, nearest_distance(kel_m, rail.geometry) / 1000.0, np.nan
        )
    return out


def _river_waste_kecamatan(kec: pd.DataFrame, ctx: _Context) -> np.ndarray:
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


def aggregate(
    children: pd.DataFrame,
    parent_key: pd.Series,
    parents: pd.DataFrame,
    definitions: Mapping[str, IndicatorDef],
    *,
    skip: tuple[str, ...] = (),
) -> pd.DataFrame:
    """Aggregate indicator columns of child units to their parents by each definition's rule.

    Parameters
    ----------
    children : DataFrame
        Child units with indicator columns and ``area_km2``, ``population``, ``households``
        and any ``_`` helper columns used by ratios.
    parent_key : Series
        Parent code per child row (aligned with ``children``).
    parents : DataFrame
        Parent units with a ``kode`` column; the result is aligned with it.
    definitions : mapping of id to IndicatorDef
    skip : tuple of str
        Ids not aggregated (``recompute`` ones, computed on the parent geometry instead).

    Returns
    -------
    DataFrame indexed like ``parents`` with one column per aggregated indicator.
    """
    key = parent_key.astype(str).to_numpy()
    out = pd.DataFrame(index=parents.index)
    codes = parents["kode"].astype(str)

    def by_parent(series: pd.Series, how: str) -> pd.Series:
        grouped = pd.Series(series.to_numpy(dtype=float)).groupby(key)
        result = grouped.sum(min_count=1) if how == "sum" else grouped.max()
        return codes.map(result)

    for ind, d in definitions.items():
        if ind in skip or ind not in children.columns:
            continue
        values = pd.to_numeric(children[ind], errors="coerce").astype(float)
        if d.aggregation == "sum" or d.native_level != "kelurahan":
            out[ind] = by_parent(values, "sum").to_numpy()
        elif d.aggregation == "max":
            out[ind] = by_parent(values, "max").to_numpy()
        elif d.aggregation == "mean":
            w = pd.to_numeric(children[d.weight_column or "area_km2"], errors="coerce").astype(
                float
            )
            w = w.where(values.notna())
            num = by_parent(values * w, "sum")
            den = by_parent(w, "sum")
            out[ind] = (num / den.where(den > 0)).to_numpy()
        elif d.aggregation == "ratio" and d.ratio_of:
            num_col, den_col, factor = d.ratio_of
            num_v = pd.to_numeric(children[num_col], errors="coerce").astype(float)
            den_v = pd.to_numeric(children[den_col], errors="coerce").astype(float)
            den_v = den_v.where(num_v.notna())
            num = by_parent(num_v, "sum")
            den = by_parent(den_v, "sum")
            ratio = num / den.where(den > 0) * factor
            upper = d.valid_range[1]
            if upper is not None:
                ratio = ratio.clip(upper=upper)
            out[ind] = ratio.to_numpy()
    return out


@dataclass
class IndicatorResult:
    """Admin layers with indicator and score columns, and the data dictionary."""

    kelurahan: gpd.GeoDataFrame
    kecamatan: gpd.GeoDataFrame
    kota: gpd.GeoDataFrame
    dictionary: list[dict[str, Any]]

    def layer(self, level: str) -> gpd.GeoDataFrame:
        """The layer of ``level`` ("kelurahan", "kecamatan" or "kota")."""
        return {"kelurahan": self.kelurahan, "kecamatan": self.kecamatan, "kota": self.kota}[level]


def _admin_levels(
    layers: Mapping[str, Frame],
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, gpd.GeoDataFrame]:
    kel = layers.get("kelurahan")
    if not isinstance(kel, gpd.GeoDataFrame):
        raise DataError("compute_indicators needs a 'kelurahan' GeoDataFrame")
    kec = layers.get("kecamatan")
    kota = layers.get("kota")
    if not isinstance(kec, gpd.GeoDataFrame) or not isinstance(kota, gpd.GeoDataFrame):
        from geo.admin import dissolve_units

        kec = dissolve_units(kel, "kecamatan")
        kota = dissolve_units(kel, "kota")
    return kel, kec, kota


def compute_indicators(
    layers: Mapping[str, Frame],
    grids: Mapping[str, GridLike],
    settings: Settings | None = None,
    *,
    progress: Progress | None = None,
    weights: Mapping[str, float] | None = None,
) -> IndicatorResult:
    """Compute every indicator and pillar score for kelurahan, kecamatan and kota.

    Parameters
    ----------
    layers : mapping of str to (Geo)DataFrame
        Build layers by name (see the module docstring and the input contract): kelurahan,
        kecamatan, kota, rw, flood_rw_2007, flood_2017_rw_max, pumps, floodgates, slum_rw,
        waste_banks, river_waste, tj_stops, rail_stations. A missing layer leaves its
        indicators null with the reason in the dictionary.
    grids : mapping of str to Grid
        ``flood_depth_current``.
    settings : Settings, optional
        Source of ``score_weights`` and of registered planner layers (``user_layers_path``).
    progress : callable, optional
        Called with a short step description before each step.
    weights : mapping, optional
        Weights overriding the defaults and the settings (as from :func:`geo.scores.parse_weights`).

    Returns
    -------
    IndicatorResult
        The three admin layers (STORAGE_CRS, input columns kept) with one column per
        indicator, ``score_<pillar>`` and ``score_<pillar>_missing``; and the data dictionary.
    """
    from geo.scores import resolve_weights, score_units

    step: Progress = progress or (lambda _msg: None)
    definitions = all_definitions(settings)
    ctx = _Context(layers, grids)
    kel, kec, kota = _admin_levels(layers)
    kel_m, kec_m, kota_m = _metric(kel), _metric(kec), _metric(kota)

    step("coverage")
    kel_h = _helpers(kel_m, ctx)
    kel_values = _kelurahan_indicators(kel_m, kel_h, ctx, step)
    step("buffers: kelurahan")
    kel_values = kel_values.join(_buffer_indicators(kel_m, kel_h, ctx))

    step("planner layers")
    if settings is not None:
        from geo.user_layers import list_user_layers, user_layer_values

        for entry in list_user_layers(settings):
            kel_values[entry["indicator_id"]] = user_layer_values(entry, kel).to_numpy()
            ctx.reasons.pop(entry["indicator_id"], None)

    recompute = tuple(i for i, d in definitions.items() if d.aggregation == "recompute")
    base_cols = ["kode", "area_km2", "population", "households", "kode_kecamatan", "kode_kota"]
    kel_full = pd.concat(
        [kel[[c for c in base_cols if c in kel.columns]], kel_h, kel_values], axis=1
    )

    results: dict[str, gpd.GeoDataFrame] = {}
    step("aggregate: kecamatan")
    kec_h = pd.DataFrame(index=kec.index)
    kec_h["_rw_count"] = (
        kec["kode"]
        .map(kel_h["_rw_count"].groupby(kel["kode_kecamatan"].to_numpy()).sum())
        .fillna(0)
        .to_numpy()
    )
    kec_h["_transit"] = (
        kec["kode"]
        .map(kel_h["_transit"].groupby(kel["kode_kecamatan"].to_numpy()).any())
        .fillna(False)
        .to_numpy(dtype=bool)
    )
    kec_values = aggregate(kel_full, kel["kode_kecamatan"], kec, definitions, skip=recompute)
    kec_values["sehat_river_waste_t_day"] = _river_waste_kecamatan(kec, ctx)
    kec_values = kec_values.join(_buffer_indicators(kec_m, kec_h, ctx))
    kec_full = pd.concat(
        [kec[[c for c in base_cols if c in kec.columns]], kec_h, kec_values], axis=1
    )

    step("aggregate: kota")
    kota_h = pd.DataFrame(index=kota.index)
    kota_h["_rw_count"] = (
        kota["kode"]
        .map(kel_h["_rw_count"].groupby(kel["kode_kota"].to_numpy()).sum())
        .fillna(0)
        .to_numpy()
    )
    kota_h["_transit"] = (
        kota["kode"]
        .map(kel_h["_transit"].groupby(kel["kode_kota"].to_numpy()).any())
        .fillna(False)
        .to_numpy(dtype=bool)
    )
    # kota sums kecamatan values (river waste is native at kecamatan), others come from kelurahan
    kota_values = aggregate(kel_full, kel["kode_kota"], kota, definitions, skip=recompute)
    kota_values["sehat_river_waste_t_day"] = aggregate(
        kec_full,
        kec["kode_kota"],
        kota,
        {"sehat_river_waste_t_day": definitions["sehat_river_waste_t_day"]},
    )["sehat_river_waste_t_day"]
    kota_values = kota_values.join(_buffer_indicators(kota_m, kota_h, ctx))

    step("scores")
    effective = resolve_weights(definitions, settings, weights)
    ids = list(definitions)
    for level, admin, values in (
        ("kelurahan", kel, kel_values),
        ("kecamatan", kec, kec_values),
        ("kota", kota, kota_values),
    ):
        stale = [c for c in admin.columns if c in definitions or str(c).startswith("score_")]
        layer = admin.drop(columns=stale)
        for ind in ids:
            layer[ind] = (
                pd.to_numeric(values[ind], errors="coerce").astype(float).to_numpy()
                if ind in values.columns
                else np.nan
            )
        scores = score_units(layer, level, effective, definitions=definitions)
        results[level] = gpd.GeoDataFrame(
            pd.concat([layer, scores], axis=1), geometry="geometry", crs=admin.crs
        )

    dictionary = data_dictionary(definitions, effective, reasons=ctx.reasons, layers=results)
    return IndicatorResult(results["kelurahan"], results["kecamatan"], results["kota"], dictionary)


def data_dictionary(
    definitions: Mapping[str, IndicatorDef] | None = None,
    weights: Mapping[str, float] | None = None,
    *,
    reasons: Mapping[str, str] | None = None,
    layers: Mapping[str, pd.DataFrame] | None = None,
) -> list[dict[str, Any]]:
    """The data dictionary: one JSON-ready dict per indicator.

    Parameters
    ----------
    definitions : mapping, optional
        Defaults to the built-in :data:`INDICATORS`.
    weights : mapping, optional
        Effective weights (defaults when omitted).
    reasons : mapping, optional
        Why an indicator has no data (e.g. ``"no data loaded"``).
    layers : mapping of level to DataFrame, optional
        When given, the number of non-null values per level is reported.

    Returns
    -------
    list of dict
        Definition fields plus ``weight``, ``scaling``, ``no_data_reason`` and ``non_null``.
    """
    from geo.scores import SCALING_TEXT

    definitions = definitions or INDICATORS
    out = []
    for ind, d in definitions.items():
        entry = d.to_dict()
        entry["weight"] = float((weights or {}).get(ind, d.default_weight))
        entry["scaling"] = SCALING_TEXT
        entry["no_data_reason"] = (reasons or {}).get(ind)
        if layers is not None:
            entry["non_null"] = {
                lvl: int(pd.to_numeric(frame[ind], errors="coerce").notna().sum())
                for lvl, frame in layers.items()
                if ind in frame.columns
            }
            if entry["no_data_reason"] is None and not any(entry["non_null"].values()):
                entry["no_data_reason"] = "no unit has data"
        out.append(entry)
    return out


def dictionary_json(dictionary: list[dict[str, Any]]) -> str:
    """The data dictionary as JSON text (for the build output's metadata)."""
    return json.dumps(dictionary, ensure_ascii=False, indent=1)


def with_default_weight(definition: IndicatorDef, weight: float) -> IndicatorDef:
    """A copy of ``definition`` with another default weight."""
    return replace(definition, default_weight=weight)


def load_indicator_layers(settings: Settings) -> dict[str, gpd.GeoDataFrame]:
    """Read the kelurahan, kecamatan and kota layers (with indicators) from the build output.

    Parameters
    ----------
    settings : Settings
        ``settings.build_path`` is the GeoPackage written by ``ketahanan build``.

    Returns
    -------
    dict of level to GeoDataFrame

    Raises
    ------
    DataError
        When the build output does not exist yet.
    """
    path = settings.build_path
    if not path.exists():
        raise DataError(f"no build output at {path}; run `ketahanan build` first")
    return {level: gpd.read_file(path, layer=level) for level in LEVELS}
