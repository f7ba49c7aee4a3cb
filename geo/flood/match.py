"""Match the areas of a flood feed to the RWs of the build (``rw`` layer, RW 2014 polygons).

The RW 2014 polygons carry no code, so an area is matched by place: the point on the surface
of its geometry falls in one RW of the build. An area without a usable geometry is matched by
its ``geom_id`` through the February 2017 archive (``flood_2017_hourly``), whose polygons carry
the same ids. An area matched neither way is reported by id with the fetch, never dropped
silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import shapely

from geo.flood.feed import FeedArea
from geo.ogc.collection import Collection

RW_LAYER = "rw"
ARCHIVE_LAYER = "flood_2017_hourly"


@dataclass
class Matched:
    """The areas of a fetch that matched an RW (with its ``rw_fid``) and those that did not.

    ``rw_fid`` is the RW's feature id in the build (its GeoPackage fid): the source's
    ``OBJECTID`` (``rw_id``) is not unique (63 repeats), so it cannot name an RW."""

    areas: list[tuple[FeedArea, int]] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)


class RwIndex:
    """The RWs of one build, to match feed areas to.

    Parameters
    ----------
    rw : Collection
        The build's ``rw`` layer (geometry; RWs are named by their feature id).
    archive : Collection, optional
        The build's ``flood_2017_hourly`` layer (``geom_id``, geometry) for areas without
        geometry.
    """

    def __init__(self, rw: Collection, archive: Collection | None = None) -> None:
        if rw.geometry is None:
            raise ValueError("the rw layer needs geometry")
        self.rw = rw
        self.rw_fids = np.asarray([int(f) for f in rw.feature_ids], dtype=np.int64)
        self._tree = shapely.STRtree(rw.geometry)
        self.position_of = {int(r): i for i, r in enumerate(self.rw_fids.tolist())}
        self.by_geom_id: dict[str, int] = {}
        if archive is not None and archive.geometry is not None:
            ids = archive.frame["geom_id"].astype(str).to_numpy()
            first = np.unique(ids, return_index=True)[1]
            found = self._locate(archive.geometry[first])
            for gid, rw_id in zip(ids[first].tolist(), found, strict=True):
                if rw_id is not None:
                    self.by_geom_id[gid] = rw_id

    def _locate(self, geoms: np.ndarray) -> list[int | None]:
        points = shapely.point_on_surface(geoms)
        hits = self._tree.query(points, predicate="within")
        found: list[int | None] = [None] * len(geoms)
        for src, dst in zip(hits[0].tolist(), hits[1].tolist(), strict=True):
            if found[src] is None:
                found[src] = int(self.rw_fids[dst])
        return found

    def match(self, areas: list[FeedArea]) -> Matched:
        """Each area's RW: by its geometry, else by ``geom_id`` through the archive."""
        out = Matched()
        shaped = [a.geometry if a.geometry is not None else shapely.Point() for a in areas]
        located = self._locate(np.asarray(shaped, dtype=object)) if areas else []
        for area, rw_id in zip(areas, located, strict=True):
            if rw_id is None and area.geom_id is not None:
                rw_id = self.by_geom_id.get(area.geom_id)
            if rw_id is None:
                out.unmatched.append(area.label)
            else:
                out.areas.append((area, rw_id))
        return out
