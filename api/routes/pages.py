"""Planner pages: the pillar map and the kelurahan profile (HTML, built by ``web/``)."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from api.deps import SettingsDep
from api.responses import content
from web.data import BuildTables, build_tables
from web.i18n import Translator, normalise_lang
from web.pages import PageParameterError, error_page, map_page, parse_map_params, profile_page

router = APIRouter(tags=["pages"])

_HTML_HEADERS = {"Cache-Control": "no-cache"}
_ASCII_NUMBER = re.compile(r"[0-9]{1,3}", re.ASCII)
_HTML = {"type": "string"}


def _page_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """Responses of a page route: HTML for success and for every error (a friendly page)."""
    text = {
        400: "a parameter is not valid (a friendly HTML page says which)",
        404: "unknown kelurahan (a friendly HTML page)",
        503: "the build output is not there yet (a friendly HTML page)",
    }
    return {s: content(text[s], html=_HTML) for s in statuses}


def _tables_or_page(settings: SettingsDep, lang: str | None) -> BuildTables | HTMLResponse:
    try:
        return build_tables(settings)
    except FileNotFoundError:
        t = Translator(normalise_lang(lang))
        body = error_page(503, "error.generic", t("error.no_build"), lang)
        return HTMLResponse(body, status_code=503)


@router.get("/peta", response_class=HTMLResponse, responses=_page_responses(400, 503))
def peta(
    settings: SettingsDep,
    pilar: Annotated[str | None, Query(description="siap, sehat or terhubung")] = None,
    tingkat: Annotated[str | None, Query(description="kelurahan, kecamatan or kota")] = None,
    indikator: Annotated[str | None, Query(description="indicator id (default: score)")] = None,
    klasifikasi: Annotated[
        str | None, Query(description="quantiles, fisher_jenks or equal_interval")
    ] = None,
    k: Annotated[str | None, Query(description="number of classes, 3-9")] = None,
    lang: Annotated[str | None, Query(description="id (default) or en")] = None,
) -> HTMLResponse:
    """Pillar risk map (HTML page; layers load from the items routes)."""
    tables = _tables_or_page(settings, lang)
    if isinstance(tables, HTMLResponse):
        return tables
    try:
        if k is not None and k != "" and not _ASCII_NUMBER.fullmatch(k):
            # int() would read other scripts' digits ("١٥" is 15) and overflow on long text
            raise PageParameterError("k", "must be a whole number (digits 0-9)")
        params = parse_map_params(tables, pilar, tingkat, indikator, klasifikasi, k, lang)
    except PageParameterError as exc:
        message = f"{exc.field}: {exc.message}"
        return HTMLResponse(error_page(400, "error.bad_parameter", message, lang), 400)
    return HTMLResponse(map_page(settings, tables, params), headers=_HTML_HEADERS)


@router.get("/kelurahan/{kode}", response_class=HTMLResponse, responses=_page_responses(404, 503))
def kelurahan_profile(
    settings: SettingsDep,
    kode: str,
    lang: Annotated[str | None, Query(description="id (default) or en")] = None,
) -> HTMLResponse:
    """Kelurahan profile: indicators, pillar scores and ranks, actions, downloads."""
    tables = _tables_or_page(settings, lang)
    if isinstance(tables, HTMLResponse):
        return tables
    page = profile_page(settings, tables, kode.strip(), lang)
    if page is None:
        t = Translator(normalise_lang(lang))
        message = f"{t('error.kelurahan_not_found')}: {kode}"
        return HTMLResponse(error_page(404, "error.not_found_title", message, lang), 404)
    return HTMLResponse(page, headers=_HTML_HEADERS)
