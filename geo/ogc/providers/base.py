"""The collection provider protocol (after pygeoapi's ``BaseProvider``) and its results.

A provider describes its collection (:class:`~geo.ogc.documents.CollectionInfo`), says what
its items can be asked for (:class:`~geo.ogc.query.Queryables`), and answers a parsed
:class:`~geo.ogc.query.ItemsQuery` with a :class:`Selection`: the number matched, the page's
GeoJSON Feature bytes, extra members, and the page as a GeoPackage table. A writable provider
(:class:`WritableProvider`) also creates, imports, replaces, updates and deletes items.
The web adapter parses, renders, pages and links the same way for every provider.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from geo.actions.service import Expected
from geo.errors import MethodNotAllowedError
from geo.ogc.documents import CollectionInfo
from geo.ogc.query import ItemsQuery, Queryables
from geo.ogc.render.gpkg import GpkgTable


@dataclass
class Selection:
    """What a query selected.

    Attributes
    ----------
    matched : int
        numberMatched: every feature the query's filters select.
    features : list of bytes
        GeoJSON Feature bytes of the page (or of the one feature asked for).
    table : callable
        ``table(lang)`` gives the page as a :class:`GpkgTable` (for ``f=gpkg``).
    members : dict
        Extra FeatureCollection members (``classification``).
    etag : str, optional
        The version of a single feature that has one (an action).
    """

    matched: int
    features: list[bytes]
    table: Callable[[str], GpkgTable]
    members: dict[str, Any] = field(default_factory=dict)
    etag: str | None = None


@dataclass
class Written:
    """An item as a write left it: its GeoJSON Feature, id and version ETag."""

    feature: dict[str, Any]
    id: str
    etag: str


class CollectionProvider(Protocol):
    """Serves one collection."""

    @property
    def id(self) -> str:
        """The collection id."""
        ...

    @property
    def cacheable(self) -> bool:
        """Responses depend on the build only: they are cached per build snapshot."""
        ...

    @property
    def protected(self) -> bool:
        """Reading needs a token when ``KETAHANAN_READ_REQUIRES_TOKEN`` is true."""
        ...

    @property
    def download_name(self) -> str:
        """File name (without extension) of a download."""
        ...

    def describe(self) -> CollectionInfo:
        """What the collection is (title, extent, queryables, ...)."""
        ...

    def queryables(self) -> Queryables:
        """What its items can be asked for."""
        ...

    def query(self, query: ItemsQuery) -> Selection:
        """The features ``query`` selects, paged."""
        ...

    def get(self, feature_id: str, query: ItemsQuery) -> Selection:
        """One feature (NotFoundError when unknown)."""
        ...


@runtime_checkable
class WritableProvider(Protocol):
    """A provider whose items are written the OGC API - Features Part 4 way."""

    def create(self, body: Any, actor: str) -> Written:
        """Create an item from a GeoJSON Feature (the server assigns its id)."""
        ...

    def import_features(self, body: Any, actor: str) -> list[Written]:
        """Create every item of a GeoJSON FeatureCollection, or none."""
        ...

    def replace(self, feature_id: str, body: Any, expected: Expected, actor: str) -> Written:
        """Replace an item still at version ``expected`` (None: any)."""
        ...

    def update(self, feature_id: str, patch: Any, expected: Expected, actor: str) -> Written:
        """Apply a JSON Merge Patch to an item still at version ``expected``."""
        ...

    def delete(self, feature_id: str, expected: Expected, actor: str) -> None:
        """Delete an item still at version ``expected`` (it can be restored)."""
        ...


def writable(provider: CollectionProvider) -> WritableProvider:
    """The provider as a writable one (405 when its collection is read-only)."""
    if not isinstance(provider, WritableProvider):
        raise MethodNotAllowedError(
            f"collection '{provider.id}' is read-only; only the actions collection takes writes"
        )
    return provider
