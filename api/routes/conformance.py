"""OGC API - Features conformance declaration."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from api.deps import LangDep
from api.ogc_html import FormatParam, check_format, page_response, wants_page
from api.params import reject_unknown_query
from geo.ogc.documents import CONFORMANCE

router = APIRouter(tags=["ogc"], dependencies=[Depends(reject_unknown_query)])


@router.get("/conformance", response_model=None)
async def conformance(
    request: Request, lang: LangDep, f: FormatParam = None
) -> dict[str, Any] | Response:
    """Conformance classes of OGC API - Features Part 1 this service implements."""
    check_format(f)
    doc = {"conformsTo": list(CONFORMANCE)}
    if wants_page(request):
        return page_response(request, "conformance", doc, lang)
    return doc
