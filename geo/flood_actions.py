"""Which resilience actions touch the places flooded in the February 2017 replay.

An action touches the flood at hour h when

* it has a geometry (point, line or area) that intersects a RW flooded at h (any state 1-4),
  tested against the full-resolution RW polygons of the replay (lon/lat; an intersection
  test needs no metric CRS); or
* it has no geometry and is attached to admin units, and one of the kelurahan those units
  hold is touched at h (the kelurahan list of :mod:`geo.flood_replay`).

:func:`flood_links` works out, once per state of the actions store, what each live action can
touch (its RW positions or its attached kelurahan), so the page decides per hour with two set
lookups and never asks the server again when the hour moves.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely

from geo.actions.records import Action


@dataclass(frozen=True)
class FloodLink:
    """What one action can touch of the replay.

    Attributes
    ----------
    id : str
        The action's id.
    title : str
        Its title (user text: escape before HTML).
    pillar, status : str
        Its pillar and status.
    rw : tuple of int
        Positions (in the replay's RW list) of the RWs its geometry intersects, ascending.
    kelurahan : tuple of str
        The kelurahan it is attached to when it has no geometry (empty otherwise).
    """

    id: str
    title: str
    pillar: str
    status: str
    rw: tuple[int, ...]
    kelurahan: tuple[str, ...]

    def touches(self, rws: set[int], kelurahan: set[str]) -> bool:
        """Whether it touches an hour with flooded RW positions ``rws`` and ``kelurahan``."""
        return bool(rws.intersection(self.rw)) or bool(kelurahan.intersection(self.kelurahan))

    def to_dict(self) -> dict[str, object]:
        """JSON-ready."""
        return {
            "id": self.id,
            "title": self.title,
            "pillar": self.pillar,
            "status": self.status,
            "rw": list(self.rw),
            "kelurahan": list(self.kelurahan),
        }


def flood_links(actions: Sequence[Action], rw_geoms: np.ndarray) -> list[FloodLink]:
    """Per live action, the replay RWs it intersects or the kelurahan it is attached to.

    Parameters
    ----------
    actions : sequence of Action
        The live actions of the store (deleted ones are skipped).
    rw_geoms : ndarray of shapely polygons
        The replay's RW polygons in lon/lat (STORAGE_CRS), in the replay's RW order.

    Returns
    -------
    list of FloodLink
        Only the actions that can touch the event at some hour, by id.
    """
    live = [a for a in actions if not a.deleted]
    polygons = shapely.make_valid(np.asarray(rw_geoms, dtype=object))
    tree = shapely.STRtree(polygons)
    with_geom = [a for a in live if a.geometry is not None and not a.geometry.is_empty]
    hits: dict[str, set[int]] = {a.id: set() for a in with_geom}
    if with_geom:
        geoms = np.asarray([a.geometry for a in with_geom], dtype=object)
        action_idx, rw_idx = tree.query(geoms, predicate="intersects")
        for i, r in zip(action_idx.tolist(), rw_idx.tolist(), strict=True):
            hits[with_geom[i].id].add(int(r))
    out = []
    for action in sorted(live, key=lambda a: a.id):
        rw = tuple(sorted(hits.get(action.id, ())))
        attached = tuple(sorted(action.kelurahan)) if action.id not in hits else ()
        if not rw and not attached:
            continue
        out.append(
            FloodLink(
                id=action.id,
                title=str(action.props.get("title") or ""),
                pillar=str(action.props.get("pillar") or ""),
                status=str(action.props.get("status") or ""),
                rw=rw,
                kelurahan=attached,
            )
        )
    return out


def touching(
    links: Sequence[FloodLink], rws: Sequence[int], kelurahan: Sequence[str]
) -> list[FloodLink]:
    """The links that touch an hour (its flooded RW positions and kelurahan touched)."""
    rw_set, kel_set = set(rws), set(kelurahan)
    return [link for link in links if link.touches(rw_set, kel_set)]
