"""What a unit's profile says, at any level: the pages of kecamatan and kota, the comparison of
units and the printable reports are rendered from the same :func:`unit_profile`.

A profile holds the unit's name, code and parents; its three pillar scores with the rank among
the units of its level (1 = most exposed; a unit without a score has no rank); every indicator
of the data dictionary with its value, unit, sources, formula and how it is aggregated from
kelurahan; the units one level down, ranked; and the actions touching it, grouped by status.
Numbers are written as :func:`web.pages._format` writes them on the kelurahan profile, so a
score reads the same on every page and in the PDF.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from geo.actions.model import Kind, Status
from geo.actions.records import Action
from geo.vocabulary import (
    ScoreStatus,
    coverage_column,
    missing_column,
    partial_column,
    rank_column,
    status_column,
)
from web.i18n import Translator
from web.profile import missing_names
from web.render import format_number
from web.styles import STATUS_COLOURS
from web.units import CHILD, PARENT_NAMES, SCORE_PILLARS, AdminUnits, score_column

PERSONS_UNIT = "persons (estimate)"
"""The unit of a count of people: shown without decimals."""
UNKNOWN_STATUS = "unknown"
"""The group of actions whose status is not known (related initiatives)."""


def clean(value: Any) -> Any:
    """None for a missing number (NaN), else the value."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
        if isinstance(value, float) and not math.isfinite(value):
            return None
    return value


def score_text(value: Any, lang: str) -> str | None:
    """A pillar score as every page writes it (two decimals), None without a score."""
    value = clean(value)
    return None if value is None else format_number(float(value), lang, decimals=2)


def indicator_text(value: Any, unit: str | None, lang: str) -> str | None:
    """An indicator value as every page writes it, None without data."""
    value = clean(value)
    if value is None:
        return None
    return format_number(value, lang, decimals=0 if unit == PERSONS_UNIT else 3)


def status_colour(status: str | None) -> str | None:
    """The colour actions of a status are drawn in (None for an unknown status)."""
    return {str(k): v for k, v in STATUS_COLOURS.items()}.get(status or "")


def unit_url(level: str, kode: str, lang: str) -> str:
    """The profile page of a unit."""
    return f"/{level}/{kode}?lang={lang}"


@dataclass(frozen=True)
class Score:
    """A pillar score of a unit and its rank among the units of its level."""

    pillar: str
    label: str
    value: str | None
    rank: int | None
    of: int
    missing: str | None
    status: str = "full"
    """``full``, ``partial`` (too little data: shown apart, never ranked) or ``no_data``."""
    coverage: str | None = None
    """The share of the pillar's weight the unit has data for (a partial score's caveat)."""
    p05: int | None = None
    p95: int | None = None
    """The 5-95 % rank range over the build's Monte Carlo of weights and normalisation."""


def scores_of(units: AdminUnits, level: str, pos: int, t: Translator) -> list[Score]:
    """The three pillar scores of the unit at row ``pos`` of ``level``."""
    frame = units.frames[level]
    row = frame.iloc[pos]
    out = []
    for pillar in SCORE_PILLARS:
        column = score_column(pillar)
        rank = clean(units.ranks(level, column).iloc[pos])
        missing = clean(row.get(missing_column(pillar)))
        status = clean(row.get(status_column(pillar))) or (
            ScoreStatus.full if clean(row.get(column)) is not None else ScoreStatus.no_data
        )
        shown = (
            row.get(column) if status != ScoreStatus.partial else row.get(partial_column(pillar))
        )
        coverage = clean(row.get(coverage_column(pillar)))
        p05, p95 = (clean(row.get(rank_column(pillar, stat))) for stat in ("p05", "p95"))
        out.append(
            Score(
                pillar=pillar,
                label=t(f"pillar.{pillar}"),
                value=score_text(shown, t.lang),
                rank=None if rank is None else int(rank),
                of=units.peers(level, column),
                missing=missing_names(units.dictionary, missing, t.lang),
                status=str(status),
                coverage=None if coverage is None else f"{round(100 * float(coverage))} %",
                p05=None if p05 is None or rank is None else int(p05),
                p95=None if p95 is None or rank is None else int(p95),
            )
        )
    return out


def indicators_of(units: AdminUnits, level: str, pos: int, t: Translator) -> list[dict[str, Any]]:
    """Every indicator of the dictionary with the unit's value (None: no data)."""
    row = units.frames[level].iloc[pos]
    out = []
    for d in units.dictionary:
        column = str(d["id"])
        out.append(
            {
                "id": column,
                "pillar": d.get("pillar"),
                "pillar_label": t(f"pillar.{d.get('pillar')}"),
                "name": d.get("name_en") if t.lang == "en" else d.get("name_id"),
                "value": indicator_text(row.get(column), d.get("unit"), t.lang),
                "unit": d.get("unit") or "",
                "sources": ", ".join(d.get("sources") or []),
                "formula": d.get("formula") or "",
                "aggregation": d.get("aggregation_text") if level != "kelurahan" else None,
                "estimate": bool(d.get("estimate")),
                "no_data_reason": d.get("no_data_reason"),
            }
        )
    return out


def _children(units: AdminUnits, level: str, kode: str, t: Translator) -> dict[str, Any] | None:
    child = CHILD.get(level)
    if child is None:
        return None
    inside = units.children(level, kode)
    rows: list[dict[str, Any]] = []
    for pos in inside.index:
        row = units.frames[child].loc[pos]
        scores = []
        for pillar in SCORE_PILLARS:
            column = score_column(pillar)
            ranks = inside[column].rank(ascending=False, method="min") if column in inside else None
            rank = None if ranks is None else clean(ranks.loc[pos])
            scores.append(
                {"value": score_text(row.get(column), t.lang), "rank": rank and int(rank)}
            )
        rows.append({"kode": str(row["kode"]), "nama": str(row["nama"]), "scores": scores})
    rows.sort(key=lambda r: (r["scores"][0]["rank"] is None, r["scores"][0]["rank"] or 0))
    return {"level": child, "label": t(f"level.{child}"), "rows": rows, "total": len(rows)}


def _action_row(action: Action, t: Translator) -> dict[str, Any]:
    props = action.props
    pillar = props.get("pillar")
    return {
        "id": action.id,
        "title": props.get("title"),
        "pillar": t(f"pillar.{pillar}") if pillar else None,
        "agency": props.get("lead_agency"),
        "progress": props.get("progress"),
        "budget": None
        if props.get("budget_idr") is None
        else format_number(props["budget_idr"], t.lang),
        "kind": props.get("kind") or str(Kind.action),
        "kind_label": t(f"kind.{props.get('kind') or Kind.action}"),
        "source_url": props.get("source_url"),
        "start": props.get("start_date"),
        "end": props.get("end_date"),
    }


def actions_by_status(actions: Sequence[Action], t: Translator) -> list[dict[str, Any]]:
    """Actions grouped by status (in the vocabulary's order; unknown status last)."""
    groups = []
    for status in [*(str(s) for s in Status), UNKNOWN_STATUS]:
        mine = [a for a in actions if (a.props.get("status") or UNKNOWN_STATUS) == status]
        if mine:
            groups.append(
                {
                    "status": status,
                    "label": t(f"status.{status}"),
                    "colour": status_colour(status),
                    "actions": [_action_row(a, t) for a in mine],
                }
            )
    return groups


def unit_profile(
    units: AdminUnits,
    level: str,
    kode: str,
    t: Translator,
    actions: Sequence[Action] | None = None,
) -> dict[str, Any] | None:
    """Everything a profile, a report or a comparison shows of one unit (None if unknown).

    Parameters
    ----------
    units : AdminUnits
        The served build's units.
    level, kode : str
        The unit.
    t : Translator
        The page language.
    actions : sequence of Action, optional
        The actions touching the unit (None: the actions store could not be read).
    """
    pos = units.position(level, kode)
    if pos is None:
        return None
    row = units.frames[level].iloc[pos]
    parents = [
        (t(f"profile.{column.removeprefix('nama_')}"), str(row[column]))
        for column in PARENT_NAMES.get(level, ())
        if column in row.index
    ]
    return {
        "level": level,
        "level_label": t(f"level.{level}"),
        "kode": kode,
        "nama": str(row["nama"]),
        "parents": parents,
        "population": indicator_text(row.get("population"), None, t.lang),
        "area": indicator_text(row.get("area_km2"), None, t.lang),
        "kelurahan_count": clean(row.get("kelurahan_count")),
        "scores": scores_of(units, level, pos, t),
        "indicators": indicators_of(units, level, pos, t),
        "children": _children(units, level, kode, t),
        "actions": None if actions is None else actions_by_status(actions, t),
        "action_count": None if actions is None else len(actions),
    }
