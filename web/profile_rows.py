"""The score rows of a kelurahan profile: pillar scores with their status, rank interval and
drivers (the indicator rows, with the date of their data, are :mod:`web.profile`'s).

Everything comes from the build's kelurahan layer and data dictionary (the columns of
:mod:`geo.scores` and :mod:`geo.uncertainty`); nothing is recomputed here. A *partial* score
(too little data, :class:`geo.vocabulary.ScoreStatus`) is shown as such, with what is missing,
and has no rank; a full score shows its rank among the full scores and the 5th-95th percentile
rank of the Monte Carlo ("peringkat 12 (8-19)").
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandas as pd

from geo import vocabulary as v
from geo.vocabulary import Pillar, ScoreStatus, Text
from web.i18n import Translator

Formatter = Callable[..., str]
"""``format(value, lang, decimals=...)``: a number as planners read it."""


def clean(value: Any) -> Any:
    """None for a missing or non-finite number, the value otherwise."""
    if value is None:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value


def _int(value: Any) -> int | None:
    value = clean(value)
    return None if value is None else int(value)


def score_rows(
    row: Mapping[str, Any],
    kelurahan: pd.DataFrame,
    dictionary: Sequence[Mapping[str, Any]],
    t: Translator,
    fmt: Formatter,
) -> list[dict[str, Any]]:
    """One entry per pillar: value, status, coverage, rank and interval, top-class share and
    the drivers (each input's contribution, largest first)."""
    out = []
    for pillar in Pillar:
        status = clean(row.get(v.status_column(pillar))) or ScoreStatus.no_data
        full = clean(row.get(v.score_column(pillar)))
        partial = clean(row.get(v.partial_column(pillar)))
        value = full if full is not None else partial
        coverage = clean(row.get(v.coverage_column(pillar)))
        share = clean(row.get(v.top_class_column(pillar)))
        rank_col = v.rank_column(pillar)
        ranked = int(kelurahan[rank_col].notna().sum()) if rank_col in kelurahan else 0
        out.append(
            {
                "pillar": str(pillar),
                "label": t(f"pillar.{pillar}"),
                "status": str(status),
                "value": None if value is None else fmt(float(value), t.lang, decimals=2),
                "coverage": None if coverage is None else f"{round(100 * float(coverage))} %",
                "rank": _int(row.get(rank_col)),
                "ranked": ranked,
                "p05": _int(row.get(v.rank_column(pillar, "p05"))),
                "p95": _int(row.get(v.rank_column(pillar, "p95"))),
                "top_share": None if share is None else f"{round(100 * float(share))} %",
                "missing": clean(row.get(v.missing_column(pillar))),
                "drivers": _drivers(row, dictionary, pillar, t, fmt),
            }
        )
    return out


def _drivers(
    row: Mapping[str, Any],
    dictionary: Sequence[Mapping[str, Any]],
    pillar: Pillar,
    t: Translator,
    fmt: Formatter,
) -> list[dict[str, Any]]:
    """The contributions of a pillar's inputs the unit has (bar widths on the 0-1 scale)."""
    bars = []
    for d in dictionary:
        if d.get("pillar") != pillar:
            continue
        part = clean(row.get(v.contribution_column(str(d["id"]))))
        if part is None:
            continue
        bars.append(
            {
                "id": d["id"],
                "name": Text.pick(d, "name", t.lang),
                "value": fmt(float(part), t.lang, decimals=3),
                "width": round(max(0.0, min(1.0, float(part))) * 100, 1),
                "raw": float(part),
            }
        )
    return sorted(bars, key=lambda b: -b["raw"])
