"""Typed dependency aliases shared by the routers."""

from __future__ import annotations

import threading
from typing import Annotated

from fastapi import Depends, Path, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.headers import bearer_secret, preferred_language
from geo.actions.auth import Token, authenticate
from geo.actions.store import ActionStore
from geo.errors import InvalidParameterError
from geo.features import LANGUAGES, FeatureStore
from geo.params import shown
from geo.settings import Settings


def get_app_settings(request: Request) -> Settings:
    """The settings the app was created with."""
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_app_settings)]


async def get_store(request: Request) -> FeatureStore:
    """The in-memory feature store of the build output (loaded once, reloaded on rebuild)."""
    from api.store import holder_of

    return await holder_of(request.app).get()


StoreDep = Annotated[FeatureStore, Depends(get_store)]


def resolve_lang(query: str | None, accept_language: str | None) -> str:
    """Response language: ``lang`` (id or en, else 400), then Accept-Language, then id."""
    if query is not None:
        lang = query.strip().lower()
        if lang not in LANGUAGES:
            raise InvalidParameterError(
                f"lang must be one of {', '.join(LANGUAGES)}, got {shown(query)}",
                details=[{"field": "lang", "message": "id or en"}],
            )
        return lang
    return preferred_language(accept_language, LANGUAGES) or LANGUAGES[0]


async def get_lang(request: Request) -> str:
    """The response language of a request (see :func:`resolve_lang`)."""
    return resolve_lang(request.query_params.get("lang"), request.headers.get("accept-language"))


LangDep = Annotated[str, Depends(get_lang)]


# --- actions store and bearer tokens ------------------------------------------------------------

_action_store_lock = threading.Lock()


def get_action_store(request: Request) -> ActionStore:
    """The actions store of the app, created (and migrated) on first use."""
    app = request.app
    store: ActionStore | None = getattr(app.state, "action_store", None)
    if store is not None and getattr(app.state, "action_store_ready", False):
        return store
    with _action_store_lock:
        store = getattr(app.state, "action_store", None)
        if store is None:
            store = ActionStore.from_settings(app.state.settings)
            app.state.action_store = store
        if not getattr(app.state, "action_store_ready", False):
            if app.state.settings.migrate_on_startup:
                store.migrate()
            app.state.action_store_ready = True
    return store


ActionStoreDep = Annotated[ActionStore, Depends(get_action_store)]


bearer_scheme = HTTPBearer(
    auto_error=False,
    description="A token made by `ketahanan token create`: planners write, viewers read.",
)
"""Declares the bearer scheme in OpenAPI; the header is parsed by :func:`get_current_token`."""


def get_current_token(
    request: Request,
    store: ActionStoreDep,
    _declared: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)] = None,
) -> Token | None:
    """The token of an ``Authorization: Bearer`` header (None without one; 401 if not valid).

    Only the header is read: a token in a query string or cookie is never looked at.
    """
    header = request.headers.get("authorization")
    if header is None:
        return None
    return authenticate(store, bearer_secret(header))


CurrentTokenDep = Annotated[Token | None, Depends(get_current_token)]


CollectionId = Annotated[str, Path(alias="collectionId", description="A collection id.")]
FeatureId = Annotated[
    str, Path(alias="featureId", description="kode of an admin unit, else the fid.")
]
