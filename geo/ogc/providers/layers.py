"""The provider of a build layer or table: a collection of the build snapshot."""

from __future__ import annotations

from functools import cached_property

from geo.ogc.collection import Collection
from geo.ogc.documents import CollectionInfo
from geo.ogc.engine import QueryResult, queryables, run_query
from geo.ogc.providers.base import Selection
from geo.ogc.query import ItemsQuery, Queryables
from geo.ogc.render.geojson import feature_bytes
from geo.ogc.render.gpkg import collection_table
from geo.vocabulary import Text


def selection(collection: Collection, query: ItemsQuery, result: QueryResult) -> Selection:
    """The :class:`Selection` of a query run on a collection held in memory."""
    members = {} if result.classification is None else {"classification": result.classification}
    return Selection(
        matched=len(result.matched),
        features=feature_bytes(collection, query, result, result.page.tolist()),
        table=lambda lang: collection_table(collection, query, result, lang),
        members=members,
    )


class LayerProvider:
    """Serves one layer (or table) of the build snapshot; its responses are cached."""

    cacheable = True
    protected = False

    def __init__(self, collection: Collection) -> None:
        self.collection = collection
        self.id = collection.id
        self.download_name = collection.id

    @cached_property
    def _queryables(self) -> Queryables:
        return queryables(self.collection)

    def queryables(self) -> Queryables:
        """Every column filters; weights and classes on the admin layers."""
        return self._queryables

    def describe(self) -> CollectionInfo:
        """Title, description (with the catalogue source), extent, size, dictionary."""
        c = self.collection
        return CollectionInfo(
            id=c.id,
            title=c.prose.title,
            description=Text(c.description("id"), c.description("en")),
            queryables=self._queryables,
            geometry_type=c.geometry_type,
            bbox=c.bbox,
            interval=c.interval,
            size=c.size,
            feature_id=c.id_property,
            source=c.source,
            dictionary=tuple(c.dictionary),
        )

    def query(self, query: ItemsQuery) -> Selection:
        """Filter, re-score, classify and page the layer."""
        return selection(self.collection, query, run_query(self.collection, query))

    def get(self, feature_id: str, query: ItemsQuery) -> Selection:
        """One feature by its id (kode or fid)."""
        result = run_query(self.collection, query, feature_id=feature_id)
        return selection(self.collection, query, result)
