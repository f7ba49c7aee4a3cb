"""OGC API - Features conformance declaration."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from geo.ogc.documents import CONFORMANCE

router = APIRouter(tags=["ogc"])


@router.get("/conformance")
def conformance() -> dict[str, Any]:
    """Conformance classes of OGC API - Features Part 1 this service implements."""
    return {"conformsTo": list(CONFORMANCE)}
