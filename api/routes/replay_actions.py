"""``/peta/banjir-2017/aksi``: the actions that touch the places flooded in the 2017 replay.

Beside the replay document (:mod:`api.routes.replay`, cached per build), this one follows the
actions store, so it is revalidated on every use (``Cache-Control: no-cache`` with an ETag).
It lists, once, every live action that can touch the event: the replay RW positions its
geometry intersects, or the kelurahan it is attached to (:mod:`geo.flood_actions`); the page
decides per hour from the hour's RWs and kelurahan without asking again. With ``banjir`` it
also names the actions touching that hour.
"""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from api.deps import RegistryDep, SnapshotDep, allow_read
from api.params import reject_unknown_query
from api.responses import NOT_MODIFIED, content, errors
from api.routes.replay import replay_hours
from api.store import CachedResponse, respond
from geo.flood_actions import flood_links, touching
from geo.flood_replay import RW_LAYER, hour_index
from geo.ogc.providers.actions import ActionsProvider
from geo.snapshot import BuildSnapshot

router = APIRouter(tags=["pages"], dependencies=[Depends(reject_unknown_query)])

LINKS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["actions", "rule"],
    "properties": {
        "rule": {"type": "string"},
        "actions": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "title", "rw", "kelurahan"],
                "properties": {
                    "id": {"type": "string"},
                    "title": {"type": "string"},
                    "pillar": {"type": "string"},
                    "status": {"type": "string"},
                    "rw": {"type": "array", "items": {"type": "integer"}},
                    "kelurahan": {"type": "array", "items": {"type": "string"}},
                },
            },
        },
        "hour": {"type": "string"},
        "touching": {"type": "array", "items": {"type": "string"}},
    },
}
RULE = (
    "an action touches hour h when its geometry intersects a RW flooded at h, "
    "or, without a geometry, one of the kelurahan it is attached to is touched at h"
)


def links_json(snapshot: BuildSnapshot, provider: ActionsProvider, banjir: str | None) -> bytes:
    """The document (bytes; module docstring)."""
    hours = replay_hours(snapshot)
    at = hour_index(banjir, hours) if banjir is not None else None
    actions, _ = provider.store.query(limit=None)
    links = flood_links(actions, snapshot.get(RW_LAYER).geometry)  # type: ignore[arg-type]
    doc: dict[str, Any] = {"rule": RULE, "actions": [link.to_dict() for link in links]}
    if at is not None:
        hour = hours[at]
        doc["hour"] = hour.utc
        doc["touching"] = [
            link.id for link in touching(links, hour.rws, [k for k, _ in hour.kelurahan])
        ]
    return orjson.dumps(doc)


@router.get(
    "/peta/banjir-2017/aksi",
    response_class=Response,
    responses={
        200: content("the actions that can touch the event's flooded places", json=LINKS_SCHEMA),
        **NOT_MODIFIED,
        **errors(400, 401, 404, 503),
    },
)
async def flood_replay_actions(
    request: Request,
    snapshot: SnapshotDep,
    registry: RegistryDep,
    banjir: Annotated[
        str | None, Query(description="an hour of the event, e.g. 2017-02-21T05:00:00Z")
    ] = None,
) -> Response:
    """Actions touching the places flooded in February 2017: their RWs or kelurahan (JSON)."""
    provider: ActionsProvider = registry.actions
    await allow_read(request, provider)
    body = await run_in_threadpool(links_json, snapshot, provider, banjir)
    entry = CachedResponse.make(body, "application/json", {"Cache-Control": "no-cache"})
    return respond(request, entry, max_age=0, vary_language=False)
