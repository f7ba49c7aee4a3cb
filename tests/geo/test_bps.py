"""The BPS crosswalk of the real data: 254 of 267 kelurahan have a BPS code, 13 have none."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from geo.bps import CROSSWALK_FILE, read_bps_crosswalk
from geo.settings import Settings

pytestmark = pytest.mark.realdata


def test_crosswalk_matches_254_and_leaves_13_unknown(real_settings: Settings) -> None:
    path = Path(real_settings.data_dir) / "boundaries/kelurahan_kemendagri_2025" / CROSSWALK_FILE
    codes, report = read_bps_crosswalk(path)
    assert len(codes) == 267
    assert int(codes.notna().sum()) == 254
    assert codes.isna().sum() == 13
    assert pd.isna(codes["31.71.04.1001"])  # Senen: not in the BPS 2018 list, never guessed
    assert codes["31.01.01.1001"] == "3101020001"  # Pulau Panggang
    assert codes.dropna().str.fullmatch(r"31\d{8}").all()
    assert report.warnings and "13 kelurahan" in report.warnings[0]
