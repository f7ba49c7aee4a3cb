"""Security middleware: response headers (CSP and friends) and the request body-size limit.

Both are plain ASGI middleware so they wrap every response the app makes, the error
handlers' and the static files' included (:func:`api.app.create_app` puts them outermost).

Content-Security-Policy
    Scripts only from the app itself. folium's map page carries two inline scripts (the map
    set-up it generates); instead of ``'unsafe-inline'`` the middleware hashes every inline
    script of an HTML response and allows exactly those (``'sha256-...'``), so an injected
    script would not run. Styles allow ``'unsafe-inline'``: folium writes ``<style>`` blocks
    and ``style`` attributes and Leaflet positions every tile and marker with inline styles;
    a style cannot run code. Images: the app, ``data:`` URLs (Leaflet's icons) and the
    basemap tile host of ``basemap_url``. ``/docs`` (Swagger UI) is served from the installed
    swagger-ui-bundle package, so it needs no exception.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import error_bytes
from api.headers import content_length
from geo.errors import InvalidParameterError, PayloadTooLargeError

FIXED_HEADERS: tuple[tuple[str, str], ...] = (
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
    ("x-frame-options", "DENY"),
    ("cross-origin-opener-policy", "same-origin"),
)
"""Headers every response carries besides the Content-Security-Policy."""

DEFAULT_CACHE_CONTROL = (b"cache-control", b"no-cache")
"""Given to a response that sets no Cache-Control of its own (actions, history, gaps, errors,
writes): a browser must revalidate it and a shared cache (the nginx of deploy/nginx.conf)
does not keep it, so nothing read from the actions database is answered from a cache. Only
what the app marks ``public, max-age`` (build layers) is cached; static files keep their own
validators."""

UNMARKED_PREFIXES = ("/static/", "/docs-assets/")
"""Paths served as files (ETag and Last-Modified of their own): no Cache-Control added."""

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH"})
"""Methods whose request body is counted against the size limit."""

_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script\s*>", re.S | re.I)
_SRC = re.compile(r"\bsrc\s*=", re.I)
_TYPE = re.compile(r"""\btype\s*=\s*["']?(?P<type>[^"'\s>]+)""", re.I)
_JS_TYPES = frozenset({"text/javascript", "application/javascript", "module"})


def tile_origin(basemap_url: str) -> str | None:
    """The CSP source of a tile URL template, or None for ``none``/empty.

    ``https://{s}.tile.example.org/{z}/{x}/{y}.png`` gives ``https://*.tile.example.org``.
    """
    url = basemap_url.strip()
    if not url or url.lower() == "none":
        return None
    parts = urlsplit(url.replace("{s}", "subdomain-placeholder"))
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.netloc.replace("subdomain-placeholder", "*")
    return f"{parts.scheme}://{host}"


def inline_script_hashes(page: str) -> list[str]:
    """CSP ``'sha256-...'`` sources of every inline executable script of an HTML page.

    Scripts with ``src`` (loaded from 'self') and data blocks such as
    ``type="application/json"`` are skipped: a browser neither runs nor checks them.
    """
    hashes: list[str] = []
    for match in _SCRIPT.finditer(page):
        attrs = match.group("attrs")
        if _SRC.search(attrs):
            continue
        kind = _TYPE.search(attrs)
        if kind is not None and kind.group("type").lower() not in _JS_TYPES:
            continue
        digest = hashlib.sha256(match.group("body").encode("utf-8")).digest()
        source = f"'sha256-{base64.b64encode(digest).decode('ascii')}'"
        if source not in hashes:
            hashes.append(source)
    return hashes


def content_security_policy(basemap_url: str, script_hashes: Iterable[str] = ()) -> str:
    """The Content-Security-Policy of one response.

    Parameters
    ----------
    basemap_url : str
        The basemap tile template of the settings; its host is allowed for images.
    script_hashes : iterable of str
        ``'sha256-...'`` sources of the page's inline scripts.

    Returns
    -------
    str
    """
    images = ["'self'", "data:"]
    tiles = tile_origin(basemap_url)
    if tiles is not None:
        images.append(tiles)
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", *script_hashes],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": images,
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def security_headers(policy: str) -> list[tuple[bytes, bytes]]:
    """The security headers of a response under Content-Security-Policy ``policy``."""
    pairs = [("content-security-policy", policy), *FIXED_HEADERS]
    return [(k.encode("latin-1"), v.encode("latin-1")) for k, v in pairs]


class SecurityHeadersMiddleware:
    """Add the security headers to every HTTP response (CSP hashes for HTML pages)."""

    def __init__(self, app: ASGIApp, basemap_url: str) -> None:
        self.app = app
        self.basemap_url = basemap_url
        self.default_policy = content_security_policy(basemap_url)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the app; add headers on the way out, buffering HTML bodies to hash scripts."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        chunks: list[bytes] = []
        mark = not str(scope.get("path", "")).startswith(UNMARKED_PREFIXES)

        async def send_with_headers(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = _without_security_headers(message.get("headers", []))
                if mark and not any(k.lower() == b"cache-control" for k, _ in headers):
                    headers.append(DEFAULT_CACHE_CONTROL)
                if _is_plain_html(headers):
                    start = {**message, "headers": headers}  # sent with the whole body
                    return
                headers += self._headers(self.default_policy)
                await send({**message, "headers": headers})
                return
            if message["type"] == "http.response.body" and start is not None:
                chunks.append(message.get("body", b""))
                if message.get("more_body", False):
                    return
                body = b"".join(chunks)
                policy = self._policy(body.decode("utf-8", errors="replace"))
                headers = list(start["headers"]) + self._headers(policy)
                await send({**start, "headers": headers})
                await send({"type": "http.response.body", "body": body, "more_body": False})
                return
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _policy(self, page: str) -> str:
        return content_security_policy(self.basemap_url, inline_script_hashes(page))

    @staticmethod
    def _headers(policy: str) -> list[tuple[bytes, bytes]]:
        return security_headers(policy)


_SECURITY_NAMES = frozenset(
    {b"content-security-policy", *(k.encode("latin-1") for k, _ in FIXED_HEADERS)}
)


def _without_security_headers(headers: Iterable[Any]) -> list[tuple[bytes, bytes]]:
    return [(bytes(k), bytes(v)) for k, v in headers if bytes(k).lower() not in _SECURITY_NAMES]


def _is_plain_html(headers: list[tuple[bytes, bytes]]) -> bool:
    """An uncompressed HTML response (its inline scripts can be hashed)."""
    found = {k.lower(): v.lower() for k, v in headers}
    return found.get(b"content-type", b"").startswith(b"text/html") and (
        b"content-encoding" not in found
    )


class BodyLimitMiddleware:
    """Refuse request bodies over ``max_bytes`` on POST, PUT and PATCH with the JSON 413.

    A declared ``Content-Length`` over the limit is refused before the app runs; a chunked
    or understated body is counted as it streams in, and the read that crosses the limit
    raises :class:`geo.errors.PayloadTooLargeError` (rendered by the one error handler).
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check the declared length, then count the streamed body."""
        if scope["type"] != "http" or scope.get("method") not in WRITE_METHODS:
            await self.app(scope, receive, send)
            return
        limit = self.max_bytes
        try:
            declared = content_length(_header(scope, b"content-length"))
        except InvalidParameterError as exc:
            await _send_error(send, 400, exc.code, exc.message, exc.details)
            return
        if declared is not None and declared > limit:
            await _send_413(
                send, f"the body has {declared:,} bytes; at most {limit:,} are accepted", limit
            )
            return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise PayloadTooLargeError(
                        f"the body is larger than {limit:,} bytes",
                        details=[{"field": "body", "message": f"larger than {limit:,} bytes"}],
                    )
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except PayloadTooLargeError as exc:  # raised outside the app's handlers
            if started:
                raise
            await _send_413(send, exc.message, limit)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None


async def _send_413(send: Send, message: str, limit: int) -> None:
    details = [{"field": "body", "message": f"larger than {limit:,} bytes"}]
    await _send_error(send, 413, PayloadTooLargeError.code, message, details)


async def _send_error(send: Send, status: int, code: str, message: str, details: Any) -> None:
    """Answer before the app runs, with the one error body (see :mod:`api.errors`)."""
    body = error_bytes(code, message, details)
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode("ascii")),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body, "more_body": False})
