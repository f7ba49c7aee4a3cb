"""The rank uncertainty: reproducible for a seed, ordered intervals, exact ranks on tiny cases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geo.indicators.definitions import INDICATORS
from geo.scores import score_units
from geo.uncertainty import UncertaintyParams, rank_min, rank_uncertainty
from geo.vocabulary import Pillar, rank_column, top_class_column

SIAP = ("siap_flood_share_2007", "siap_depth_mean", "siap_pumps_1km")
WEIGHTS = {i: 0.0 for i in INDICATORS} | {"siap_flood_share_2007": 2.0, "siap_depth_mean": 1.0}
WEIGHTS |= {"siap_pumps_1km": 1.0}


def _frame(n: int = 40, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({i: rng.random(n) for i in SIAP})
    frame.loc[n - 1, list(SIAP)] = [np.nan, 0.4, np.nan]  # one indicator only: partial
    scores = score_units(frame, "kelurahan", WEIGHTS)
    return pd.concat([frame, scores], axis=1)


def test_rank_min_shares_the_smallest_rank_on_ties() -> None:
    scores = np.array([[0.1, 0.9, 0.5, 0.9], [3.0, -2.0, 0.0, 1.0]])
    assert rank_min(scores).tolist() == [[4, 1, 3, 1], [1, 4, 3, 2]]


def test_same_seed_same_numbers_other_seed_other_numbers() -> None:
    frame = _frame()
    params = UncertaintyParams(draws=1000, seed=7)
    first = rank_uncertainty(frame, "kelurahan", WEIGHTS, INDICATORS, params)
    again = rank_uncertainty(frame, "kelurahan", WEIGHTS, INDICATORS, params)
    pd.testing.assert_frame_equal(first, again)
    other = rank_uncertainty(frame, "kelurahan", WEIGHTS, INDICATORS, UncertaintyParams(seed=8))
    assert not first.equals(other)


def test_intervals_are_ordered_and_partial_scores_not_ranked() -> None:
    frame = _frame()
    out = rank_uncertainty(frame, "kelurahan", WEIGHTS, INDICATORS, UncertaintyParams())
    p05, p50, p95 = (out[rank_column(Pillar.siap, s)] for s in ("p05", "p50", "p95"))
    ranked = p50.notna()
    assert ranked.sum() == len(frame) - 1  # the partial unit has no rank
    assert pd.isna(p50.iloc[-1]) and pd.isna(out[top_class_column(Pillar.siap)].iloc[-1])
    assert (p05[ranked] <= p50[ranked]).all() and (p50[ranked] <= p95[ranked]).all()
    assert p05[ranked].min() >= 1 and p95[ranked].max() <= ranked.sum()
    share = out[top_class_column(Pillar.siap)][ranked]
    assert ((share >= 0) & (share <= 1)).all()
    # the top class holds the top fifth of the 39 ranked units (8) in every draw
    assert share.sum() == pytest.approx(8.0)
    # the point rank of the full score lies inside the 5-95 % band for most units
    inside = (frame["rank_siap"] >= p05) & (frame["rank_siap"] <= p95)
    assert inside[ranked].mean() > 0.8


def test_a_unit_worst_on_every_indicator_is_always_first() -> None:
    frame = _frame()
    frame.loc[0, list(SIAP)] = [2.0, 2.0, -1.0]  # pumps: higher = less exposed
    frame = pd.concat(
        [frame[list(SIAP)], score_units(frame[list(SIAP)], "kelurahan", WEIGHTS)], axis=1
    )
    out = rank_uncertainty(frame, "kelurahan", WEIGHTS, INDICATORS, UncertaintyParams())
    assert [out[rank_column(Pillar.siap, s)].iloc[0] for s in ("p05", "p50", "p95")] == [1, 1, 1]
    assert out[top_class_column(Pillar.siap)].iloc[0] == 1.0


def test_fewer_than_the_minimum_draws_are_refused_by_the_settings() -> None:
    from pydantic import ValidationError

    from geo.settings import Settings

    with pytest.raises(ValidationError):
        Settings(rank_draws=999)
    assert Settings(rank_draws=2000).rank_uncertainty.draws == 2000
