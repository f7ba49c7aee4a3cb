"""The provider of ``flood_live``: the RWs flooded in the latest good fetch of the flood feed.

Served from the actions store's flood fetches (:mod:`geo.flood.store`) on the build's RW
geometry (shared with the ``rw`` collection, nothing serialised again). Without ``datetime``
the items are the state of the latest good fetch, with a ``feed`` member saying when it was
fetched, its age, whether it is stale (the last fetch failed, or it is older than the stale
limit) and the last error. ``datetime`` replays what was fetched: an instant gives the good
fetch in force then (the latest at or before it), an interval every good fetch in it (one
feature per RW and fetch). Feature ids are ``<fetch id>-<rw_fid>`` (the RW's feature id in ``rw``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from geo.errors import NotFoundError, ServiceUnavailableError
from geo.flood.store import FetchRecord, FloodFeedStore, RwState
from geo.ogc.collection import Collection
from geo.ogc.documents import CollectionInfo
from geo.ogc.engine import queryables, run_query
from geo.ogc.prose import collection_prose
from geo.ogc.providers.base import Selection
from geo.ogc.providers.layers import selection
from geo.ogc.query import ItemsQuery, Queryables
from geo.params import iso_instant
from geo.vocabulary import DEPTH_CLASS_2017

FLOOD_LIVE = "flood_live"
RW_FIELDS = ("rw_id", "rw", "nama_kelurahan_sumber", "kode_kelurahan")
TIME_PROPERTY = "fetched_at"


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else iso_instant(moment)


def feed_status(
    feed: FloodFeedStore, stale_after: float, now: datetime | None = None
) -> dict[str, Any]:
    """The ``feed`` member: the state served, its age, staleness and the last fetch."""
    now = now or datetime.now(UTC)
    good, last = feed.last_good(), feed.last_attempt()
    age = None if good is None else max(0.0, (now - good.fetched_at).total_seconds())
    failed = last is not None and not last.ok
    return {
        "fetch": None if good is None else good.id,
        "fetched_at": None if good is None else _iso(good.fetched_at),
        "age_seconds": None if age is None else round(age),
        "stale": good is None or failed or (age is not None and age > stale_after),
        "stale_after_seconds": stale_after,
        "unmatched": [] if good is None else good.unmatched,
        "last_attempt": None if last is None else last.summary(),
        "error": last.error if failed and last is not None else None,
    }


class FloodLiveProvider:
    """Serves the flood feed's latest good state, or a replay of the fetches (``datetime``)."""

    cacheable = False
    protected = False

    def __init__(
        self, rw: Collection, feed: Callable[[], FloodFeedStore], *, stale_after: float
    ) -> None:
        self.rw = rw
        self.feed = feed
        self.stale_after = stale_after
        self.id = FLOOD_LIVE
        self.download_name = FLOOD_LIVE
        self.prose = collection_prose(FLOOD_LIVE)

    @cached_property
    def _position(self) -> dict[int, int]:
        """Row of each RW id in the build's RW layer (made when first needed: the registry
        makes this provider for every request, most of which never read the feed)."""
        return {int(f): i for i, f in enumerate(self.rw.feature_ids)}

    def _view(self, fetches: Sequence[FetchRecord]) -> Collection:
        by_id = {f.id: f for f in fetches}
        states: list[RwState] = [
            s for s in self.feed().states_of(list(by_id)) if s.rw_fid in self._position
        ]
        positions = np.asarray([self._position[s.rw_fid] for s in states], dtype=np.int64)
        rw = self.rw.frame.iloc[positions]
        frame = pd.DataFrame({"rw_fid": np.asarray([s.rw_fid for s in states], dtype=np.int64)})
        for name in RW_FIELDS:
            if name in rw.columns:
                frame[name] = rw[name].to_numpy()
        frame["state"] = np.asarray([s.state for s in states], dtype=np.int64)
        frame["depth_class"] = [DEPTH_CLASS_2017.get(s.state) for s in states]
        frame["area_id"] = [s.area_id for s in states]
        frame["geom_id"] = [s.geom_id for s in states]
        frame["last_updated"] = [_iso(s.last_updated) for s in states]
        frame["fetch_id"] = np.asarray([s.fetch_id for s in states], dtype=np.int64)
        frame[TIME_PROPERTY] = [_iso(by_id[s.fetch_id].fetched_at) for s in states]
        return Collection(
            id=self.id,
            prose=self.prose,
            frame=frame,
            geometry=None if self.rw.geometry is None else self.rw.geometry[positions],
            geometry_type=self.rw.geometry_type,
            feature_ids=[f"{s.fetch_id}-{s.rw_fid}" for s in states],
            view_of=(self.rw, positions),
        )

    def _fetches(self, query: ItemsQuery) -> list[FetchRecord]:
        feed = self.feed()
        if query.datetime is None:
            good = feed.last_good()
            return [] if good is None else [good]
        start, end = (
            None if t is None else pd.Timestamp(t).to_pydatetime() for t in query.datetime
        )
        if query.datetime_instant and start is not None:
            good = feed.last_good(at=start)
            return [] if good is None else [good]
        return feed.good_between(start, end)

    @cached_property
    def _queryables(self) -> Queryables:
        return dataclasses.replace(queryables(self._view([])), time=TIME_PROPERTY)

    def queryables(self) -> Queryables:
        """The state properties filter; ``datetime`` is on the fetch time."""
        return self._queryables

    def describe(self) -> CollectionInfo:
        """Title, description, the RW extent and the times of the first and last good fetch."""
        try:
            extent = self.feed().extent()
        except ServiceUnavailableError:  # the collections list answers without the store
            extent = None
        return CollectionInfo(
            id=self.id,
            title=self.prose.title,
            description=self.prose.description,
            queryables=self._queryables,
            geometry_type=self.rw.geometry_type,
            bbox=self.rw.bbox,
            interval=None if extent is None else (_iso(extent[0]), _iso(extent[1])),
            feature_id="fetch_id-rw_fid",
        )

    def _selection(self, view: Collection, query: ItemsQuery, feature_id: str | None) -> Selection:
        plain = dataclasses.replace(query, datetime=None, datetime_instant=False)
        chosen = selection(view, plain, run_query(view, plain, feature_id=feature_id))
        chosen.members["feed"] = feed_status(self.feed(), self.stale_after)
        return chosen

    def query(self, query: ItemsQuery) -> Selection:
        """The RWs of the fetch(es) the query selects, with the ``feed`` member."""
        return self._selection(self._view(self._fetches(query)), query, None)

    def get(self, feature_id: str, query: ItemsQuery) -> Selection:
        """One RW of one fetch, ``<fetch id>-<rw_fid>``."""
        head, _, _ = feature_id.partition("-")
        if not head.isdigit() or len(head) > 9:
            raise NotFoundError(f"no feature '{feature_id}' in collection '{self.id}'")
        fetch = self.feed().fetch(int(head))
        fetches = [] if fetch is None or not fetch.ok else [fetch]
        return self._selection(self._view(fetches), query, feature_id)
