"""The build the app serves and its response cache.

:class:`ServedBuild` holds the app's :class:`geo.snapshot.SnapshotHolder` (the build read once,
at start-up or on first use, and swapped when ``ketahanan build`` replaces the file) and a
:class:`ResponseCache` of finished responses (body, gzip body, ETag) under a normalised query
key in a bounded LRU, so a repeated request is answered with bytes already made. The cache is
emptied when a new build is served, and every key names the build it was made from.

Many processes, one truth: each worker (``ketahanan serve --workers N``) and each instance
holds its own snapshot and cache, and both are keyed by the build file alone. Every request
looks at the file (one ``stat``, :data:`BUILD_CHECK_S`), so a request that starts after a new
build was renamed into place is answered from that build, by any worker. A cached body is a
function of the build and the normalised request only (its ``timeStamp`` is the build's), so
its ETag, a hash of the body, is the same in every process serving the same build. Nothing
read from the actions database is cached in a process (see deploy/README.md).
"""

from __future__ import annotations

import gzip
import hashlib
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Hashable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from fastapi import FastAPI, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from api.headers import none_match
from geo.settings import Settings
from geo.snapshot import BuildSnapshot, SnapshotHolder

BUILD_CHECK_S = 0.0
"""Seconds between two looks at the build file: 0, every request (a ``stat``, about a
microsecond), so no worker serves an earlier build once a new one is in place."""

GZIP_MIN_BYTES = 1024
"""Responses at least this large are also kept gzip-compressed."""


@dataclass(frozen=True)
class CachedResponse:
    """A finished response: identity body, gzip body (or None), ETag and headers."""

    body: bytes
    media_type: str
    etag: str
    gzipped: bytes | None = None
    headers: tuple[tuple[str, str], ...] = ()
    wire: dict[Hashable, list[tuple[bytes, bytes]]] = field(
        default_factory=dict, compare=False, repr=False
    )
    """Response headers made once per variant by :mod:`api.fast_items`."""

    @classmethod
    def make(
        cls, body: bytes, media_type: str, headers: dict[str, str] | None = None
    ) -> CachedResponse:
        """Hash and (when large) compress ``body`` once."""
        etag = hashlib.blake2b(body, digest_size=16).hexdigest()
        gz = gzip.compress(body, compresslevel=5, mtime=0) if len(body) >= GZIP_MIN_BYTES else None
        return cls(body, media_type, etag, gz, tuple((headers or {}).items()))

    @classmethod
    def once(
        cls, body: bytes, media_type: str, headers: dict[str, str] | None = None
    ) -> CachedResponse:
        """A response answered once and never kept (the actions, the live flood feed): no hash,
        no gzip copy (the gzip middleware compresses it for a client that asks)."""
        return cls(body, media_type, "", None, tuple((headers or {}).items()))

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
class ServedBuild:
    """The app's build snapshots and its response cache, emptied when a new build lands."""

    snapshots: SnapshotHolder
    cache: ResponseCache
    max_age: int
    _served: str | None = field(default=None, repr=False)

    def is_stale(self) -> bool:
        """Whether the next request must look for (or load) a new build first."""
        return self.snapshots.is_stale()

    def current(self) -> BuildSnapshot:
        """The snapshot to serve (blocking when a build must be read)."""
        snapshot = self.snapshots.current()
        if snapshot.key != self._served:
            self.cache.clear()  # responses of an earlier build are never answered again
            self._served = snapshot.key
        return snapshot

    async def snapshot(self) -> BuildSnapshot:
        """The snapshot to serve, reading a new build in a worker thread when needed."""
        loaded = self.snapshots.loaded
        if loaded is not None and loaded.key == self._served and not self.is_stale():
            return loaded
        return await run_in_threadpool(self.current)

    @property
    def loaded_key(self) -> str | None:
        """The key of the snapshot being served (None before the first)."""
        return self._served

    @property
    def checks(self) -> int:
        """How many times the build output was looked at for a replacement (shown by /health)."""
        return self.snapshots.checks


def served_build(app: FastAPI) -> ServedBuild:
    """The app's :class:`ServedBuild` (created on first use)."""
    served: ServedBuild | None = getattr(app.state, "served_build", None)
    if served is None:
        settings: Settings = app.state.settings
        served = ServedBuild(
            SnapshotHolder(
                settings.build_path,
                catalogue_path=settings.catalogue_path,
                warm_zooms=settings.items_warm_zooms,
                check_every=BUILD_CHECK_S,
            ),
            ResponseCache(settings.response_cache_entries, settings.response_cache_mb * 2**20),
            settings.http_cache_max_age,
        )
        app.state.served_build = served
    return served


@asynccontextmanager
async def build_lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Read the build output at start-up when it exists (else on the first request)."""
    served = served_build(app)
    if served.snapshots.path.exists():
        await run_in_threadpool(served.current)
    yield


def respond(
    request: Request, entry: CachedResponse, *, max_age: int, vary_language: bool = True
) -> Response:
    """Send a cached response: 304 on a matching If-None-Match, gzip when accepted."""
    headers = {
        "Cache-Control": f"public, max-age={max_age}",
        # Accept too: a browser's text/html gets the HTML page of the same URL (f=html)
        "Vary": "Accept, Accept-Encoding, Accept-Language" if vary_language else "Accept-Encoding",
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
    served: ServedBuild,
    key: Hashable,
    make: Callable[[], CachedResponse],
    *,
    raw_key: Hashable | None = None,
) -> Response:
    """Answer from the cache, or make the response in a worker thread and keep it."""
    entry = served.cache.get(key)
    if entry is None:
        entry = await run_in_threadpool(make)
        served.cache.put(key, entry)
    if raw_key is not None:
        served.cache.put(raw_key, entry)
    return respond(request, entry, max_age=served.max_age)
