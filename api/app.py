"""The FastAPI application: routers mounted in one place."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles

from api.errors import install_error_handlers
from api.routes import actions, collections, conformance, coverage, items, landing, pages
from api.store import store_lifespan
from geo.settings import Settings, get_settings
from web.assets import STATIC_DIR


def create_app(settings: Settings | None = None) -> FastAPI:
    """Create the Ketahanan web application.

    Parameters
    ----------
    settings : Settings, optional
        Defaults to the process settings (``KETAHANAN_*`` environment variables).
    """
    app = FastAPI(
        title="Ketahanan",
        description="Jakarta city resilience: pillar risk maps, actions and GIS exports.",
        version="0.1.0",
        openapi_url="/api",
        docs_url="/docs",
        lifespan=store_lifespan,
    )
    app.state.settings = settings or get_settings()
    if app.state.settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=app.state.settings.cors_origins,
            allow_methods=["*"],
            allow_headers=["*"],
            expose_headers=["ETag", "Content-Disposition", "Content-Language"],
        )
    install_error_handlers(app)
    app.include_router(landing.router)
    app.include_router(conformance.router)
    # actions and coverage gaps before the generic collections, so their paths win
    app.include_router(actions.router)
    app.include_router(coverage.router)
    app.router.lifespan_context = actions.with_actions_startup(app.router.lifespan_context)
    app.include_router(collections.router)
    app.include_router(items.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
