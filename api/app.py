"""The FastAPI application: routers mounted in one place."""

from __future__ import annotations

from functools import partial
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import Receive, Scope, Send

from api.errors import install_error_handlers
from api.fast_items import CachedItemsAnswer
from api.flood import with_flood_follower
from api.openapi import instance_limits
from api.responses import ERROR_REF, ErrorBody
from api.routes import (
    actions,
    auth,
    collections,
    conformance,
    context,
    coverage,
    docs,
    items,
    landing,
    organisations,
    pages,
    replay,
    replay_actions,
    reports,
)
from api.security import (
    BodyLimitMiddleware,
    SecurityHeadersMiddleware,
    content_security_policy,
    security_headers,
)
from api.store import build_lifespan, served_build
from geo.errors import SettingsError
from geo.settings import Settings, get_settings
from web.assets import STATIC_DIR

GZIP_MIN_BYTES = 1024
"""Responses at least this large are sent gzip-compressed to clients that accept it."""
NOT_GZIPPED = ("text/event-stream", "application/zip", "image/png", "image/jpeg")
"""Media types already compressed (or streamed) that gzip would only slow down."""


class KetahananAPI(FastAPI):
    """FastAPI with the security middleware outermost, around the error handlers too, and the
    cached items answer (:mod:`api.fast_items`) in front of everything."""

    _fast: CachedItemsAnswer | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """A repeated build-layer items GET from the cache; anything else through FastAPI."""
        if self._fast is None:
            settings: Settings = self.state.settings
            self._fast = CachedItemsAnswer(
                partial(FastAPI.__call__, self),
                lambda: served_build(self),
                security_headers(content_security_policy(settings.basemap_url)),
                cors=bool(settings.cors_origins),
            )
        await self._fast(scope, receive, send)

    def build_middleware_stack(self) -> Any:
        """The usual stack wrapped in the body limit, the security headers, then gzip.

        gzip is outermost so the security middleware reads a page's inline scripts as text;
        responses that are gzipped already (the items cache) pass through unchanged.
        """
        settings: Settings = self.state.settings
        limited = BodyLimitMiddleware(super().build_middleware_stack(), settings.max_body_bytes)
        secured = SecurityHeadersMiddleware(limited, settings.basemap_url)
        return GZipMiddleware(
            secured, minimum_size=GZIP_MIN_BYTES, exclude_content_types=NOT_GZIPPED
        )

    def openapi(self) -> dict[str, Any]:
        """The OpenAPI document, without FastAPI's automatic 422 validation responses.

        Request validation errors are answered as 400 with the one error body (see
        :mod:`api.errors`); routes declare their own 400 and 422 responses.
        """
        if self.openapi_schema is not None:
            return self.openapi_schema
        schema = super().openapi()
        for path in schema.get("paths", {}).values():
            for operation in path.values():
                responses = operation.get("responses", {})
                auto = responses.get("422", {}).get("content", {}).get("application/json", {})
                if auto.get("schema", {}).get("$ref", "").endswith("/HTTPValidationError"):
                    del responses["422"]
                # every route refuses an unknown or repeated query parameter (api/params.py)
                responses.setdefault("400", _invalid_parameter())
        schemas = schema.setdefault("components", {}).setdefault("schemas", {})
        for name in ("HTTPValidationError", "ValidationError"):
            schemas.pop(name, None)
        schemas["ErrorBody"] = ErrorBody.model_json_schema()
        instance_limits(schema, self.state.settings)
        self.openapi_schema = schema
        return schema


ROUTERS = (
    landing,
    conformance,
    auth,
    collections,
    items,
    actions,
    coverage,
    context,
    pages,
    replay,
    replay_actions,
    reports,
    organisations,
    docs,
)
"""Every router of the app: one per resource."""


def _invalid_parameter() -> dict[str, Any]:
    return {
        "description": "A malformed parameter; details name it",
        "content": {"application/json": {"schema": {"$ref": ERROR_REF}}},
    }


def create_app(settings: Settings | None = None) -> FastAPI:
    """Create the Ketahanan web application.

    Parameters
    ----------
    settings : Settings, optional
        Defaults to the process settings (``KETAHANAN_*`` environment variables).
    """
    app = KetahananAPI(
        title="Ketahanan",
        description="Jakarta city resilience: pillar risk maps, actions and GIS exports.",
        version="0.1.0",
        openapi_url="/api",
        docs_url=None,  # served offline by api/routes/docs.py
        redoc_url=None,
        lifespan=build_lifespan,
    )
    try:
        app.state.settings = settings or get_settings()
    except SettingsError as exc:  # a plain message, not a traceback, for the operator
        raise SystemExit(f"error ({exc.code}): {exc.message}") from None
    if app.state.settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=app.state.settings.cors_origins,
            allow_methods=["*"],
            allow_headers=["*"],
            expose_headers=["ETag", "Content-Disposition", "Content-Language"],
        )
    install_error_handlers(app)
    # no two routes answer the same method and path, so the order below does not matter
    for module in ROUTERS:
        app.include_router(module.router)
    app.router.lifespan_context = with_flood_follower(
        actions.with_actions_startup(app.router.lifespan_context)
    )
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.mount(docs.ASSETS, StaticFiles(directory=docs.SWAGGER_UI_DIR), name="docs-assets")
    return app
