"""Landing page and health check."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse

from api.deps import SettingsDep, resolve_lang
from api.params import reject_unknown_query
from api.responses import content
from geo.build import list_layers, read_report
from geo.errors import InvalidParameterError
from geo.params import shown

router = APIRouter(tags=["landing"], dependencies=[Depends(reject_unknown_query)])


def wants_html(request: Request) -> bool:
    """Whether the client prefers HTML to JSON (a browser), by its Accept header."""
    accept = request.headers.get("accept", "").lower()
    return "text/html" in accept and "application/json" not in accept.split(",")[0]


@router.get(
    "/",
    response_model=None,
    responses={
        200: content("the landing page", json={"type": "object"}),
        303: {"description": "a browser (Accept: text/html, or f=html) goes to the map"},
    },
)
def landing(
    request: Request,
    f: Annotated[
        str | None, Query(description="json, or html to go to the map (default: by Accept)")
    ] = None,
    lang: Annotated[str | None, Query(description="id or en, passed on to the map")] = None,
) -> dict[str, Any] | RedirectResponse:
    """Landing page: what this service is and where to go next (browsers go to the map)."""
    if f is not None and f not in ("json", "html"):
        raise InvalidParameterError(
            f"f must be json or html, got {shown(f)}",
            details=[{"field": "f", "message": "json or html"}],
        )
    chosen = resolve_lang(lang, None) if lang is not None else None
    if f == "html" or (f is None and wants_html(request)):
        return RedirectResponse(f"/peta?lang={chosen}" if chosen else "/peta", status_code=303)
    base = str(request.base_url).rstrip("/")
    return {
        "title": "Ketahanan",
        "description": (
            "Ketahanan Jakarta: peta risiko per pilar (Siap, Sehat, Terhubung) / "
            "Jakarta resilience: risk maps per pillar (Siap, Sehat, Terhubung)"
        ),
        "links": [
            {
                "href": f"{base}/",
                "rel": "self",
                "type": "application/json",
                "title": "this document",
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
                "type": "application/vnd.oai.openapi+json;version=3.0",
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


@router.get("/health")
def health(settings: SettingsDep) -> dict[str, Any]:
    """Health: whether a build output exists and what it holds."""
    build = settings.build_path
    if not build.exists():
        return {"status": "no_build", "build_path": str(build)}
    report = read_report(settings.report_path) if settings.report_path.exists() else {}
    return {
        "status": "ok",
        "build_path": str(build),
        "built": report.get("finished"),
        "layers": list_layers(build),
    }
