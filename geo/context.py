"""The offline context layer of the map pages, drawn from the build: where things are when
there is no basemap (offline, or the tile server is down).

Lines only, one feature per kind, each a MultiLineString in lon/lat:

- ``coast``: the outline of the province, the union of the kota polygons. The build has no
  coastline of its own; DKI Jakarta's northern edge and the islands of Kepulauan Seribu are
  coast, its western, southern and eastern edges are land borders with Banten and Jawa Barat.
- ``kota``: the borders between kota (shared edges, drawn once).
- ``kecamatan``: the borders between kecamatan inside a kota.
- ``waterways``: rivers and canals (hydro infrastructure 2016).
- ``rail_lines``: KRL, MRT, LRT and airport rail lines (2021).

The polygons come in already generalised for a city-wide zoom (topology kept, so neighbours
share their edges and each border is one line); the lines are simplified here in the metric
CRS.
"""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from geo.crs import METRIC_CRS, STORAGE_CRS

KINDS = ("coast", "kota", "kecamatan", "waterways", "rail_lines")
"""The kinds of line, in drawing order (lowest first)."""
LINE_TOLERANCE_M = 30.0
"""Simplification of waterways and rail lines, in metres."""


def _lines(geoms: np.ndarray) -> BaseGeometry:
    """The boundaries of polygons as one merged line geometry (shared edges once)."""
    present = geoms[~shapely.is_missing(geoms)]
    boundaries = shapely.boundary(shapely.make_valid(present))
    return shapely.line_merge(shapely.union_all(boundaries))


def _simplified(geoms: np.ndarray, tolerance_m: float) -> BaseGeometry:
    present = geoms[~shapely.is_missing(geoms)]
    metric = gpd.GeoSeries(present, crs=STORAGE_CRS).to_crs(METRIC_CRS)
    simple = shapely.simplify(np.asarray(metric.array), tolerance_m, preserve_topology=True)
    back = gpd.GeoSeries(simple, crs=METRIC_CRS).to_crs(STORAGE_CRS)
    return shapely.line_merge(shapely.union_all(np.asarray(back.array)))


def context_lines(
    kota: np.ndarray,
    kecamatan: np.ndarray,
    lines: Mapping[str, np.ndarray],
) -> list[tuple[str, BaseGeometry]]:
    """The context lines by kind.

    Parameters
    ----------
    kota, kecamatan : ndarray of Polygon / MultiPolygon
        The unit polygons in lon/lat, generalised as the map draws them.
    lines : mapping of kind to ndarray of LineString
        ``waterways`` and ``rail_lines`` in lon/lat (either may be missing).

    Returns
    -------
    list of (kind, geometry)
        Non-empty line geometries, in :data:`KINDS` order.
    """
    outline = shapely.boundary(shapely.union_all(shapely.make_valid(kota)))
    kota_lines = shapely.difference(_lines(kota), shapely.buffer(outline, 1e-6))
    kec_lines = shapely.difference(_lines(kecamatan), shapely.buffer(_lines(kota), 1e-6))
    found: dict[str, BaseGeometry] = {
        "coast": shapely.line_merge(outline),
        "kota": kota_lines,
        "kecamatan": kec_lines,
    }
    for kind in ("waterways", "rail_lines"):
        geoms = lines.get(kind)
        if geoms is not None and len(geoms):
            found[kind] = _simplified(np.asarray(geoms), LINE_TOLERANCE_M)
    return [(k, found[k]) for k in KINDS if k in found and not found[k].is_empty]
