"""Render every :class:`geo.errors.KetahananError` (and request validation errors) as JSON.

One handler, one body shape: ``{"code": ..., "description": ..., "details": ...}``. Unexpected
exceptions become a 500 with a generic message; no stack trace ever reaches a client.

The renderer cannot fail on what it renders, by construction: every body goes through
:func:`safe_value` first, which turns lone surrogates into ``\\udXXX`` escapes, NaN and
infinities into null, integers too long for JSON readers into text, unknown objects into
their (safe) text, and cuts long strings, long lists and deep nesting; the encoding itself is
wrapped, and falls back to a fixed body. Header values that are not latin-1 are dropped.
The body-limit middleware (:mod:`api.security`) renders its 413 with :func:`error_bytes` too.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from geo.errors import KetahananError

log = logging.getLogger("ketahanan")

MAX_TEXT = 2_000
"""Longest string of an error body (longer ones are cut, saying how long they were)."""
MAX_ITEMS = 200
"""Most list items or object members of an error body (the rest are summarised)."""
MAX_DEPTH = 8
"""Deepest nesting of an error body's details."""
_FALLBACK = b'{"code":"internal_error","description":"the error could not be rendered"}'


def _safe_text(text: str) -> str:
    if not text.isascii():
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    if len(text) > MAX_TEXT:
        text = f"{text[:MAX_TEXT]}... ({len(text):,} characters)"
    return text


def safe_value(value: Any, depth: int = 0) -> Any:
    """``value`` made safe to encode as strict JSON in UTF-8 (see the module text)."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        return _safe_text(value)
    if isinstance(value, int):
        return value if -(2**63) <= value < 2**63 else "a number too large to show"
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if depth >= MAX_DEPTH:
        return "..."
    if isinstance(value, dict):
        items = list(value.items())
        out = {_safe_text(str(k)): safe_value(v, depth + 1) for k, v in items[:MAX_ITEMS]}
        if len(items) > MAX_ITEMS:
            out["..."] = f"{len(items) - MAX_ITEMS:,} more"
        return out
    if isinstance(value, list | tuple | set | frozenset):
        seq = list(value)
        shown = [safe_value(v, depth + 1) for v in seq[:MAX_ITEMS]]
        if len(seq) > MAX_ITEMS:
            shown.append(f"... {len(seq) - MAX_ITEMS:,} more")
        return shown
    try:
        return _safe_text(str(value))
    except Exception:  # an object whose str() fails: name its type only
        return f"<{type(value).__name__}>"


def error_bytes(code: str, description: str, details: object = None) -> bytes:
    """The encoded JSON error body; never raises."""
    body: dict[str, object] = {"code": code, "description": description}
    if details is not None:
        body["details"] = details
    try:
        text = json.dumps(
            safe_value(body), ensure_ascii=False, allow_nan=False, separators=(",", ":")
        )
        return text.encode("utf-8")
    except Exception:  # pragma: no cover - safe_value leaves nothing json can refuse
        log.exception("an error body could not be encoded")
        return _FALLBACK


def _latin1_headers(headers: Mapping[str, str] | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, value in (headers or {}).items():
        try:
            name.encode("latin-1")
            value.encode("latin-1")
        except (UnicodeEncodeError, AttributeError):
            continue
        out[name] = value
    return out


def error_response(
    status: int,
    code: str,
    description: str,
    details: object = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """The JSON error response; never raises."""
    return Response(
        error_bytes(code, description, details),
        status_code=status,
        media_type="application/json",
        headers=_latin1_headers(headers),
    )


def _field_errors(exc: RequestValidationError) -> list[dict[str, str]]:
    fields = []
    for e in exc.errors():
        try:
            where = ".".join(str(p) for p in e.get("loc", ()))
            fields.append({"field": where, "message": str(e.get("msg", ""))})
        except Exception:  # a location or message whose str() fails
            fields.append({"field": "?", "message": "invalid"})
    return fields


def install_error_handlers(app: FastAPI) -> None:
    """Register the project's error handlers on ``app``."""

    @app.exception_handler(KetahananError)
    async def ketahanan_error(_: Request, exc: KetahananError) -> Response:
        return error_response(exc.status, exc.code, exc.message, exc.details, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> Response:
        return error_response(
            400, "invalid_parameter", "the request has invalid parameters", _field_errors(exc)
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> Response:
        code = "not_found" if exc.status_code == 404 else f"http_{exc.status_code}"
        return error_response(exc.status_code, code, str(exc.detail), headers=exc.headers)

    @app.exception_handler(Exception)
    async def unexpected(_: Request, exc: Exception) -> Response:
        log.exception("unexpected error", exc_info=exc)
        message = "an unexpected error occurred; it has been logged"
        return error_response(500, "internal_error", message)
