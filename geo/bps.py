"""BPS codes of the kelurahan, from the Kemendagri-to-BPS crosswalk of the data folder.

The crosswalk (``boundaries/kelurahan_kemendagri_2025/DERIVED_kemendagri_to_bps2018_crosswalk
.csv``, see its PROVENANCE.md) maps each of the 267 Kemendagri 2025 codes to the BPS MFD 2018
kelurahan code, matched by name within the kecamatan: 254 match one to one; 13 kelurahan are
absent from that BPS list and have no BPS code here (null, never guessed). The kelurahan layer
carries the code as ``kode_bps``, so a kelurahan can be asked for by either code.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.errors import DataError
from geo.tables import ReadReport, read_table, require_columns

SOURCE = "kelurahan_kemendagri_2025"
CROSSWALK_FILE = "DERIVED_kemendagri_to_bps2018_crosswalk.csv"
BPS_COLUMN = "kode_bps"
"""The kelurahan property holding the BPS MFD 2018 code (null when the unit has none)."""


def read_bps_crosswalk(path: Path) -> tuple[pd.Series, ReadReport]:
    """The BPS code of each Kemendagri code (dotted), blank where the crosswalk has none.

    Parameters
    ----------
    path : Path
        The crosswalk CSV.

    Returns
    -------
    (Series, ReadReport)
        Indexed by Kemendagri code, values the 10-digit BPS code or None.

    Raises
    ------
    DataError
        A Kemendagri or BPS code appears twice (the crosswalk is one to one).
    """
    df, report = read_table(path, source=SOURCE, dtype=str, keep_default_na=False)
    require_columns(df, ["kode_kemendagri", "kode_bps_mfd2018"], path=path)
    codes = df["kode_bps_mfd2018"].str.strip()
    given = codes[codes != ""]
    if df["kode_kemendagri"].duplicated().any() or given.duplicated().any():
        raise DataError(f"{path}: a Kemendagri or BPS code appears twice in the crosswalk")
    series = pd.Series(
        codes.where(codes != "", None).to_numpy(), index=df["kode_kemendagri"].str.strip()
    )
    blank = series.index[series.isna()].tolist()
    if blank:
        report.warnings.append(
            f"{len(blank)} kelurahan have no BPS 2018 code in the crosswalk: " + ", ".join(blank)
        )
    return series, report


def with_bps_codes(kelurahan: gpd.GeoDataFrame, crosswalk: pd.Series) -> gpd.GeoDataFrame:
    """The kelurahan layer with :data:`BPS_COLUMN` after ``kode`` (null where unknown)."""
    out = kelurahan.copy()
    values = out["kode"].map(crosswalk)
    out.insert(list(out.columns).index("kode") + 1, BPS_COLUMN, values.where(values.notna(), None))
    return out
