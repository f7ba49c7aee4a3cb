"""Pillar scores and weights."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geo.errors import InvalidParameterError
from geo.indicators.compute import compute_indicators
from geo.indicators.definitions import INDICATORS
from geo.scores import parse_weights, resolve_weights, scale, score_units
from geo.settings import Settings


def test_parse_weights_text_and_mapping() -> None:
    assert parse_weights("siap_flood_share_2007:2, siap_pumps_1km:0.5") == {
        "siap_flood_share_2007": 2.0,
        "siap_pumps_1km": 0.5,
    }
    assert parse_weights({"siap_flood_share_2007": "3"}) == {"siap_flood_share_2007": 3.0}
    assert parse_weights("") == {} and parse_weights(None) == {}


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("siap_flood_share_2007:-1", "negative"),
        ("siap_flood_share_2007:abc", "not a number"),
        ("siap_flood_share_2007", "not of the form"),
        ("nope_indicator:1", "unknown indicator 'nope_indicator'"),
        ({"siap_flood_share_2007": float("nan")}, "finite"),
        ({"siap_flood_share_2007": None}, "not a number"),
    ],
)
def test_parse_weights_errors(value: object, fragment: str) -> None:
    with pytest.raises(InvalidParameterError) as err:
        parse_weights(value)  # type: ignore[arg-type]
    assert fragment in err.value.message


def test_settings_weights_apply_and_are_checked() -> None:
    s = Settings(score_weights={"siap_flood_share_2007": 4})
    assert resolve_weights(INDICATORS, s.score_weights)["siap_flood_share_2007"] == 4
    bad = Settings(score_weights={"siap_flood_share_2007": -1})
    with pytest.raises(InvalidParameterError):
        resolve_weights(INDICATORS, bad.score_weights)


def test_scale_direction_and_nulls() -> None:
    v = pd.Series([0.0, 5.0, 10.0, np.nan])
    assert scale(v, "higher_more_exposed").tolist()[:3] == [0.0, 0.5, 1.0]
    assert scale(v, "higher_less_exposed").tolist()[:3] == [1.0, 0.5, 0.0]
    assert pd.isna(scale(v, "higher_more_exposed").iloc[3])
    assert scale(pd.Series([2.0, 2.0]), "higher_more_exposed").tolist() == [0.5, 0.5]


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "siap_flood_share_2007": [0.0, 1.0, np.nan, np.nan],
            "siap_depth_mean": [0.0, 2.0, 1.0, np.nan],
        }
    )


def test_score_weighted_mean_and_missing_flags() -> None:
    w = {i: 0.0 for i in INDICATORS} | {"siap_flood_share_2007": 3.0, "siap_depth_mean": 1.0}
    out = score_units(_frame(), "kelurahan", w)
    assert out["score_siap"].iloc[0] == pytest.approx(0.0)
    assert out["score_siap"].iloc[1] == pytest.approx(1.0)
    # unit 2 has only 1 of 4 weight units: too little data -> null, flagged
    assert pd.isna(out["score_siap"].iloc[2])
    assert out["score_siap_missing"].iloc[2] == "siap_flood_share_2007"
    assert out["score_siap_missing"].iloc[3] == "siap_flood_share_2007,siap_depth_mean"
    assert out["score_siap_missing"].iloc[0] is None
    # with equal weights unit 2 has half the weight: scored on what it has, never as zero
    w["siap_flood_share_2007"] = 1.0
    out = score_units(_frame(), "kelurahan", w)
    assert out["score_siap"].iloc[2] == pytest.approx(0.5)


def test_weights_change_scores() -> None:
    from test_indicators import world

    layers, grids = world()
    base = compute_indicators(layers, grids, None)
    heavy = compute_indicators(layers, grids, None, weights=parse_weights("siap_pumps_1km:50"))
    assert not np.allclose(
        base.kelurahan["score_siap"].fillna(-1), heavy.kelurahan["score_siap"].fillna(-1)
    )
    by_id = {d["id"]: d for d in heavy.dictionary}
    assert by_id["siap_pumps_1km"]["weight"] == 50


def test_river_waste_not_an_input_at_kelurahan() -> None:
    frame = pd.DataFrame(
        {"sehat_river_waste_t_day": [np.nan, np.nan], "sehat_waste_banks_per_10k": [1.0, 2.0]}
    )
    out = score_units(frame, "kelurahan")
    assert "sehat_river_waste_t_day" not in (out["score_sehat_missing"].iloc[0] or "")
    with pytest.raises(InvalidParameterError):
        score_units(frame, "provinsi")
