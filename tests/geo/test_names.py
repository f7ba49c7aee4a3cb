"""Tests of geo.names: normalising names, matching them to codes, and code forms."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.errors import DataError, SchemaError
from geo.names import (
    SPELLING_VARIANTS,
    kecamatan_code,
    kota_code,
    match_key,
    match_names,
    normalise_name,
    to_dotted_code,
    to_plain_code,
)
from geo.settings import Settings

REFERENCE = pd.DataFrame(
    {
        "kode": [
            "31.71.03.1001",
            "31.75.04.1004",
            "31.73.05.1005",
            "31.75.02.1002",
            "31.72.01.1004",
            "31.72.01.1006",
            "31.73.01.1007",
            "31.74.01.1003",
            "31.75.01.1001",
            "31.73.02.1002",
            "31.72.05.1001",
            "31.01.01.1001",
            # the same name in two kecamatan (made up for the test)
            "31.74.02.1001",
            "31.75.03.1001",
        ],
        "nama": [
            "Harapan Mulia",
            "Tengah",
            "Krendang",
            "Palmeriam",
            "Papanggo",
            "Tanjung Priok",
            "Wijaya Kusuma",
            "Halim Perdana Kusuma",
            "Pulogadung",
            "Tamansari",
            "Pademangan Timur",
            "Pulau Panggang",
            "Baru",
            "Baru",
        ],
        "nama_kec": [
            "Kemayoran",
            "Kramatjati",
            "Tambora",
            "Matraman",
            "Tanjung Priok",
            "Tanjung Priok",
            "Grogol Petamburan",
            "Makasar",
            "Pulogadung",
            "Taman Sari",
            "Pademangan",
            "Kepulauan Seribu Utara",
            "Pasar Rebo",
            "Cipayung",
        ],
    }
)
REFERENCE["kode_kec"] = REFERENCE["kode"].str[:8]


def test_normalise_name_basics() -> None:
    assert normalise_name("  kebon   jeruk ") == "KEBON JERUK"
    assert normalise_name("Kep. Seribu") == "KEPULAUAN SERIBU"
    assert normalise_name("KEP SERIBU") == normalise_name("Kepulauan Seribu")
    assert normalise_name("Kota Adm. Jakarta Barat") == "JAKARTA BARAT"
    assert normalise_name("Kota Administrasi Jakarta Pusat") == "JAKARTA PUSAT"
    assert normalise_name("Kabupaten Administrasi Kepulauan Seribu") == "KEPULAUAN SERIBU"
    assert normalise_name("Kab. Adm. Kep. Seribu") == "KEPULAUAN SERIBU"
    assert normalise_name("Kota Jakarta Timur") == "JAKARTA TIMUR"
    assert normalise_name("Kota Bambu Utara") == "KOTA BAMBU UTARA"  # a kelurahan, not a kota
    assert normalise_name("Kelurahan Gambir") == "GAMBIR"
    assert normalise_name("Kel.Wijaya Kusuma") == "WIJAYA KUSUMA"
    assert normalise_name("Kecamatan Menteng") == "MENTENG"
    assert normalise_name("JAKBAR") == "JAKARTA BARAT"
    assert normalise_name("jaktim") == "JAKARTA TIMUR"
    assert normalise_name("Pad Tmr") == "PAD TIMUR"
    assert normalise_name("Kedoya Sel") == "KEDOYA SELATAN"
    assert normalise_name("Pulau Pari Kec. Kepulauan Seribu Selatan") == "PULAU PARI"
    assert normalise_name("Jum'at") == "JUMAT"
    assert normalise_name(None) == "" and normalise_name(float("nan")) == ""


def test_spaces_and_variants_in_match_key() -> None:
    assert match_key("PULO GADUNG") == match_key("Pulogadung")
    assert match_key("TAMAN SARI") == match_key("Tamansari")
    assert match_key("PAL MERIEM") == match_key("Palmeriam")
    assert match_key("Tg.Priuk") == match_key("Tanjung Priok")
    for wrong, right in SPELLING_VARIANTS.items():
        assert match_key(wrong) == match_key(right), wrong


def test_match_all_seven_variants_and_case() -> None:
    names = [
        "HARAPAN MULYA",
        "KAMPUNG TENGAH",
        "KREDANG",
        "PAL MERIEM",
        "PAPANGO",
        "TANJUNG PRIUK",
        "WIJAYA KESUMA",
        "halim perdana kusumah",
        "PULO GADUNG",
        "taman  sari",
    ]
    result = match_names(names, REFERENCE, name_col="nama", code_col="kode")
    assert result.codes == [
        "31.71.03.1001",
        "31.75.04.1004",
        "31.73.05.1005",
        "31.75.02.1002",
        "31.72.01.1004",
        "31.72.01.1006",
        "31.73.01.1007",
        "31.74.01.1003",
        "31.75.01.1001",
        "31.73.02.1002",
    ]
    assert result.unmatched == [] and result.ambiguous == [] and result.missing == 0
    assert result.matches[0].matched_name == "Harapan Mulia"


def test_unmatched_reported_by_name() -> None:
    result = match_names(
        ["Tengah", "Atlantis", None, "Atlantis", "Kep. Seribu"],
        REFERENCE,
        name_col="nama",
        code_col="kode",
    )
    assert result.codes == ["31.75.04.1004", None, None, None, None]
    assert result.unmatched == ["Atlantis", "Kep. Seribu"]
    assert result.missing == 1
    assert result.to_dict()["matched"] == 1
    assert list(result.to_frame()["status"]) == [
        "matched",
        "unmatched",
        "missing",
        "unmatched",
        "unmatched",
    ]


def test_duplicate_names_need_their_kecamatan() -> None:
    plain = match_names(["Baru"], REFERENCE, name_col="nama", code_col="kode")
    assert plain.codes == [None] and plain.ambiguous == ["Baru"]

    by_name = match_names(
        ["Baru", "BARU", "Baru"],
        REFERENCE,
        name_col="nama",
        code_col="kode",
        within=["Pasar Rebo", "CIPAYUNG", "Gambir"],
        within_col="nama_kec",
    )
    assert by_name.codes == ["31.74.02.1001", "31.75.03.1001", None]
    assert by_name.unmatched == ["Baru"]

    by_code = match_names(
        ["Baru", "Baru"],
        REFERENCE,
        name_col="nama",
        code_col="kode",
        within=["317402", "31.75.03"],
        within_col="kode_kec",
    )
    assert by_code.codes == ["31.74.02.1001", "31.75.03.1001"]


def test_within_kecamatan_variants_and_abbreviations() -> None:
    result = match_names(
        ["Tg.Priuk", "Papango", "Pad Tmr", "Pulau Panggang Kepulauan Seribu Utara", "Tengah"],
        REFERENCE,
        name_col="nama",
        code_col="kode",
        within=["Tg Priuk", "TANJUNG PRIUK", "Pademangan", "Kep. Seribu Utara", "Kramat Jati"],
        within_col="nama_kec",
    )
    assert result.codes == [
        "31.72.01.1006",
        "31.72.01.1004",
        "31.72.05.1001",
        "31.01.01.1001",
        "31.75.04.1004",
    ]
    assert result.partial == ["Pad Tmr"]  # the abbreviated-name fallback is reported
    assert result.unmatched == []


def test_other_parent_only_when_asked() -> None:
    strict = match_names(
        ["Krendang"], REFERENCE, name_col="nama", code_col="kode",
        within=["Kemayoran"], within_col="nama_kec",
    )  # fmt: skip
    assert strict.codes == [None] and strict.unmatched == ["Krendang"]
    loose = match_names(
        ["Krendang"], REFERENCE, name_col="nama", code_col="kode",
        within=["Kemayoran"], within_col="nama_kec", other_parent=True,
    )  # fmt: skip
    assert loose.codes == ["31.73.05.1005"] and loose.other_parent == ["Krendang"]


def test_match_names_bad_input() -> None:
    with pytest.raises(SchemaError, match="nope"):
        match_names(["A"], REFERENCE, name_col="nope", code_col="kode")
    with pytest.raises(DataError):
        match_names(["A"], REFERENCE, name_col="nama", code_col="kode", within=["x"])
    with pytest.raises(DataError):
        match_names(
            ["A", "B"], REFERENCE, name_col="nama", code_col="kode", within=["x"],
            within_col="nama_kec",
        )  # fmt: skip


def test_code_conversions() -> None:
    assert to_dotted_code("3173031006") == "31.73.03.1006"
    assert to_dotted_code(3173031006) == "31.73.03.1006"
    assert to_dotted_code("31.73.03.1006") == "31.73.03.1006"
    assert to_plain_code("31.73.03.1006") == "3173031006"
    assert to_plain_code("3173031006") == "3173031006"
    assert kecamatan_code("3173031006") == "31.73.03"
    assert kecamatan_code("31.73.03.1006") == "31.73.03"
    assert kecamatan_code("317303") == "31.73.03"
    assert kota_code("31.73.03.1006") == "31.73"
    assert kota_code("31.73.03") == "31.73"


@pytest.mark.parametrize("bad", ["31888888", "31.73.03", "abc", "", None, "31.7.303.1006"])
def test_malformed_codes(bad: object) -> None:
    with pytest.raises(DataError, match="malformed kelurahan code"):
        to_dotted_code(bad)


@pytest.mark.realdata
def test_real_bank_sampah_match_rate(real_settings: Settings) -> None:
    import geopandas as gpd

    kel = gpd.read_file(
        real_settings.data_dir / "boundaries/kelurahan_kemendagri_2025/dki_kelurahan_267.geojson"
    )
    banks = pd.read_csv(real_settings.data_dir / "sehat/bank_sampah_3r/jakarta_3r_bank_sampah.csv")
    assert len(banks) == 514
    result = match_names(
        banks["kelurahan"].tolist(),
        kel,
        name_col="nama",
        code_col="kode",
        within=banks["kecamatan"].tolist(),
        within_col="nama_kec",
    )
    assert result.missing == 13  # rows without a kelurahan
    assert result.matched == 495
    assert sorted(result.partial) == ["Gading Brt", "Gading Tmr", "Pad Brt", "Pad Tmr"]
    # "Kebon Pala" is filed under Gambir (it is in Makasar), "Rbs" is initials, Pramuka an island
    assert sorted(result.unmatched) == [
        "Kebon Pala",
        "Pulau Pramuka Kec. Kepulauan Seribu Utara",
        "Rbs",
    ]
