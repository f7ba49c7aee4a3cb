"""The north coast of mainland Jakarta, derived from the kelurahan boundaries alone.

Method
------
The project has no coastline layer and no polygons of the neighbouring provinces, so the coast
is taken from the admin boundaries (in :data:`geo.crs.METRIC_CRS`):

1. The mainland is the largest polygon of the union of all kelurahan (the islands of
   Kepulauan Seribu and any sliver are other polygons).
2. Its outer ring runs along the sea in the north and along land borders with Banten
   (Tangerang, west) and Jawa Barat (Bekasi, Depok, Bogor, east and south). The two ends of
   the coast are the ring's north-west and north-east corners: the vertices with the largest
   ``northing - easting`` and ``northing + easting``.
3. The coastline is the arc of the ring between those corners that lies further north (the
   larger mean northing along it); the other arc is the land border.

Caveats: the coast is the 2019 Dukcapil boundary, not a surveyed shoreline (piers, harbour
basins and reclaimed land are in it as the boundary draws them; the reclamation islands are
not in the boundary data); where a land border meets the sea obliquely, up to a few hundred
metres of border next to a corner may be taken as coast; islands off the mainland are left
out. Distances to this line are a proxy of exposure to tidal flooding (rob), not a model of it.
"""

from __future__ import annotations

from typing import cast

import numpy as np
import shapely
from shapely.geometry import LineString, MultiLineString
from shapely.ops import substring

from geo.errors import DataError

SAMPLE_SPACING_M = 200.0
"""Spacing of the grid of points the mean distance of a unit is taken over."""


def mainland(polygons: np.ndarray) -> shapely.Polygon:
    """The largest polygon of the union of ``polygons`` (metric CRS)."""
    union = shapely.union_all(shapely.make_valid(polygons))
    parts = list(getattr(union, "geoms", [union]))
    parts = [p for p in parts if isinstance(p, shapely.Polygon)]
    if not parts:
        raise DataError("the kelurahan boundaries hold no polygon to take a coastline from")
    return max(parts, key=lambda p: p.area)


def coastline(polygons: np.ndarray) -> LineString | MultiLineString:
    """The mainland's coastline (see the module docstring), in the CRS of ``polygons``.

    Parameters
    ----------
    polygons : ndarray of shapely geometries
        Kelurahan polygons in a metric CRS.

    Returns
    -------
    LineString or MultiLineString
    """
    ring = shapely.LinearRing(mainland(polygons).exterior)
    xy = np.asarray(ring.coords)[:-1]
    # ties go to the corner further out: westernmost for the north-west, easternmost for the
    # north-east
    corners = [
        int(np.lexsort((-xy[:, 0], xy[:, 1] - xy[:, 0]))[-1]),
        int(np.lexsort((xy[:, 0], xy[:, 1] + xy[:, 0]))[-1]),
    ]
    lo, hi = sorted(ring.project(shapely.Point(xy[i])) for i in corners)
    line = shapely.LineString(ring.coords)
    inner = cast(LineString, substring(line, lo, hi))
    pieces = [cast(LineString, substring(line, a, b)) for a, b in ((hi, line.length), (0, lo))]
    outer = cast(
        LineString | MultiLineString,
        shapely.line_merge(shapely.MultiLineString([p for p in pieces if p.length > 0])),
    )
    # the coast is the arc on the north side: the one whose points lie further north on average
    arcs = [a for a in (inner, outer) if not a.is_empty]
    return max(arcs, key=_mean_northing)


def _mean_northing(line: LineString | MultiLineString) -> float:
    """Mean northing of a line's points taken every 10 m along it (length-weighted)."""
    points = shapely.line_interpolate_point(line, np.arange(0.0, line.length, 10.0))
    return float(np.mean(shapely.get_coordinates(points)[:, 1]))


def sample_points(units: np.ndarray, spacing: float = SAMPLE_SPACING_M) -> tuple[np.ndarray, ...]:
    """A regular grid of points over ``units`` and the unit each falls in.

    Returns
    -------
    points : ndarray of Point
    unit : ndarray of int
        Position of the unit holding each point (a point on a shared edge counts once).
    """
    xmin, ymin, xmax, ymax = shapely.total_bounds(units)
    xs = np.arange(xmin + spacing / 2, xmax, spacing)
    ys = np.arange(ymin + spacing / 2, ymax, spacing)
    gx, gy = np.meshgrid(xs, ys)
    points = np.asarray(shapely.points(gx.ravel(), gy.ravel()), dtype=object)
    # query the units against a tree of the points: each unit is prepared once
    unit, pts = shapely.STRtree(points).query(units, predicate="contains")
    pts, first = np.unique(pts, return_index=True)
    return points[pts], unit[first]


def mean_over_area(
    units: np.ndarray, value_of: np.ndarray, points: np.ndarray, unit: np.ndarray
) -> np.ndarray:
    """Mean of ``value_of`` (one value per sample point) over each unit's points.

    A unit too small to hold a point takes the value at its representative point, which the
    caller passes as the last ``len(units)`` entries of ``value_of`` (see
    :func:`coast_distances`).
    """
    n = len(units)
    sums = np.bincount(unit, weights=value_of[: len(points)], minlength=n)
    counts = np.bincount(unit, minlength=n)
    fallback = value_of[len(points) :]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, sums / counts, fallback)


def coast_distances(
    units: np.ndarray, coast: LineString | MultiLineString, spacing: float = SAMPLE_SPACING_M
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distances to the coast of a sample grid over ``units``, for area means.

    Returns
    -------
    distance : ndarray
        Metres from each sample point to ``coast``, then from each unit's representative
        point (the fallback of units holding no sample point).
    points, unit : ndarray
        The sample points and the unit of each (:func:`sample_points`).
    """
    points, unit = sample_points(units, spacing)
    reps = shapely.point_on_surface(units)
    return distance_to(np.concatenate([points, reps]), coast), points, unit


def distance_to(points: np.ndarray, line: LineString | MultiLineString) -> np.ndarray:
    """Exact distance from each point to ``line``, through a tree of its segments (fast for
    a long line with many vertices)."""
    parts = list(getattr(line, "geoms", [line]))
    starts = np.concatenate([np.asarray(p.coords)[:-1] for p in parts])
    ends = np.concatenate([np.asarray(p.coords)[1:] for p in parts])
    segments = np.asarray(shapely.linestrings(np.stack([starts, ends], axis=1)), dtype=object)
    tree = shapely.STRtree(segments)
    (src, _), dist = tree.query_nearest(points, return_distance=True, all_matches=False)
    out = np.full(len(points), np.nan)
    out[src] = dist
    return out
