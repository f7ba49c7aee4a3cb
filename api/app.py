"""The FastAPI application: routers mounted in one place."""

from __future__ import annotations

from fastapi import FastAPI

from api.errors import install_error_handlers
from api.routes import landing
from geo.settings import Settings, get_settings


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
    )
    app.state.settings = settings or get_settings()
    install_error_handlers(app)
    app.include_router(landing.router)
    return app
