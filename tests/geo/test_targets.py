"""What the build says about each target, on tiny frames whose answers are known by hand."""

from __future__ import annotations

import math

import pandas as pd

from geo.strategy import Target
from geo.targets import read_target


def _target(
    pilar: str,
    target_en: str,
    unit: str | None,
    doc: str = "Strategi Ketahanan Kota Jakarta 2019, as reported",
) -> Target:
    return Target(pilar, 3, "t", target_en, 80.0, unit, 2030, doc, "https://x.example/a", None)


KEL = pd.DataFrame(
    {
        "area_km2": [1.0, 2.0, 3.0, 4.0],
        "score_siap": [0.1, 0.5, 0.9, math.nan],  # the last has no score: left out of the area
        "population": [100, 300, 600, 50],
        "sehat_clean_water_access": [math.nan] * 4,
    }
)


def test_vulnerability_is_the_area_share_of_the_score_thirds() -> None:
    low = read_target(_target("siap", "share at low", "percent of area at low vulnerability"), KEL)
    assert low.kind == "proxy" and math.isclose(low.value or 0, 100 / 6)
    assert "score_siap" in (low.formula or "") and "3 kelurahan" in (low.basis or "")
    medium = read_target(_target("siap", "medium", "percent of area at medium vulnerability"), KEL)
    assert math.isclose(medium.value or 0, 200 / 6)


def test_clean_water_is_no_data_until_a_layer_is_loaded() -> None:
    target = _target("sehat", "Access to clean water", "percent")
    assert read_target(target, KEL).kind == "none"
    assert read_target(target, KEL).value is None
    loaded = KEL.assign(sehat_clean_water_access=[1.0, 0.5, 0.0, math.nan])
    reading = read_target(target, loaded)
    assert reading.kind == "proxy"
    assert math.isclose(reading.value or 0, (100 * 1 + 300 * 0.5) / 1000 * 100)


def test_piped_water_is_reported_and_other_targets_have_no_data() -> None:
    reports = pd.DataFrame(
        {
            "unit_level": ["province", "province", "kota"],
            "indicator": ["piped_coverage_percent"] * 3,
            "value": ["65.85", "72.69", "99"],
            "period": ["Oct 2022", "Jun 2025", "x"],
            "source_url": ["https://a.example", "https://b.example", "https://c.example"],
        }
    )
    piped = _target("sehat", "Access to piped drinking-water service", "percent", doc="Governor")
    reading = read_target(piped, KEL, reports)
    assert (reading.kind, reading.value) == ("reported", 72.69)
    assert "Jun 2025" in (reading.basis or "")
    assert read_target(_target("sehat", "Wastewater coverage", "percent"), KEL).kind == "none"
    assert read_target(_target("siap", "A culture of preparedness", None), KEL).kind == "none"
