"""The organisation pages: ``/organisasi`` (every organisation and what it does) and
``/organisasi/{ref}`` (one organisation: by pillar and status, on a map, its actions).

``ref`` is an organisation's id; a name, short name or alias, or the id of an organisation
merged into another, answers with a 308 to the page at the current id. Every error is a
friendly HTML page.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from api.deps import action_store_of
from api.routes.reports import LangQuery, html_error, page_responses, served_units
from geo.actions.organisations import Organisation
from geo.actions.summary import OrganisationActions, by_organisation, of_organisation
from geo.errors import KetahananError, NotFoundError
from geo.params import shown
from web.i18n import Translator, normalise_lang
from web.organisations import organisation_page, organisations_page

router = APIRouter(tags=["pages"])

_HTML_HEADERS = {"Cache-Control": "no-cache"}


def _groups(request: Request) -> list[OrganisationActions] | None:
    try:
        return by_organisation(action_store_of(request.app))
    except KetahananError:
        return None


@router.get("/organisasi", response_class=HTMLResponse, responses=page_responses(503))
async def organisasi(request: Request, lang: LangQuery = None) -> Response:
    """Every organisation, by kind, with the actions it leads and is a partner in."""
    groups = await run_in_threadpool(_groups, request)
    page = await run_in_threadpool(organisations_page, groups, lang)
    return HTMLResponse(page, headers=_HTML_HEADERS)


def _one(
    request: Request, ref: str
) -> tuple[Organisation, Organisation | None, list[Organisation], OrganisationActions] | None:
    """The organisation ``ref`` names, its parent, the units under it and its actions."""
    store = action_store_of(request.app)
    orgs = store.organisations
    assert orgs is not None  # an ActionStore always has them
    try:
        org = orgs.lookup(ref)
    except NotFoundError:
        return None
    everyone = orgs.all()
    parent = next((o for o in everyone if o.id == org.parent_id), None)
    children = [o for o in everyone if o.parent_id == org.id]
    return org, parent, children, of_organisation(store, org)


@router.get("/organisasi/{ref}", response_class=HTMLResponse, responses=page_responses(404, 503))
async def organisasi_satu(request: Request, ref: str, lang: LangQuery = None) -> Response:
    """One organisation: what it leads and partners in, by pillar and status, on a map."""
    t = Translator(normalise_lang(lang))
    units = await served_units(request, lang)
    if isinstance(units, HTMLResponse):
        return units
    try:
        found = await run_in_threadpool(_one, request, ref.strip())
    except KetahananError:
        return html_error(503, "error.generic", t("org.actions_unavailable"), lang)
    if found is None:
        return html_error(404, "error.not_found_title", f"{t('org.not_found')}: {shown(ref)}", lang)
    org, parent, children, group = found
    if ref != org.id:  # a name, an alias or a merged organisation: the page lives at the id
        target = f"/organisasi/{quote(org.id)}" + (
            f"?{request.url.query}" if request.url.query else ""
        )
        return RedirectResponse(target, 308, headers={"Link": f'<{target}>; rel="canonical"'})
    page = await run_in_threadpool(organisation_page, units, group, org, parent, children, lang)
    return HTMLResponse(page, headers=_HTML_HEADERS)
