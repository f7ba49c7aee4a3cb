"""A repeated GET of build-layer items, answered from the response cache before anything else.

The items route keeps every finished answer of a cacheable build layer under the request as it
came (:func:`raw_items_key`: the build, the path and query bytes, the base URL, ``Accept`` and
``Accept-Language``). :class:`CachedItemsAnswer` sits outside every other layer of the app
(gzip, the security headers, CORS, routing, dependencies, error handlers) and sends such an
entry with headers made once per entry: the headers the whole stack gives the same answer
(``Cache-Control``, ``Vary``, the entry's own, ``ETag``, ``Content-Encoding``,
``Content-Length``, ``Content-Type`` and the security headers), 304 on a matching
``If-None-Match``, the gzip body when accepted. Reading the request is one pass over the raw
header list; no Request or Response object is made. Whatever it does not know (an ``Origin``,
a stale build, a key not yet answered) goes the whole way. ``benchmarks/bench_scale.py``
measures it against a bare server returning the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from api.headers import none_match
from api.store import CachedResponse, ServedBuild

ITEMS_PREFIX = "/collections/"
ITEMS_SUFFIX = "/items"
_READ = frozenset({b"accept", b"accept-language", b"accept-encoding", b"if-none-match", b"host"})
"""The request headers the answer depends on (an ``origin`` sends it the whole way)."""
VARY = "Accept, Accept-Encoding, Accept-Language"
"""What a build-layer answer varies by (``Origin`` too when CORS is on)."""


def request_headers(scope: Scope) -> dict[bytes, bytes] | None:
    """The headers of :data:`_READ` (the first of each, as Starlette reads them), or None when
    the request has an ``Origin`` (CORS adds headers of its own: the whole stack answers)."""
    found: dict[bytes, bytes] = {}
    for name, value in scope["headers"]:
        if name in _READ:
            found.setdefault(name, value)
        elif name == b"origin":
            return None
    return found


def raw_items_key(scope: Scope, headers: dict[bytes, bytes], build_key: str | None) -> Hashable:
    """The key of an items answer by the request as it came (before any parsing).

    The build, the scope's own path and query bytes (the URL decoded as strict UTF-8 would fail
    on some), what the base URL is made of (scheme, ``Host`` or the server address, root path:
    the links in the body name it), ``Accept-Language`` and ``Accept``.
    """
    return (
        "items-raw",
        build_key,
        scope["path"],
        bytes(scope.get("query_string", b"")),
        scope.get("scheme", "http"),
        headers.get(b"host") or repr(scope.get("server")),
        scope.get("root_path", ""),
        headers.get(b"accept-language"),
        headers.get(b"accept"),
    )


def _wire(
    entry: CachedResponse, *, gzipped: bool, status: int, max_age: int, cors: bool, tail: Any
) -> list[tuple[bytes, bytes]]:
    """The response headers of one variant of an entry (kept on the entry after the first)."""
    key = (gzipped, status, max_age, cors)
    made = entry.wire.get(key)
    if made is not None:
        return made
    pairs = [
        ("cache-control", f"public, max-age={max_age}"),
        ("vary", VARY + (", Origin" if cors else "")),
        *((k.lower(), v) for k, v in entry.headers),
        ("etag", f'"{entry.etag}-gz"' if gzipped else f'"{entry.etag}"'),
    ]
    if status == 200:
        body = entry.gzipped if gzipped else entry.body
        assert body is not None
        if gzipped:
            pairs.append(("content-encoding", "gzip"))
        pairs += [("content-length", str(len(body))), ("content-type", entry.media_type)]
    made = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in pairs] + list(tail)
    entry.wire[key] = made
    return made


class CachedItemsAnswer:
    """Answer a repeated GET of build-layer items from the cache, else run ``app``.

    Parameters
    ----------
    app : ASGIApp
        The whole app (what answers everything else).
    served : callable
        Gives the app's :class:`~api.store.ServedBuild`.
    security_headers : list of (bytes, bytes)
        The security headers of a non-HTML response (:mod:`api.security`).
    cors : bool
        CORS is on: a build-layer answer varies by ``Origin`` too.
    """

    def __init__(
        self,
        app: ASGIApp,
        served: Callable[[], ServedBuild],
        security_headers: list[tuple[bytes, bytes]],
        *,
        cors: bool,
    ) -> None:
        self.app = app
        self.served = served
        self.tail = tuple(security_headers)
        self.cors = cors

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Send the cached entry of a known items request, else run the app."""
        if (
            scope["type"] == "http"
            and scope["method"] == "GET"
            and scope["path"].startswith(ITEMS_PREFIX)
            and scope["path"].endswith(ITEMS_SUFFIX)
        ):
            headers = request_headers(scope)
            if headers is not None:
                served = self.served()
                hit = served.cache.get(raw_items_key(scope, headers, served.loaded_key))
                if hit is not None and not served.is_stale():
                    await self._send(hit, headers, served.max_age, send)
                    return
        await self.app(scope, receive, send)

    async def _send(
        self, entry: CachedResponse, headers: dict[bytes, bytes], max_age: int, send: Send
    ) -> None:
        gzipped = entry.gzipped is not None and b"gzip" in headers.get(b"accept-encoding", b"")
        tags = (entry.etag, f"{entry.etag}-gz")
        match = headers.get(b"if-none-match")
        status = 304 if match is not None and none_match(match.decode("latin-1"), tags) else 200
        wire = _wire(
            entry, gzipped=gzipped, status=status, max_age=max_age, cors=self.cors, tail=self.tail
        )
        await send({"type": "http.response.start", "status": status, "headers": wire})
        body = b"" if status == 304 else (entry.gzipped if gzipped else entry.body)
        await send({"type": "http.response.body", "body": body or b""})
