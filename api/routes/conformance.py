"""OGC API - Features conformance declaration."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from api.params import reject_unknown_query
from geo.ogc.documents import CONFORMANCE

router = APIRouter(tags=["ogc"], dependencies=[Depends(reject_unknown_query)])


@router.get("/conformance")
def conformance() -> dict[str, Any]:
    """Conformance classes of OGC API - Features Part 1 this service implements."""
    return {"conformsTo": list(CONFORMANCE)}
