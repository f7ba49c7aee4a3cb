"""The provider of a pillar's coverage gaps during a flood (``/coverage-gaps?banjir=``).

The kelurahan flooded now (the flood feed's latest good state, or the February 2017 snapshot
in force at a replay instant; :mod:`geo.flood.during`) that no planned or in-progress action
of the pillar touches, served as a subset of the kelurahan collection, with a ``flood``
member (the moment, its source, the feed's state) and ``actions_flooded`` (the live actions
touching a flooded kelurahan).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from geo.errors import ServiceUnavailableError
from geo.flood.during import FEB2017, LIVE, FloodedNow, actions_in_flood, flooded_from_rw
from geo.flood.match import RwIndex
from geo.flood.store import FloodFeedStore
from geo.ogc.collection import Collection
from geo.ogc.documents import CollectionInfo
from geo.ogc.engine import queryables, run_query
from geo.ogc.prose import collection_prose
from geo.ogc.providers.base import Selection
from geo.ogc.providers.flood import feed_status
from geo.ogc.providers.gaps import FIELDS
from geo.ogc.providers.layers import selection
from geo.ogc.query import ItemsQuery, Queryables
from geo.ogc.temporal import in_force
from geo.params import iso_instant
from geo.vocabulary import Pillar


class FloodGapsProvider:
    """Kelurahan flooded at one moment with no active action of a pillar."""

    cacheable = False
    protected = True

    def __init__(
        self,
        kelurahan: Collection,
        pillar: Pillar,
        covered: Callable[[Pillar], set[str]],
        flooded: Callable[[], FloodedNow],
        actions: Callable[[], list[Any]],
    ) -> None:
        self.kelurahan = kelurahan
        self.pillar = pillar
        self.covered = covered
        self.flooded = flooded
        self.actions = actions
        self.id = f"coverage_gaps_{pillar}_banjir"
        self.download_name = self.id
        self.prose = collection_prose("flood_gaps", pillar=str(pillar), flood="banjir")
        self._queryables: Queryables | None = None

    def _frame(self, positions: np.ndarray, now: FloodedNow) -> pd.DataFrame:
        source = self.kelurahan.frame
        frame = source.iloc[positions][[f for f in FIELDS if f in source.columns]].copy()
        codes = frame["kode"].astype(str).tolist()
        frame["rw_flooded"] = np.asarray(
            [len(now.rw_by_kelurahan.get(k, ())) for k in codes], dtype=np.int64
        )
        frame["worst_state"] = np.asarray(
            [now.worst_state.get(k, 0) for k in codes], dtype=np.int64
        )
        return frame.reset_index(drop=True)

    def _view(self) -> tuple[Collection, FloodedNow]:
        now = self.flooded()
        covered = self.covered(self.pillar)
        codes = self.kelurahan.frame["kode"].astype(str)
        mask = codes.isin(sorted(now.rw_by_kelurahan)) & ~codes.isin(sorted(covered))
        positions = np.flatnonzero(mask.to_numpy())
        frame = self._frame(positions, now)
        order = np.lexsort((frame["kode"].to_numpy(), -frame["rw_flooded"].to_numpy()))
        positions, frame = positions[order], frame.iloc[order].reset_index(drop=True)
        return self.kelurahan.subset(self.id, self.prose, positions, frame), now

    def queryables(self) -> Queryables:
        """The gap properties filter; no weights or classes."""
        if self._queryables is None:
            empty = FloodedNow("live", None)
            none = np.zeros(0, dtype=np.int64)
            view = self.kelurahan.subset(self.id, self.prose, none, self._frame(none, empty))
            self._queryables = queryables(view)
        return self._queryables

    def describe(self) -> CollectionInfo:
        """Title and description; no size (it changes with the flood and the actions)."""
        return CollectionInfo(
            id=self.id,
            title=self.prose.title,
            description=self.prose.description,
            queryables=self.queryables(),
            geometry_type=self.kelurahan.geometry_type,
            bbox=self.kelurahan.bbox,
            feature_id="kode",
        )

    def _answer(self, query: ItemsQuery, feature_id: str | None) -> Selection:
        view, now = self._view()
        chosen = selection(view, query, run_query(view, query, feature_id=feature_id))
        chosen.members["flood"] = now.summary()
        chosen.members["actions_flooded"] = actions_in_flood(self.actions(), now)
        return chosen

    def query(self, query: ItemsQuery) -> Selection:
        """The flooded, uncovered kelurahan (most flooded RWs first) and the flooded actions."""
        return self._answer(query, None)

    def get(self, feature_id: str, query: ItemsQuery) -> Selection:
        """One gap by kelurahan code."""
        return self._answer(query, feature_id)


def flooded_now(
    banjir: str,
    rw: Collection,
    hourly: Collection | None,
    feed: Callable[[], FloodFeedStore],
    stale_after: float,
) -> FloodedNow:
    """The kelurahan flooded at ``banjir`` (``live``, or a UTC instant of the 2017 replay)."""
    rw_kelurahan: dict[int, Any] = {}
    for fid, kode in zip(rw.feature_ids, rw.frame["kode_kelurahan"].tolist(), strict=True):
        rw_kelurahan[int(fid)] = kode
    if banjir == LIVE:
        store = feed()
        good = store.last_good()
        states = [] if good is None else store.states_of([good.id])
        at = None if good is None else iso_instant(good.fetched_at)
        now = flooded_from_rw(LIVE, at, [(s.rw_fid, s.state) for s in states], rw_kelurahan)
        now.feed = feed_status(store, stale_after)
        return now
    if hourly is None or hourly.times is None:
        raise ServiceUnavailableError("the build has no flood_2017_hourly layer to replay")
    chosen = in_force(hourly.times, banjir)
    if chosen is None:
        return FloodedNow(FEB2017, None)
    rows = np.flatnonzero((hourly.times == chosen).to_numpy())
    index = RwIndex(rw, hourly)
    pairs = []
    for gid, state in hourly.frame.iloc[rows][["geom_id", "state"]].itertuples(index=False):
        rw_id = index.by_geom_id.get(str(gid))
        if rw_id is not None:
            pairs.append((rw_id, int(state)))
    return flooded_from_rw(FEB2017, iso_instant(chosen.to_pydatetime()), pairs, rw_kelurahan)
