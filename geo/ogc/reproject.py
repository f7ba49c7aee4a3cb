"""Output and bbox CRSs of the items (OGC API - Features Part 2: ``crs``, ``bbox-crs``).

Features are stored and rendered in CRS84 (longitude, latitude). A request may ask for them
in any CRS of :data:`~geo.crs.OUTPUT_CRS` (``crs=``) and give its ``bbox`` in one of them
(``bbox-crs=``). Every transformation uses pyproj with the authority axis order of both CRSs
(``always_xy=False``, said explicitly): CRS84 is longitude first, EPSG:4326 latitude first,
EPSG:32748 easting first. A ``bbox`` is turned into a CRS84 box with its edges densified, so
a box in metres selects every feature its curved outline in degrees reaches.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import orjson
import pyproj
import shapely

from geo.crs import CRS84_CODE, CRS84_URI, OUTPUT_CRS, STORAGE_CRS
from geo.errors import InvalidParameterError
from geo.params import parse_number, shown

if TYPE_CHECKING:  # the query parser imports this module: no import cycle at run time
    from geo.ogc.providers.base import Selection
    from geo.ogc.render.gpkg import GpkgTable

SUPPORTED = tuple(OUTPUT_CRS)
"""The CRS URIs ``crs`` and ``bbox-crs`` accept (as listed in each collection's ``crs``)."""

_SPELLINGS: dict[str, str] = {}
for _uri, _code in OUTPUT_CRS.items():
    _auth, _number = _code.split(":")
    for _spelling in (
        _uri,
        _code,
        f"[{_code}]",
        f"urn:ogc:def:crs:{_auth}:{'1.3' if _auth == 'OGC' else ''}:{_number}",
        _number if _auth == "OGC" else f"{_auth}:{_number}",
    ):
        _SPELLINGS[_spelling.lower()] = _uri

DEGREE_DECIMALS = 9
METRE_DECIMALS = 4
"""Decimals kept of reprojected coordinates: 9 in degrees, 4 (0.1 mm) in metres."""
DENSIFY_POINTS = 21
"""Points added along each edge of a ``bbox`` before it is transformed."""


def parse_crs(name: str, text: str) -> str:
    """The canonical OGC URI of a ``crs`` or ``bbox-crs`` value.

    Accepts the URI, ``EPSG:32748``, ``[EPSG:32748]`` (safe CURIE), the OGC URN and ``CRS84``,
    in any case.

    Raises
    ------
    InvalidParameterError
        The value names no supported CRS; the message lists the supported ones.
    """
    uri = _SPELLINGS.get(text.strip().lower())
    if uri is None:
        raise InvalidParameterError(
            f"{name} {shown(text)} is not supported; use one of: " + ", ".join(SUPPORTED),
            details={"supported": list(SUPPORTED)},
        )
    return uri


@lru_cache(maxsize=16)
def transformer(source: str, target: str) -> pyproj.Transformer:
    """The pyproj Transformer from CRS URI ``source`` to ``target`` in authority axis order."""
    return pyproj.Transformer.from_crs(
        pyproj.CRS.from_user_input(OUTPUT_CRS[source]),
        pyproj.CRS.from_user_input(OUTPUT_CRS[target]),
        always_xy=False,
    )


def bbox_in_crs84(text: str, crs: str) -> tuple[float, float, float, float]:
    """A ``bbox`` given in ``crs`` (its axis order) as a CRS84 box (lon/lat).

    Parameters
    ----------
    text : str
        Four numbers (or six, heights ignored), in the order of the axes of ``crs``:
        ``minlat,minlon,maxlat,maxlon`` for EPSG:4326, ``minE,minN,maxE,maxN`` for EPSG:32748.
    crs : str
        A URI of :data:`SUPPORTED` other than CRS84.

    Raises
    ------
    InvalidParameterError
        Not 4 or 6 numbers, min above max, or outside where ``crs`` is defined.
    """
    parts = text.split(",")
    if len(parts) not in (4, 6):
        raise InvalidParameterError(
            f"bbox must be 4 numbers in the axis order of {crs}, got {len(parts)} values"
        )
    nums = [parse_number("bbox", p) for p in parts]
    if len(nums) == 6:
        nums = [nums[0], nums[1], nums[3], nums[4]]
    a0, b0, a1, b1 = nums
    if a0 > a1 or b0 > b1:
        raise InvalidParameterError(
            f"bbox must have its lower corner first (in the axis order of {crs}), got "
            + ",".join(f"{n:g}" for n in nums)
        )
    with np.errstate(all="ignore"):
        try:
            box = transformer(crs, CRS84_URI).transform_bounds(
                a0, b0, a1, b1, densify_pts=DENSIFY_POINTS
            )
        except pyproj.exceptions.ProjError:
            box = (math.inf,) * 4
    minx, miny, maxx, maxy = (float(v) for v in box)
    if not all(math.isfinite(v) for v in box) or not (
        -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90
    ):
        raise InvalidParameterError(f"bbox lies outside the area where {crs} is defined (bbox-crs)")
    return minx, miny, maxx, maxy


def _mover(crs: str) -> Callable[[np.ndarray], np.ndarray]:
    t = transformer(CRS84_URI, crs)
    geographic = pyproj.CRS.from_user_input(OUTPUT_CRS[crs]).is_geographic
    decimals = DEGREE_DECIMALS if geographic else METRE_DECIMALS

    def move(xy: np.ndarray) -> np.ndarray:
        first, second = t.transform(xy[:, 0], xy[:, 1])
        return np.round(np.column_stack([first, second]), decimals)

    return move


def reproject_features(features: list[bytes], crs: str) -> list[bytes]:
    """GeoJSON Feature bytes (CRS84) with their geometry in ``crs`` (its axis order).

    One vectorised pass: the geometries are read with :func:`shapely.from_geojson`, moved with
    :func:`shapely.transform` and written back with :func:`shapely.to_geojson`.
    """
    if crs == CRS84_URI or not features:
        return features
    docs = [orjson.loads(f) for f in features]
    placed = [i for i, d in enumerate(docs) if d.get("geometry") is not None]
    if not placed:
        return features
    geoms = shapely.from_geojson([orjson.dumps(docs[i]["geometry"]) for i in placed])
    moved = shapely.transform(geoms, _mover(crs))
    for i, text in zip(placed, shapely.to_geojson(moved), strict=True):
        docs[i]["geometry"] = orjson.Fragment(text)
    return [orjson.dumps(d) for d in docs]


def reproject_table(table: GpkgTable, crs: str) -> GpkgTable:
    """A GeoPackage table with its features in ``crs`` (so the file declares that SRS).

    CRS84 and EPSG:4326 are the same SRS in a GeoPackage (GDAL stores longitude as x for
    both), so only a projected CRS changes the frame.
    """
    frame = table.frame
    if not isinstance(frame, gpd.GeoDataFrame) or OUTPUT_CRS[crs] in (CRS84_CODE, STORAGE_CRS):
        return table
    return replace(table, frame=frame.to_crs(OUTPUT_CRS[crs]))


def in_crs(selection: Selection, crs: str) -> Selection:
    """``selection`` with its features (and its GeoPackage table) in ``crs``."""
    if crs == CRS84_URI:
        return selection
    source = selection.table
    return replace(
        selection,
        features=reproject_features(selection.features, crs),
        table=lambda lang: reproject_table(source(lang), crs),
    )


def content_crs(crs: str) -> str:
    """The ``Content-Crs`` header value of a response in ``crs`` (the URI in angle brackets)."""
    return f"<{crs}>"
