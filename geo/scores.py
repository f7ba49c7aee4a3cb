"""Pillar scores (0 to 1, higher = more exposed) from the indicator columns.

Method
------
1. Scaling: each indicator is min-max scaled over the units of the same level that have a
   value: ``(v - min) / (max - min)``; for "higher = less exposed" indicators the reverse,
   ``(max - v) / (max - min)``. When all units share one value the scaled value is 0.5.
2. Weights: each indicator's documented default (``IndicatorDef.default_weight``), replaced at
   build time by ``Settings.score_weights``; a request re-scoring a served build starts from
   the weights that build used and applies its own on top. Weight 0 leaves the indicator out
   of the score.
3. Indicators that cannot exist at a level (native at a coarser level, e.g. river waste at
   kelurahan) are not inputs at that level.
4. ``score_<pillar>`` = sum(w_i * s_i) / sum(w_i) over the inputs the unit has. The unit gets
   null when the weight of the inputs it has is less than :data:`MIN_WEIGHT_SHARE` of the
   weight of the inputs that have data for at least one unit of the level (an input with no
   data anywhere, e.g. clean-water access before a layer is loaded, is listed as missing but
   does not make every unit null). Missing data is never treated as zero.
5. ``score_<pillar>_missing`` lists the ids of the weighted inputs the unit lacks,
   comma-separated (null when none is missing).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from geo.errors import InvalidParameterError
from geo.indicators.definitions import INDICATORS, IndicatorDef
from geo.params import shown
from geo.vocabulary import Direction, Level, Pillar, missing_column, score_column

MIN_WEIGHT_SHARE = 0.5
"""A unit needs inputs carrying at least this share of the pillar's weight to get a score."""

SCALING_TEXT = (
    "min-max over the units of the same level with a value; reversed for higher = less "
    "exposed; 0.5 when all values are equal"
)

_ITEM = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*[:=]\s*(\S+)\s*$")
_WEIGHT = re.compile(r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", re.ASCII)

MIN_WEIGHT = 0.001
"""Smallest weight above 0 (0 leaves an indicator out of the score)."""
MAX_WEIGHT = 1000.0
"""Largest weight. With weights in 0.001..1000 the sums of step 4 can neither overflow nor
lose the smaller indicators to rounding."""


def parse_weights(
    value: str | Mapping[str, Any] | None, *, known: Iterable[str] | None = None
) -> dict[str, float]:
    """Parse and check indicator weights.

    Parameters
    ----------
    value : str or mapping or None
        ``"siap_flood_share_2007:2,siap_pumps_1km:0.5"`` (``=`` also accepted), or a mapping
        of id to number. None or an empty string gives ``{}``.
    known : iterable of str, optional
        Valid indicator ids (default: the built-in ones; pass the build's definitions to
        include the planner layers it was built with).

    Returns
    -------
    dict of str to float

    Raises
    ------
    InvalidParameterError
        For an item that does not parse, a weight that is not a number written with the
        digits 0-9, a weight that is neither 0 nor in :data:`MIN_WEIGHT`..:data:`MAX_WEIGHT`,
        an indicator weighted twice or an unknown indicator id; the message names every bad
        item.
    """
    ids = set(known) if known is not None else set(INDICATORS)
    if value is None:
        return {}
    items: list[tuple[str, Any]] = []
    problems: list[str] = []
    if isinstance(value, str):
        for raw in value.split(","):
            if not raw.strip():
                continue
            match = _ITEM.match(raw)
            if match is None:
                problems.append(f"{shown(raw.strip())} is not of the form indicator_id:weight")
                continue
            items.append((match.group(1), match.group(2)))
    elif isinstance(value, Mapping):
        items = [(str(k), v) for k, v in value.items()]
    else:
        raise InvalidParameterError(
            f"weights must be text like 'id:2,id2:0.5' or a mapping, not {type(value).__name__}"
        )
    out: dict[str, float] = {}
    for key, raw_weight in items:
        if key not in ids:
            problems.append(f"unknown indicator {shown(key)}")
            continue
        if key in out:
            problems.append(f"indicator '{key}' is weighted more than once")
            continue
        problem, weight = _weight(raw_weight)
        if problem is not None:
            problems.append(f"weight of '{key}' {problem}")
        else:
            out[key] = weight
    if problems:
        raise InvalidParameterError(
            "invalid weights: " + "; ".join(problems), details={"problems": problems}
        )
    return out


def _weight(raw: Any) -> tuple[str | None, float]:
    """The weight of one item, or what is wrong with it (ASCII digits; 0 or 0.001..1000)."""
    text = raw.strip() if isinstance(raw, str) else None
    if text is not None and (len(text) > 64 or not _WEIGHT.fullmatch(text.lstrip("+"))):
        if text.startswith("-") and _WEIGHT.fullmatch(text[1:]):
            return f"is negative: {shown(raw)}", 0.0
        return f"is not a number written with the digits 0-9: {shown(raw)}", 0.0
    if text is None and (isinstance(raw, bool) or not isinstance(raw, int | float)):
        return f"is not a number: {shown(raw)}", 0.0
    try:
        weight = float(text if text is not None else raw)
    except OverflowError:
        weight = math.inf
    if not math.isfinite(weight):
        return f"is not a finite number: {shown(raw)}", 0.0
    if weight < 0:
        return f"is negative: {shown(raw)}", 0.0
    if weight != 0 and not MIN_WEIGHT <= weight <= MAX_WEIGHT:
        return f"must be 0 or between {MIN_WEIGHT} and {MAX_WEIGHT:g}, got {shown(raw)}", 0.0
    return None, weight


def resolve_weights(
    definitions: Mapping[str, IndicatorDef],
    base: Mapping[str, Any] | None = None,
    overrides: Mapping[str, Any] | str | None = None,
) -> dict[str, float]:
    """Effective weight of every indicator: defaults, then ``base``, then ``overrides``.

    Parameters
    ----------
    definitions : mapping of id to IndicatorDef
        The indicators that may be weighted (an id outside it is refused).
    base : mapping, optional
        Weights replacing the defaults: ``Settings.score_weights`` at build time; the
        build's own effective weights when a request re-scores a served build.
    overrides : mapping or str, optional
        The request's weights (``"id:w,..."`` or a mapping).

    Raises
    ------
    InvalidParameterError
        When ``base`` or ``overrides`` hold a bad weight (see :func:`parse_weights`).
    """
    weights = {i: float(d.default_weight) for i, d in definitions.items()}
    if base:
        weights.update(parse_weights(dict(base), known=definitions))
    if overrides:
        weights.update(parse_weights(overrides, known=definitions))
    return weights


def scale(values: pd.Series, direction: str) -> pd.Series:
    """Min-max scale to 0-1 so that 1 = most exposed (see the module docstring).

    Parameters
    ----------
    values : Series
        Raw indicator values; nulls stay null.
    direction : {"higher_more_exposed", "higher_less_exposed"}

    Returns
    -------
    Series of float
    """
    v = pd.to_numeric(values, errors="coerce").astype(float)
    lo, hi = v.min(), v.max()
    if pd.isna(lo):
        return v
    if hi == lo:
        return v.where(v.isna(), 0.5)
    scaled = (v - lo) / (hi - lo)
    return 1.0 - scaled if direction == Direction.higher_less_exposed else scaled


def score_units(
    frame: pd.DataFrame,
    level: Level | str,
    weights: Mapping[str, float] | None = None,
    *,
    definitions: Mapping[str, IndicatorDef] | None = None,
) -> pd.DataFrame:
    """Pillar scores of the units of one level.

    Parameters
    ----------
    frame : DataFrame
        Units of one level with the indicator columns.
    level : Level
    weights : mapping, optional
        Effective weights by id (from :func:`resolve_weights`); defaults when omitted.
        Ids without a weight get their default.
    definitions : mapping, optional
        Indicator definitions (default: built-in).

    Returns
    -------
    DataFrame indexed like ``frame`` with ``score_<pillar>`` (float, null when too little
    data) and ``score_<pillar>_missing`` (comma-separated ids or null) for each pillar.
    """
    if level not in set(Level):
        levels = ", ".join(Level)
        raise InvalidParameterError(f"unknown level {level!r}; expected one of {levels}")
    rank = Level(level).rank
    definitions = definitions or INDICATORS
    weights = dict(weights or {})
    out = pd.DataFrame(index=frame.index)
    for pillar in Pillar:
        inputs = [
            d
            for d in definitions.values()
            if d.pillar == pillar
            and weights.get(d.id, d.default_weight) > 0
            and Level(d.native_level).rank <= rank
        ]
        total = np.zeros(len(frame))
        have = np.zeros(len(frame))
        reachable = 0.0
        missing: list[np.ndarray] = []
        for d in inputs:
            w = float(weights.get(d.id, d.default_weight))
            if d.id in frame.columns:
                s = scale(frame[d.id], d.direction).to_numpy()
            else:
                s = np.full(len(frame), np.nan)
            present = ~np.isnan(s)
            if present.any():
                reachable += w
            total += np.where(present, s * w, 0.0)
            have += np.where(present, w, 0.0)
            missing.append(np.where(present, "", d.id))
        with np.errstate(invalid="ignore", divide="ignore"):
            score = np.where(
                (have > 0) & (have >= MIN_WEIGHT_SHARE * reachable), total / have, np.nan
            )
        out[score_column(pillar)] = score
        if missing:
            stacked = np.vstack(missing).T
            flags = [",".join(x for x in row if x) or None for row in stacked.tolist()]
        else:
            flags = [None] * len(frame)
        out[missing_column(pillar)] = pd.Series(flags, index=frame.index, dtype=object)
    return out
