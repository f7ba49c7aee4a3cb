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
from geo.ogc.providers.gaps import gaps_id
from geo.vocabulary import Pillar

router = APIRouter(tags=["actions"])

PilarQuery = Annotated[Pillar | None, Query(description="The pillar")]
PillarQuery = Annotated[Pillar | None, Query(description="English alias of pilar")]


@router.get(
    "/coverage-gaps",
    response_model=None,
    response_class=GeoJSONResponse,
    responses=ITEMS_RESPONSES,
)
async def gaps(request: Request, pilar: PilarQuery = None, pillar: PillarQuery = None) -> Response:
    """Kelurahan in the top quintile of a pillar's score with no planned/in-progress action."""
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
    return await serve_items(request, gaps_id(chosen), drop=("pilar", "pillar"))
