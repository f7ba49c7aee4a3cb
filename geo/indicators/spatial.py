"""Vectorised geometry helpers of the indicators (inputs in :data:`geo.crs.METRIC_CRS`).

Every helper works on whole arrays through shapely 2 and spatial indexes (no Python loop over
geometries) and returns one value per unit, in the units' order.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.crs import METRIC_CRS
from geo.errors import DataError

TRANSIT_COVERAGE_MARGIN_M = 1000.0
"""How far past the convex hull of TransJakarta stops and rail stations transit data counts."""

BUFFER_QUAD_SEGS = 16
"""Segments per quarter circle of catchment buffers (area within 0.2 % of a true circle)."""


def to_metric(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The layer in METRIC_CRS (a layer without a CRS is refused)."""
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
