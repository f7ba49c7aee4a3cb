"""Landing page and health check."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from api.deps import SettingsDep
from geo.build import list_layers, read_report

router = APIRouter(tags=["landing"])


@router.get("/")
def landing(request: Request) -> dict[str, Any]:
    """Landing page: what this service is and where to go next."""
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
