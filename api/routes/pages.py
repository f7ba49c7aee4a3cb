"""Planner pages: the pillar map and the kelurahan profile (HTML, built by ``web/``)."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from api.deps import SettingsDep
from api.responses import content
from api.store import served_build
from geo.errors import NoBuildError
from geo.vocabulary import K_MAX, K_MIN, MAP_METHODS, Level, Pillar, values
from web.data import BuildTables
from web.i18n import Translator, normalise_lang
from web.pages import PageParameterError, error_page, map_page, parse_map_params, profile_page

router = APIRouter(tags=["pages"])

_HTML_HEADERS = {"Cache-Control": "no-cache"}
_ASCII_NUMBER = re.compile(r"[0-9]{1,3}", re.ASCII)
PILLARS = {"enum": values(Pillar)}
LEVELS = {"enum": values(Level)}
METHODS = {"enum": [str(m) for m in MAP_METHODS]}
"""The page parameters' values, from the vocabulary (shown in OpenAPI; a bad one gets the
friendly HTML 400 page, so they are checked by the page, not by FastAPI)."""
_HTML = {"type": "string"}


def _page_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """Responses of a page route: HTML for success and for every error (a friendly page)."""
    text = {
        400: "a parameter is not valid (a friendly HTML page says which)",
        404: "unknown kelurahan (a friendly HTML page)",
        503: "the build output is not there yet (a friendly HTML page)",
    }
    return {s: content(text[s], html=_HTML) for s in statuses}


def _tables_or_page(request: Request, lang: str | None) -> BuildTables | HTMLResponse:
    try:
        return BuildTables.of(served_build(request.app).current())
    except NoBuildError:
        t = Translator(normalise_lang(lang))
        body = error_page(503, "error.generic", t("error.load"), lang)
        return HTMLResponse(body, status_code=503)


@router.get("/peta", response_class=HTMLResponse, responses=_page_responses(400, 503))
def peta(
    request: Request,
    settings: SettingsDep,
    pilar: Annotated[str | None, Query(description="the pillar", json_schema_extra=PILLARS)] = None,
    tingkat: Annotated[str | None, Query(description="the level", json_schema_extra=LEVELS)] = None,
    indikator: Annotated[str | None, Query(description="indicator id (default: score)")] = None,
    klasifikasi: Annotated[
        str | None, Query(description="the class method", json_schema_extra=METHODS)
    ] = None,
    k: Annotated[str | None, Query(description=f"number of classes, {K_MIN}-{K_MAX}")] = None,
    lang: Annotated[str | None, Query(description="id (default) or en")] = None,
    skenario: Annotated[
        str | None, Query(description="impact scenario with indikator=dampak (default kini)")
    ] = None,
    ukuran: Annotated[
        str | None, Query(description="impact measure with indikator=dampak (default affected)")
    ] = None,
) -> HTMLResponse:
    """Pillar risk map (HTML page; layers load from the items routes)."""
    tables = _tables_or_page(request, lang)
    if isinstance(tables, HTMLResponse):
        return tables
    try:
        if k is not None and k != "" and not _ASCII_NUMBER.fullmatch(k):
            # int() would read other scripts' digits ("١٥" is 15) and overflow on long text
            raise PageParameterError("k", "must be a whole number (digits 0-9)")
        params = parse_map_params(
            tables, pilar, tingkat, indikator, klasifikasi, k, lang, skenario, ukuran
        )
    except PageParameterError as exc:
        message = f"{exc.field}: {exc.message}"
        return HTMLResponse(error_page(400, "error.bad_parameter", message, lang), 400)
    return HTMLResponse(map_page(settings, tables, params), headers=_HTML_HEADERS)


@router.get("/kelurahan/{kode}", response_class=HTMLResponse, responses=_page_responses(404, 503))
def kelurahan_profile(
    request: Request,
    settings: SettingsDep,
    kode: str,
    lang: Annotated[str | None, Query(description="id (default) or en")] = None,
) -> HTMLResponse:
    """Kelurahan profile: indicators, pillar scores and ranks, actions, downloads."""
    tables = _tables_or_page(request, lang)
    if isinstance(tables, HTMLResponse):
        return tables
    page = profile_page(settings, tables, kode.strip(), lang)
    if page is None:
        t = Translator(normalise_lang(lang))
        message = f"{t('error.kelurahan_not_found')}: {kode}"
        return HTMLResponse(error_page(404, "error.not_found_title", message, lang), 404)
    return HTMLResponse(page, headers=_HTML_HEADERS)
