"""Every collection of one request, by id: the build's layers, the actions, the gaps.

A :class:`Registry` is made per request from the build snapshot being served and a function
giving the actions store (opened only when a collection needs it), so every collection comes
from one build and the build layers never wait on the database. Before any build the actions
still answer: a registry without a snapshot serves them, and every other collection is the
:class:`~geo.errors.NoBuildError` (503) saying to run ``ketahanan build``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from geo.actions.store import ActionStore
from geo.errors import NoBuildError, NotFoundError, ServiceUnavailableError
from geo.flood.during import FloodedNow
from geo.flood.match import ARCHIVE_LAYER, RW_LAYER
from geo.flood.store import FloodFeedStore
from geo.ogc.providers.actions import ACTIONS, ActionsProvider
from geo.ogc.providers.base import CollectionProvider
from geo.ogc.providers.flood import FLOOD_LIVE, FloodLiveProvider
from geo.ogc.providers.flood_gaps import FloodGapsProvider, flooded_now
from geo.ogc.providers.gaps import GapsProvider, gaps_id
from geo.ogc.providers.layers import LayerProvider
from geo.snapshot import BuildSnapshot
from geo.vocabulary import Level, Pillar


class Registry:
    """The providers of one build snapshot (None before any build) and one actions store.

    Parameters
    ----------
    snapshot : BuildSnapshot or None
        The build served; None when there is none (``no_build`` then says why).
    store : callable
        Gives the actions store.
    no_build : NoBuildError, optional
        Why there is no snapshot (its message names the build path).
    """

    def __init__(
        self,
        snapshot: BuildSnapshot | None,
        store: Callable[[], ActionStore],
        *,
        no_build: NoBuildError | None = None,
        flood_stale_after: float = 900.0,
    ) -> None:
        self._snapshot = snapshot
        self._no_build = no_build
        self._store = store
        self.actions = ActionsProvider(store)
        kelurahan = None if snapshot is None else snapshot.collections.get(Level.kelurahan)
        self.gaps = (
            {}
            if kelurahan is None
            else {gaps_id(p): GapsProvider(kelurahan, p, self._covered) for p in Pillar}
        )
        self.flood_stale_after = flood_stale_after
        rw = None if snapshot is None else snapshot.collections.get(RW_LAYER)
        self.flood = (
            None
            if rw is None
            else FloodLiveProvider(rw, self._flood_feed, stale_after=flood_stale_after)
        )

    @property
    def snapshot(self) -> BuildSnapshot:
        """The build served.

        Raises
        ------
        NoBuildError
            There is no build yet (only the actions answer then).
        """
        if self._snapshot is None:
            reason = self._no_build.message if self._no_build else "run `ketahanan build` first"
            raise NoBuildError(reason)
        return self._snapshot

    def _covered(self, pillar: Pillar) -> set[str]:
        return self._store().covered_kelurahan(str(pillar))

    def _flood_feed(self) -> FloodFeedStore:
        return self._store().flood

    def flood_gaps(self, pillar: Pillar, banjir: str) -> FloodGapsProvider:
        """The gaps of ``pillar`` during the flood at ``banjir`` (``live`` or a UTC instant).

        Raises
        ------
        NoBuildError, ServiceUnavailableError
            No build, or a build without kelurahan or RWs.
        """
        collections = self.snapshot.collections
        kelurahan, rw = collections.get(Level.kelurahan), collections.get(RW_LAYER)
        if kelurahan is None or rw is None:
            raise ServiceUnavailableError("the build has no kelurahan or rw layer")
        hourly = collections.get(ARCHIVE_LAYER)

        def flooded() -> FloodedNow:
            return flooded_now(banjir, rw, hourly, self._flood_feed, self.flood_stale_after)

        def actions() -> list[Any]:
            return self._store().query()[0]

        return FloodGapsProvider(kelurahan, pillar, self._covered, flooded, actions)

    def ids(self) -> list[str]:
        """Every collection id: the build's layers, then the actions, the flood, the gaps."""
        flood = [] if self.flood is None else [FLOOD_LIVE]
        return [*self.snapshot.collections, ACTIONS, *flood, *self.gaps]

    def get(self, collection_id: str) -> CollectionProvider:
        """The provider of ``collection_id``.

        Raises
        ------
        NotFoundError
            For an unknown id (the message lists the known ones).
        """
        if collection_id == ACTIONS:
            return self.actions
        if collection_id == FLOOD_LIVE and self.flood is not None:
            return self.flood
        gap = self.gaps.get(collection_id)
        if gap is not None:
            return gap
        layer = self.snapshot.collections.get(collection_id)
        if layer is None:
            raise NotFoundError(
                f"unknown collection '{collection_id}'", details={"collections": self.ids()}
            )
        return LayerProvider(layer)

    def all(self) -> list[CollectionProvider]:
        """Every provider, in :meth:`ids` order."""
        return [self.get(i) for i in self.ids()]
