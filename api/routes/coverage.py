"""Coverage gaps: top-quintile kelurahan of a pillar's score with no active action of it."""

from __future__ import annotations

import math
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse
from shapely.geometry import mapping

from api.deps import ActionStoreDep, CurrentTokenDep, SettingsDep
from api.params import reject_unknown_query
from api.responses import FEATURE_COLLECTION_SCHEMA, GeoJSONResponse, content, errors
from geo.actions.auth import Role, require
from geo.actions.coverage import (
    TOP_CLASSES,
    CoverageGaps,
    coverage_gaps,
    kelurahan_with_scores,
    parse_pillar,
)
from geo.errors import InvalidParameterError
from geo.features import CRS84
from geo.params import shown

router = APIRouter(tags=["actions"], dependencies=[Depends(reject_unknown_query)])

GEOJSON = "application/geo+json"
_PILLARS = {"enum": ["siap", "sehat", "terhubung"]}
PillarPath = Annotated[
    str, Path(description="siap, sehat or terhubung", json_schema_extra=_PILLARS)
]
FIELDS = ("kode", "nama", "kode_kecamatan", "nama_kecamatan", "nama_kota")


def _gaps(settings: Any, store: Any, pillar: str) -> CoverageGaps:
    chosen = parse_pillar(pillar)
    frame = kelurahan_with_scores(settings.build_path)
    return coverage_gaps(frame, chosen, store.covered_kelurahan(str(chosen)))


def _clean(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _collection(result: CoverageGaps) -> dict[str, Any]:
    column = f"score_{result.pillar}"
    features = []
    for row in result.gaps.itertuples(index=False):
        values = row._asdict()
        props = {k: _clean(values.get(k)) for k in FIELDS if k in values}
        props["score"] = _clean(float(values[column]))
        features.append(
            {
                "type": "Feature",
                "id": values["kode"],
                "geometry": mapping(values["geometry"]),
                "properties": props,
            }
        )
    return {
        "type": "FeatureCollection",
        "numberMatched": len(features),
        "numberReturned": len(features),
        "classification": result.summary(),
        "features": features,
    }


_GAPS = {
    200: content("the coverage gaps as GeoJSON", geojson=FEATURE_COLLECTION_SCHEMA),
    **errors(400, 401, 403, 503),
}


@router.get("/coverage-gaps", response_model=None, response_class=GeoJSONResponse, responses=_GAPS)
def gaps(
    store: ActionStoreDep,
    settings: SettingsDep,
    token: CurrentTokenDep,
    pilar: Annotated[
        str | None, Query(description="siap, sehat or terhubung", json_schema_extra=_PILLARS)
    ] = None,
    pillar: Annotated[
        str | None, Query(description="English alias of pilar", json_schema_extra=_PILLARS)
    ] = None,
) -> JSONResponse:
    """Kelurahan in the top quintile of a pillar's score with no planned/in-progress action."""
    if settings.read_requires_token:
        require(token, Role.viewer)
    if pilar is not None and pillar is not None and pilar != pillar:
        raise InvalidParameterError(
            f"pilar={shown(pilar)} and pillar={shown(pillar)} disagree; give one of them",
            details=[{"field": "pillar", "message": "differs from pilar"}],
        )
    chosen = pilar or pillar
    if chosen is None:
        raise InvalidParameterError(
            "give pilar=siap, sehat or terhubung",
            details=[{"field": "pilar", "message": "required"}],
        )
    return JSONResponse(_collection(_gaps(settings, store, chosen)), media_type=GEOJSON)


@router.get("/collections/coverage_gaps_{pillar}", responses=errors(400, 401, 403))
def gaps_collection(
    pillar: PillarPath, request: Request, settings: SettingsDep, token: CurrentTokenDep
) -> dict[str, Any]:
    """The coverage-gap collection of one pillar."""
    if settings.read_requires_token:
        require(token, Role.viewer)
    chosen = parse_pillar(pillar)
    return gaps_collection_document(str(request.base_url).rstrip("/"), chosen)


def gaps_collection_document(root: str, pillar: str) -> dict[str, Any]:
    """The OGC collection description of one pillar's coverage gaps."""
    base = f"{root}/collections/coverage_gaps_{pillar}"
    return {
        "id": f"coverage_gaps_{pillar}",
        "title": f"Celah cakupan / coverage gaps: {pillar}",
        "description": (
            f"Kelurahan in the highest of {TOP_CLASSES} quantile classes of score_{pillar} "
            "with no planned or in-progress action of that pillar touching them."
        ),
        "itemType": "feature",
        "crs": [CRS84],
        "links": [
            {"href": base, "rel": "self", "type": "application/json"},
            {"href": f"{base}/items", "rel": "items", "type": GEOJSON},
        ],
    }


@router.get(
    "/collections/coverage_gaps_{pillar}/items",
    response_model=None,
    response_class=GeoJSONResponse,
    responses=_GAPS,
)
def gaps_items(
    pillar: PillarPath, store: ActionStoreDep, settings: SettingsDep, token: CurrentTokenDep
) -> JSONResponse:
    """Coverage gaps of one pillar as GeoJSON (same as /coverage-gaps?pilar=...)."""
    if settings.read_requires_token:
        require(token, Role.viewer)
    return JSONResponse(_collection(_gaps(settings, store, pillar)), media_type=GEOJSON)
