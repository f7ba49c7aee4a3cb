"""Typed dependency aliases shared by the routers, and the checks every route makes the same
way: who may read, who may write, the request body, If-Match."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import partial
from typing import Annotated, Any

from fastapi import Depends, Path, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from api.headers import bearer_secret, if_match_versions, preferred_language
from api.store import served_build
from geo.actions.auth import Actor, Role, Token, authenticate, require
from geo.actions.service import Expected
from geo.actions.store import ActionStore
from geo.errors import InvalidParameterError, NoBuildError
from geo.ogc.providers.base import CollectionProvider, WritableProvider, writable
from geo.ogc.providers.registry import Registry
from geo.params import shown
from geo.settings import Settings
from geo.snapshot import BuildSnapshot
from geo.vocabulary import DEFAULT_LANGUAGE, LANGUAGES


async def get_app_settings(request: Request) -> Settings:
    """The settings the app was created with. (The cheap dependencies are ``async``: FastAPI
    runs a plain ``def`` dependency in the thread pool, a hand-off each way per request.)"""
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_app_settings)]


async def get_snapshot(request: Request) -> BuildSnapshot:
    """The build the request is served from (read once, swapped when a new build lands)."""
    return await served_build(request.app).snapshot()


SnapshotDep = Annotated[BuildSnapshot, Depends(get_snapshot)]


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
    return preferred_language(accept_language, LANGUAGES) or DEFAULT_LANGUAGE


async def get_lang(request: Request) -> str:
    """The response language of a request (see :func:`resolve_lang`)."""
    return resolve_lang(request.query_params.get("lang"), request.headers.get("accept-language"))


LangDep = Annotated[str, Depends(get_lang)]


# --- actions store and bearer tokens ------------------------------------------------------------

_action_store_lock = threading.Lock()


def _ready_store(app: Any) -> ActionStore | None:
    """The actions store of ``app`` once it is made and migrated, else None."""
    store: ActionStore | None = getattr(app.state, "action_store", None)
    return store if getattr(app.state, "action_store_ready", False) else None


async def get_action_store(request: Request) -> ActionStore:
    """The actions store of the app, created (and migrated, in the thread pool) on first use."""
    ready = _ready_store(request.app)
    return ready if ready is not None else await run_in_threadpool(action_store_of, request.app)


def action_store_of(app: Any) -> ActionStore:
    """The actions store of ``app``, created (and migrated) on first use."""
    ready = _ready_store(app)
    if ready is not None:
        return ready
    with _action_store_lock:
        store = getattr(app.state, "action_store", None)
        if store is None:
            build = served_build(app)
            store = ActionStore.from_settings(
                app.state.settings, places=lambda: build.current().require_places()
            )
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


def token_of(request: Request) -> Token | None:
    """The token of the request's Authorization header, checked against the store."""
    return get_current_token(request, action_store_of(request.app))


async def get_registry(request: Request) -> Registry:
    """Every collection of the request: the served build's layers, the actions, the gaps
    (before any build, the actions alone)."""
    app = request.app
    try:
        snapshot = await get_snapshot(request)
    except NoBuildError as missing:
        return Registry(None, lambda: action_store_of(app), no_build=missing)
    stale_after = app.state.settings.flood_feed_stale_seconds
    # one registry per served build (its providers hold no request): made again only when
    # the build or the setting changes, not on every request (a few hundred microseconds)
    key = (snapshot.key, stale_after)
    kept: tuple[Any, Registry] | None = getattr(app.state, "registry", None)
    if kept is not None and kept[0] == key:
        return kept[1]
    store = partial(action_store_of, app)
    registry = Registry(snapshot, store, flood_stale_after=stale_after)
    app.state.registry = (key, registry)
    return registry


RegistryDep = Annotated[Registry, Depends(get_registry)]


async def allow_read(request: Request, provider: CollectionProvider) -> None:
    """Refuse a read of a protected collection without a token when reads need one.

    A token presented to a protected collection is always checked (a bad one is a 401, even
    when reads are open). The actions store is only reached (for the token) then: the build
    layers are read without the database.
    """
    if not provider.protected:
        return
    settings: Settings = request.app.state.settings
    if settings.read_requires_token or "authorization" in request.headers:
        token = await run_in_threadpool(token_of, request)
        if settings.read_requires_token:
            require(token, Role.viewer)


def writer(token: Token | None) -> str:
    """The planner writing, with its organisation (401 without a token, 403 for a weaker role)."""
    return Actor(require(token, Role.planner))


@dataclass
class WriteTarget:
    """Where a write goes and who makes it: a writable collection and a planner."""

    request: Request
    collection_id: str
    provider: WritableProvider
    actor: str


async def get_write_target(
    collection_id: Annotated[str, Path(alias="collectionId", description="A collection id.")],
    request: Request,
    registry: Annotated[Registry, Depends(get_registry)],
    token: Annotated[Token | None, Depends(get_current_token)],
) -> WriteTarget:
    """The writable collection of the path (404 unknown, 405 read-only) and the planner."""
    provider = writable(registry.get(collection_id))
    return WriteTarget(request, collection_id, provider, writer(token))


WriteTargetDep = Annotated[WriteTarget, Depends(get_write_target)]


def expected_version(request: Request, *, required: bool = True) -> Expected:
    """The versions If-Match names (strong comparison; None for ``*``); 428 when required
    and missing (see :func:`api.headers.if_match_versions`)."""
    return if_match_versions(request, required=required)


CollectionId = Annotated[str, Path(alias="collectionId", description="A collection id.")]
FeatureId = Annotated[
    str,
    Path(alias="featureId", description="kode of an admin unit, id of an action, else the fid."),
]
