"""``/coverage-gaps?pilar=``: a pillar's coverage gaps, the short way to their collection.

The gaps of each pillar are the collection ``coverage_gaps_<pillar>`` of the one items router
(paged, filtered and downloadable like any other); this route answers the same for the pillar
named by ``pilar`` (or ``pillar``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from api.openapi import ITEMS_RESPONSES
from api.responses import GeoJSONResponse
from api.routes.items import serve_items
from geo.errors import InvalidParameterError
from geo.flood.during import parse_banjir
from geo.ogc.providers.gaps import gaps_id
from geo.vocabulary import Pillar

router = APIRouter(tags=["actions"])

PilarQuery = Annotated[Pillar | None, Query(description="The pillar")]
PillarQuery = Annotated[Pillar | None, Query(description="English alias of pilar")]
BanjirQuery = Annotated[
    str | None,
    Query(
        max_length=64,
        description=(
            "During a flood: `live` (the flood feed's latest good state) or an RFC 3339 "
            "instant replaying the February 2017 event (the snapshot in force then): the "
            "flooded kelurahan with no planned or in-progress action of the pillar, and the "
            "actions whose places are flooded (member `actions_flooded`)"
        ),
    ),
]


@router.get(
    "/coverage-gaps",
    response_model=None,
    response_class=GeoJSONResponse,
    responses=ITEMS_RESPONSES,
)
async def gaps(
    request: Request,
    pilar: PilarQuery = None,
    pillar: PillarQuery = None,
    banjir: BanjirQuery = None,
) -> Response:
    """Kelurahan in the top quintile of a pillar's score with no planned/in-progress action
    (with ``banjir``: the flooded kelurahan with none, and the actions in flooded places)."""
    if pilar is not None and pillar is not None and pilar != pillar:
        raise InvalidParameterError(
            f"pilar={pilar} and pillar={pillar} disagree; give one of them",
            details=[{"field": "pillar", "message": "differs from pilar"}],
        )
    chosen = pilar or pillar
    if chosen is None:
        raise InvalidParameterError(
            "give pilar=" + ", ".join(Pillar),
            details=[{"field": "pilar", "message": "required"}],
        )
    if banjir is not None:
        moment = parse_banjir(banjir)
        return await serve_items(
            request,
            f"{gaps_id(chosen)}_banjir",
            drop=("pilar", "pillar", "banjir"),
            provider_of=lambda registry: registry.flood_gaps(chosen, moment),
        )
    return await serve_items(request, gaps_id(chosen), drop=("pilar", "pillar"))
