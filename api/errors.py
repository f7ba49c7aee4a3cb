"""Render every :class:`geo.errors.KetahananError` (and request validation errors) as JSON.

One handler, one body shape: ``{"code": ..., "description": ..., "details": ...}``. Unexpected
exceptions become a 500 with a generic message; no stack trace ever reaches a client.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from geo.errors import KetahananError

log = logging.getLogger("ketahanan")


def _body(code: str, description: str, details: object = None) -> dict[str, object]:
    body: dict[str, object] = {"code": code, "description": description}
    if details is not None:
        body["details"] = details
    return body


def install_error_handlers(app: FastAPI) -> None:
    """Register the project's error handlers on ``app``."""

    @app.exception_handler(KetahananError)
    async def ketahanan_error(_: Request, exc: KetahananError) -> JSONResponse:
        return JSONResponse(
            _body(exc.code, exc.message, exc.details), status_code=exc.status, headers=exc.headers
        )

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        fields = [
            {"field": ".".join(str(p) for p in e.get("loc", ())), "message": e.get("msg", "")}
            for e in exc.errors()
        ]
        return JSONResponse(
            _body("invalid_parameter", "the request has invalid parameters", fields),
            status_code=400,
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = "not_found" if exc.status_code == 404 else f"http_{exc.status_code}"
        return JSONResponse(_body(code, str(exc.detail)), status_code=exc.status_code)

    @app.exception_handler(Exception)
    async def unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error", exc_info=exc)
        return JSONResponse(
            _body("internal_error", "an unexpected error occurred; it has been logged"),
            status_code=500,
        )
