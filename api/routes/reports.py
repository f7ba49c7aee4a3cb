"""Profiles of kecamatan and kota, the comparison of units, the PDF reports and the strategy
dashboard (HTML and PDF built by ``web/``; every error is a friendly page, never JSON)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from api.deps import SettingsDep, action_store_of
from api.responses import content
from api.store import served_build
from geo.actions.coverage import CoverageGaps, coverage_gaps
from geo.actions.records import Action, ActionFilter
from geo.actions.summary import ActionsSummary, summarise
from geo.catalogue import Catalogue, load_catalogue
from geo.errors import KetahananError, NoBuildError
from geo.strategy import load_strategy
from web.i18n import Translator, normalise_lang
from web.params import PageParameterError
from web.render import error_page
from web.reports.pdf import render_pdf, report_html
from web.strategy import strategy_page
from web.unit_pages import compare_page, parse_compare, unit_page
from web.units import LEVELS, SCORE_PILLARS, AdminUnits, admin_units, level_of_code

router = APIRouter(tags=["pages"])

_HTML_HEADERS = {"Cache-Control": "no-cache"}
_TEXT = {
    400: "a parameter is not valid (a friendly page says which)",
    404: "no unit has this code (a friendly HTML page)",
    503: "the build output is not there yet (a friendly HTML page)",
}
MAX_FOOTER_QUERY = 300
"""Longest request text printed in a report's footer (a longer one is cut)."""
LangQuery = Annotated[str | None, Query(description="id (default) or en")]


def page_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The declared error responses of a page route (HTML pages)."""
    return {s: content(_TEXT[s], html={"type": "string"}) for s in statuses}


def html_error(status: int, title_key: str, message: str, lang: str | None) -> HTMLResponse:
    """A friendly error page."""
    return HTMLResponse(error_page(status, title_key, message, lang), status_code=status)


async def served_units(request: Request, lang: str | None) -> AdminUnits | HTMLResponse:
    """The served build's admin units, or the 503 page when there is no build yet."""
    try:
        snapshot = await served_build(request.app).snapshot()
    except NoBuildError:
        t = Translator(normalise_lang(lang))
        return html_error(503, "error.generic", t("error.load"), lang)
    return admin_units(snapshot)


def unit_actions(request: Request, level: str, kode: str) -> list[Action] | None:
    """The live actions touching a unit (None when the actions store cannot be read)."""
    flt = ActionFilter(kelurahan=kode) if level == "kelurahan" else ActionFilter(within=kode)
    try:
        return action_store_of(request.app).query(flt, limit=None)[0]
    except KetahananError:
        return None


def not_found(level: str, kode: str, lang: str | None) -> HTMLResponse:
    """The 404 page of an unknown unit code, saying what a code looks like."""
    t = Translator(normalise_lang(lang))
    message = f"{t(f'unit.not_found.{level}')}: {kode}. {t('unit.code_hint')}"
    return html_error(404, "error.not_found_title", message, lang)


async def _profile(request: Request, level: str, kode: str, lang: str | None) -> Response:
    units = await served_units(request, lang)
    if isinstance(units, HTMLResponse):
        return units
    kode = kode.strip()
    if level_of_code(kode) != level or units.position(level, kode) is None:
        return not_found(level, kode, lang)
    actions = await run_in_threadpool(unit_actions, request, level, kode)
    page = await run_in_threadpool(unit_page, units, level, kode, lang, actions)
    if page is None:  # pragma: no cover - checked above
        return not_found(level, kode, lang)
    return HTMLResponse(page, headers=_HTML_HEADERS)


@router.get("/kecamatan/{kode}", response_class=HTMLResponse, responses=page_responses(404, 503))
async def kecamatan_profile(request: Request, kode: str, lang: LangQuery = None) -> Response:
    """Kecamatan profile: scores and ranks, indicators, kelurahan ranked, actions, downloads."""
    return await _profile(request, "kecamatan", kode, lang)


@router.get("/kota/{kode}", response_class=HTMLResponse, responses=page_responses(404, 503))
async def kota_profile(request: Request, kode: str, lang: LangQuery = None) -> Response:
    """Kota profile: scores and ranks, indicators, kecamatan ranked, actions, downloads."""
    return await _profile(request, "kota", kode, lang)


@router.get("/bandingkan", response_class=HTMLResponse, responses=page_responses(400, 404, 503))
async def bandingkan(
    request: Request,
    kode: Annotated[list[str] | None, Query(description="2 to 4 unit codes of one level")] = None,
    lang: LangQuery = None,
) -> Response:
    """Side-by-side comparison of 2 to 4 units of one level, with the city median and a map."""
    units = await served_units(request, lang)
    if isinstance(units, HTMLResponse):
        return units
    try:
        level, codes, unknown = parse_compare(units, kode or [])
    except PageParameterError as exc:
        t = Translator(normalise_lang(lang))
        return html_error(400, "error.bad_parameter", f"{t('compare.need')}: {exc.key}", lang)
    if unknown:
        return not_found(level, ", ".join(unknown), lang)
    page = await run_in_threadpool(compare_page, units, level, codes, lang)
    return HTMLResponse(page, headers=_HTML_HEADERS)


def _catalogue(settings: SettingsDep) -> Catalogue | None:
    try:
        return load_catalogue(settings.catalogue_path)
    except (KetahananError, OSError, ValueError):
        return None  # the report then lists the source ids without titles and licences


_PDF = {
    200: {"description": "the report, A4", "content": {"application/pdf": {}}},
    **page_responses(400, 404, 503),
}


@router.get("/laporan/{tingkat}/{kode}.pdf", response_class=Response, responses=_PDF)
async def laporan(
    request: Request, settings: SettingsDep, tingkat: str, kode: str, lang: LangQuery = None
) -> Response:
    """Printable A4 report (PDF) of a kelurahan, kecamatan or kota, made on the server."""
    units = await served_units(request, lang)
    if isinstance(units, HTMLResponse):
        return units
    level, kode = tingkat.strip().lower(), kode.strip()
    if level not in LEVELS:
        t = Translator(normalise_lang(lang))
        return html_error(400, "error.bad_parameter", f"tingkat: {t('report.unknown_level')}", lang)
    if level_of_code(kode) != level or units.position(level, kode) is None:
        return not_found(level, kode, lang)
    actions = await run_in_threadpool(unit_actions, request, level, kode)
    query = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    query = query if len(query) <= MAX_FOOTER_QUERY else query[:MAX_FOOTER_QUERY] + "…"
    html = report_html(
        units, level, kode, lang, actions, catalogue=_catalogue(settings), query=query
    )
    if html is None:  # pragma: no cover - checked above
        return not_found(level, kode, lang)
    pdf = await run_in_threadpool(render_pdf, html)
    name = f"laporan-{level}-{kode}.pdf"
    headers = {"Content-Disposition": f'inline; filename="{name}"', "Cache-Control": "no-cache"}
    return Response(pdf, media_type="application/pdf", headers=headers)


def _summary(
    request: Request, units: AdminUnits
) -> tuple[ActionsSummary | None, dict[str, CoverageGaps]]:
    """The actions' figures and each pillar's coverage (None, {} when the store is unreachable)."""
    try:
        store = action_store_of(request.app)
        summary = summarise(store, SCORE_PILLARS)
        kelurahan = units.frames["kelurahan"]
        gaps = {p: coverage_gaps(kelurahan, p, store.covered_kelurahan(p)) for p in SCORE_PILLARS}
    except KetahananError:
        return None, {}
    return summary, gaps


@router.get("/strategi", response_class=HTMLResponse, responses=page_responses(503))
async def strategi(request: Request, settings: SettingsDep, lang: LangQuery = None) -> Response:
    """Strategy dashboard: pillars, targets beside the data, actions, coverage, shocks."""
    units = await served_units(request, lang)
    if isinstance(units, HTMLResponse):
        return units
    t = Translator(normalise_lang(lang))
    try:
        strategy = await run_in_threadpool(
            load_strategy, settings.data_dir, settings.catalogue_path
        )
    except KetahananError as exc:
        return html_error(503, "error.generic", f"{t('error.load')}: {exc.message}", lang)
    summary, gaps = await run_in_threadpool(_summary, request, units)
    snapshot = await served_build(request.app).snapshot()
    piped = snapshot.collections.get("piped_water_reports")
    kota = dict(
        zip(
            units.frames["kota"]["kode"].astype(str),
            units.frames["kota"]["nama"].astype(str),
            strict=True,
        )
    )
    page = strategy_page(
        strategy,
        summary,
        units.frames["kelurahan"],
        kota,
        gaps,
        None if piped is None else piped.frame,
        lang,
    )
    return HTMLResponse(page, headers=_HTML_HEADERS)
