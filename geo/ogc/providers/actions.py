"""The provider of the resilience actions: the actions store as an OGC collection (Part 4).

Queries run in the database (filters and paging in SQL, :meth:`ActionStore.query`); writes go
through the store's create, import, replace, patch and delete, which check every field and
keep the history. Features are the store's GeoJSON Features.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

import geopandas as gpd
import pandas as pd

from geo.actions.geometry import ACTION_EXTENT
from geo.actions.model import MAX_AGENCY
from geo.actions.organisations import MAX_NAME
from geo.actions.repository import SORTABLE
from geo.actions.service import Expected
from geo.actions.store import PROPERTY_ORDER, Action, ActionFilter, ActionStore
from geo.crs import STORAGE_CRS
from geo.ogc.documents import CollectionInfo
from geo.ogc.prose import collection_prose
from geo.ogc.providers.base import Selection, Written
from geo.ogc.query import Filter, ItemsQuery, Queryables
from geo.ogc.render.geojson import dict_feature_bytes
from geo.ogc.render.gpkg import GpkgTable
from geo.vocabulary import OrgRole, Pillar, Status, values

ACTIONS = "actions"
"""The collection id of the actions."""

SERVER_PROPERTIES = ("kelurahan", "created_by", "created_at", "updated_by", "updated_at", "version")
"""Properties the server sets on every action."""

LIST_PROPERTIES = ("partners", "unit_codes", "kelurahan")
"""Properties holding lists (written as JSON text in a GeoPackage)."""

MAX_SEARCH = 200
"""Longest text search (``q``) of the actions."""

FILTERABLE = {
    "title": "text",
    "description": "text",
    "pillar": "enum",
    "strategy_goal": "text",
    "lead_agency": "text",
    "status": "enum",
    "progress": "number",
    "budget_idr": "number",
    "start_date": "time",
    "end_date": "time",
    "kind": "text",
    "source_url": "text",
    "created_by": "text",
    "created_at": "time",
    "updated_by": "text",
    "updated_at": "time",
    "version": "number",
}
"""The properties a CQL2 ``filter`` of the actions may name (columns of the actions table;
the list properties ``partners``, ``unit_codes`` and ``kelurahan`` are not)."""

QUERYABLES = Queryables(
    properties=(*PROPERTY_ORDER, *SERVER_PROPERTIES),
    filters={
        "pillar": Filter("enum", tuple(values(Pillar))),
        "status": Filter("enum", tuple(values(Status))),
        "lead_agency": Filter("text", max_length=MAX_AGENCY),
        "kelurahan": Filter("text"),
        "kecamatan": Filter("text", max_length=8),
        "kota": Filter("text", max_length=5),
        "q": Filter("text", max_length=MAX_SEARCH),
        "org": Filter("text", max_length=MAX_NAME),
        "org_role": Filter("enum", tuple(values(OrgRole))),
    },
    aliases={"agency": "lead_agency"},
    geometry=True,
    sortable=SORTABLE,
    filterable=FILTERABLE,
)
"""Actions filter by pillar, status, lead agency (any case; alias ``agency``), a kelurahan
code they touch, a kecamatan or kota code (actions touching a kelurahan in it), ``q``
(words that must all appear in the title, description, lead agency or partners) and ``org``
(an organisation's id or any of its names: the actions it leads or is a partner in;
``org_role=lead`` or ``partner`` for one of the two); they sort
by their fields and by when they were made or last changed (``sortby=-updated_at``)."""


def _written(action: Action) -> Written:
    return Written(action.to_feature(), action.id, action.etag)


def actions_frame(actions: list[Action]) -> gpd.GeoDataFrame:
    """Actions as a GeoDataFrame (lists as JSON text), for a GeoPackage."""
    rows = []
    for action in actions:
        props = action.to_feature()["properties"]
        for key in LIST_PROPERTIES:
            props[key] = json.dumps(props[key], ensure_ascii=False)
        rows.append({"id": action.id, **props})
    frame = pd.DataFrame(rows, columns=["id", *QUERYABLES.properties])
    return gpd.GeoDataFrame(frame, geometry=[a.geometry for a in actions], crs=STORAGE_CRS)


class ActionsProvider:
    """Serves (and writes) the actions of the store ``store()`` gives."""

    cacheable = False
    protected = True
    id = ACTIONS

    def __init__(self, store: Callable[[], ActionStore]) -> None:
        self._store = store

    @property
    def download_name(self) -> str:
        """``ketahanan-actions-<date>``: an export names the day it was made."""
        return f"ketahanan-actions-{datetime.now(UTC).strftime('%Y%m%d')}"

    @property
    def store(self) -> ActionStore:
        """The actions store (503 when the database cannot be reached)."""
        return self._store()

    def queryables(self) -> Queryables:
        """pillar, status, lead_agency, kelurahan."""
        return QUERYABLES

    @cached_property
    def _prose(self) -> Any:
        return collection_prose(ACTIONS)

    def describe(self) -> CollectionInfo:
        """Title and description; the actions' extent is where an action may lie."""
        ext = ACTION_EXTENT
        return CollectionInfo(
            id=ACTIONS,
            title=self._prose.title,
            description=self._prose.description,
            queryables=QUERYABLES,
            geometry_type="Geometry",
            bbox=(ext.minx, ext.miny, ext.maxx, ext.maxy),
            feature_id="id",
            writable=True,
        )

    @staticmethod
    def _filter(query: ItemsQuery) -> ActionFilter:
        return ActionFilter(
            pillar=query.filter_value("pillar"),
            status=query.filter_value("status"),
            agency=query.filter_value("lead_agency"),
            kelurahan=query.filter_value("kelurahan"),
            kecamatan=query.filter_value("kecamatan"),
            kota=query.filter_value("kota"),
            text=query.filter_value("q"),
            bbox=query.bbox,
            cql=query.cql,
            org=query.filter_value("org"),
            org_role=query.filter_value("org_role"),
        )

    def _selection(self, actions: list[Action], matched: int, query: ItemsQuery) -> Selection:
        features = [dict_feature_bytes(a.to_feature(), query.properties) for a in actions]

        def table(lang: str) -> GpkgTable:
            prose = self._prose
            return GpkgTable(
                frame=actions_frame(actions),
                layer=ACTIONS,
                title=prose.title(lang),
                description=prose.description(lang),
                geometry_type="Unknown",
            )

        return Selection(matched, features, table)

    def query(self, query: ItemsQuery) -> Selection:
        """Live actions matching the filters, oldest first, paged in the database."""
        actions, total = self.store.query(
            self._filter(query), limit=query.limit, offset=query.offset, order=query.sortby
        )
        return self._selection(actions, total, query)

    def get(self, feature_id: str, query: ItemsQuery) -> Selection:
        """One action with its version ETag (404 unknown, 410 deleted)."""
        action = self.store.get(feature_id)
        chosen = self._selection([action], 1, query)
        chosen.etag = action.etag
        return chosen

    def create(self, body: Any, actor: str) -> Written:
        """Create an action from a GeoJSON Feature."""
        return _written(self.store.create(body, actor))

    def import_features(self, body: Any, actor: str) -> list[Written]:
        """Import a FeatureCollection of actions: all or nothing."""
        return [_written(a) for a in self.store.import_features(body, actor)]

    def replace(self, feature_id: str, body: Any, expected: Expected, actor: str) -> Written:
        """Replace an action (PUT)."""
        return _written(self.store.replace(feature_id, body, expected, actor))

    def update(self, feature_id: str, patch: Any, expected: Expected, actor: str) -> Written:
        """Merge-patch an action (PATCH)."""
        return _written(self.store.patch(feature_id, patch, expected, actor))

    def delete(self, feature_id: str, expected: Expected, actor: str) -> None:
        """Soft-delete an action (it keeps its history and can be restored)."""
        self.store.delete(feature_id, expected, actor)

    def restore(self, feature_id: str, expected: Expected, actor: str) -> Written:
        """Bring back a deleted action as a new version."""
        return _written(self.store.restore(feature_id, expected, actor))

    def history(self, feature_id: str) -> list[dict[str, Any]]:
        """Every version of an action, oldest first."""
        return self.store.history(feature_id)

    def comments(self, feature_id: str) -> list[dict[str, Any]]:
        """The comment thread of an action, oldest first (tombstones included)."""
        return self.store.comments.thread(feature_id)

    def add_comment(self, feature_id: str, body: Any, actor: str) -> dict[str, Any]:
        """Add a comment to an action."""
        return self.store.comments.add(feature_id, body, actor)

    def delete_comment(self, feature_id: str, comment_id: str, actor: str) -> dict[str, Any]:
        """Delete a comment (recorded as a tombstone)."""
        return self.store.comments.delete(feature_id, comment_id, actor)

    def organisations(self) -> list[dict[str, Any]]:
        """Every organisation."""
        orgs = self.store.organisations
        return [] if orgs is None else [o.to_json() for o in orgs.all()]
