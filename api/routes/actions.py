"""What only the actions collection has: its history, restore, import and export routes.

Reading and writing actions goes through the one items router (``/collections/actions/items``
is a collection like any other, served by :class:`geo.ogc.providers.actions.ActionsProvider`);
these routes add the version history, restoring a deleted action, the import of a
FeatureCollection, and the export of every matching action as a file.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Path, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from api.body import JsonBodyDep
from api.deps import (
    CurrentTokenDep,
    FeatureId,
    RegistryDep,
    action_store_of,
    allow_read,
    expected_version,
    writer,
)
from api.openapi import DOWNLOAD, IF_MATCH, IMPORT_DOC, IMPORT_REPORT, feature_ok
from api.params import reject_unknown_query
from api.responses import READ_ERRORS, WRITE_ERRORS, GeoJSONResponse, content, errors
from api.routes.items import import_report, serve_items, written_response
from geo.errors import KetahananError
from geo.ogc.providers.actions import ACTIONS, ActionsProvider

router = APIRouter(tags=["actions"])

STRICT = [Depends(reject_unknown_query)]
"""These routes take no query parameter but ``lang`` (the export checks its own)."""
log = logging.getLogger("ketahanan")

BASE = f"/collections/{ACTIONS}"


def _actions(registry: Any) -> ActionsProvider:
    provider: ActionsProvider = registry.actions
    return provider


@router.get(
    f"{BASE}/export",
    response_model=None,
    response_class=GeoJSONResponse,
    responses={200: DOWNLOAD, **errors(*READ_ERRORS)},
)
async def export_actions(request: Request) -> Response:
    """Download every matching action as a GeoJSON (default) or GeoPackage file (f)."""
    return await serve_items(request, ACTIONS, default_fmt="geojson")


@router.post(
    f"{BASE}/import",
    status_code=201,
    dependencies=STRICT,
    openapi_extra=IMPORT_DOC,
    response_model=None,
    responses={201: content("the import report", json=IMPORT_REPORT), **errors(*WRITE_ERRORS)},
)
def import_actions(
    request: Request, registry: RegistryDep, token: CurrentTokenDep, body: JsonBodyDep
) -> Response:
    """Import a GeoJSON FeatureCollection of actions: all or nothing, with a per-feature report."""
    actor = writer(token)
    return import_report(request, ACTIONS, _actions(registry).import_features(body, actor))


@router.post(
    f"{BASE}/items/{{featureId}}/restore",
    dependencies=STRICT,
    response_model=None,
    openapi_extra={"parameters": [IF_MATCH]},
    response_class=GeoJSONResponse,
    responses={200: feature_ok("the restored action"), **errors(*WRITE_ERRORS)},
)
def restore_action(
    feature_id: FeatureId, request: Request, registry: RegistryDep, token: CurrentTokenDep
) -> Response:
    """Bring back a deleted action as a new version (If-Match optional)."""
    actor = writer(token)
    expected = expected_version(request, required=False)
    restored = _actions(registry).restore(feature_id, expected, actor)
    return written_response(request, ACTIONS, restored)


@router.get(
    f"{BASE}/items/{{featureId}}/history",
    name="action_history",
    dependencies=STRICT,
    responses=errors(*READ_ERRORS),
)
async def action_history(
    feature_id: FeatureId, request: Request, registry: RegistryDep
) -> dict[str, Any]:
    """Every version of an action, oldest first: operation, who, when and the full feature;
    and its comment thread (``comments``, as ``/comments`` gives it: a deleted comment is a
    tombstone saying who deleted it and when), so the history tells the whole record."""
    provider = _actions(registry)
    await allow_read(request, provider)
    versions = await run_in_threadpool(provider.history, feature_id)
    comments = await run_in_threadpool(provider.comments, feature_id)
    return {"id": feature_id, "versions": versions, "comments": comments}


@router.get(
    f"{BASE}/items/{{featureId}}/comments",
    name="action_comments",
    dependencies=STRICT,
    responses=errors(*READ_ERRORS),
)
async def action_comments(
    feature_id: FeatureId, request: Request, registry: RegistryDep
) -> dict[str, Any]:
    """The comment thread of an action, oldest first; a deleted comment shows as a tombstone."""
    provider = _actions(registry)
    await allow_read(request, provider)
    comments = await run_in_threadpool(provider.comments, feature_id)
    return {"id": feature_id, "comments": comments}


@router.post(
    f"{BASE}/items/{{featureId}}/comments",
    status_code=201,
    dependencies=STRICT,
    responses=errors(*WRITE_ERRORS),
)
def add_action_comment(
    feature_id: FeatureId, registry: RegistryDep, token: CurrentTokenDep, body: JsonBodyDep
) -> dict[str, Any]:
    """Comment on an action ({"text": ...}): planners of its lead or partner organisations."""
    return _actions(registry).add_comment(feature_id, body, writer(token))


@router.delete(
    f"{BASE}/items/{{featureId}}/comments/{{commentId}}",
    dependencies=STRICT,
    responses=errors(*WRITE_ERRORS),
)
def delete_action_comment(
    feature_id: FeatureId,
    comment_id: Annotated[str, Path(alias="commentId", description="A comment id (UUID).")],
    registry: RegistryDep,
    token: CurrentTokenDep,
) -> dict[str, Any]:
    """Delete a comment (its author or an admin); it stays in the thread as a tombstone."""
    return _actions(registry).delete_comment(feature_id, comment_id, writer(token))


@router.get("/organisations", name="organisations", dependencies=STRICT)
async def organisations(registry: RegistryDep) -> dict[str, Any]:
    """Every organisation an action's lead_agency or partners may name."""
    orgs = await run_in_threadpool(_actions(registry).organisations)
    return {"organisations": orgs}


def with_actions_startup(inner: Any) -> Any:
    """Wrap an app lifespan so start-up also migrates the actions store (never fatal)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[Any]:
        try:
            await run_in_threadpool(action_store_of, app)
        except KetahananError as exc:  # requests answer 503 until the database is back
            log.warning("actions store not ready at start-up: %s", exc.message)
        async with inner(app) as state:
            yield state

    return lifespan
