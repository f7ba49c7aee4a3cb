"""The source checks on tiny tables: mislabelled rows, a repeated block, an uncovered unit."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geo.settings import Settings
from geo.source_checks import MIN_BLOCK_ROWS, CheckResult, check_named_rows, repeated_runs

KELURAHAN = pd.DataFrame(
    {
        "kode": ["31.71.01.1001", "31.71.01.1002", "31.71.02.1001", "31.74.01.1001"],
        "nama": ["Alfa", "Beta", "Gama", "Delta"],
        "kode_kecamatan": ["31.71.01", "31.71.01", "31.71.02", "31.74.01"],
        "nama_kecamatan": ["Satu", "Satu", "Dua", "Empat"],
        "kode_kota": ["31.71", "31.71", "31.71", "31.74"],
        "nama_kota": ["Jakarta Pusat", "Jakarta Pusat", "Jakarta Pusat", "Jakarta Selatan"],
    }
)


def _check(rows: list[tuple[str, str, str, str]]) -> tuple[pd.DataFrame, CheckResult]:
    table = pd.DataFrame(rows, columns=["wilayah", "kecamatan", "kelurahan", "nama"])
    result = check_named_rows(
        table,
        KELURAHAN,
        source="tiny",
        kota_col="wilayah",
        kecamatan_col="kecamatan",
        kelurahan_col="kelurahan",
        key_cols=("nama", "kelurahan", "kecamatan"),
    )
    return table, result


def test_mislabelled_rows_are_rejected_and_listed() -> None:
    _, result = _check(
        [
            ("Jakarta Pusat", "Satu", "Alfa", "bank 1"),  # agrees
            ("Jakarta Selatan", "Satu", "Beta", "bank 2"),  # Satu is in Jakarta Pusat
            ("Jakarta Pusat", "Satu", "Gama", "bank 3"),  # Gama is in kecamatan Dua
            ("Jakarta Pusat", "", "Gama", "bank 4"),  # no kecamatan: matched by its name
            ("Jakarta Selatan", "Empat", "Delta", "bank 5"),  # agrees
        ]
    )
    assert result.keep.tolist() == [True, False, False, True, True]
    assert result.reason[1:3] == ["mislabelled_unit", "mislabelled_unit"]
    assert result.kode_kelurahan == [
        "31.71.01.1001",
        None,
        None,
        "31.71.02.1001",
        "31.74.01.1001",
    ]
    (finding,) = [f for f in result.findings if f.rule == "mislabelled_unit"]
    assert [r["row"] for r in finding.rows] == [1, 2]
    assert "Jakarta Pusat" in finding.rows[0]["why"]
    assert "kecamatan Dua" in finding.rows[1]["why"]
    assert finding.to_dict()["count"] == 2


def _block_table() -> list[tuple[str, str, str, str]]:
    pusat = [("Jakarta Pusat", "Satu", "Alfa", f"bank {i}") for i in range(6)]
    # the same six rows under the Selatan label, one of them in other letter case
    copy = [("Jakarta Selatan", k, kel, n) for _, k, kel, n in pusat]
    copy[2] = ("Jakarta Selatan", "SATU", "alfa", "Bank 2")
    return [*pusat, ("Jakarta Pusat", "Dua", "Gama", "other"), *copy]


def test_a_repeated_block_is_dropped_and_the_uncovered_kota_reported() -> None:
    _, result = _check(_block_table())
    keep = result.keep
    assert keep[:7].all() and not keep[7:].any()
    assert set(result.reason[7:]) == {"repeated_block"}
    (block,) = [f for f in result.findings if f.rule == "repeated_block"]
    assert [r["row"] for r in block.rows] == list(range(7, 13))
    assert [r["repeats_row"] for r in block.rows] == list(range(6))
    assert "labelled 'Jakarta Selatan'" in block.message
    # nothing of Jakarta Selatan is left: its units are null, never 0, and reported
    assert result.covered_kota == ("31.71",)
    (uncovered,) = [f for f in result.findings if f.rule == "uncovered_units"]
    assert uncovered.units == ["31.74.01.1001"] and uncovered.action == "units null"


def test_the_copy_is_the_block_whose_label_disagrees_even_when_it_comes_first() -> None:
    rows = _block_table()
    rows = rows[7:] + rows[:7]  # the mislabelled copy now comes first in the file
    _, result = _check(rows)
    keep = result.keep
    assert not keep[:6].any() and keep[6:].all()


def test_a_short_repeat_is_not_a_block() -> None:
    short = [("Jakarta Pusat", "Satu", "Alfa", f"bank {i}") for i in range(MIN_BLOCK_ROWS - 1)]
    other = [("Jakarta Selatan", "Empat", "Delta", n) for *_, n in short]
    _, result = _check([*short, *other])
    assert result.keep.all()
    assert not [f for f in result.findings if f.rule != "uncovered_units"]


def test_repeated_runs_find_runs_with_rows_in_between() -> None:
    keys = ["a", "b", "c", "d", "e", "x", "a", "b", "c", "d", "e", "", "f"]
    groups = ["P"] * 5 + ["S"] * 8
    runs = repeated_runs(keys, groups, min_rows=5)
    assert runs == [("P", [0, 1, 2, 3, 4], "S", [6, 7, 8, 9, 10])]
    assert repeated_runs(keys, groups, min_rows=6) == []


@pytest.mark.realdata
def test_real_waste_bank_rules(real_settings: Settings) -> None:
    from geo.build import build_layers

    built = build_layers(real_settings, verify=False)
    banks = built.layers["waste_banks"]
    report = built.report.to_dict()
    findings = [f for f in report["source_checks"] if f["source"] == "bank_sampah_3r"]
    rules = {f["rule"]: f for f in findings}
    assert rules["repeated_block"]["count"] == 128
    assert {r["wilayah"] for r in rules["repeated_block"]["rows"]} == {"Jakarta Selatan"}
    assert len(rules["uncovered_units"]["units"]) == 65
    assert all(u.startswith("31.74.") for u in rules["uncovered_units"]["units"])
    # every Selatan-labelled row is gone (dropped as a copy or rejected as mislabelled)
    assert not (banks["wilayah"] == "Jakarta Selatan").any()
    assert np.array_equal(np.sort(banks["baris_sumber"]), banks["baris_sumber"])
    # river waste: the same rules find no defect in a clean table
    river = [f for f in report["source_checks"] if f["source"] == "river_waste_2024_25"]
    assert {f["rule"] for f in river} == {"uncovered_units"}  # Kepulauan Seribu only
