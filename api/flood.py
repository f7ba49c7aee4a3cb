"""The flood feed followed by ``serve`` (``KETAHANAN_FLOOD_FEED_URL``), started with the app.

One process follows a feed per database, however many workers and instances serve it: the
follower takes a PostgreSQL advisory lock (a lock file beside a SQLite database) and the
others do not follow (:func:`geo.flood.ingest.follower_lock`). The matching uses the RWs of
the build being served at each fetch.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from api.deps import action_store_of
from api.store import served_build
from geo.errors import KetahananError
from geo.flood.follower import BackgroundFollower, rw_index
from geo.flood.match import RwIndex
from geo.settings import Settings

log = logging.getLogger("ketahanan.flood")


def _index_of(app: FastAPI) -> Any:
    cache: dict[str, RwIndex] = {}

    def index() -> RwIndex:
        snapshot = served_build(app).current()
        if snapshot.key not in cache:
            cache.clear()
            cache[snapshot.key] = rw_index(snapshot)
        return cache[snapshot.key]

    return index


def with_flood_follower(inner: Any) -> Any:
    """Wrap an app lifespan so the app follows ``KETAHANAN_FLOOD_FEED_URL`` while it runs."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[Any]:
        settings: Settings = app.state.settings
        follower = None
        if settings.flood_feed_url:
            try:
                store = await run_in_threadpool(action_store_of, app)
                follower = BackgroundFollower(
                    store.flood,
                    store.engine,
                    _index_of(app),
                    url=settings.flood_feed_url,
                    every=settings.flood_feed_every_seconds,
                    timeout=settings.flood_feed_timeout_seconds,
                ).start()
            except KetahananError as exc:
                log.warning("flood feed not followed: %s", exc.message)
        app.state.flood_follower = follower
        try:
            async with inner(app) as state:
                yield state
        finally:
            if follower is not None:
                await run_in_threadpool(follower.close)

    return lifespan
