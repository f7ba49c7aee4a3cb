"""The organisation pages (Jinja, server-built, no script): ``/organisasi`` and
``/organisasi/{id}``.

``/organisasi`` lists every organisation (government first, then non-government, then those
whose kind is not recorded), each with the live actions it leads and is a partner in.
``/organisasi/{id}`` is one organisation: its kind, parent and the units under it, what it
leads and partners in by pillar and status, a static SVG map of where (:mod:`web.reports.maps`)
and the actions themselves, each linked to the tracker. Figures come from
:mod:`geo.actions.summary`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from geo.actions.organisations import Organisation
from geo.actions.records import Action
from geo.actions.summary import OrganisationActions
from geo.vocabulary import OrgKind, OrgRole, Pillar, Status, values
from web.i18n import Translator, normalise_lang
from web.profiles import status_colour
from web.render import env, page_url, server_page
from web.reports.maps import ROLE_FILLS, organisation_map_svg
from web.unit_pages import map_actions
from web.units import AdminUnits

KIND_ORDER = (*values(OrgKind), None)
"""The groups of the list, in order (None: kind not recorded)."""


def _kind_label(kind: str | None, t: Translator) -> str:
    return t(f"org.kind.{kind or 'none'}")


def organisations_page(groups: Sequence[OrganisationActions] | None, lang: str | None) -> str:
    """The list of organisations (``groups`` None: the actions store could not be read)."""
    t = Translator(normalise_lang(lang))
    sections = []
    for kind in KIND_ORDER:
        rows: list[dict[str, Any]] = [
            {
                "org": g.organisation,
                "href": f"/organisasi/{g.organisation.id}?lang={t.lang}",
                "lead": len(g.lead),
                "partner": len(g.partner),
            }
            for g in groups or []
            if g.organisation.kind == kind
        ]
        if rows:
            rows.sort(key=lambda r: (-int(r["lead"]) - int(r["partner"]), str(r["org"].name)))
            sections.append({"kind": kind or "none", "label": _kind_label(kind, t), "rows": rows})
    return env.get_template("organisasi_list.html").render(
        **server_page(t, "organisasi"), sections=sections, unavailable=groups is None
    )


def _pillar_status(group: OrganisationActions, role: str, t: Translator) -> dict[str, Any]:
    """Counts of one role per pillar (rows) and status (columns), with totals."""
    counts = group.counts(role)
    pillars: list[str | None] = [*values(Pillar), None]
    statuses: list[str | None] = [*values(Status), None]
    rows = []
    for pillar in pillars:
        cells = [counts.get((pillar, s), 0) for s in statuses]
        if pillar is None and not sum(cells):
            continue
        label = t(f"pillar.{pillar}") if pillar else t("org.no_pillar")
        rows.append({"key": pillar or "none", "label": label, "cells": cells, "n": sum(cells)})
    heads = [
        {"key": s or "unknown", "label": t(f"status.{s or 'unknown'}"), "colour": status_colour(s)}
        for s in statuses
    ]
    return {"heads": heads, "rows": rows, "total": sum(counts.values())}


def _action_rows(actions: Sequence[Action], t: Translator) -> list[dict[str, Any]]:
    rows = []
    for a in sorted(actions, key=lambda a: (str(a.props.get("pillar")), a.props["title"])):
        status = a.props.get("status")
        rows.append(
            {
                "id": a.id,
                "title": a.props["title"],
                "pillar": t(f"pillar.{a.props['pillar']}") if a.props.get("pillar") else "",
                "status": t(f"status.{status or 'unknown'}"),
                "colour": status_colour(status),
                "lead": a.props.get("lead_agency") or "",
                "progress": a.props.get("progress"),
                "href": page_url("/aksi", {"id": a.id, "lang": t.lang}),
            }
        )
    return rows


def organisation_page(
    units: AdminUnits,
    group: OrganisationActions | None,
    org: Organisation,
    parent: Organisation | None,
    children: Sequence[Organisation],
    lang: str | None,
) -> str:
    """One organisation's page (``group`` None: the actions store could not be read)."""
    t = Translator(normalise_lang(lang))
    path = f"/organisasi/{org.id}"
    roles = {}
    map_svg = None
    if group is not None:
        roles = {
            str(role): {
                "table": _pillar_status(group, role, t),
                "actions": _action_rows(group.lead if role == "lead" else group.partner, t),
            }
            for role in OrgRole
        }
        lead_kel = sorted({k for a in group.lead for k in a.kelurahan})
        partner_kel = sorted({k for a in group.partner for k in a.kelurahan})
        map_svg = organisation_map_svg(
            units, lead_kel, partner_kel, map_actions([*group.lead, *group.partner])
        )
    return env.get_template("organisasi.html").render(
        **server_page(t, "organisasi", path=path),
        org=org,
        kind=_kind_label(org.kind, t),
        parent=parent,
        children=children,
        roles=roles,
        unavailable=group is None,
        map_svg=map_svg,
        fills=ROLE_FILLS,
        tracker=page_url("/aksi", {"org": org.id, "lang": t.lang}),
    )
