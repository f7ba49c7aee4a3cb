"""The offline context layer of the map pages as GeoJSON (kota and kecamatan borders, the
province outline with the coast, waterways, rail lines), made from the build once per build."""

from __future__ import annotations

import numpy as np
import orjson
from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from api.deps import LangDep, StoreDep
from api.params import reject_unknown_query
from api.responses import FEATURE_COLLECTION_SCHEMA, NOT_MODIFIED, content, errors
from api.store import CachedResponse, cached, holder_of
from geo import generalise
from geo.context import context_lines
from geo.features import FeatureStore, _geometry_json

router = APIRouter(tags=["pages"], dependencies=[Depends(reject_unknown_query)])

CONTEXT_ZOOM = 11
"""The zoom whose generalisation the context layer's polygons take (the city-wide view)."""
DECIMALS = 5
"""Decimals of the context layer's coordinates (about one metre)."""


def context_geojson(store: FeatureStore) -> bytes:
    """The context lines of the store's build as a GeoJSON FeatureCollection (bytes)."""
    level = generalise.level_of(CONTEXT_ZOOM)
    polygons = {name: store.get(name).level(level).geoms for name in ("kota", "kecamatan")}
    lines = {
        name: store.collections[name].geometry
        for name in ("waterways", "rail_lines")
        if name in store.collections and store.collections[name].geometry is not None
    }
    found = context_lines(polygons["kota"], polygons["kecamatan"], lines)  # type: ignore[arg-type]
    geoms = _geometry_json(np.array([g for _, g in found], dtype=object), DECIMALS)
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
async def context_layer(request: Request, store: StoreDep, lang: LangDep) -> Response:
    """Offline context of the map: borders, coast, waterways and rail lines (GeoJSON).

    ``lang`` is accepted for the page's links; the lines carry no text.
    """
    holder = holder_of(request.app)

    def make() -> CachedResponse:
        return CachedResponse.make(context_geojson(store), "application/geo+json")

    return await cached(request, holder, ("context", store.mtime), make)
