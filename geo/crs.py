"""The two coordinate reference systems of the project, and the Jakarta extent.

Nothing else in the code base spells an EPSG code: geometry is stored and served in
:data:`STORAGE_CRS` (WGS 84 lon/lat) and measured (areas, buffers, distances) only in
:data:`METRIC_CRS` (WGS 84 / UTM zone 48S).
"""

from __future__ import annotations

from typing import NamedTuple

STORAGE_CRS = "EPSG:4326"
"""WGS 84 longitude/latitude: how every layer is stored and served (RFC 7946)."""

METRIC_CRS = "EPSG:32748"
"""WGS 84 / UTM zone 48S: the only CRS in which areas and distances are measured."""


class Extent(NamedTuple):
    """A lon/lat bounding box (minx, miny, maxx, maxy) in degrees."""

    minx: float
    miny: float
    maxx: float
    maxy: float

    def grow(self, margin: float) -> Extent:
        """Return the extent grown by ``margin`` degrees on every side."""
        return Extent(
            self.minx - margin, self.miny - margin, self.maxx + margin, self.maxy + margin
        )

    def contains(self, minx: float, miny: float, maxx: float, maxy: float) -> bool:
        """True when the box (minx, miny, maxx, maxy) lies inside this extent."""
        return minx >= self.minx and miny >= self.miny and maxx <= self.maxx and maxy <= self.maxy


JAKARTA_EXTENT = Extent(106.35, -6.45, 107.00, -5.15)
"""DKI Jakarta, mainland and Kepulauan Seribu (the islands reach about 5.2 degrees S)."""

EXTENT_MARGIN_DEG = 0.5
"""How far (about 55 km) a source may reach past DKI: GTFS and rail reach into Bodetabek,
waterways upstream into Bogor. Anything beyond is set aside and reported."""

CHECK_EXTENT = JAKARTA_EXTENT.grow(EXTENT_MARGIN_DEG)
"""The extent every input is checked against on read."""


def ogc_uri(code: str) -> str:
    """The OGC URI of an ``EPSG:<n>`` code (``http://www.opengis.net/def/crs/EPSG/0/<n>``)."""
    return "http://www.opengis.net/def/crs/EPSG/0/" + code.split(":", 1)[1]


CRS84_URI = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
"""WGS 84 longitude/latitude (OGC API default, RFC 7946 axis order): :data:`STORAGE_CRS`
with longitude first."""

CRS84_CODE = "OGC:CRS84"
"""The authority code of :data:`CRS84_URI` (as pyproj reads it)."""

OUTPUT_CRS = {
    CRS84_URI: CRS84_CODE,
    ogc_uri(STORAGE_CRS): STORAGE_CRS,
    ogc_uri(METRIC_CRS): METRIC_CRS,
}
"""The CRSs features are served in and a ``bbox`` may be given in (OGC API - Features Part 2):
OGC URI to the authority code pyproj reads. EPSG:4326 is latitude first (its axis order)."""
