"""Planner pages: the map, the actions tracker, the ranking and the kelurahan profile (HTML).

Each page is built by ``web/``; a bad parameter is a friendly 400 page and a missing build a
friendly 503 page, both in the page's language.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from api.deps import ActionStoreDep, SettingsDep, get_store
from api.responses import content
from api.store import CachedResponse, holder_of
from geo.errors import DataError
from geo.features import FeatureStore
from web.data import BuildTables, build_tables
from web.i18n import Translator, normalise_lang
from web.mapdata import class_plan, unit_values, weights_checker
from web.pages import map_page
from web.params import MapParams, PageParameterError, parse_map_params
from web.profile import profile_page
from web.ranking_page import ranking_page
from web.render import error_page
from web.tracker import tracker_page

router = APIRouter(tags=["pages"])

_HTML_HEADERS = {"Cache-Control": "no-cache"}
_HTML = {"type": "string"}

Text = Annotated[str | None, Query()]


def _page_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """Responses of a page route: HTML for success and for every error (a friendly page)."""
    text = {
        400: "a parameter is not valid (a friendly HTML page says which)",
        404: "unknown kelurahan (a friendly HTML page)",
        503: "the build output is not there yet (a friendly HTML page)",
    }
    return {s: content(text[s], html=_HTML) for s in statuses}


def _unavailable(lang: str | None) -> HTMLResponse:
    t = Translator(normalise_lang(lang))
    return HTMLResponse(error_page(503, "error.unavailable", t("error.no_build"), lang), 503)


def _bad(exc: PageParameterError, lang: str | None) -> HTMLResponse:
    t = Translator(normalise_lang(lang))
    return HTMLResponse(error_page(400, "error.bad_parameter", exc.text(t), lang), 400)


async def _build(request: Request, settings: SettingsDep) -> tuple[BuildTables, FeatureStore]:
    """The page tables and the engine's store of the current build (FileNotFoundError if none)."""
    try:
        return build_tables(settings), await get_store(request)
    except DataError as exc:
        raise FileNotFoundError(str(exc)) from None


async def _map_state(
    request: Request, settings: SettingsDep, values: dict[str, str | None]
) -> tuple[BuildTables, FeatureStore, MapParams] | HTMLResponse:
    lang = values.get("lang")
    try:
        tables, store = await _build(request, settings)
    except FileNotFoundError:
        return _unavailable(lang)
    try:
        params = parse_map_params(tables, values, weights_checker(store))
    except PageParameterError as exc:
        return _bad(exc, lang)
    return tables, store, params


@router.get("/peta", response_class=HTMLResponse, responses=_page_responses(400, 503))
async def peta(
    request: Request,
    settings: SettingsDep,
    pilar: Annotated[str | None, Query(description="siap, sehat or terhubung")] = None,
    tingkat: Annotated[str | None, Query(description="kelurahan, kecamatan or kota")] = None,
    indikator: Annotated[str | None, Query(description="indicator id (default: score)")] = None,
    klasifikasi: Annotated[
        str | None, Query(description="quantiles, fisher_jenks or equal_interval")
    ] = None,
    k: Annotated[str | None, Query(description="number of classes, 3-9")] = None,
    weights: Annotated[str | None, Query(description="indicator weights id:w,...")] = None,
    fokus: Annotated[str | None, Query(description="code of a unit to zoom to")] = None,
    lang: Annotated[str | None, Query(description="id (default) or en")] = None,
) -> HTMLResponse:
    """Pillar risk map (HTML page; layers load from the items routes)."""
    state = await _map_state(request, settings, dict(locals_of(request)))
    if isinstance(state, HTMLResponse):
        return state
    tables, store, params = state
    holder = holder_of(request.app)

    def make() -> CachedResponse:
        values, _ = unit_values(store, store.get(params.level), params)
        page = map_page(settings, tables, params, class_plan(values, params))
        return CachedResponse.make(page.encode("utf-8"), "text/html")

    # The page depends only on its parameters and the build: made once, kept with the API's.
    key = ("peta-page", params, store.mtime)
    entry = holder.cache.get(key)
    if entry is None:
        entry = await run_in_threadpool(make)
        holder.cache.put(key, entry)
    return HTMLResponse(entry.body, headers=_HTML_HEADERS)


def locals_of(request: Request) -> dict[str, str | None]:
    """The page parameters of a request (the last value of each)."""
    names = ("pilar", "tingkat", "indikator", "klasifikasi", "k", "weights", "lang")
    extra = ("kota", "kecamatan", "fokus")
    return {n: request.query_params.get(n) for n in (*names, *extra)}


@router.get("/peringkat", response_class=HTMLResponse, responses=_page_responses(400, 503))
async def peringkat(
    request: Request,
    settings: SettingsDep,
    actions: ActionStoreDep,
    pilar: Annotated[str | None, Query(description="siap, sehat or terhubung")] = None,
    tingkat: Annotated[str | None, Query(description="kelurahan, kecamatan or kota")] = None,
    indikator: Annotated[str | None, Query(description="indicator id (default: score)")] = None,
    klasifikasi: Annotated[
        str | None, Query(description="quantiles, fisher_jenks or equal_interval")
    ] = None,
    k: Annotated[str | None, Query(description="number of classes, 3-9")] = None,
    weights: Annotated[str | None, Query(description="indicator weights id:w,...")] = None,
    kota: Annotated[str | None, Query(description="kota code, e.g. 31.72")] = None,
    kecamatan: Annotated[str | None, Query(description="kecamatan code, e.g. 31.72.01")] = None,
    lang: Annotated[str | None, Query(description="id (default) or en")] = None,
) -> HTMLResponse:
    """Ranked units of a pillar score or indicator, with classes and actions per unit."""
    state = await _map_state(request, settings, dict(locals_of(request)))
    if isinstance(state, HTMLResponse):
        return state
    tables, store, params = state
    parts = {"kelurahan": 4, "kecamatan": 3, "kota": 2}[params.level]
    counts = await run_in_threadpool(actions.actions_touching, params.pillar, parts)
    page = await run_in_threadpool(ranking_page, store, tables, params, counts)
    return HTMLResponse(page, headers=_HTML_HEADERS)


@router.get("/aksi", response_class=HTMLResponse, responses=_page_responses(503))
async def aksi(
    request: Request,
    settings: SettingsDep,
    lang: Annotated[str | None, Query(description="id (default) or en")] = None,
) -> HTMLResponse:
    """Actions tracker: filter, read, change status and progress, history, delete and undo."""
    try:
        tables = build_tables(settings)
    except FileNotFoundError:
        return _unavailable(lang)
    page = tracker_page(tables, dict(request.query_params), lang)
    return HTMLResponse(page, headers=_HTML_HEADERS)


@router.get("/kelurahan/{kode}", response_class=HTMLResponse, responses=_page_responses(404, 503))
async def kelurahan_profile(
    request: Request,
    settings: SettingsDep,
    kode: str,
    lang: Annotated[str | None, Query(description="id (default) or en")] = None,
) -> HTMLResponse:
    """Kelurahan profile: indicators, pillar scores and ranks, actions, downloads."""
    try:
        tables, store = await _build(request, settings)
    except FileNotFoundError:
        return _unavailable(lang)
    titles = {
        name: {lang: coll.title(lang) for lang in ("id", "en")}
        for name, coll in store.collections.items()
    }
    page = profile_page(settings, tables, kode.strip(), lang, titles)
    if page is None:
        t = Translator(normalise_lang(lang))
        message = f"{t('error.kelurahan_not_found')}: {kode}"
        return HTMLResponse(error_page(404, "error.not_found_title", message, lang), 404)
    return HTMLResponse(page, headers=_HTML_HEADERS)
