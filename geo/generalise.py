"""Generalised geometry for web maps: one precomputed level per map zoom.

Polygon coverages (kelurahan, kecamatan, kota, RW) are cleaned with ``shapely.coverage_clean``
and simplified with ``shapely.coverage_simplify``, so neighbouring units keep sharing exactly
the same edges (no gaps or slivers on the map). Other polygons and lines are simplified one by
one with ``preserve_topology``; points are never changed. Tolerances are metres measured in
:data:`geo.crs.METRIC_CRS`; the result is returned in :data:`geo.crs.STORAGE_CRS`.

Zoom ``z`` uses a tolerance of half a web-map pixel at Jakarta's latitude:
``0.5 * 156543.03 * cos(6.2°) / 2**z`` metres (about 76 m at zoom 10, 4.8 m at zoom 14).
Zooms below :data:`MIN_ZOOM` use the level of :data:`MIN_ZOOM` (all of Jakarta is then a few
hundred pixels wide), and zooms from :data:`FULL_RESOLUTION_ZOOM` up serve full resolution.
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import shapely

from geo.crs import METRIC_CRS, STORAGE_CRS

MIN_ZOOM = 8
"""Coarsest generalisation level; smaller zooms share it."""

MAX_ZOOM = 18
"""Largest zoom a client may ask for."""

FULL_RESOLUTION_ZOOM = 17
"""From this zoom on (tolerance below one metre) geometry is served at full resolution."""

FULL_DECIMALS = 7
"""Decimals of degrees at full resolution (about 1 cm): RFC 7946 asks for no more."""

_JAKARTA_LAT = 6.2
_WEB_MERCATOR_M_PER_PX_Z0 = 156543.03392


def level_of(zoom: int | None) -> int | None:
    """The precomputed level serving ``zoom`` (None means full resolution).

    Parameters
    ----------
    zoom : int or None
        Web-map zoom 0..:data:`MAX_ZOOM`.

    Returns
    -------
    int or None
        ``max(zoom, MIN_ZOOM)``, or None at or above :data:`FULL_RESOLUTION_ZOOM`.
    """
    if zoom is None or zoom >= FULL_RESOLUTION_ZOOM:
        return None
    return max(zoom, MIN_ZOOM)


def tolerance_m(level: int) -> float:
    """Simplification tolerance in metres of a level (half a pixel at Jakarta's latitude)."""
    px = _WEB_MERCATOR_M_PER_PX_Z0 * math.cos(math.radians(_JAKARTA_LAT)) / 2**level
    return 0.5 * px


def decimals_of(level: int | None) -> int:
    """Decimals of degrees worth keeping at a level (a tenth of the tolerance, at most 7)."""
    if level is None:
        return FULL_DECIMALS
    step_deg = tolerance_m(level) / 10 / 111_320
    return int(min(FULL_DECIMALS, max(3, math.ceil(-math.log10(step_deg)))))


def finish(geoms: np.ndarray, decimals: int) -> np.ndarray:
    """Round coordinates and orient polygons as RFC 7946 asks (exterior counter-clockwise).

    Parameters
    ----------
    geoms : ndarray of shapely geometries (None allowed)
    decimals : int

    Returns
    -------
    ndarray of shapely geometries
    """
    rounded = shapely.transform(geoms, lambda c: np.round(c, decimals))
    return shapely.orient_polygons(rounded, exterior_cw=False)


def _is_coverage_kind(geoms: np.ndarray) -> bool:
    present = geoms[~shapely.is_missing(geoms)]
    if len(present) == 0:
        return False
    types = shapely.get_type_id(present)
    return bool(np.isin(types, (3, 6)).all())


def prepare_coverage(geoms: np.ndarray, crs: str = STORAGE_CRS) -> tuple[np.ndarray, bool]:
    """Project polygons to METRIC_CRS and clean them into a coverage when they are one.

    Parameters
    ----------
    geoms : ndarray of shapely geometries in ``crs``
    crs : str

    Returns
    -------
    (ndarray, bool)
        Geometries in METRIC_CRS (cleaned when they form a polygon coverage) and whether
        :func:`simplify` may treat them as a coverage.
    """
    metric = np.asarray(gpd.GeoSeries(geoms, crs=crs).to_crs(METRIC_CRS).array, dtype=object)
    if not _is_coverage_kind(metric):
        return metric, False
    present = ~shapely.is_missing(metric)
    cleaned = metric.copy()
    # snap vertices closer than 0.5 m so edges of neighbouring units become identical
    fixed = shapely.coverage_clean(  # type: ignore[attr-defined]  # shapely >= 2.2
        metric[present], snapping_distance=0.5
    )
    lost = shapely.is_empty(fixed)
    fixed[lost] = metric[present][lost]
    cleaned[present] = fixed
    return cleaned, True


def simplify(metric: np.ndarray, coverage: bool, level: int) -> np.ndarray:
    """Generalise geometries (METRIC_CRS) for ``level`` and return them in STORAGE_CRS.

    Parameters
    ----------
    metric : ndarray of shapely geometries in METRIC_CRS (from :func:`prepare_coverage`)
    coverage : bool
        Simplify as a coverage (shared edges stay shared).
    level : int
        A level from :func:`level_of`.

    Returns
    -------
    ndarray of shapely geometries in STORAGE_CRS, rounded and oriented (see :func:`finish`).
    """
    tol = tolerance_m(level)
    present = ~shapely.is_missing(metric)
    out = metric.copy()
    if coverage:
        out[present] = shapely.coverage_simplify(metric[present], tol, simplify_boundary=True)
    else:
        types = shapely.get_type_id(metric)
        lines_or_polys = present & ~np.isin(types, (0, 4))
        out[lines_or_polys] = shapely.simplify(metric[lines_or_polys], tol, preserve_topology=True)
    gone = present & (shapely.is_missing(out) | shapely.is_empty(out))
    out[gone] = metric[gone]
    back = np.asarray(gpd.GeoSeries(out, crs=METRIC_CRS).to_crs(STORAGE_CRS).array, dtype=object)
    return finish(back, decimals_of(level))
