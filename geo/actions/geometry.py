"""Checking an action's GeoJSON geometry: structure, finiteness, 2D, size, validity, extent.

Invalid geometry is rejected with the reason and the place (from
:func:`shapely.is_valid_reason`), never repaired silently: a planner should see what they drew.
"""

from __future__ import annotations

import math
from typing import Any

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from geo.crs import JAKARTA_EXTENT, Extent

ACTION_EXTENT: Extent = JAKARTA_EXTENT.grow(0.05)
"""Where an action may lie: DKI Jakarta with Kepulauan Seribu, plus about 5 km."""

DEPTH = {
    "Point": 0,
    "MultiPoint": 1,
    "LineString": 1,
    "MultiLineString": 2,
    "Polygon": 2,
    "MultiPolygon": 3,
}
"""Accepted geometry types and how deeply their positions are nested."""

FieldErrors = list[dict[str, str]]


class _StopError(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _fits_float(v: int | float) -> bool:
    """Whether a JSON number can be a float (an integer like 10**400 cannot)."""
    if isinstance(v, float):
        return True
    try:
        float(v)
    except OverflowError:
        return False
    return True


def _walk(node: Any, depth: int, path: str, kind: str, counter: list[int], limit: int) -> None:
    """Check nested coordinate arrays; raise :class:`_StopError` at the first problem."""
    if not isinstance(node, list):
        raise _StopError(path, "must be an array")
    if depth == 0:
        if len(node) != 2:
            if len(node) > 2:
                raise _StopError(
                    path, "3D or measured coordinates are not accepted: send [lon, lat]"
                )
            raise _StopError(path, "a position must be [lon, lat]")
        if not all(_is_number(v) for v in node):
            raise _StopError(path, "coordinates must be numbers")
        if not all(_fits_float(v) for v in node):
            raise _StopError(
                path,
                "a coordinate is too large to be a number of degrees: send [lon, lat] with "
                "lon in -180..180 and lat in -90..90, e.g. [106.83, -6.18]",
            )
        if not all(math.isfinite(v) for v in node):
            raise _StopError(
                path,
                "coordinates must be finite numbers of degrees (no NaN or Infinity, and "
                "nothing as large as 1e400)",
            )
        counter[0] += 1
        if counter[0] > limit:
            raise _StopError("geometry.coordinates", f"more than {limit:,} vertices; simplify it")
        return
    if not node:
        raise _StopError(path, "is empty: an action's geometry must not be empty")
    for i, child in enumerate(node):
        _walk(child, depth - 1, f"{path}.{i}", kind, counter, limit)
    if depth == 1 and kind in ("LineString", "MultiLineString") and len(node) < 2:
        raise _StopError(path, "a line needs at least 2 positions")
    if depth == 1 and kind in ("Polygon", "MultiPolygon"):
        if len(node) < 4:
            raise _StopError(path, "a polygon ring needs at least 4 positions")
        if node[0] != node[-1]:
            raise _StopError(path, "a polygon ring must end at its first position (closed)")


def _bounds_note(minx: float, miny: float, maxx: float, maxy: float) -> str:
    ext = ACTION_EXTENT
    swapped = ext.contains(miny, minx, maxy, maxx)
    where = f"bounds lon {minx:.5f}..{maxx:.5f}, lat {miny:.5f}..{maxy:.5f}"
    if swapped:
        return (
            f"lies outside Jakarta ({where}) but would fit if latitude and longitude were "
            "swapped: GeoJSON positions are [lon, lat], e.g. [106.83, -6.18]"
        )
    return (
        f"lies outside the Jakarta extent including Kepulauan Seribu ({where}; allowed lon "
        f"{ext.minx}..{ext.maxx}, lat {ext.miny}..{ext.maxy})"
    )


def parse_geometry(obj: Any, max_vertices: int) -> tuple[BaseGeometry | None, FieldErrors]:
    """Check a GeoJSON geometry object and turn it into a shapely geometry.

    Parameters
    ----------
    obj : Any
        The decoded ``geometry`` member of a Feature; ``None`` means "no geometry".
    max_vertices : int
        Most positions allowed (``KETAHANAN_MAX_VERTICES``).

    Returns
    -------
    tuple of (BaseGeometry or None, list of dict)
        The geometry (polygons oriented counter-clockwise, RFC 7946) and the field errors,
        each ``{"field": "geometry...", "message": ...}``. An empty error list means valid.
    """
    if obj is None:
        return None, []
    if not isinstance(obj, dict):
        return None, [{"field": "geometry", "message": "must be a GeoJSON geometry object"}]
    kind = obj.get("type")
    if not isinstance(kind, str) or kind not in DEPTH:  # a list or object is not hashable
        allowed = ", ".join(DEPTH)
        return None, [
            {"field": "geometry.type", "message": f"{kind!r} is not accepted; use one of {allowed}"}
        ]
    if "coordinates" not in obj:
        return None, [{"field": "geometry.coordinates", "message": "is missing"}]
    extra = sorted(set(obj) - {"type", "coordinates", "bbox"})
    if extra:
        return None, [{"field": f"geometry.{extra[0]}", "message": "is not a geometry member"}]
    box = obj.get("bbox")
    if "bbox" in obj and not (
        isinstance(box, list)
        and len(box) in (4, 6)
        and all(_is_number(v) and _fits_float(v) and math.isfinite(v) for v in box)
    ):
        return None, [
            {"field": "geometry.bbox", "message": "must be [minx, miny, maxx, maxy] (numbers)"}
        ]
    try:
        _walk(obj["coordinates"], DEPTH[kind], "geometry.coordinates", kind, [0], max_vertices)
        geom = shape({"type": kind, "coordinates": obj["coordinates"]})
    except _StopError as stop:
        return None, [{"field": stop.field, "message": stop.message}]
    except (ValueError, TypeError, shapely.errors.GEOSException) as exc:
        return None, [{"field": "geometry.coordinates", "message": f"not a valid {kind}: {exc}"}]
    if geom.is_empty:
        return None, [{"field": "geometry", "message": "is empty"}]
    reason = shapely.is_valid_reason(geom)
    if reason != "Valid Geometry":
        return None, [
            {
                "field": "geometry",
                "message": f"is not valid: {reason} (lon lat); fix it and send it again, "
                "it is not repaired automatically",
            }
        ]
    minx, miny, maxx, maxy = geom.bounds
    if not ACTION_EXTENT.contains(minx, miny, maxx, maxy):
        return None, [{"field": "geometry", "message": _bounds_note(minx, miny, maxx, maxy)}]
    if kind in ("Polygon", "MultiPolygon"):
        geom = shapely.orient_polygons(geom, exterior_cw=False)
    return geom, []
