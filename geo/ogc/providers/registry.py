"""Every collection of one request, by id: the build's layers, the actions, the gaps.

A :class:`Registry` is made per request from the build snapshot being served and a function
giving the actions store (opened only when a collection needs it), so every collection comes
from one build and the build layers never wait on the database.
"""

from __future__ import annotations

from collections.abc import Callable

from geo.actions.store import ActionStore
from geo.errors import NotFoundError
from geo.ogc.providers.actions import ACTIONS, ActionsProvider
from geo.ogc.providers.base import CollectionProvider
from geo.ogc.providers.gaps import GapsProvider, gaps_id
from geo.ogc.providers.layers import LayerProvider
from geo.snapshot import BuildSnapshot
from geo.vocabulary import Level, Pillar


class Registry:
    """The providers of one build snapshot and one actions store."""

    def __init__(self, snapshot: BuildSnapshot, store: Callable[[], ActionStore]) -> None:
        self.snapshot = snapshot
        self._store = store
        self.actions = ActionsProvider(store)
        kelurahan = snapshot.collections.get(Level.kelurahan)
        self.gaps = (
            {}
            if kelurahan is None
            else {gaps_id(p): GapsProvider(kelurahan, p, self._covered) for p in Pillar}
        )

    def _covered(self, pillar: Pillar) -> set[str]:
        return self._store().covered_kelurahan(str(pillar))

    def ids(self) -> list[str]:
        """Every collection id: the build's layers, then the actions and the gaps."""
        return [*self.snapshot.collections, ACTIONS, *self.gaps]

    def get(self, collection_id: str) -> CollectionProvider:
        """The provider of ``collection_id``.

        Raises
        ------
        NotFoundError
            For an unknown id (the message lists the known ones).
        """
        if collection_id == ACTIONS:
            return self.actions
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
