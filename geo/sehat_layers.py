"""Sehat layers (slums, river waste, waste banks, press tables) and the groundwater-ban zones.

Tables that name their places instead of giving coordinates go through the source checks
(:mod:`geo.source_checks`) before their rows are counted; the zones of Pergub 93/2021 are
matched to kelurahan by name (:mod:`geo.ban_zones`). Layer names are the names in the build
output and the API.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.admin import link_points_to_kelurahan
from geo.ban_zones import match_ban_zones
from geo.crs import METRIC_CRS
from geo.ingest import ReadReport, read_table, read_vector, require_columns
from geo.layers import LayerResult
from geo.names import match_names
from geo.source_checks import CheckResult, check_named_rows


def slum_rw(folder: Path, kelurahan: gpd.GeoDataFrame) -> LayerResult:
    """Slum RWs (RW kumuh, KOTAKU/BPS) in Jakarta Pusat, Utara and Selatan."""
    path = folder / "DERIVED_kotaku_rw_kumuh_on_kartoza_rw2014.geojson"
    gdf, report = read_vector(path, source="rw_kumuh_kotaku")
    require_columns(
        gdf,
        ["kab_name", "kec_name", "kel_name", "rw", "luas_ha", "sumber", "kode_kemendagri_kel"],
        path=path,
    )
    out = gpd.GeoDataFrame(
        {
            "rw": gdf["rw"].to_numpy(),
            "nama_kelurahan_sumber": gdf["kel_name"].to_numpy(),
            "kode_kelurahan_nama": gdf["kode_kemendagri_kel"].to_numpy(),
            "luas_ha": gdf["luas_ha"].to_numpy(),
            "sumber": gdf["sumber"].to_numpy(),
        },
        geometry=gdf.geometry.to_numpy(),
        crs=gdf.crs,
    )
    out["kode_kelurahan"] = link_points_to_kelurahan(out, kelurahan).to_numpy()
    out["kode_kota"] = out["kode_kelurahan"].str[:5]
    return LayerResult("slum_rw", out, [report], "rw_kumuh_kotaku", 140)


def _apply_checks(
    table: pd.DataFrame, report: ReadReport, checked: CheckResult, name_col: str
) -> np.ndarray:
    """Record the rows the source checks took out and their findings; the rows kept."""
    for pos in np.flatnonzero(~checked.keep):
        report.add_set_aside(
            str(checked.reason[int(pos)]), row=int(pos), name=table[name_col].iloc[int(pos)]
        )
    report.findings.extend(f.to_dict() for f in checked.findings)
    report.rows_kept = int(checked.keep.sum())
    return checked.keep


def river_waste(
    folder: Path, kecamatan: gpd.GeoDataFrame, kelurahan: gpd.GeoDataFrame | None = None
) -> LayerResult:
    """River and water-body waste collected per kecamatan and month (table, no geometry).

    With ``kelurahan`` (the admin reference) the rows go through the source checks
    (:mod:`geo.source_checks`) first: a row whose kecamatan lies in another kota than the row
    states, or a block of months repeated under another kota's label, is not kept.
    """
    path = folder / "RataRataVolumeSampahSungaiDKIJakarta.csv"
    table, report = read_table(path, source="river_waste_2024_25")
    require_columns(
        table, ["periode_data", "wilayah", "kecamatan", "volume_sampah", "rata_rata"], path=path
    )
    if kelurahan is not None:
        checked = check_named_rows(
            table,
            kelurahan,
            source="river_waste_2024_25",
            kota_col="wilayah",
            kecamatan_col="kecamatan",
            key_cols=("kecamatan", "periode_data", "volume_sampah", "rata_rata"),
        )
        table = table[_apply_checks(table, report, checked, "kecamatan")]
    match = match_names(
        table["kecamatan"].astype(str).tolist(),
        kecamatan[["kode", "nama"]],
        name_col="nama",
        code_col="kode",
    )
    out = pd.DataFrame(
        {
            "kode_kecamatan": list(match.codes),
            "nama_kecamatan_sumber": table["kecamatan"].to_numpy(),
            "periode": table["periode_data"].astype("int64").to_numpy(),
            "volume_sampah_ton": pd.to_numeric(table["volume_sampah"], errors="coerce").to_numpy(),
            "rata_rata_ton_per_hari": pd.to_numeric(table["rata_rata"], errors="coerce").to_numpy(),
        }
    )
    report.unmatched.extend(sorted(set(match.unmatched)))
    return LayerResult("river_waste", out, [report], "river_waste_2024_25", 672)


WASTE_BANK_NAME = "nama_lokasi_3R/bank_sampah"


def waste_banks(folder: Path, kelurahan: gpd.GeoDataFrame) -> LayerResult:
    """Waste banks and 3R sites, joined to kelurahan codes by name within kecamatan.

    The rows go through the source checks (:mod:`geo.source_checks`): rows whose kota or
    kecamatan disagrees with the unit their names match are rejected, a block of rows
    repeated under another kota's label is dropped, and the layer keeps the rows that are
    left, with the kota each states (``kode_kota``): the kota the list covers. The build
    report lists every finding with its rows.
    """
    path = folder / "jakarta_3r_bank_sampah.csv"
    table, report = read_table(path, source="bank_sampah_3r")
    require_columns(table, ["wilayah", WASTE_BANK_NAME, "kelurahan", "kecamatan"], path=path)
    checked = check_named_rows(
        table,
        kelurahan,
        source="bank_sampah_3r",
        kota_col="wilayah",
        kecamatan_col="kecamatan",
        kelurahan_col="kelurahan",
        key_cols=(WASTE_BANK_NAME, "alamat", "kelurahan", "kecamatan"),
    )
    keep = _apply_checks(table, report, checked, WASTE_BANK_NAME)
    kept = table[keep]
    out = pd.DataFrame(
        {
            "nama": kept[WASTE_BANK_NAME].to_numpy(),
            "alamat": kept["alamat"].to_numpy() if "alamat" in kept else None,
            "nama_kelurahan_sumber": kept["kelurahan"].to_numpy(),
            "nama_kecamatan_sumber": kept["kecamatan"].to_numpy(),
            "wilayah": kept["wilayah"].to_numpy(),
            "status": kept["status_kegiatan"].to_numpy() if "status_kegiatan" in kept else None,
            "kode_kelurahan": [c for c, k in zip(checked.kode_kelurahan, keep, strict=True) if k],
            "kode_kota": [c for c, k in zip(checked.kode_kota, keep, strict=True) if k],
            "baris_sumber": np.flatnonzero(keep),
        }
    )
    report.unmatched.extend(sorted(set(checked.unmatched)))
    matched = int(out["kode_kelurahan"].notna().sum())
    return LayerResult(
        "waste_banks",
        out,
        [report],
        "bank_sampah_3r",
        len(table),
        note=(
            f"{len(out)} of {len(table)} rows kept after the source checks, {matched} matched "
            f"to a kelurahan; covers kota {', '.join(checked.covered_kota)}"
        ),
    )


def press_tables(data_dir: Path) -> list[LayerResult]:
    """Piped-water press facts: a table kept as published."""
    source = "piped_water_press_reports"
    path = data_dir / "sehat/piped_water_press_reports" / "values.csv"
    table, report = read_table(path, source=source)
    return [LayerResult("piped_water_reports", table, [report], source, len(table))]


def groundwater_ban_zones(
    folder: Path, kelurahan: gpd.GeoDataFrame, tj_stops: gpd.GeoDataFrame
) -> list[LayerResult]:
    """The Pergub 93/2021 groundwater-ban zones as published, and the kelurahan they name.

    ``groundwater_ban_zones`` is the table as published; ``groundwater_ban_kelurahan`` holds
    one row per zone and kelurahan it was matched to (:mod:`geo.ban_zones`). Zones no rule
    matches are listed in the read report as unmatched names.
    """
    source = "groundwater_ban_zones_2021"
    table, report = read_table(folder / "values.csv", source=source)
    require_columns(table, ["list_type", "order_in_source", "name_as_published"], path=folder)
    stops = tj_stops.to_crs(METRIC_CRS)
    if "location_type" in stops.columns:
        stops = stops[pd.to_numeric(stops["location_type"], errors="coerce").fillna(0) == 0]
    matches = match_ban_zones(table, kelurahan.to_crs(METRIC_CRS), stops)
    pairs_report = ReadReport(source=source, path=str(folder / "values.csv"))
    pairs_report.rows_read = len(table)
    pairs_report.rows_kept = len(matches.pairs)
    pairs_report.unmatched.extend(matches.unmatched)
    named = matches.pairs["kode_kelurahan"].nunique()
    return [
        LayerResult("groundwater_ban_zones", table, [report], source, len(table)),
        LayerResult(
            "groundwater_ban_kelurahan",
            matches.pairs,
            [pairs_report],
            source,
            note=f"{named} kelurahan named; {len(matches.unmatched)} zones not matched",
        ),
    ]
