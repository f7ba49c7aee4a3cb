"""Scores a planner can defend, on the real build: source checks, coverage, drivers, ranks."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from geo.build import load_layer, read_report
from geo.indicators.dictionary import definitions_of, weights_of
from geo.names import match_key
from geo.scores import pillar_inputs
from geo.settings import Settings
from geo.uncertainty import UncertaintyParams, rank_uncertainty
from geo.vocabulary import (
    RANK_STATS,
    Level,
    Pillar,
    ScoreStatus,
    contribution_column,
    partial_column,
    rank_column,
    score_column,
    status_column,
)

pytestmark = pytest.mark.realdata

WASTE_CSV = "sehat/bank_sampah_3r/jakarta_3r_bank_sampah.csv"


@pytest.fixture(scope="module")
def layers(real_build: Settings) -> dict[str, pd.DataFrame]:
    return {str(lvl): load_layer(real_build.build_path, str(lvl)) for lvl in Level}


@pytest.fixture(scope="module")
def dictionary(real_build: Settings) -> list[dict[str, object]]:
    frame = load_layer(real_build.build_path, "data_dictionary")
    from geo.ogc.values import json_records, parse_json_cell

    return [{k: parse_json_cell(v) for k, v in r.items()} for r in json_records(frame)]


@pytest.fixture(scope="module")
def scoring(dictionary: list[dict[str, object]]) -> tuple[dict[str, Any], dict[str, float]]:
    """The build's indicator definitions and effective weights, read from its dictionary."""
    definitions = definitions_of(dictionary)  # type: ignore[arg-type]
    return definitions, weights_of(dictionary, definitions)  # type: ignore[arg-type]


def test_waste_banks_pusat_counted_once_selatan_null(
    real_build: Settings, layers: dict[str, pd.DataFrame]
) -> None:
    kel = layers["kelurahan"].set_index("kode")
    raw = pd.read_csv(real_build.data_dir / WASTE_CSV)
    pusat = raw[(raw["wilayah"] == "Jakarta Pusat") & (raw["status_kegiatan"] != "Tidak Aktif")]
    by_name = pusat.groupby(pusat["kelurahan"].map(match_key)).size()
    cpt = kel.index[kel["nama"] == "Cempaka Putih Timur"][0]
    assert (
        kel.loc[cpt, "sehat_waste_banks_count"] == 20 == by_name[match_key("Cempaka Putih Timur")]
    )
    # every Pusat kelurahan: the build's count is at most the Pusat-labelled rows naming it
    # (never the doubled count of before), and equal where the names are spelled the same
    in_pusat = kel[kel["kode_kota"] == "31.71"]
    expected = in_pusat["nama"].map(match_key).map(by_name).fillna(0)
    assert (in_pusat["sehat_waste_banks_count"] <= expected).all()
    assert (in_pusat["sehat_waste_banks_count"] == expected).mean() > 0.9
    selatan = kel[kel["kode_kota"] == "31.74"]
    assert len(selatan) == 65
    assert selatan[["sehat_waste_banks_count", "sehat_waste_banks_per_10k"]].isna().all().all()
    report = read_report(real_build.report_path)
    rules = {f["rule"] for f in report["source_checks"] if f["source"] == "bank_sampah_3r"}
    assert rules == {"mislabelled_unit", "repeated_block", "uncovered_units"}


@pytest.mark.parametrize("level", list(Level))
def test_no_full_sehat_score_from_a_single_indicator(
    layers: dict[str, pd.DataFrame], scoring: tuple[dict[str, Any], dict[str, float]], level: Level
) -> None:
    frame = layers[str(level)]
    definitions, weights = scoring
    inputs = [d.id for d in pillar_inputs(definitions, weights, level, Pillar.sehat)]
    full = frame[status_column(Pillar.sehat)] == ScoreStatus.full
    assert (frame.loc[full, inputs].notna().sum(axis=1) >= 2).all()
    assert frame.loc[~full, score_column(Pillar.sehat)].isna().all()
    if level == Level.kelurahan:
        # the islands and the kota without slum data are partial, drawn and listed apart
        seribu = frame[frame["kode_kota"] == "31.01"]
        assert (seribu[status_column(Pillar.sehat)] == ScoreStatus.partial).all()
        assert seribu[partial_column(Pillar.sehat)].notna().all()


@pytest.mark.parametrize("level", list(Level))
def test_contributions_sum_to_the_score(
    layers: dict[str, pd.DataFrame], scoring: tuple[dict[str, Any], dict[str, float]], level: Level
) -> None:
    frame = layers[str(level)]
    definitions, weights = scoring
    for pillar in Pillar:
        inputs = pillar_inputs(definitions, weights, level, pillar)
        parts = frame[[contribution_column(d.id) for d in inputs]]
        total = parts.sum(axis=1, min_count=1)
        value = frame[score_column(pillar)].fillna(frame[partial_column(pillar)])
        assert np.allclose(total.fillna(-1), value.fillna(-1), atol=1e-9), (level, pillar)
        assert (parts.fillna(0) >= -1e-12).all().all()


def test_rank_intervals_ordered_and_reproducible(
    real_build: Settings, layers: dict[str, pd.DataFrame], dictionary: list[dict[str, object]]
) -> None:
    kel = layers["kelurahan"]
    for pillar in Pillar:
        p05, p50, p95 = (kel[rank_column(pillar, s)] for s in RANK_STATS)
        ranked = kel[status_column(pillar)] == ScoreStatus.full
        assert p50[ranked].notna().all() and p50[~ranked].isna().all()
        assert (p05[ranked] <= p50[ranked]).all() and (p50[ranked] <= p95[ranked]).all()
    report = read_report(real_build.report_path)
    params = UncertaintyParams.from_dict(report["checks"]["rank_uncertainty"])
    assert params.draws >= 1000
    definitions = definitions_of(dictionary)  # type: ignore[arg-type]
    weights = weights_of(dictionary, definitions)  # type: ignore[arg-type]
    again = rank_uncertainty(kel, Level.kelurahan, weights, definitions, params)
    pd.testing.assert_frame_equal(again, kel[again.columns], check_dtype=False)


def test_every_indicator_carries_the_date_of_its_data(
    dictionary: list[dict[str, object]],
) -> None:
    by_id = {str(d["id"]): d for d in dictionary}
    undated = sorted(i for i, d in by_id.items() if not d.get("data_date"))
    assert undated == ["sehat_clean_water_access"]  # a planner's slot, nothing loaded
    assert by_id["terhubung_rail_1km_share"]["data_date"] == "2021-08-28"
    assert "LRT Jabodebek" in str(by_id["terhubung_rail_distance_km"]["data_note"])
    assert by_id["terhubung_tj_trips_500m"]["data_sources"] == ["transjakarta_gtfs_2025_09"]


def test_north_coast_in_siap(layers: dict[str, pd.DataFrame]) -> None:
    kel = layers["kelurahan"].set_index("nama")
    for name in ("Pluit", "Penjaringan", "Ancol", "Pademangan Barat", "Kalibaru"):
        assert kel.loc[name, "siap_coast_proximity"] > 0.6, name
        assert kel.loc[name, "siap_coast_distance_km"] < 2.0, name
    assert kel.loc["Jagakarsa", "siap_coast_proximity"] == 0.0
    assert kel.loc["Jagakarsa", "siap_coast_distance_km"] > 20
    stop_calls = kel["terhubung_tj_stop_calls_500m"] / kel["terhubung_tj_trips_500m"]
    assert stop_calls.median() > 3  # a bus counts once per stop: many stop calls per trip
