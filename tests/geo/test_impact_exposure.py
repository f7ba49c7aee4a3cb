"""Exposure by hand: apportioning, the even spread, displacement rates, sex and age, needs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.errors import DataError
from geo.impact.exposure import (
    AGE_BANDS,
    apportion,
    displaced,
    people_by_class,
    read_register,
    who,
)
from geo.impact.needs import NEEDS, minimum_needs, rounded_up
from geo.settings import Settings


def test_apportion_by_hand() -> None:
    out = apportion(np.array([10, 7, 5]), np.array([[1, 1, 1], [0.5, 0.25, 0.25], [0, 0, 0]]))
    # 10/3 each: 3, 3, 3 and the one left over to the first of the equal remainders
    assert out[0].tolist() == [4, 3, 3]
    # 3.5, 1.75, 1.75: floors 3, 1, 1; two left go to the remainders .75, .75
    assert out[1].tolist() == [3, 2, 2]
    assert out[2].tolist() == [0, 0, 0]  # no weight: nothing to split
    assert np.isnan(apportion(np.array([4]), np.array([[np.nan, 1.0]]))).all()  # no data


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 200_000),
            st.lists(st.floats(0, 1, allow_nan=False), min_size=5, max_size=5),
        ),
        min_size=1,
        max_size=20,
    )
)
def test_apportion_keeps_totals_and_stays_within_a_person(rows: list) -> None:
    totals = np.array([t for t, _ in rows], dtype=float)
    shares = np.array([s for _, s in rows], dtype=float)
    out = apportion(totals, shares)
    sums = shares.sum(axis=1)
    weighted = sums > 0
    assert (out[weighted].sum(axis=1) == totals[weighted]).all()
    exact = np.where(weighted[:, None], shares / np.where(sums > 0, sums, 1)[:, None], 0)
    exact = exact * totals[:, None]
    assert (np.abs(out - exact) < 1 + 1e-6).all()
    assert (out == np.floor(out)).all() and (out >= 0).all()


def _shares(*rows: tuple[float, float, float, float, float]) -> pd.DataFrame:
    cols = ["share_unaffected", "share_low", "share_medium", "share_high", "share_nodata"]
    return pd.DataFrame(list(rows), columns=cols)


def test_the_population_is_spread_evenly_over_the_area() -> None:
    # 1,000 people; a fifth of the area low, a tenth medium, a twentieth high
    people = people_by_class(
        np.array([1000, 333]), _shares((0.65, 0.2, 0.1, 0.05, 0.0), (1, 0, 0, 0, 0))
    )
    first = people.iloc[0]
    assert first[["people_unaffected", "people_low", "people_medium", "people_high"]].tolist() == [
        650,
        200,
        100,
        50,
    ]
    assert first["affected"] == 350
    assert people.iloc[1]["affected"] == 0 and people.iloc[1]["people_unaffected"] == 333


def test_displacement_rates_per_class_half_up() -> None:
    people = pd.DataFrame(
        {"people_low": [150.0, 49.0], "people_medium": [50.0, 0.0], "people_high": [30.0, np.nan]}
    )
    out = displaced(people, {"low": 0.01, "medium": 0.03, "high": 0.05})
    # 1.5 -> 2, 1.5 -> 2, 1.5 -> 2; 0.49 -> 0
    assert out.iloc[0][
        ["displaced_low", "displaced_medium", "displaced_high", "displaced"]
    ].tolist() == [
        2,
        2,
        2,
        6,
    ]
    assert out.iloc[0]["displaced"] <= 230
    assert np.isnan(out.iloc[1]["displaced"])  # a class without data: no total


def test_rates_come_from_the_settings() -> None:
    s = Settings(impact_displacement_high=0.5)
    people = pd.DataFrame({"people_low": [0.0], "people_medium": [0.0], "people_high": [10.0]})
    rates = {
        "low": s.impact_displacement_low,
        "medium": s.impact_displacement_medium,
        "high": s.impact_displacement_high,
    }
    assert displaced(people, rates)["displaced"].iloc[0] == 5
    with pytest.raises(ValueError):
        Settings(impact_displacement_low=1.5)


def test_sex_and_age_follow_the_kelurahan_register() -> None:
    register = pd.DataFrame(
        {
            "male": [600, 1],
            "female": [400, 1],
            "under5": [100, 0],
            "age_5_14": [150, 1],
            "age_15_64": [650, 1],
            "age_65plus": [100, 0],
        }
    )
    out = who(pd.Series([350.0, np.nan]), register, "affected")
    first = out.iloc[0]
    assert first["affected_male"] == 210 and first["affected_female"] == 140
    # 35, 52.5, 227.5, 35 -> 35, 53, 227, 35 (the leftover person to the first .5)
    assert first[
        ["affected_under5", "affected_age_5_14", "affected_age_15_64", "affected_age_65plus"]
    ].tolist() == [35, 53, 227, 35]
    assert out.iloc[1].isna().all()


def _register_csv(tmp_path: Path, bands: list[int], pria: int, wanita: int) -> Path:
    header = ["KODE_DESA", "JUMLAH_PEN", "PRIA", "WANITA", *AGE_BANDS]
    total = sum(bands)
    rows = [
        ",".join(header),
        ",".join(map(str, [3171011001, total, pria, wanita, *bands])),
        ",".join(map(str, [31888888, 0, 0, 0, *[0] * 16])),  # a lake row: not a kelurahan
    ]
    path = tmp_path / "register.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_register_bands_map_to_the_four_age_groups(tmp_path: Path) -> None:
    bands = list(range(1, 17))  # U0=1, U5=2, ..., U75=16
    path = _register_csv(tmp_path, bands, 70, 66)
    reg = read_register(path, {"31.71.01.1001": 136})
    row = reg.frame.loc["31.71.01.1001"]
    assert row["under5"] == 1  # U0 only
    assert row["age_5_14"] == 2 + 3  # U5 + U10
    assert row["age_15_64"] == sum(range(4, 14))  # U15 .. U60
    assert row["age_65plus"] == 14 + 15 + 16  # U65 + U70 + U75
    assert row[["under5", "age_5_14", "age_15_64", "age_65plus"]].sum() == row["population"]
    assert list(reg.frame.index) == ["31.71.01.1001"]


def test_register_that_does_not_add_up_is_refused(tmp_path: Path) -> None:
    bands = list(range(1, 17))
    path = _register_csv(tmp_path, bands, 70, 60)  # PRIA + WANITA = 130, not 136
    with pytest.raises(DataError, match=r"31\.71\.01\.1001 has PRIA \+ WANITA"):
        read_register(path)
    path = _register_csv(tmp_path, bands, 70, 66)
    with pytest.raises(DataError, match="different from the kelurahan layer"):
        read_register(path, {"31.71.01.1001": 137})


def test_minimum_needs_by_hand() -> None:
    needs = minimum_needs(pd.Series([100.0, np.nan]), Settings())
    assert needs.iloc[0].to_dict() == pytest.approx(
        {
            "need_rice_kg": 280.0,
            "need_drinking_water_l": 1750.0,
            "need_clean_water_l": 6700.0,
            "need_family_kits": 20.0,
            "need_toilets": 5.0,
        }
    )
    assert needs.iloc[1].isna().all()
    assert [n.frequency for n in NEEDS] == ["weekly", "weekly", "weekly", "weekly", "once"]
    doubled = minimum_needs(pd.Series([100.0]), Settings(impact_need_rice_kg=5.6))
    assert doubled.iloc[0]["need_rice_kg"] == pytest.approx(560.0)
    assert rounded_up(4462.35) == 4463 and rounded_up(20.0) == 20 and rounded_up(None) is None


def test_every_need_setting_names_its_source() -> None:
    fields = Settings.model_fields
    for need in NEEDS:
        assert "Perka 7/2008" in (fields[need.setting].description or "")
    for name in ("impact_low_min_m", "impact_displacement_low"):
        assert "InaSAFE" in (fields[name].description or "")
