"""The offline context layer of the map pages as GeoJSON (kota and kecamatan borders, the
province outline with the coast, waterways, rail lines), made from the build once per build."""

from __future__ import annotations

import numpy as np
import orjson
from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from api.deps import LangDep, SnapshotDep
from api.params import reject_unknown_query
from api.responses import FEATURE_COLLECTION_SCHEMA, NOT_MODIFIED, content, errors
from api.store import CachedResponse, cached, served_build
from geo import generalise
from geo.context import context_lines
from geo.ogc.collection import geometry_json
from geo.snapshot import BuildSnapshot
from geo.vocabulary import Level

router = APIRouter(tags=["pages"], dependencies=[Depends(reject_unknown_query)])

CONTEXT_ZOOM = 11
"""The zoom whose generalisation the context layer's polygons take (the city-wide view)."""
DECIMALS = 5
LINE_LAYERS = ("waterways", "rail_lines")
"""The build's line layers the context draws."""
"""Decimals of the context layer's coordinates (about one metre)."""


def context_geojson(snapshot: BuildSnapshot) -> bytes:
    """The context lines of a build as a GeoJSON FeatureCollection (bytes)."""
    level = generalise.level_of(CONTEXT_ZOOM)
    polygons = {
        name: snapshot.get(name).level(level).geoms for name in (Level.kota, Level.kecamatan)
    }
    lines = {
        name: snapshot.collections[name].geometry
        for name in LINE_LAYERS
        if name in snapshot.collections and snapshot.collections[name].geometry is not None
    }
    found = context_lines(polygons[Level.kota], polygons[Level.kecamatan], lines)  # type: ignore[arg-type]
    geoms = geometry_json(np.array([g for _, g in found], dtype=object), DECIMALS)
    features = [
        b'{"type":"Feature","properties":'
        + orjson.dumps({"kind": kind})
        + b',"geometry":'
        + g
        + b"}"
        for (kind, _), g in zip(found, geoms, strict=True)
    ]
    return b'{"type":"FeatureCollection","features":[' + b",".join(features) + b"]}"


@router.get(
    "/peta/konteks",
    response_class=Response,
    responses={
        200: content("the context lines by kind", geojson=FEATURE_COLLECTION_SCHEMA),
        **NOT_MODIFIED,
        **errors(400, 503),
    },
)
async def context_layer(request: Request, snapshot: SnapshotDep, lang: LangDep) -> Response:
    """Offline context of the map: borders, coast, waterways and rail lines (GeoJSON).

    ``lang`` is accepted for the page's links; the lines carry no text.
    """

    def make() -> CachedResponse:
        return CachedResponse.make(context_geojson(snapshot), "application/geo+json")

    return await cached(request, served_build(request.app), ("context", snapshot.key), make)
