"""Typed dependency aliases shared by the routers, and the checks every route makes the same
way: who may read, who may write, the request body, If-Match."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Path, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from api.store import served_build
from geo.actions.auth import Role, Token, authenticate, require
from geo.actions.store import ActionStore
from geo.errors import (
    InvalidParameterError,
    PayloadTooLargeError,
    PreconditionRequiredError,
    UnauthorizedError,
)
from geo.ogc.providers.base import CollectionProvider, WritableProvider, writable
from geo.ogc.providers.registry import Registry
from geo.settings import Settings
from geo.snapshot import BuildSnapshot
from geo.vocabulary import DEFAULT_LANGUAGE, LANGUAGES


def get_app_settings(request: Request) -> Settings:
    """The settings the app was created with."""
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
                f"lang must be one of {', '.join(LANGUAGES)}, got {query!r}"
            )
        return lang
    if accept_language:
        ranked: list[tuple[float, int, str]] = []
        for i, part in enumerate(accept_language.split(",")):
            tag, _, params = part.strip().partition(";")
            q = 1.0
            if params.strip().startswith("q="):
                try:
                    q = float(params.strip()[2:])
                except ValueError:
                    q = 0.0
            primary = tag.strip().lower().split("-")[0]
            if primary in ("in",):  # the old ISO 639 code of Bahasa Indonesia
                primary = "id"
            if primary in LANGUAGES and q > 0:
                ranked.append((-q, i, primary))
        if ranked:
            return min(ranked)[2]
    return DEFAULT_LANGUAGE


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
    scheme, _, secret = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise UnauthorizedError("the Authorization header must be 'Bearer <token>'")
    return authenticate(store, secret.strip())


CurrentTokenDep = Annotated[Token | None, Depends(get_current_token)]


def token_of(request: Request) -> Token | None:
    """The token of the request's Authorization header, checked against the store."""
    return get_current_token(request, get_action_store(request))


async def get_registry(request: Request) -> Registry:
    """Every collection of the request: the served build's layers, the actions, the gaps."""
    snapshot = await get_snapshot(request)
    return Registry(snapshot, lambda: get_action_store(request))


RegistryDep = Annotated[Registry, Depends(get_registry)]


async def allow_read(request: Request, provider: CollectionProvider) -> None:
    """Refuse a read of a protected collection without a token when reads need one.

    The actions store is only reached (for the token) when that is so: the build layers are
    read without the database.
    """
    settings: Settings = request.app.state.settings
    if provider.protected and settings.read_requires_token:
        token = await run_in_threadpool(token_of, request)
        require(token, Role.viewer)


def writer(token: Token | None) -> str:
    """The name of the planner writing (401 without a token, 403 for a weaker role)."""
    return require(token, Role.planner).name


@dataclass
class WriteTarget:
    """Where a write goes and who makes it: a writable collection and a planner."""

    request: Request
    collection_id: str
    provider: WritableProvider
    actor: str


def get_write_target(
    collection_id: Annotated[str, Path(alias="collectionId", description="A collection id.")],
    request: Request,
    registry: Annotated[Registry, Depends(get_registry)],
    token: Annotated[Token | None, Depends(get_current_token)],
) -> WriteTarget:
    """The writable collection of the path (404 unknown, 405 read-only) and the planner."""
    provider = writable(registry.get(collection_id))
    return WriteTarget(request, collection_id, provider, writer(token))


WriteTargetDep = Annotated[WriteTarget, Depends(get_write_target)]


async def json_body(request: Request) -> Any:
    """Read the request body as JSON, refusing bodies over ``max_body_bytes`` (413)."""
    settings: Settings = request.app.state.settings
    limit = settings.max_body_bytes
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise PayloadTooLargeError(
            f"the body has {int(declared):,} bytes; at most {limit:,} are accepted",
            details=[{"field": "body", "message": f"larger than {limit:,} bytes"}],
        )
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLargeError(
                f"the body is larger than {limit:,} bytes",
                details=[{"field": "body", "message": f"larger than {limit:,} bytes"}],
            )
        chunks.append(chunk)
    raw = b"".join(chunks)
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidParameterError(
            f"the body is not valid JSON: {exc}",
            details=[{"field": "body", "message": "not valid JSON"}],
        ) from None


JsonBodyDep = Annotated[Any, Depends(json_body)]


def expected_version(request: Request, *, required: bool = True) -> int | None:
    """The version named by If-Match (None for ``*``); 428 when required and missing."""
    header = request.headers.get("if-match")
    if header is None or not header.strip():
        if required:
            raise PreconditionRequiredError(
                "send If-Match with the ETag from your last GET of this action, so that "
                "nobody's change is overwritten",
                details=[{"field": "If-Match", "message": "required"}],
            )
        return None
    header = header.strip()
    if header == "*":
        return None
    tag = header.split(",")[0].strip()
    if tag.startswith("W/"):
        tag = tag[2:]
    tag = tag.strip('"')
    if not tag.isdigit():
        raise InvalidParameterError(
            f'If-Match {header!r} is not an ETag of an action (like "3")',
            details=[{"field": "If-Match", "message": "not an action ETag"}],
        )
    return int(tag)


CollectionId = Annotated[str, Path(alias="collectionId", description="A collection id.")]
FeatureId = Annotated[
    str,
    Path(alias="featureId", description="kode of an admin unit, id of an action, else the fid."),
]
