"""Resilience actions as the OGC collection ``actions``: read, write (Part 4), history, export."""

from __future__ import annotations

import json
import logging
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import geopandas as gpd
import pandas as pd
import pyogrio
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from api.body import JsonBodyDep
from api.deps import ActionStoreDep, CurrentTokenDep, SettingsDep, get_action_store
from api.headers import if_match_versions, none_match
from api.params import (
    ACTION_FILTERS,
    ACTION_FORMAT,
    OFFSET,
    actions_query,
    limit_param,
    reject_unknown_query,
)
from api.responses import (
    BINARY,
    FEATURE_COLLECTION_SCHEMA,
    FEATURE_SCHEMA,
    NOT_MODIFIED,
    READ_ERRORS,
    WRITE_ERRORS,
    GeoJSONResponse,
    content,
    errors,
)
from geo.actions.auth import Role, Token, require
from geo.actions.geometry import ACTION_EXTENT
from geo.actions.model import ActionIn
from geo.actions.store import Action, ActionStore
from geo.crs import STORAGE_CRS
from geo.errors import (
    InvalidParameterError,
    KetahananError,
)
from geo.settings import Settings

router = APIRouter(tags=["actions"], dependencies=[Depends(reject_unknown_query)])
log = logging.getLogger("ketahanan")

GEOJSON = "application/geo+json"
GPKG = "application/geopackage+sqlite3"
BASE = "/collections/actions"


def _inline_refs(schema: dict[str, Any]) -> dict[str, Any]:
    """A pydantic JSON schema with its ``$defs`` references replaced by the definitions."""
    defs = schema.pop("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/$defs/"):
                return walk(defs[ref.removeprefix("#/$defs/")])
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    result: dict[str, Any] = walk(schema)
    return result


def _action_feature_schema() -> dict[str, Any]:
    """The request schema of one action Feature (properties from :class:`ActionIn`)."""
    props = _inline_refs(ActionIn.model_json_schema())
    props.pop("title", None)
    props.pop("description", None)
    return {
        "type": "object",
        "description": "a GeoJSON Feature: a geometry (lon/lat) or properties.unit_codes",
        "required": ["type", "properties"],
        "properties": {
            "type": {"const": "Feature"},
            "id": {"type": "string"},
            "geometry": {
                "anyOf": [
                    {"type": "null"},
                    {
                        "type": "object",
                        "required": ["type", "coordinates"],
                        "properties": {
                            "type": {
                                "enum": [
                                    "Point",
                                    "MultiPoint",
                                    "LineString",
                                    "MultiLineString",
                                    "Polygon",
                                    "MultiPolygon",
                                ]
                            },
                            "coordinates": {"type": "array"},
                        },
                    },
                ]
            },
            "properties": props,
        },
    }


ACTION_FEATURE = _action_feature_schema()
ACTION_COLLECTION = {
    "type": "object",
    "description": "a GeoJSON FeatureCollection of actions (imported all or nothing)",
    "required": ["type", "features"],
    "properties": {
        "type": {"const": "FeatureCollection"},
        "features": {"type": "array", "items": ACTION_FEATURE},
    },
}
ACTION_PATCH = {
    "type": "object",
    "description": "a JSON Merge Patch (RFC 7396) of the action Feature",
    "properties": {
        "geometry": ACTION_FEATURE["properties"]["geometry"],
        "properties": {"type": "object"},
    },
}


IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "required": False,
    "description": 'The ETag of the version you last read, e.g. "3" (428 without it on PUT, '
    "PATCH and DELETE; 412 when someone changed the action since). Compared strongly "
    '(RFC 9110): a weak tag W/"3" never matches',
    "schema": {"type": "string"},
}
IF_NONE_MATCH = {
    "name": "If-None-Match",
    "in": "header",
    "required": False,
    "description": "An ETag you hold: 304 when the action is still at that version",
    "schema": {"type": "string"},
}


def _body_doc(
    schema: dict[str, Any], *, if_match: bool = False, media: tuple[str, ...] = ()
) -> dict[str, Any]:
    """``openapi_extra`` of a route that reads a JSON body with ``schema``."""
    types = (GEOJSON, "application/json", *media)
    return {
        **({"parameters": [IF_MATCH]} if if_match else {}),
        "requestBody": {"required": True, "content": {t: {"schema": schema} for t in types}},
    }


BODY_DOC = _body_doc({"anyOf": [ACTION_FEATURE, ACTION_COLLECTION]})
REPLACE_DOC = _body_doc(ACTION_FEATURE, if_match=True)
PATCH_DOC = _body_doc(ACTION_PATCH, if_match=True, media=("application/merge-patch+json",))
IMPORT_DOC = _body_doc(ACTION_COLLECTION)

IMPORT_REPORT = {
    "type": "object",
    "required": ["imported", "features"],
    "properties": {"imported": {"type": "integer"}, "features": {"type": "array"}},
}
ETAG_HEADER = {"ETag": {"description": "the action's version", "schema": {"type": "string"}}}


def _feature_ok(description: str) -> dict[str, Any]:
    return {**content(description, geojson=FEATURE_SCHEMA), "headers": ETAG_HEADER}


_DEFAULTS = Settings.model_fields
LIST_DOC = {
    "parameters": [
        *ACTION_FILTERS,
        limit_param(_DEFAULTS["items_limit_default"].default, _DEFAULTS["items_limit_max"].default),
        OFFSET,
        ACTION_FORMAT,
    ]
}

DOWNLOAD = content(
    "GeoJSON FeatureCollection or GeoPackage file",
    geojson=FEATURE_COLLECTION_SCHEMA,
    gpkg=BINARY,
)


def _reader(settings: Settings, token: Token | None) -> None:
    if settings.read_requires_token:
        require(token, Role.viewer)


def _writer(token: Token | None) -> str:
    return require(token, Role.planner).name


def _item_url(request: Request, action_id: str) -> str:
    return f"{str(request.base_url).rstrip('/')}{BASE}/items/{action_id}"


def _feature_response(request: Request, action: Action, status: int = 200) -> JSONResponse:
    feature = action.to_feature()
    url = _item_url(request, action.id)
    feature["links"] = [
        {"href": url, "rel": "self", "type": GEOJSON, "title": "this action"},
        {"href": f"{url}/history", "rel": "version-history", "type": "application/json"},
        {"href": f"{str(request.base_url).rstrip('/')}{BASE}", "rel": "collection"},
    ]
    headers = {"ETag": action.etag}
    if status == 201:
        headers["Location"] = url
    return JSONResponse(feature, status_code=status, headers=headers, media_type=GEOJSON)


def _frame(actions: list[Action]) -> gpd.GeoDataFrame:
    rows = []
    for action in actions:
        props = action.to_feature()["properties"]
        for key in ("partners", "unit_codes", "kelurahan"):
            props[key] = json.dumps(props[key], ensure_ascii=False)
        rows.append({"id": action.id, **props})
    columns = ["id", *(actions[0].to_feature()["properties"] if actions else [])]
    frame = pd.DataFrame(rows, columns=columns or ["id"])
    return gpd.GeoDataFrame(frame, geometry=[a.geometry for a in actions], crs=STORAGE_CRS)


def _gpkg_bytes(actions: list[Action]) -> bytes:
    frame = _frame(actions)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "actions.gpkg"
        pyogrio.write_dataframe(
            frame, path, layer="actions", driver="GPKG", geometry_type="Unknown"
        )
        return path.read_bytes()


def _download(actions: list[Action], fmt: str, query: dict[str, str]) -> Response:
    stamp = datetime.now(UTC).strftime("%Y%m%d")
    if fmt == "gpkg":
        body = _gpkg_bytes(actions)
        name = f"ketahanan-actions-{stamp}.gpkg"
        return Response(
            body,
            media_type=GPKG,
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
    collection = {
        "type": "FeatureCollection",
        "name": "actions",
        "filters": query,
        "numberMatched": len(actions),
        "numberReturned": len(actions),
        "features": [a.to_feature() for a in actions],
    }
    name = f"ketahanan-actions-{stamp}.geojson"
    return JSONResponse(
        collection,
        media_type=GEOJSON,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _format(f: str | None, request: Request) -> str:
    if f is None:
        accept = request.headers.get("accept", "")
        return "gpkg" if GPKG in accept else "geojson"
    value = f.strip().lower()
    if value in ("geojson", "json"):
        return "geojson"
    if value in ("gpkg", "geopackage"):
        return "gpkg"
    raise InvalidParameterError(
        f"f={f!r}: use geojson or gpkg", details=[{"field": "f", "message": "geojson or gpkg"}]
    )


def collection_document(base: str) -> dict[str, Any]:
    """The OGC collection description of ``actions``."""
    ext = ACTION_EXTENT
    return {
        "id": "actions",
        "title": "Aksi ketahanan / Resilience actions",
        "description": (
            "Aksi ketahanan per pilar dengan lokasi, lembaga, status dan anggaran / "
            "resilience actions per pillar with place, agency, status and budget. "
            "Writable with a planner token (OGC API - Features Part 4)."
        ),
        "itemType": "feature",
        "crs": ["http://www.opengis.net/def/crs/OGC/1.3/CRS84"],
        "extent": {"spatial": {"bbox": [[ext.minx, ext.miny, ext.maxx, ext.maxy]]}},
        "links": [
            {"href": f"{base}{BASE}", "rel": "self", "type": "application/json"},
            {"href": f"{base}{BASE}/items", "rel": "items", "type": GEOJSON},
            {"href": f"{base}{BASE}/items?f=gpkg", "rel": "enclosure", "type": GPKG},
        ],
    }


@router.get(BASE, responses=errors(401, 403, 503))
def actions_collection(
    request: Request, settings: SettingsDep, token: CurrentTokenDep
) -> dict[str, Any]:
    """The actions collection: what it holds and where its items are."""
    _reader(settings, token)
    return collection_document(str(request.base_url).rstrip("/"))


@router.get(
    f"{BASE}/items",
    response_model=None,
    response_class=GeoJSONResponse,
    openapi_extra=LIST_DOC,
    responses={200: DOWNLOAD, **errors(*READ_ERRORS)},
)
def list_actions(
    request: Request, store: ActionStoreDep, settings: SettingsDep, token: CurrentTokenDep
) -> Response:
    """Actions as GeoJSON (paged, default 100) or a GeoPackage of every match; filters apply."""
    _reader(settings, token)
    q = actions_query(request, settings, paged=True)
    fmt = _format(q.f, request)
    offset = q.offset
    if fmt == "gpkg":
        actions, _ = store.query(q.filter, limit=q.limit, offset=offset)
        return _download(actions, fmt, q.echo)
    page = q.limit or settings.items_limit_default
    actions, total = store.query(q.filter, limit=page, offset=offset)
    base = f"{str(request.base_url).rstrip('/')}{BASE}/items"

    def link(rel: str, off: int) -> dict[str, str]:
        params = {**q.echo, "limit": str(page), "offset": str(off)}
        return {"href": f"{base}?{urlencode(params)}", "rel": rel, "type": GEOJSON}

    links = [link("self", offset)]
    if offset + len(actions) < total:
        links.append(link("next", offset + page))
    if offset > 0:
        links.append(link("prev", max(0, offset - page)))
    body = {
        "type": "FeatureCollection",
        "numberMatched": total,
        "numberReturned": len(actions),
        "timeStamp": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
        "links": links,
        "features": [a.to_feature() for a in actions],
    }
    return JSONResponse(body, media_type=GEOJSON)


@router.get(
    f"{BASE}/export",
    response_model=None,
    response_class=GeoJSONResponse,
    openapi_extra={"parameters": [*ACTION_FILTERS, ACTION_FORMAT]},
    responses={200: DOWNLOAD, **errors(*READ_ERRORS)},
)
def export_actions(
    request: Request, store: ActionStoreDep, settings: SettingsDep, token: CurrentTokenDep
) -> Response:
    """Download every matching action with all fields as a GeoJSON or GeoPackage file."""
    _reader(settings, token)
    q = actions_query(request, settings, paged=False)
    fmt = _format(q.f, request)
    actions, _ = store.query(q.filter)
    return _download(actions, fmt, q.echo)


def _import(request: Request, store: ActionStore, body: Any, actor: str) -> JSONResponse:
    actions = store.import_features(body, actor)
    report = {
        "imported": len(actions),
        "features": [
            {"index": i, "id": a.id, "href": _item_url(request, a.id)}
            for i, a in enumerate(actions)
        ],
    }
    return JSONResponse(report, status_code=201)


@router.post(
    f"{BASE}/items",
    status_code=201,
    openapi_extra=BODY_DOC,
    response_model=None,
    response_class=GeoJSONResponse,
    responses={
        201: {
            **content(
                "the created action (ETag, Location), or the import report",
                geojson=FEATURE_SCHEMA,
                json=IMPORT_REPORT,
            ),
            "headers": ETAG_HEADER,
        },
        **errors(*WRITE_ERRORS),
    },
)
def create_action(
    request: Request, store: ActionStoreDep, token: CurrentTokenDep, body: JsonBodyDep
) -> Response:
    """Create an action from a GeoJSON Feature, or import a FeatureCollection (all or nothing)."""
    actor = _writer(token)
    if isinstance(body, dict) and body.get("type") == "FeatureCollection":
        return _import(request, store, body, actor)
    return _feature_response(request, store.create(body, actor), status=201)


@router.post(
    f"{BASE}/import",
    status_code=201,
    openapi_extra=IMPORT_DOC,
    response_model=None,
    responses={201: content("the import report", json=IMPORT_REPORT), **errors(*WRITE_ERRORS)},
)
def import_actions(
    request: Request, store: ActionStoreDep, token: CurrentTokenDep, body: JsonBodyDep
) -> Response:
    """Import a GeoJSON FeatureCollection of actions: all or nothing, with a per-feature report."""
    return _import(request, store, body, _writer(token))


@router.get(
    f"{BASE}/items/{{action_id}}",
    response_model=None,
    response_class=GeoJSONResponse,
    openapi_extra={"parameters": [IF_NONE_MATCH]},
    responses={
        200: _feature_ok("the action"),
        **NOT_MODIFIED,
        **errors(*READ_ERRORS, 410),
    },
)
def get_action(
    action_id: str,
    request: Request,
    store: ActionStoreDep,
    settings: SettingsDep,
    token: CurrentTokenDep,
) -> Response:
    """One action as a GeoJSON Feature, with its ETag."""
    _reader(settings, token)
    action = store.get(action_id)
    if none_match(request.headers.get("if-none-match"), (str(action.version),)):
        return Response(status_code=304, headers={"ETag": action.etag})
    return _feature_response(request, action)


@router.put(
    f"{BASE}/items/{{action_id}}",
    openapi_extra=REPLACE_DOC,
    response_model=None,
    response_class=GeoJSONResponse,
    responses={200: _feature_ok("the new version"), **errors(*WRITE_ERRORS)},
)
def replace_action(
    action_id: str,
    request: Request,
    store: ActionStoreDep,
    token: CurrentTokenDep,
    body: JsonBodyDep,
) -> Response:
    """Replace an action (If-Match required: 428 without it, 412 when stale)."""
    actor = _writer(token)
    expected = if_match_versions(request)
    return _feature_response(request, store.replace(action_id, body, expected, actor))


@router.patch(
    f"{BASE}/items/{{action_id}}",
    openapi_extra=PATCH_DOC,
    response_model=None,
    response_class=GeoJSONResponse,
    responses={200: _feature_ok("the new version"), **errors(*WRITE_ERRORS)},
)
def patch_action(
    action_id: str,
    request: Request,
    store: ActionStoreDep,
    token: CurrentTokenDep,
    body: JsonBodyDep,
) -> Response:
    """Change part of an action with a JSON Merge Patch of properties/geometry (If-Match)."""
    actor = _writer(token)
    expected = if_match_versions(request)
    return _feature_response(request, store.patch(action_id, body, expected, actor))


@router.delete(
    f"{BASE}/items/{{action_id}}",
    status_code=204,
    response_model=None,
    openapi_extra={"parameters": [IF_MATCH]},
    responses={204: {"description": "deleted"}, **errors(*WRITE_ERRORS)},
)
def delete_action(
    action_id: str, request: Request, store: ActionStoreDep, token: CurrentTokenDep
) -> Response:
    """Delete an action (kept in its history; it can be restored). If-Match required."""
    actor = _writer(token)
    expected = if_match_versions(request)
    store.delete(action_id, expected, actor)
    return Response(status_code=204)


@router.post(
    f"{BASE}/items/{{action_id}}/restore",
    response_model=None,
    openapi_extra={"parameters": [IF_MATCH]},
    response_class=GeoJSONResponse,
    responses={200: _feature_ok("the restored action"), **errors(*WRITE_ERRORS)},
)
def restore_action(
    action_id: str, request: Request, store: ActionStoreDep, token: CurrentTokenDep
) -> Response:
    """Bring back a deleted action as a new version (If-Match optional)."""
    actor = _writer(token)
    expected = if_match_versions(request, required=False)
    return _feature_response(request, store.restore(action_id, expected, actor))


@router.get(f"{BASE}/items/{{action_id}}/history", responses=errors(*READ_ERRORS))
def action_history(
    action_id: str, store: ActionStoreDep, settings: SettingsDep, token: CurrentTokenDep
) -> dict[str, Any]:
    """Every version of an action, oldest first: operation, who, when and the full feature."""
    _reader(settings, token)
    versions = store.history(action_id)
    return {"id": action_id, "versions": versions}


def with_actions_startup(inner: Any) -> Any:
    """Wrap an app lifespan so start-up also migrates the actions store (never fatal)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[Any]:
        try:
            request = Request({"type": "http", "app": app, "headers": []})
            await run_in_threadpool(get_action_store, request)
        except KetahananError as exc:  # requests answer 503 until the database is back
            log.warning("actions store not ready at start-up: %s", exc.message)
        async with inner(app) as state:
            yield state

    return lifespan
