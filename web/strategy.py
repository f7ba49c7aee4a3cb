"""The strategy dashboard (``/strategi``): how the Strategy as a whole is going.

For each pillar: its definition (as the sources give it), its targets beside what the build can
say about them today (:mod:`geo.targets`: an approximation is labelled as one and carries its
formula; "tidak ada data" where there is none), the actions by status, organisation (leading and
partnering, each linked to its page ``/organisasi/{id}``) and kota with
their total budget and mean progress (:mod:`geo.actions.summary`), and the coverage of the
highest-class kelurahan (the top quintile of the pillar's score, as the coverage gaps count it)
with those that have no active action. Then the actions without a pillar, the actions created
and completed per month, the shocks and stresses with their sources, and the source's licence.

The strategy's 12 directions and 32 strategies are named only by their counts: their titles
are not in the data, and related initiatives are always labelled as not being strategy actions.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pandas as pd

from geo.actions.coverage import CoverageGaps
from geo.actions.model import Status
from geo.actions.organisations import Organisation
from geo.actions.summary import ActionsSummary, PillarActions
from geo.strategy import Strategy
from geo.targets import read_targets
from web.i18n import Translator, normalise_lang
from web.profiles import status_colour
from web.render import env, format_number, server_page

TOP_AGENCIES = 12
"""Organisations listed per pillar (the rest are folded under 'others')."""


def _named(counts: Counter[Any], names: dict[str, str], t: Translator, missing: str) -> list[Any]:
    return [
        {"key": k, "label": names.get(str(k), str(k)) if k is not None else t(missing), "n": n}
        for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))
    ]


def _statuses(group: PillarActions, t: Translator) -> list[dict[str, Any]]:
    keys: list[str | None] = [*(str(s) for s in Status), None]
    return [
        {
            "key": k or "unknown",
            "label": t(f"status.{k or 'unknown'}"),
            "n": group.by_status.get(k, 0),
            "colour": status_colour(k),
        }
        for k in keys
        if group.by_status.get(k, 0) or k is not None
    ]


def _organisations(
    group: PillarActions, orgs: dict[str, Organisation], t: Translator
) -> list[dict[str, Any]]:
    """Each organisation leading or partnering in the pillar's actions: both counts and a link
    to its page (``None``: actions whose lead is not stated)."""
    keys = set(group.by_lead_org) | set(group.by_partner_org)
    rows = []
    for key in keys:
        org = orgs.get(key) if key is not None else None
        label = org.name if org else (t("strategy.not_stated") if key is None else str(key))
        rows.append(
            {
                "key": key or "none",
                "label": label,
                "short": org.short_name if org else None,
                "href": f"/organisasi/{org.id}?lang={t.lang}" if org else None,
                "lead": group.by_lead_org.get(key, 0),
                "partner": group.by_partner_org.get(key, 0) if key is not None else 0,
            }
        )
    return sorted(rows, key=lambda r: (-r["lead"], -r["partner"], r["label"]))


def _actions(
    group: PillarActions, kota: dict[str, str], orgs: dict[str, Organisation], t: Translator
) -> dict[str, Any]:
    organisations = _organisations(group, orgs, t)
    mean = group.mean_progress
    return {
        "count": group.count,
        "related": group.by_kind.get("related_initiative", 0),
        "statuses": _statuses(group, t),
        "organisations": organisations[:TOP_AGENCIES],
        "other_organisations": organisations[TOP_AGENCIES:],
        "kota": _named(group.by_kota, kota, t, "strategy.no_place"),
        "budget": format_number(group.budget_idr, t.lang) if group.with_budget else None,
        "with_budget": group.with_budget,
        "mean_progress": None if mean is None else format_number(round(mean, 1), t.lang, 1),
        "with_progress": group.with_progress,
    }


def _coverage(gaps: CoverageGaps | None, kelurahan: pd.DataFrame) -> dict[str, Any] | None:
    if gaps is None:
        return None
    inside = kelurahan.iloc[gaps.positions]
    rows = [{"kode": str(r["kode"]), "nama": str(r["nama"])} for r in inside.to_dict("records")]
    top = gaps.top_class_count
    return {"top": top, "covered": top - len(rows), "gaps": rows}


def _targets(
    strategy: Strategy, pilar: str, kelurahan: pd.DataFrame, piped: pd.DataFrame | None, lang: str
) -> list[dict[str, Any]]:
    out = []
    for target, reading in read_targets(strategy.targets_of(pilar), kelurahan, piped):
        out.append(
            {
                "title": target.target_en if lang == "en" else target.target_id,
                "value": None if target.value is None else format_number(target.value, lang),
                "unit": target.unit,
                "year": target.target_year,
                "from_strategy": target.from_strategy,
                "document": target.source_document,
                "source_url": target.source_url,
                "note": target.note,
                "kind": reading.kind,
                "reading": None
                if reading.value is None
                else format_number(round(reading.value, 1), lang, 1),
                "formula": reading.formula,
                "basis": reading.basis,
            }
        )
    return out


def strategy_page(
    strategy: Strategy,
    summary: ActionsSummary | None,
    kelurahan: pd.DataFrame,
    kota_names: dict[str, str],
    gaps: dict[str, CoverageGaps],
    piped_reports: pd.DataFrame | None,
    lang: str | None,
) -> str:
    """Render the strategy dashboard (``summary`` None: the actions store could not be read)."""
    t = Translator(normalise_lang(lang))
    pillars = []
    for p in strategy.pillars:
        assert p.pilar is not None
        pillars.append(
            {
                "id": p.pilar,
                "title": p.title_id,
                "title_en": p.title_en,
                "definition": p.definition,
                "source_url": p.source_url,
                "targets": _targets(strategy, p.pilar, kelurahan, piped_reports, t.lang),
                "actions": None
                if summary is None
                else _actions(summary.of(p.pilar), kota_names, summary.organisations, t),
                "coverage": _coverage(gaps.get(p.pilar), kelurahan),
            }
        )
    unassigned = (
        None
        if summary is None
        else _actions(summary.of(None), kota_names, summary.organisations, t)
    )
    months = summary.months if summary is not None else []
    peak = max([max(m["created"], m["completed"]) for m in months] or [1])
    return env.get_template("strategi.html").render(
        **server_page(t, "strategi"),
        s=strategy,
        pillars=pillars,
        unassigned=unassigned,
        total=None if summary is None else summary.total,
        months=months,
        peak=peak,
        shocks=[x for x in strategy.shocks_stresses if x.kind == "shock"],
        stresses=[x for x in strategy.shocks_stresses if x.kind == "stress"],
    )
