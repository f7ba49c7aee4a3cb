"""The ranked table of units (``/peringkat``, Jinja): which units of a level are most exposed
on a pillar score or indicator, with their class and the actions of the pillar touching them.

Values, weighted scores and classes come from the OGC engine over every unit of the level,
exactly as the map gets them (so a class has the map's colour and breaks); the ``kota`` and
``kecamatan`` filters then choose the rows. Rank 1 is the most exposed unit (the highest
value, or the lowest for an indicator where higher is better); equal values share a rank.
Each row links to the unit on the map and to its profile.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from geo.ogc.collection import Collection
from geo.ogc.engine import run_query
from geo.ogc.query import ItemsQuery
from geo.snapshot import BuildSnapshot
from geo.styles import class_colours
from geo.vocabulary import (
    K_DEFAULT,
    ClassMethod,
    ScoreStatus,
    partial_column,
    rank_column,
    status_column,
)
from web.data import BuildTables
from web.mapdata import ClassPlan, class_plan, unit_values, weights_tuple
from web.pages import LESS_EXPOSED
from web.params import MapParams


@dataclass(frozen=True)
class Ranking:
    """The rows of a ranking and what they were classified with."""

    rows: list[dict[str, Any]]
    classification: dict[str, Any] | None
    plan: ClassPlan
    level_size: int
    colours: list[str]


def higher_is_worse(tables: BuildTables, params: MapParams) -> bool:
    """True when a higher value of the shown column means more exposed."""
    entry = tables.entry(params.column)
    return entry is None or entry.get("direction") != LESS_EXPOSED


def _classified(
    collection: Collection, params: MapParams
) -> tuple[pd.Series, list[Any], dict[str, Any] | None, ClassPlan]:
    """Values, classes and classification of every unit of the level (the map's)."""
    values, _ = unit_values(collection, params)
    plan = class_plan(values, params)
    if plan.method is None:
        return values, [None] * collection.size, None, plan
    method = ClassMethod(plan.method)
    query = ItemsQuery(
        limit=collection.size,
        weights=weights_tuple(params.weights),
        classify=method,
        classify_by=params.column,
        k=max(plan.k, 2) if method != ClassMethod.user_defined else K_DEFAULT,
        breaks=plan.breaks,
    )
    result = run_query(collection, query)
    return values, result.overrides["class"], result.classification, plan


def _ranks(values: pd.Series, worse_first: bool) -> pd.Series:
    return values.rank(ascending=not worse_first, method="min")


def _interval_columns(frame: pd.DataFrame, params: MapParams) -> tuple[str, str] | None:
    """The build's 5-95 % Monte Carlo rank columns of the shown pillar score (issue 15), or
    None: an indicator, the impact or request weights have no interval (the build's draws
    were made around the build's own weights)."""
    if params.indicator is not None or params.weights:
        return None
    low, high = rank_column(params.pillar, "p05"), rank_column(params.pillar, "p95")
    return (low, high) if low in frame and high in frame else None


def _interval(frame: pd.DataFrame, pos: Any, band: tuple[str, str] | None) -> str | None:
    """``"8–19"``: the city-wide rank interval of the unit at ``pos`` (None without one)."""
    if band is None:
        return None
    low, high = pd.to_numeric(frame.loc[pos, list(band)], errors="coerce").tolist()
    return None if pd.isna(low) or pd.isna(high) else f"{int(low)}–{int(high)}"


def _partial(frame: pd.DataFrame, pos: Any, params: MapParams) -> float | None:
    """A unit's *partial* pillar score (too little data for a full one, issue 15): listed
    apart, never ranked, and never shown as "no data"."""
    if params.indicator is not None:
        return None
    status, partial = status_column(params.pillar), partial_column(params.pillar)
    if status not in frame or partial not in frame or frame.at[pos, status] != ScoreStatus.partial:
        return None
    value = pd.to_numeric(pd.Series([frame.at[pos, partial]]), errors="coerce").iloc[0]
    return None if pd.isna(value) else float(value)


def ranking(
    snapshot: BuildSnapshot,
    tables: BuildTables,
    params: MapParams,
    counts: dict[str, int],
) -> Ranking:
    """The ranked rows of ``params`` (filtered by its kota and kecamatan).

    Parameters
    ----------
    counts : dict of str to int
        Actions of the pillar touching each unit (by code).
    """
    collection = snapshot.get(params.level)
    values, classes, classification, plan = _classified(collection, params)
    frame = collection.frame.reset_index(drop=True)
    worse_first = higher_is_worse(tables, params)
    city = _ranks(values, worse_first)
    keep = pd.Series(True, index=frame.index)
    for column, code in (("kode_kota", params.kota), ("kode_kecamatan", params.kecamatan)):
        if code and column in frame:
            keep &= frame[column].astype(str) == code
    shown = _ranks(values[keep], worse_first)
    band = _interval_columns(frame, params)
    names = {p[0]: p[1] for p in tables.places}
    rows = []
    for pos in frame.index[keep]:
        kode = str(frame.at[pos, "kode"])
        value = values.iloc[pos]
        present = pd.notna(value)
        rows.append(
            {
                "kode": kode,
                "nama": str(frame.at[pos, "nama"]),
                "kecamatan": names.get(str(frame.get("kode_kecamatan", {}).get(pos, ""))),
                "kota": names.get(str(frame.get("kode_kota", {}).get(pos, ""))),
                "value": float(value) if present else None,
                "class": classes[pos],
                "rank": int(shown[pos]) if present else None,
                "city_rank": int(city[pos]) if present else None,
                "interval": _interval(frame, pos, band) if present else None,
                "partial": None if present else _partial(frame, pos, params),
                "actions": counts.get(kode, 0),
            }
        )
    rows.sort(key=lambda r: (r["rank"] is None, r["partial"] is None, r["rank"] or 0, r["nama"]))
    k = classification["k"] if classification else 0
    return Ranking(rows, classification, plan, collection.size, class_colours(k) if k else [])
