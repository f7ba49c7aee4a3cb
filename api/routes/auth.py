"""Who a bearer token belongs to (the pages' sign-in checks a token here before keeping it),
and the admin's revocation of a token over HTTP.

Tokens are looked up in the actions database on every request (no per-process cache), so a
token revoked through one instance is refused by every instance from its next request.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path
from fastapi.responses import JSONResponse

from api.deps import ActionStoreDep, CurrentTokenDep
from api.params import reject_unknown_query
from api.responses import content, errors
from geo.actions.auth import RANK, Role, require, revoke_token

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


REVOKED = {
    "type": "object",
    "required": ["name", "id", "role", "revoked_at"],
    "properties": {
        "name": {"type": "string"},
        "id": {"type": "string"},
        "role": {"type": "string", "enum": [str(r) for r in Role]},
        "revoked_at": {"type": "string", "format": "date-time"},
    },
}


def _utc(when: datetime) -> datetime:
    """``when`` in UTC (SQLite hands the stored UTC time back without its zone)."""
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


TokenName = Annotated[
    str,
    Path(
        alias="name",
        description="The token's name or id (as `ketahanan token list` shows them).",
    ),
]


@router.delete(
    "/auth/tokens/{name}",
    response_class=JSONResponse,
    responses={200: content("the revoked token", json=REVOKED), **errors(401, 403, 404, 503)},
)
def revoke(name: TokenName, token: CurrentTokenDep, store: ActionStoreDep) -> JSONResponse:
    """Revoke a token by name or id (admins only); every instance refuses it from its next
    request. Revoking a revoked token again keeps its first revocation time."""
    require(token, Role.admin)
    revoked = revoke_token(store, name)
    body: dict[str, Any] = {
        "name": revoked.name,
        "id": revoked.id,
        "role": str(revoked.role),
        "revoked_at": _utc(revoked.revoked_at).isoformat() if revoked.revoked_at else None,
    }
    return JSONResponse(body, headers={"Cache-Control": "no-store"})
