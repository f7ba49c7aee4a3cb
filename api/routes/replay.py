"""``/peta/banjir-2017``: the February 2017 flood for the map's replay, fetched once.

One JSON document per build and zoom: the polygons of the 302 RWs ever flooded (generalised
as the map's items are at that zoom), and per hourly snapshot the positions of the RWs flooded,
their states, the kelurahan touched with the people estimate (:mod:`geo.flood_replay`). The
page restyles the RWs it drew when the hour moves, so it asks for nothing else.
"""

from __future__ import annotations

from typing import Annotated, Any

import geopandas as gpd
import orjson
from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from api.deps import LangDep, SnapshotDep
from api.params import reject_unknown_query
from api.responses import NOT_MODIFIED, content, errors
from api.store import CachedResponse, cached, served_build
from geo import generalise
from geo.crs import STORAGE_CRS
from geo.errors import NotFoundError
from geo.flood_replay import (
    HOURLY_LAYER,
    MIN_TOUCH_M2,
    PEOPLE_FORMULA,
    RW_LAYER,
    ReplayHour,
    replay_frames,
)
from geo.params import parse_int
from geo.snapshot import BuildSnapshot
from web.i18n import Translator
from web.pages import replay_strings
from web.styles import replay_styles

router = APIRouter(tags=["pages"], dependencies=[Depends(reject_unknown_query)])

DEFAULT_ZOOM = 12
"""The generalisation the replay's RWs take unless ``zoom`` says another."""

REPLAY_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["event", "rw", "hours", "people"],
    "properties": {
        "event": {"type": "string"},
        "zoom": {"type": "integer"},
        "rw": {"type": "object", "description": "FeatureCollection; feature id = position"},
        "hours": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["local", "utc", "rw", "state", "count", "people", "kelurahan"],
                "properties": {
                    "local": {"type": "string"},
                    "utc": {"type": "string"},
                    "rw": {"type": "array", "items": {"type": "integer"}},
                    "state": {"type": "array", "items": {"type": "integer"}},
                    "count": {"type": "integer"},
                    "people": {"type": "integer"},
                    "kelurahan": {"type": "array", "items": {"type": "array"}},
                },
            },
        },
        "people": {"type": "object"},
        "strings": {"type": "object"},
        "styles": {"type": "object"},
    },
}


_HOURS: dict[Any, list[ReplayHour]] = {}
"""The hours of the build served (by its key), worked out on the first request."""


def replay_hours(snapshot: BuildSnapshot) -> list[ReplayHour]:
    """The event's hours of a build (worked out once per build and kept with it).

    Raises
    ------
    NotFoundError
        The build has no ``flood_2017_hourly`` or ``flood_2017_rw_max`` layer.
    """
    found = _HOURS.get(snapshot.key)
    if found is not None:
        return found
    for name in (HOURLY_LAYER, RW_LAYER):
        if name not in snapshot.collections:
            raise NotFoundError(f"this build has no {name} layer: the replay needs it")
    rw = snapshot.get(RW_LAYER)
    kel = snapshot.get("kelurahan")
    kelurahan = gpd.GeoDataFrame(
        kel.frame[["kode", "population"]].reset_index(drop=True),
        geometry=kel.geometry,
        crs=STORAGE_CRS,
    )
    hours = replay_frames(
        snapshot.get(HOURLY_LAYER).frame,
        rw.frame["geom_id"].astype(str).tolist(),
        rw.geometry,  # type: ignore[arg-type]
        kelurahan,
    )
    _HOURS.clear()  # one build is served at a time
    _HOURS[snapshot.key] = hours
    return hours


def replay_json(snapshot: BuildSnapshot, zoom: int, lang: str = "id") -> bytes:
    """The replay document of a build at ``zoom`` (bytes; module docstring), with the
    replay's strings in ``lang`` and its styles (the page merges them into its own)."""
    hours = replay_hours(snapshot)
    rw = snapshot.get(RW_LAYER)
    geoms = rw.level(generalise.level_of(zoom)).json
    ids = rw.frame["geom_id"].astype(str).tolist()
    features = b",".join(
        b'{"type":"Feature","id":%d,"properties":%s,"geometry":%s}'
        % (i, orjson.dumps({"geom_id": gid}), g)
        for i, (gid, g) in enumerate(zip(ids, geoms, strict=True))
    )
    rest = {
        "event": "flood_2017",
        "layer": HOURLY_LAYER,
        "zoom": zoom,
        "hours": [
            {
                "local": h.local,
                "utc": h.utc,
                "rw": list(h.rws),
                "state": list(h.states),
                "count": len(h.rws),
                "people": h.people,
                "kelurahan": [list(k) for k in h.kelurahan],
            }
            for h in hours
        ],
        "people": {
            "estimate": True,
            "formula": PEOPLE_FORMULA,
            "min_touch_m2": MIN_TOUCH_M2,
            "source": "population_dukcapil_2019",
        },
        "strings": replay_strings(Translator(lang)),
        "styles": replay_styles(),
    }
    body = orjson.dumps(rest)
    return body[:-1] + b',"rw":{"type":"FeatureCollection","features":[' + features + b"]}}"


@router.get(
    "/peta/banjir-2017",
    response_class=Response,
    responses={
        200: content("the RWs once, and per hour their states and figures", json=REPLAY_SCHEMA),
        **NOT_MODIFIED,
        **errors(400, 404, 503),
    },
)
async def flood_replay(
    request: Request,
    snapshot: SnapshotDep,
    lang: LangDep,
    zoom: Annotated[
        str | None, Query(description=f"generalisation zoom 0-18 (default {DEFAULT_ZOOM})")
    ] = None,
) -> Response:
    """The February 2017 flood hour by hour, for the map's replay (JSON).

    ``lang`` names the language of the replay's strings the document carries.
    """
    level_zoom = (
        DEFAULT_ZOOM if zoom is None else parse_int("zoom", zoom, lo=0, hi=generalise.MAX_ZOOM)
    )

    def make() -> CachedResponse:
        body = replay_json(snapshot, level_zoom, lang)
        return CachedResponse.make(body, "application/json", {"Content-Language": lang})

    key = ("flood-replay", snapshot.key, generalise.level_of(level_zoom), lang)
    return await cached(request, served_build(request.app), key, make)
