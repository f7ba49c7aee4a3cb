"""Pillar scores (0 to 1, higher = more exposed) from the indicator columns, with their coverage,
status and drivers.

Method
------
1. Scaling: each indicator is min-max scaled over the units of the same level that have a
   value: ``(v - min) / (max - min)``; for "higher = less exposed" indicators the reverse,
   ``(max - v) / (max - min)``. When all units share one value the scaled value is 0.5.
   (:func:`scale` also offers the percentile rank and the clipped z-score, which the rank
   uncertainty of :mod:`geo.uncertainty` draws from.)
2. Weights: each indicator's documented default (``IndicatorDef.default_weight``), replaced at
   build time by ``Settings.score_weights``; a request re-scoring a served build starts from
   the weights that build used and applies its own on top. Weight 0 leaves the indicator out
   of the score.
3. Indicators that cannot exist at a level (native at a coarser level, e.g. river waste at
   kelurahan) are not inputs at that level. The *reachable* weight of a pillar at a level is
   the weight of its inputs that have data for at least one unit of the level (an input with
   no data anywhere, e.g. clean-water access before a layer is loaded, is listed as missing
   but does not count against any unit).
4. The value of a unit is ``sum(w_i * s_i) / sum(w_i)`` over the inputs it has. Missing data
   is never treated as zero.
5. Coverage: ``score_<pillar>_coverage`` = the unit's weight present / the reachable weight.
   The score is **full** when the unit has data for at least :data:`MIN_INDICATORS` distinct
   indicators *and* a coverage of at least :data:`MIN_WEIGHT_SHARE`; it is then in
   ``score_<pillar>`` and ranked (``rank_<pillar>``, 1 = most exposed, among full scores
   only). A unit with some data but less is **partial**: its value goes to
   ``score_<pillar>_partial`` (drawn hatched and listed apart, never ranked with the full
   scores) and ``score_<pillar>`` is null. A unit with no input has status ``no_data``.
   ``score_<pillar>_status`` says which (:class:`geo.vocabulary.ScoreStatus`).
6. ``score_<pillar>_missing`` lists the ids of the weighted inputs the unit lacks,
   comma-separated (null when none is missing).
7. Drivers: ``contribution_<indicator>`` = ``s_i * w_i / sum(w_j)`` over the inputs the unit
   has (null where the unit lacks the indicator): the contributions of a pillar's inputs sum
   to the unit's (full or partial) score.
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
from geo.vocabulary import (
    Direction,
    Level,
    Pillar,
    ScoreStatus,
    contribution_column,
    coverage_column,
    missing_column,
    partial_column,
    rank_column,
    score_column,
    status_column,
)

MIN_WEIGHT_SHARE = 0.5
"""A full score needs inputs carrying at least this share of the pillar's reachable weight."""
MIN_INDICATORS = 2
"""A full score needs data for at least this many distinct indicators (one indicator alone
is that indicator, not a pillar score)."""

SCALING_TEXT = (
    "min-max over the units of the same level with a value; reversed for higher = less "
    "exposed; 0.5 when all values are equal"
)

NORMALISATIONS = ("minmax", "percentile", "zscore")
"""Normalisations :func:`scale` knows: min-max (the scores), percentile rank and z-score
clipped at :data:`Z_CLIP` standard deviations (drawn by the rank uncertainty)."""
Z_CLIP = 3.0
"""Where the z-score normalisation is clipped (standard deviations from the mean)."""

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


def scale(values: pd.Series, direction: str, method: str = "minmax") -> pd.Series:
    """Scale an indicator so that higher = more exposed (see the module docstring).

    Parameters
    ----------
    values : Series
        Raw indicator values; nulls stay null.
    direction : {"higher_more_exposed", "higher_less_exposed"}
    method : {"minmax", "percentile", "zscore"}
        ``minmax``: 0-1 over the units with a value (0.5 when all are equal), the scores'
        scaling. ``percentile``: the percentile rank ``(rank - 1) / (n - 1)`` with ties
        averaged (0.5 for a single value). ``zscore``: ``(v - mean) / sd`` clipped to
        ``±Z_CLIP`` (0 when all are equal). Reversed for "higher = less exposed".

    Returns
    -------
    Series of float
    """
    v = pd.to_numeric(values, errors="coerce").astype(float)
    if direction == Direction.higher_less_exposed:
        v = -v
    present = v.notna()
    if not present.any():
        return v
    if method == "percentile":
        n = int(present.sum())
        ranks = v.rank(method="average")
        return (ranks - 1) / (n - 1) if n > 1 else v.where(v.isna(), 0.5)
    if method == "zscore":
        sd = v.std(ddof=0)
        if not sd > 0:
            return v.where(v.isna(), 0.0)
        return ((v - v.mean()) / sd).clip(-Z_CLIP, Z_CLIP)
    if method != "minmax":
        raise InvalidParameterError(f"unknown normalisation {method!r}; use {NORMALISATIONS}")
    lo, hi = v.min(), v.max()
    if hi == lo:
        return v.where(v.isna(), 0.5)
    return (v - lo) / (hi - lo)


def pillar_inputs(
    definitions: Mapping[str, IndicatorDef],
    weights: Mapping[str, float],
    level: Level,
    pillar: Pillar,
) -> list[IndicatorDef]:
    """The indicators that score ``pillar`` at ``level``: weighted (> 0) and not native at a
    coarser level, in dictionary order."""
    return [
        d
        for d in definitions.values()
        if d.pillar == pillar
        and weights.get(d.id, d.default_weight) > 0
        and Level(d.native_level).rank <= level.rank
    ]


def scaled_inputs(
    frame: pd.DataFrame, inputs: list[IndicatorDef], method: str = "minmax"
) -> tuple[np.ndarray, np.ndarray]:
    """The scaled values of ``inputs`` (units x inputs, 0 where missing) and where present."""
    columns = []
    for d in inputs:
        if d.id in frame.columns:
            columns.append(scale(frame[d.id], d.direction, method).to_numpy(dtype=float))
        else:
            columns.append(np.full(len(frame), np.nan))
    values = np.column_stack(columns) if columns else np.zeros((len(frame), 0))
    present = ~np.isnan(values)
    return np.where(present, values, 0.0), present


def full_ranks(scores: np.ndarray) -> np.ndarray:
    """Rank of each finite score, 1 = highest (ties share the smallest rank); NaN stays NaN."""
    out = np.full(len(scores), np.nan)
    ok = np.isfinite(scores)
    if ok.any():
        out[ok] = pd.Series(scores[ok]).rank(ascending=False, method="min").to_numpy()
    return out


def score_units(
    frame: pd.DataFrame,
    level: Level | str,
    weights: Mapping[str, float] | None = None,
    *,
    definitions: Mapping[str, IndicatorDef] | None = None,
) -> pd.DataFrame:
    """Pillar scores of the units of one level, with coverage, status, rank and drivers.

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
    DataFrame indexed like ``frame``; for each pillar ``score_<pillar>`` (full scores only),
    ``score_<pillar>_partial``, ``score_<pillar>_coverage``, ``score_<pillar>_status``,
    ``score_<pillar>_missing``, ``rank_<pillar>`` and ``contribution_<indicator>`` of each
    of its inputs (see the module docstring).
    """
    if level not in set(Level):
        levels = ", ".join(Level)
        raise InvalidParameterError(f"unknown level {level!r}; expected one of {levels}")
    definitions = definitions or INDICATORS
    weights = dict(weights or {})
    columns: dict[str, Any] = {}
    for pillar in Pillar:
        inputs = pillar_inputs(definitions, weights, Level(level), pillar)
        columns.update(_pillar_scores(frame, pillar, inputs, weights))
    return pd.DataFrame(columns, index=frame.index)


def _pillar_scores(
    frame: pd.DataFrame, pillar: Pillar, inputs: list[IndicatorDef], weights: Mapping[str, float]
) -> dict[str, Any]:
    values, present = scaled_inputs(frame, inputs)
    w = np.array([float(weights.get(d.id, d.default_weight)) for d in inputs])
    reachable = float(w[present.any(axis=0)].sum()) if len(inputs) else 0.0
    have = present.astype(float) @ w if len(inputs) else np.zeros(len(frame))
    total = (values * present) @ w if len(inputs) else np.zeros(len(frame))
    count = present.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        value = np.where(have > 0, total / have, np.nan)
        coverage = np.where(reachable > 0, have / reachable, np.nan)
    full = (have > 0) & (count >= MIN_INDICATORS) & (have >= MIN_WEIGHT_SHARE * reachable)
    partial = (have > 0) & ~full
    status = np.where(full, ScoreStatus.full, np.where(partial, ScoreStatus.partial, ""))
    status = np.where(status == "", ScoreStatus.no_data, status)
    score = np.where(full, value, np.nan)
    out: dict[str, Any] = {
        score_column(pillar): score,
        partial_column(pillar): np.where(partial, value, np.nan),
        coverage_column(pillar): coverage,
        status_column(pillar): pd.Series(status, index=frame.index, dtype=object),
    }
    flags: list[str | None] = [
        ",".join(d.id for d, p in zip(inputs, row, strict=True) if not p) or None
        for row in present.tolist()
    ]
    out[missing_column(pillar)] = pd.Series(flags, index=frame.index, dtype=object)
    out[rank_column(pillar)] = full_ranks(score)
    with np.errstate(invalid="ignore", divide="ignore"):
        for j, d in enumerate(inputs):
            share = values[:, j] * w[j] / have
            out[contribution_column(d.id)] = np.where(present[:, j] & (have > 0), share, np.nan)
    return out
