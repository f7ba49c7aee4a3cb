"""How certain a rank is: a Monte Carlo over the weights and the normalisation of the scores.

After the uncertainty analysis of the OECD/JRC *Handbook on Constructing Composite
Indicators* (2008, section 1.7 and step 7): a rank computed with one set of weights and one
normalisation is one of many equally defensible ranks. Each of ``draws`` draws

1. takes the pillar's weights from a Dirichlet distribution centred on the effective weights
   ``w`` (the build's): ``alpha_i = concentration x k x w_i / sum(w)`` for the ``k`` inputs.
   With equal weights the coefficient of variation of a weight is
   ``sqrt((k - 1) / (concentration x k + 1))``: about 0.3 at the default concentration of
   :data:`CONCENTRATION` (a weight of 1 ranges over roughly 0.5-1.6 in 90 % of draws);
2. picks one normalisation, each with probability 1/3: min-max (the scores' own), percentile
   rank, or z-score clipped at ±3 sd (:func:`geo.scores.scale`);
3. scores the units with a *full* score under the build's weights (partial and missing scores
   are never ranked) as the weighted mean of the inputs each has, and ranks them (1 = most
   exposed, ties share the smallest rank).

Per unit and pillar it gives the 5th, 50th and 95th percentile of the rank over the draws
(``rank_<pillar>_p05``, ``_p50``, ``_p95``: "peringkat 12 (8-19)") and the share of draws in
which the unit is in the top class (``top_class_<pillar>_share``), the top class being the
top fifth of the ranked units (:data:`geo.vocabulary.K_DEFAULT` = 5 quantile classes, the
map's default and the coverage gaps' top class).

The draws are seeded (``seed``, mixed with the level and the pillar), so a build gives the
same numbers every time. The work is a few matrix products of draws x inputs by inputs x
units, and one sort per draw-row batch: no Python loop over draws.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from geo.indicators.definitions import IndicatorDef
from geo.scores import NORMALISATIONS, pillar_inputs, scaled_inputs
from geo.vocabulary import (
    K_DEFAULT,
    RANK_STATS,
    Level,
    Pillar,
    ScoreStatus,
    rank_column,
    status_column,
    top_class_column,
)

DRAWS = 1000
"""Monte Carlo draws per level and pillar (the Handbook's order of magnitude)."""
MIN_DRAWS = 1000
"""Fewest draws the build accepts (fewer give unstable 5th/95th percentiles)."""
SEED = 15
"""Default seed of the draws."""
CONCENTRATION = 10.0
"""Dirichlet concentration per input (see the module docstring)."""
PERCENTILES = {"p05": 5.0, "p50": 50.0, "p95": 95.0}
"""The rank percentiles reported, by the name of their column suffix."""

METHOD_TEXT = (
    "Monte Carlo after the OECD/JRC Handbook on Constructing Composite Indicators: {draws} "
    "seeded draws (seed {seed}) of the weights from a Dirichlet centred on the effective "
    "weights (alpha_i = {concentration:g} x k x w_i / sum(w)) and of the normalisation "
    "(min-max, percentile rank or z-score clipped at ±3 sd, 1/3 each); full scores only are "
    "ranked (1 = most exposed); p05/p50/p95 are percentiles of the rank over the draws; the "
    "top class is the top fifth of the ranked units"
)


@dataclass(frozen=True)
class UncertaintyParams:
    """The parameters of the Monte Carlo (recorded in the build report)."""

    draws: int = DRAWS
    seed: int = SEED
    concentration: float = CONCENTRATION

    def text(self) -> str:
        """The method in words, with these parameters."""
        return METHOD_TEXT.format(**asdict(self))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready parameters and the method in words."""
        return {**asdict(self), "method": self.text()}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> UncertaintyParams:
        """Parameters from a build report's record (defaults for what it lacks)."""
        data = data or {}
        return cls(
            draws=int(data.get("draws", DRAWS)),
            seed=int(data.get("seed", SEED)),
            concentration=float(data.get("concentration", CONCENTRATION)),
        )


def rank_min(scores: np.ndarray) -> np.ndarray:
    """Row-wise ranks of ``scores`` (draws x units), 1 = highest, ties share the smallest.

    One sort of the whole matrix and one ``searchsorted``: each row is shifted by a multiple
    of a span larger than its values, so the rows stay apart in the flattened order.
    """
    draws, units = scores.shape
    if units == 0:
        return np.zeros((draws, 0))
    neg = -scores
    lo, hi = float(neg.min()), float(neg.max())
    span = (hi - lo) + 1.0
    shifted = (neg - lo) + np.arange(draws)[:, None] * span
    flat = np.sort(shifted, axis=None)
    pos = np.searchsorted(flat, shifted.ravel(), side="left").reshape(draws, units)
    return (pos - np.arange(draws)[:, None] * units + 1).astype(float)


def draw_ranks(
    frame: pd.DataFrame,
    inputs: list[IndicatorDef],
    weights: Mapping[str, float],
    ranked: np.ndarray,
    rng: np.random.Generator,
    params: UncertaintyParams,
) -> np.ndarray:
    """Ranks of the ``ranked`` units (positions) in each draw: a draws x units matrix."""
    w = np.array([float(weights.get(d.id, d.default_weight)) for d in inputs])
    alpha = params.concentration * len(w) * w / w.sum()
    drawn_w = rng.dirichlet(alpha, size=params.draws)
    method = rng.integers(0, len(NORMALISATIONS), size=params.draws)
    scores = np.empty((params.draws, len(ranked)))
    for j, name in enumerate(NORMALISATIONS):
        rows = method == j
        if not rows.any():
            continue
        values, present = scaled_inputs(frame, inputs, name)
        values, present = values[ranked], present[ranked].astype(float)
        num = drawn_w[rows] @ (values * present).T
        den = drawn_w[rows] @ present.T
        with np.errstate(invalid="ignore", divide="ignore"):
            scores[rows] = np.where(den > 0, num / den, 0.0)
    return rank_min(scores)


def _seed(params: UncertaintyParams, level: Level, pillar: Pillar) -> np.random.Generator:
    return np.random.default_rng([params.seed, level.rank, list(Pillar).index(pillar)])


def rank_uncertainty(
    frame: pd.DataFrame,
    level: Level | str,
    weights: Mapping[str, float],
    definitions: Mapping[str, IndicatorDef],
    params: UncertaintyParams | None = None,
) -> pd.DataFrame:
    """Rank intervals and top-class shares of every unit and pillar of one level.

    Parameters
    ----------
    frame : DataFrame
        Units of one level with the indicator columns and ``score_<pillar>_status`` (from
        :func:`geo.scores.score_units`, with the same weights).
    level : Level
    weights : mapping
        The effective weights the scores were made with.
    definitions : mapping
        The indicator definitions.
    params : UncertaintyParams, optional
        Draws, seed and concentration (defaults: :data:`DRAWS`, :data:`SEED`,
        :data:`CONCENTRATION`).

    Returns
    -------
    DataFrame indexed like ``frame`` with ``rank_<pillar>_p05``, ``_p50``, ``_p95`` and
    ``top_class_<pillar>_share`` for each pillar (null for units without a full score).
    """
    params = params or UncertaintyParams()
    level = Level(level)
    out: dict[str, Any] = {}
    for pillar in Pillar:
        columns = {rank_column(pillar, s): np.full(len(frame), np.nan) for s in RANK_STATS}
        share = np.full(len(frame), np.nan)
        inputs = pillar_inputs(definitions, weights, level, pillar)
        status = frame.get(status_column(pillar))
        ranked = (
            np.flatnonzero((status == ScoreStatus.full).to_numpy())
            if status is not None
            else np.zeros(0, dtype=np.int64)
        )
        if len(inputs) and len(ranked):
            ranks = draw_ranks(frame, inputs, weights, ranked, _seed(params, level, pillar), params)
            for stat in RANK_STATS:
                q = np.percentile(ranks, PERCENTILES[stat], axis=0, method="inverted_cdf")
                columns[rank_column(pillar, stat)][ranked] = q
            top = max(1, math.ceil(len(ranked) / K_DEFAULT))
            share[ranked] = (ranks <= top).mean(axis=0)
        out.update(columns)
        out[top_class_column(pillar)] = share
    return pd.DataFrame(out, index=frame.index)
