"""Planner pages: the map, the actions tracker, the ranking and the kelurahan profile (HTML).

Each page is built by ``web/`` from the build snapshot the API serves; a bad parameter is a
friendly 400 page and a missing build a friendly 503 page, both in the page's language. The
pages stay lenient about parameters they do not know (links shared through chat arrive with
tracking parameters appended).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from api.deps import ActionStoreDep, SettingsDep, action_store_of
from api.responses import content
from api.routes.replay import replay_hours
from api.store import CachedResponse, served_build
from geo.actions.organisations import Organisation
from geo.errors import KetahananError, NoBuildError, NotFoundError
from geo.flood_replay import hour_index
from geo.ogc.codes import canonical_id
from geo.snapshot import BuildSnapshot
from geo.vocabulary import K_MAX, K_MIN, MAP_METHODS, Level, Pillar, values
from web.data import BuildTables
from web.i18n import Translator, normalise_lang
from web.mapdata import class_plan, shown_values, weights_checker
from web.pages import map_page
from web.params import MapParams, PageParameterError, parse_map_params
from web.profile import profile_page
from web.ranking_page import ranking_page
from web.render import error_page
from web.tracker import tracker_page

router = APIRouter(tags=["pages"])

_HTML_HEADERS = {"Cache-Control": "no-cache"}
PILLARS = {"enum": values(Pillar)}
LEVELS = {"enum": values(Level)}
METHODS = {"enum": [str(m) for m in MAP_METHODS]}
"""The page parameters' values, from the vocabulary (shown in OpenAPI; a bad one gets the
friendly HTML 400 page, so they are checked by the page, not by FastAPI)."""
_HTML = {"type": "string"}
PAGE_PARAMS = (
    "pilar",
    "tingkat",
    "indikator",
    "klasifikasi",
    "k",
    "weights",
    "lang",
    "skenario",
    "ukuran",
)
"""The parameters of the map and the ranking (the ranking adds kota and kecamatan, the map
fokus; skenario and ukuran go with indikator=dampak, the impact map)."""
PARTS = {Level.kelurahan: 4, Level.kecamatan: 3, Level.kota: 2}
"""The parts of a unit code at each level (31.71.01.1001, 31.71.01, 31.71)."""

Pilar = Annotated[str | None, Query(description="the pillar", json_schema_extra=PILLARS)]
Tingkat = Annotated[str | None, Query(description="the level", json_schema_extra=LEVELS)]
Indikator = Annotated[str | None, Query(description="indicator id (default: score)")]
Klasifikasi = Annotated[
    str | None, Query(description="the class method", json_schema_extra=METHODS)
]
K = Annotated[str | None, Query(description=f"number of classes, {K_MIN}-{K_MAX}")]
Weights = Annotated[str | None, Query(description="indicator weights id:w,...")]
Lang = Annotated[str | None, Query(description="id (default) or en")]


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


async def _snapshot(request: Request) -> tuple[BuildTables, BuildSnapshot] | None:
    """The page tables and the snapshot the API serves (None before the first build)."""
    try:
        snapshot = await served_build(request.app).snapshot()
    except NoBuildError:
        return None
    return BuildTables.of(snapshot), snapshot


def page_values(request: Request, extra: tuple[str, ...]) -> dict[str, str | None]:
    """The page parameters of a request (the last value of each)."""
    return {n: request.query_params.get(n) for n in (*PAGE_PARAMS, *extra)}


async def _map_state(
    request: Request, extra: tuple[str, ...]
) -> tuple[BuildTables, BuildSnapshot, MapParams] | HTMLResponse:
    values_ = page_values(request, extra)
    lang = values_.get("lang")
    found = await _snapshot(request)
    if found is None:
        return _unavailable(lang)
    tables, snapshot = found
    try:
        params = parse_map_params(tables, values_, weights_checker(snapshot))
    except PageParameterError as exc:
        return _bad(exc, lang)
    return tables, snapshot, params


@router.get("/peta", response_class=HTMLResponse, responses=_page_responses(400, 503))
async def peta(
    request: Request,
    settings: SettingsDep,
    pilar: Pilar = None,
    tingkat: Tingkat = None,
    indikator: Indikator = None,
    klasifikasi: Klasifikasi = None,
    k: K = None,
    weights: Weights = None,
    fokus: Annotated[str | None, Query(description="code of a unit to open")] = None,
    lang: Lang = None,
    skenario: Annotated[
        str | None, Query(description="impact scenario with indikator=dampak (default kini)")
    ] = None,
    ukuran: Annotated[
        str | None, Query(description="impact measure with indikator=dampak (default affected)")
    ] = None,
    banjir: Annotated[
        str | None,
        Query(description="hour of the Feb 2017 flood replay, e.g. 2017-02-21T05:00:00Z"),
    ] = None,
) -> HTMLResponse:
    """Pillar risk map (HTML page; layers load from the items routes)."""
    state = await _map_state(request, ("fokus",))
    if isinstance(state, HTMLResponse):
        return state
    tables, snapshot, params = state
    if banjir is not None:  # the page's script opens the replay at it; checked here
        try:
            hour_index(banjir, await run_in_threadpool(replay_hours, snapshot))
        except KetahananError:
            return _bad(PageParameterError("banjir", "param.bad_banjir", banjir), lang)
    served = served_build(request.app)

    def make() -> CachedResponse:
        values_ = shown_values(snapshot, params)
        page = map_page(settings, tables, params, class_plan(values_, params))
        return CachedResponse.make(page.encode("utf-8"), "text/html")

    # The page depends only on its parameters and the build: made once, kept with the API's.
    key = ("peta-page", snapshot.key, params)
    entry = served.cache.get(key)
    if entry is None:
        entry = await run_in_threadpool(make)
        served.cache.put(key, entry)
    return HTMLResponse(entry.body, headers=_HTML_HEADERS)


@router.get("/peringkat", response_class=HTMLResponse, responses=_page_responses(400, 503))
async def peringkat(
    request: Request,
    actions: ActionStoreDep,
    pilar: Pilar = None,
    tingkat: Tingkat = None,
    indikator: Indikator = None,
    klasifikasi: Klasifikasi = None,
    k: K = None,
    weights: Weights = None,
    kota: Annotated[str | None, Query(description="kota code, e.g. 31.72")] = None,
    kecamatan: Annotated[str | None, Query(description="kecamatan code, e.g. 31.72.01")] = None,
    lang: Lang = None,
) -> HTMLResponse:
    """Ranked units of a pillar score or indicator, with classes and actions per unit."""
    state = await _map_state(request, ("kota", "kecamatan"))
    if isinstance(state, HTMLResponse):
        return state
    tables, snapshot, params = state
    if params.impact:  # the impact map ranks who gains in its own panel
        return _bad(PageParameterError("indikator", "param.dampak_ranking"), lang)
    parts = PARTS[Level(params.level)]
    counts = await run_in_threadpool(actions.actions_touching, params.pillar, parts)
    page = await run_in_threadpool(ranking_page, snapshot, tables, params, counts)
    return HTMLResponse(page, headers=_HTML_HEADERS)


def _organisations(request: Request, ref: str | None) -> tuple[list[Organisation], str | None]:
    """Every organisation, for the tracker's filter, and the id of the one ``ref`` names
    (none when the store cannot be read; None when ``ref`` names none)."""
    try:
        orgs = action_store_of(request.app).organisations
        if orgs is None:
            return [], None
        everyone = orgs.all()
        try:
            return everyone, (orgs.lookup(ref).id if ref else None)
        except NotFoundError:
            return everyone, None  # the table says the API's 400: no organisation of that name
    except KetahananError:
        return [], None


@router.get("/aksi", response_class=HTMLResponse, responses=_page_responses(503))
async def aksi(request: Request, lang: Lang = None) -> HTMLResponse:
    """Actions tracker: filter, read, change status and progress, history, delete and undo."""
    found = await _snapshot(request)
    if found is None:
        return _unavailable(lang)
    ref = request.query_params.get("org")
    organisations, org_id = await run_in_threadpool(_organisations, request, ref)
    page = tracker_page(found[0], dict(request.query_params), lang, organisations, org_id)
    return HTMLResponse(page, headers=_HTML_HEADERS)


@router.get("/kelurahan/{kode}", response_class=HTMLResponse, responses=_page_responses(404, 503))
async def kelurahan_profile(
    request: Request, settings: SettingsDep, kode: str, lang: Lang = None
) -> Response:
    """Kelurahan profile: indicators, pillar scores and ranks, actions, downloads."""
    found = await _snapshot(request)
    if found is None:
        return _unavailable(lang)
    tables, snapshot = found
    titles = {
        name: {code: coll.title(code) for code in ("id", "en")}
        for name, coll in snapshot.collections.items()
    }
    page = profile_page(settings, tables, kode.strip(), lang, titles)
    canonical = canonical_id(snapshot.collections["kelurahan"], kode) if page is None else None
    if canonical is not None:  # a BPS code: the profile lives at the Kemendagri code
        target = request.url_for("kelurahan_profile", kode=canonical).replace(
            query=request.url.query
        )
        return RedirectResponse(str(target), 308, headers={"Link": f'<{target}>; rel="canonical"'})
    if page is None:
        t = Translator(normalise_lang(lang))
        message = f"{t('error.kelurahan_not_found')}: {kode}"
        return HTMLResponse(error_page(404, "error.not_found_title", message, lang), 404)
    return HTMLResponse(page, headers=_HTML_HEADERS)
