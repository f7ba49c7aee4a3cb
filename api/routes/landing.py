"""Landing page and health check."""

from __future__ import annotations

import os
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response

from api.deps import resolve_lang
from api.ogc_html import page_response
from api.params import reject_unknown_query
from api.responses import content
from api.store import served_build
from geo.errors import InvalidParameterError, NoBuildError
from geo.params import shown
from geo.vocabulary import DEFAULT_LANGUAGE, Text

router = APIRouter(tags=["landing"], dependencies=[Depends(reject_unknown_query)])

DESCRIPTION = Text(
    "Ketahanan Jakarta: peta risiko per pilar (Siap, Sehat, Terhubung)",
    "Jakarta resilience: risk maps per pillar (Siap, Sehat, Terhubung)",
)


def openapi_media_type(version: str) -> str:
    """The media type of an OpenAPI document of ``version`` (``3.1.0`` -> ``...;version=3.1``)."""
    major_minor = ".".join(version.split(".")[:2])
    return f"application/vnd.oai.openapi+json;version={major_minor}"


def wants_html(request: Request) -> bool:
    """Whether the client prefers HTML to JSON (a browser), by its Accept header."""
    accept = request.headers.get("accept", "").lower()
    return "text/html" in accept and "application/json" not in accept.split(",")[0]


@router.get(
    "/",
    name="landing",
    response_model=None,
    responses={
        303: {"description": "a browser (Accept: text/html, without f) goes to the map"},
        200: content("the landing page (JSON, or HTML with f=html)", json={"type": "object"}),
    },
)
def landing(
    request: Request,
    f: Annotated[
        str | None,
        Query(description="json, or html (default: by Accept; browsers go to the map)"),
    ] = None,
    lang: Annotated[str | None, Query(description="id or en, passed on to the map")] = None,
) -> dict[str, Any] | Response:
    """Landing page: what this service is and where to go next (browsers go to the map)."""
    if f is not None and f not in ("json", "html"):
        raise InvalidParameterError(
            f"f must be json or html, got {shown(f)}",
            details=[{"field": "f", "message": "json or html"}],
        )
    chosen = resolve_lang(lang, None) if lang is not None else None
    if f is None and wants_html(request):
        return RedirectResponse(f"/peta?lang={chosen}" if chosen else "/peta", status_code=303)
    base = str(request.base_url).rstrip("/")
    doc = {
        "title": "Ketahanan",
        "description": DESCRIPTION(chosen or DEFAULT_LANGUAGE),
        "links": [
            {
                "href": f"{base}/",
                "rel": "self",
                "type": "application/json",
                "title": "this document",
            },
            {
                "href": f"{base}/?f=html",
                "rel": "alternate",
                "type": "text/html",
                "title": "this document as HTML",
            },
            {
                "href": f"{base}/health",
                "rel": "status",
                "type": "application/json",
                "title": "health and build status",
            },
            {
                "href": f"{base}/api",
                "rel": "service-desc",
                # the version of the document FastAPI actually emits (3.1), not a wish
                "type": openapi_media_type(request.app.openapi_version),
                "title": "OpenAPI document",
            },
            {
                "href": f"{base}/docs",
                "rel": "service-doc",
                "type": "text/html",
                "title": "interactive API documentation",
            },
            {
                "href": f"{base}/conformance",
                "rel": "conformance",
                "type": "application/json",
                "title": "OGC API conformance classes implemented",
            },
            {
                "href": f"{base}/collections",
                "rel": "data",
                "type": "application/json",
                "title": "collections: every layer and indicator table",
            },
        ],
    }
    if f == "html":  # the OGC landing page as HTML (a browser without f goes to the map)
        page_lang = chosen or resolve_lang(None, request.headers.get("accept-language"))
        return page_response(request, "landing", doc, page_lang)
    return doc


@router.get("/health")
async def health(request: Request) -> dict[str, Any]:
    """Health: whether a build is served, which version, by which process, and what it holds."""
    served = served_build(request.app)
    try:
        snapshot = await served.snapshot()
    except NoBuildError:
        path = str(served.snapshots.path)
        return {"status": "no_build", "build_path": path, "build_checks": served.checks}
    return {
        "status": "ok",
        "build_path": str(snapshot.path),
        "build": snapshot.key,
        "built": (snapshot.report or {}).get("finished"),
        "loaded": snapshot.loaded_at,
        "process": os.getpid(),
        "layers": list(snapshot.layer_names),
        "build_checks": served.checks,
    }
