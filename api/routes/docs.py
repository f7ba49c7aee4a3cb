"""Interactive API documentation (Swagger UI) served from an installed package, not a CDN."""

from __future__ import annotations

from pathlib import Path

import swagger_ui_bundle
from fastapi import APIRouter
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse

SWAGGER_UI_DIR = Path(swagger_ui_bundle.swagger_ui_path)
"""Swagger UI's dist files as the swagger-ui-bundle-v2 package ships them."""

ASSETS = "/docs-assets"

router = APIRouter(include_in_schema=False)


@router.get("/docs", response_class=HTMLResponse)
def docs() -> HTMLResponse:
    """Swagger UI over the OpenAPI document at /api, working without internet."""
    return get_swagger_ui_html(
        openapi_url="/api",
        title="Ketahanan API",
        swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
        swagger_css_url=f"{ASSETS}/swagger-ui.css",
        swagger_favicon_url="/static/favicon.svg",
    )
