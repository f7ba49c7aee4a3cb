"""The in-memory feature store of the app and its response cache.

:class:`StoreHolder` loads the build GeoPackage once (at start-up, or on first use) into a
:class:`geo.features.FeatureStore` and reloads it when ``ketahanan build`` replaces the file.
:class:`ResponseCache` keeps finished responses (body, gzip body, ETag) under a normalised
query key in a bounded LRU, so a repeated request is answered with bytes already made.
"""

from __future__ import annotations

import gc
import gzip
import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Hashable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from fastapi import FastAPI, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from api.headers import none_match
from geo.features import FeatureStore, NoBuildError
from geo.settings import Settings

GZIP_MIN_BYTES = 1024
"""Responses at least this large are also kept gzip-compressed."""

RELOAD_CHECK_S = 2.0
"""How often (seconds) the holder looks whether the build output was replaced."""


@dataclass(frozen=True)
class CachedResponse:
    """A finished response: identity body, gzip body (or None), ETag and headers."""

    body: bytes
    media_type: str
    etag: str
    gzipped: bytes | None = None
    headers: tuple[tuple[str, str], ...] = ()

    @classmethod
    def make(
        cls, body: bytes, media_type: str, headers: dict[str, str] | None = None
    ) -> CachedResponse:
        """Hash and (when large) compress ``body`` once."""
        etag = hashlib.blake2b(body, digest_size=16).hexdigest()
        gz = gzip.compress(body, compresslevel=5, mtime=0) if len(body) >= GZIP_MIN_BYTES else None
        return cls(body, media_type, etag, gz, tuple((headers or {}).items()))

    @property
    def size(self) -> int:
        """Bytes held."""
        return len(self.body) + len(self.gzipped or b"")


class ResponseCache:
    """Bounded LRU of :class:`CachedResponse` by key (entries and total bytes)."""

    def __init__(self, max_entries: int, max_bytes: int) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._items: OrderedDict[Hashable, CachedResponse] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> CachedResponse | None:
        """The entry of ``key`` (marked as recently used), or None."""
        with self._lock:
            entry = self._items.get(key)
            if entry is not None:
                self._items.move_to_end(key)
            return entry

    def put(self, key: Hashable, entry: CachedResponse) -> None:
        """Keep ``entry`` unless it alone exceeds the byte budget; evict the oldest."""
        if entry.size > self.max_bytes or self.max_entries <= 0:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= old.size
            self._items[key] = entry
            self._bytes += entry.size
            while len(self._items) > self.max_entries or self._bytes > self.max_bytes:
                _, gone = self._items.popitem(last=False)
                self._bytes -= gone.size

    def clear(self) -> None:
        """Drop every entry."""
        with self._lock:
            self._items.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._items)


@dataclass
class StoreHolder:
    """Holds the loaded :class:`FeatureStore` of the app and its response cache."""

    settings: Settings
    cache: ResponseCache
    store: FeatureStore | None = None
    _checked: float = 0.0
    _replaced: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def is_stale(self) -> bool:
        """Whether the store is missing or the build output was replaced (checked every 2 s).

        Once a replacement is seen the answer stays true until :meth:`load` has run, so that
        every caller in between (the raw-key cache check, then :meth:`get`) sees it.
        """
        now = time.monotonic()
        if self.store is None or self._replaced:
            return True
        if now - self._checked < RELOAD_CHECK_S:
            return False
        self._checked = now
        try:
            self._replaced = self.settings.build_path.stat().st_mtime != self.store.mtime
        except OSError:
            return False
        return self._replaced

    def load(self) -> FeatureStore:
        """Load (or reload) the store when missing or replaced on disk; blocking."""
        with self._lock:
            if self.store is None or (
                self.settings.build_path.exists()
                and self.settings.build_path.stat().st_mtime != self.store.mtime
            ):
                self.store = FeatureStore.load(
                    self.settings, warm_zooms=self.settings.items_warm_zooms
                )
                self.cache.clear()
                self._checked = time.monotonic()
                # the store is long-lived: keep its many objects out of the cyclic GC's
                # full collections, which otherwise pause requests for milliseconds
                gc.collect()
                gc.freeze()
            self._replaced = False
            return self.store

    async def get(self) -> FeatureStore:
        """The current store, loading it in a worker thread when needed."""
        store = self.store
        if store is not None and not self.is_stale():
            return store
        if not self.settings.build_path.exists():
            if store is not None:
                return store
            raise NoBuildError(
                f"no build output at {self.settings.build_path}: run `ketahanan build` first"
            )
        return await run_in_threadpool(self.load)


def holder_of(app: FastAPI) -> StoreHolder:
    """The app's store holder (created on first use)."""
    holder: StoreHolder | None = getattr(app.state, "store_holder", None)
    if holder is None:
        settings: Settings = app.state.settings
        holder = StoreHolder(
            settings,
            ResponseCache(settings.response_cache_entries, settings.response_cache_mb * 2**20),
        )
        app.state.store_holder = holder
    return holder


@asynccontextmanager
async def store_lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Load the build output at start-up when it exists (else on first request)."""
    holder = holder_of(app)
    if holder.settings.build_path.exists():
        await run_in_threadpool(holder.load)
    yield


def respond(
    request: Request, entry: CachedResponse, *, max_age: int, vary_language: bool = True
) -> Response:
    """Send a cached response: 304 on a matching If-None-Match, gzip when accepted."""
    headers = {
        "Cache-Control": f"public, max-age={max_age}",
        "Vary": "Accept-Encoding, Accept-Language" if vary_language else "Accept-Encoding",
    }
    headers.update(entry.headers)
    use_gzip = entry.gzipped is not None and "gzip" in request.headers.get("accept-encoding", "")
    etag = f"{entry.etag}-gz" if use_gzip else entry.etag
    headers["ETag"] = f'"{etag}"'
    if none_match(request.headers.get("if-none-match"), (entry.etag, f"{entry.etag}-gz")):
        return Response(status_code=304, headers=headers)
    if use_gzip:
        assert entry.gzipped is not None
        headers["Content-Encoding"] = "gzip"
        return Response(entry.gzipped, media_type=entry.media_type, headers=headers)
    return Response(entry.body, media_type=entry.media_type, headers=headers)


async def cached(
    request: Request,
    holder: StoreHolder,
    key: Hashable,
    make: Callable[[], CachedResponse],
    *,
    raw_key: Hashable | None = None,
) -> Response:
    """Answer from the cache, or make the response in a worker thread and keep it."""
    entry = holder.cache.get(key)
    if entry is None:
        entry = await run_in_threadpool(make)
        holder.cache.put(key, entry)
    if raw_key is not None:
        holder.cache.put(raw_key, entry)
    return respond(request, entry, max_age=holder.settings.http_cache_max_age)
