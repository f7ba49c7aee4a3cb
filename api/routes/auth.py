"""Who a bearer token belongs to: the pages' sign-in checks a token here before keeping it."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from api.deps import CurrentTokenDep
from api.params import reject_unknown_query
from api.responses import content, errors
from geo.actions.auth import RANK, Role, require

router = APIRouter(tags=["auth"], dependencies=[Depends(reject_unknown_query)])

WHOAMI = {
    "type": "object",
    "required": ["name", "role", "can_write"],
    "properties": {
        "name": {"type": "string", "description": "the token's name (who signs changes)"},
        "role": {"type": "string", "enum": [str(r) for r in Role]},
        "can_write": {"type": "boolean", "description": "planner or admin: may write actions"},
    },
}


@router.get(
    "/auth/me",
    response_class=JSONResponse,
    responses={200: content("the token's name and role", json=WHOAMI), **errors(401, 503)},
)
def who_am_i(token: CurrentTokenDep) -> JSONResponse:
    """The name and role of the bearer token sent (401 without a valid one)."""
    found = require(token, Role.viewer)
    body: dict[str, Any] = {
        "name": found.name,
        "role": str(found.role),
        "can_write": RANK[found.role] >= RANK[Role.planner],
    }
    return JSONResponse(body, headers={"Cache-Control": "no-store"})
