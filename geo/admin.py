"""Administrative layers: kelurahan, kecamatan, kota and RW.

The kelurahan layer takes its geometry and population from the Dukcapil 2019 shapefile and
its names from the Kemendagri 2025 list (the two share every code). Kecamatan and kota are
dissolved from kelurahan, so the three levels nest exactly and populations add up. RWs
(2014) carry no codes: each is linked to a kelurahan spatially (the RW's representative
point) and checked against the kelurahan its own name points to.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.crs import METRIC_CRS
from geo.errors import DataError
from geo.ingest import ReadReport, read_table, read_vector, require_columns, set_aside_rows
from geo.names import match_names, to_dotted_code
from geo.vocabulary import Level

LAKE_PSEUDO_CODE = "31888888"
"""Dukcapil's code for the Danau Sunter lake rows: not a kelurahan, set aside on read."""

EXPECTED_KELURAHAN = 267
EXPECTED_KECAMATAN = 44
EXPECTED_KOTA = 6

# Dukcapil column -> project column, for the core fields kept on the kelurahan layer.
DUKCAPIL_CORE_FIELDS = {
    "JUMLAH_PEN": "population",
    "JUMLAH_KK": "households",
    "LUAS_WILAY": "luas_wilayah_km2",
    "KEPADATAN": "kepadatan",
    "PRIA": "pria",
    "WANITA": "wanita",
}

KELURAHAN_COLUMNS = [
    "kode",
    "nama",
    "kode_kecamatan",
    "nama_kecamatan",
    "kode_kota",
    "nama_kota",
    "population",
    "households",
    "luas_wilayah_km2",
    "kepadatan",
    "pria",
    "wanita",
    "area_km2",
    "population_date",
]


def short_kota_name(name: str) -> str:
    """Drop the administrative prefix: 'Kota Administrasi Jakarta Pusat' -> 'Jakarta Pusat'.

    Parameters
    ----------
    name : str
        The Kemendagri name of a kota or kabupaten.

    Returns
    -------
    str
        The name planners use.
    """
    for prefix in ("Kota Administrasi ", "Kabupaten Administrasi "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def area_km2(gdf: gpd.GeoDataFrame) -> pd.Series:
    """Area of each geometry in km², measured in the metric CRS.

    Parameters
    ----------
    gdf : GeoDataFrame
        Any polygon layer with a CRS.

    Returns
    -------
    Series
        Areas in square kilometres, aligned with ``gdf``.
    """
    return gdf.geometry.to_crs(METRIC_CRS).area / 1e6


@dataclass
class AdminLayers:
    """The admin layers of a build and the reports of the reads behind them."""

    kelurahan: gpd.GeoDataFrame
    kecamatan: gpd.GeoDataFrame
    kota: gpd.GeoDataFrame
    reports: list[ReadReport] = field(default_factory=list)
    checks: dict[str, Any] = field(default_factory=dict)


def read_kemendagri_names(path: Path) -> tuple[pd.DataFrame, ReadReport]:
    """Read the Kemendagri 2025 kelurahan list (codes and names) without its geometry.

    Parameters
    ----------
    path : Path
        ``boundaries/kelurahan_kemendagri_2025/dki_kelurahan_267.geojson``.

    Returns
    -------
    (DataFrame, ReadReport)
        Columns kode, nama, kode_kecamatan, nama_kecamatan, kode_kota, nama_kota.
    """
    gdf, report = read_vector(path, source="kelurahan_kemendagri_2025")
    require_columns(
        gdf, ["kode", "nama", "kode_kec", "nama_kec", "kode_kab", "nama_kab"], path=path
    )
    names = pd.DataFrame(
        {
            "kode": gdf["kode"].astype(str),
            "nama": gdf["nama"].astype(str),
            "kode_kecamatan": gdf["kode_kec"].astype(str),
            "nama_kecamatan": gdf["nama_kec"].astype(str),
            "kode_kota": gdf["kode_kab"].astype(str),
            "nama_kota": gdf["nama_kab"].astype(str).map(short_kota_name),
        }
    )
    return names, report


def build_kelurahan(
    dukcapil_path: Path, kemendagri_path: Path, population_csv: Path
) -> tuple[gpd.GeoDataFrame, list[ReadReport], dict[str, Any]]:
    """Build the 267-row kelurahan layer.

    Geometry and population come from Dukcapil 2019 (the lake rows with code 31888888 are set
    aside and reported); names and parent units from Kemendagri 2025, joined on the code. The
    population is cross-checked against the Dukcapil core CSV.

    Parameters
    ----------
    dukcapil_path : Path
        The Dukcapil 2019 kelurahan shapefile.
    kemendagri_path : Path
        The Kemendagri 2025 kelurahan GeoJSON (names and codes).
    population_csv : Path
        ``population/dukcapil_kelurahan_2019_population_core.csv``.

    Returns
    -------
    (GeoDataFrame, list of ReadReport, dict)
        The layer (columns :data:`KELURAHAN_COLUMNS` and geometry), the read reports and
        the checks made (counts, population totals).

    Raises
    ------
    DataError
        When a code does not join, or a count or total is not what the sources state.
    """
    raw, rep_duk = read_vector(dukcapil_path, source="kelurahan_dukcapil_2019")
    require_columns(raw, ["KODE_DESA", "DESA", *DUKCAPIL_CORE_FIELDS], path=dukcapil_path)
    raw["KODE_DESA"] = raw["KODE_DESA"].astype(str).str.strip()
    raw = set_aside_rows(
        raw,
        raw["KODE_DESA"] == LAKE_PSEUDO_CODE,
        reason=f"lake pseudo-row (code {LAKE_PSEUDO_CODE}), not a kelurahan",
        report=rep_duk,
        name_column="DESA",
    )
    names, rep_kmd = read_kemendagri_names(kemendagri_path)

    kel = gpd.GeoDataFrame(
        {"kode": raw["KODE_DESA"].map(to_dotted_code)},
        geometry=raw.geometry.to_numpy(),
        crs=raw.crs,
    )
    for src, dst in DUKCAPIL_CORE_FIELDS.items():
        kel[dst] = pd.to_numeric(raw[src], errors="coerce").to_numpy()
    kel = kel.merge(names, on="kode", how="left", validate="one_to_one")
    unjoined = kel.loc[kel["nama"].isna(), "kode"].tolist()
    if unjoined:
        raise DataError(
            f"{dukcapil_path.name}: {len(unjoined)} kelurahan codes are not in the Kemendagri "
            f"list {kemendagri_path.name}: {', '.join(unjoined)}"
        )
    missing = sorted(set(names["kode"]) - set(kel["kode"]))
    if missing or len(kel) != EXPECTED_KELURAHAN:
        raise DataError(
            f"{dukcapil_path.name}: expected {EXPECTED_KELURAHAN} kelurahan, found {len(kel)}"
            + (f"; missing codes: {', '.join(missing)}" if missing else "")
        )
    for col in ("population", "households", "pria", "wanita"):
        kel[col] = kel[col].round().astype("int64")
    kel["area_km2"] = area_km2(kel)
    kel["population_date"] = "2019-06-30"
    kel["geometry"] = kel.geometry.apply(_as_multipolygon)
    kel = kel.sort_values("kode").reset_index(drop=True)

    pop, rep_pop = read_table(population_csv, source="population_dukcapil_2019")
    require_columns(pop, ["kode_kemendagri", "JUMLAH_PEN"], path=population_csv)
    pop_by_code = pop.set_index(pop["kode_kemendagri"].astype(str))["JUMLAH_PEN"]
    differing = kel.loc[
        kel["kode"].map(pop_by_code).to_numpy() != kel["population"].to_numpy(), "kode"
    ].tolist()
    if differing:
        raise DataError(
            f"{population_csv.name}: population differs from {dukcapil_path.name} for "
            f"{', '.join(differing)}"
        )
    checks = {
        "kelurahan": len(kel),
        "population_total": int(kel["population"].sum()),
        "population_csv_total": int(pop_by_code.sum()),
        "area_km2_total": round(float(kel["area_km2"].sum()), 2),
    }
    return kel[[*KELURAHAN_COLUMNS, "geometry"]], [rep_duk, rep_kmd, rep_pop], checks


def _as_multipolygon(geom: Any) -> Any:
    from shapely.geometry import MultiPolygon, Polygon

    if isinstance(geom, Polygon):
        return MultiPolygon([geom])
    return geom


def dissolve_units(kelurahan: gpd.GeoDataFrame, level: str) -> gpd.GeoDataFrame:
    """Dissolve kelurahan into kecamatan or kota, summing population and households.

    Parameters
    ----------
    kelurahan : GeoDataFrame
        The kelurahan layer from :func:`build_kelurahan`.
    level : Level
        The level to build (kecamatan or kota).

    Returns
    -------
    GeoDataFrame
        One row per unit: kode, nama (and kode_kota, nama_kota for kecamatan), population,
        households, area_km2, kelurahan_count, geometry.
    """
    if level == Level.kecamatan:
        keys = ["kode_kecamatan", "nama_kecamatan", "kode_kota", "nama_kota"]
        rename = {"kode_kecamatan": "kode", "nama_kecamatan": "nama"}
    elif level == Level.kota:
        keys = ["kode_kota", "nama_kota"]
        rename = {"kode_kota": "kode", "nama_kota": "nama"}
    else:
        raise ValueError(f"unknown level {level!r}")
    dissolved = kelurahan[[*keys, "population", "households", "geometry"]].dissolve(
        by=keys, aggfunc="sum", as_index=False
    )
    counts = kelurahan.groupby(keys[0]).size()
    dissolved["kelurahan_count"] = dissolved[keys[0]].map(counts).astype("int64")
    dissolved = dissolved.rename(columns=rename)
    dissolved["area_km2"] = area_km2(dissolved)
    dissolved["geometry"] = dissolved.geometry.apply(_as_multipolygon)
    return dissolved.sort_values("kode").reset_index(drop=True)


def build_admin(dukcapil_path: Path, kemendagri_path: Path, population_csv: Path) -> AdminLayers:
    """Build kelurahan, kecamatan and kota and check their counts and totals.

    Parameters
    ----------
    dukcapil_path, kemendagri_path, population_csv : Path
        See :func:`build_kelurahan`.

    Returns
    -------
    AdminLayers
    """
    kel, reports, checks = build_kelurahan(dukcapil_path, kemendagri_path, population_csv)
    kec = dissolve_units(kel, Level.kecamatan)
    kota = dissolve_units(kel, Level.kota)
    for name, layer, expected in (
        (str(Level.kecamatan), kec, EXPECTED_KECAMATAN),
        (str(Level.kota), kota, EXPECTED_KOTA),
    ):
        if len(layer) != expected:
            raise DataError(
                f"expected {expected} {name} from the kelurahan codes, got {len(layer)}"
            )
    checks.update({str(Level.kecamatan): len(kec), str(Level.kota): len(kota)})
    return AdminLayers(kel, kec, kota, reports, checks)


def representative_points(gdf: gpd.GeoDataFrame) -> gpd.GeoSeries:
    """A point inside each geometry (shapely ``point_on_surface``), in the layer's CRS."""
    return gdf.geometry.representative_point()


def link_points_to_kelurahan(gdf: gpd.GeoDataFrame, kelurahan: gpd.GeoDataFrame) -> pd.Series:
    """The code of the kelurahan holding each feature's representative point.

    Parameters
    ----------
    gdf : GeoDataFrame
        Features to link (any geometry type).
    kelurahan : GeoDataFrame
        The kelurahan layer (``kode`` and geometry), same CRS.

    Returns
    -------
    Series
        Kelurahan code per row of ``gdf`` (None where the point is in no kelurahan).
    """
    points = gpd.GeoDataFrame(geometry=representative_points(gdf).to_numpy(), crs=gdf.crs)
    points["_row"] = np.arange(len(points))
    joined = gpd.sjoin(points, kelurahan[["kode", "geometry"]], how="left", predicate="within")
    joined = joined.drop_duplicates("_row").set_index("_row")["kode"]
    out = pd.Series(joined.reindex(np.arange(len(points))).to_numpy(), index=gdf.index)
    return out.astype(object).where(out.notna(), None)


def build_rw(
    rw_path: Path, kelurahan: gpd.GeoDataFrame
) -> tuple[gpd.GeoDataFrame, ReadReport, dict[str, Any]]:
    """Build the RW layer (2014) linked to kelurahan codes by space and by name.

    Parameters
    ----------
    rw_path : Path
        ``boundaries/rw_2014/rw_jakarta_update.shp``.
    kelurahan : GeoDataFrame
        The kelurahan layer.

    Returns
    -------
    (GeoDataFrame, ReadReport, dict)
        Columns rw_id, rw, nama_kelurahan_sumber, nama_kecamatan_sumber, nama_kota_sumber,
        floodprone, kode_kelurahan (spatial), kode_kelurahan_nama (by name),
        link_agrees, geometry; the read report (unmatched names listed); link statistics.
    """
    rw, report = read_vector(rw_path, source="rw_2014")
    require_columns(rw, ["OBJECTID", "KAB_NAME", "KEC_NAME", "KEL_NAME", "RW"], path=rw_path)
    out = gpd.GeoDataFrame(
        {
            "rw_id": rw["OBJECTID"].astype("int64").to_numpy(),
            "rw": rw["RW"].astype(str).to_numpy(),
            "nama_kelurahan_sumber": rw["KEL_NAME"].astype(str).to_numpy(),
            "nama_kecamatan_sumber": rw["KEC_NAME"].astype(str).to_numpy(),
            "nama_kota_sumber": rw["KAB_NAME"].astype(str).to_numpy(),
            "floodprone": rw["FLOODPRONE"].to_numpy() if "FLOODPRONE" in rw else None,
        },
        geometry=rw.geometry.to_numpy(),
        crs=rw.crs,
    )
    out["kode_kelurahan"] = link_points_to_kelurahan(out, kelurahan).to_numpy()
    match = match_names(
        out["nama_kelurahan_sumber"].tolist(),
        kelurahan[["kode", "nama", "nama_kecamatan"]],
        name_col="nama",
        code_col="kode",
        within=out["nama_kecamatan_sumber"].tolist(),
        within_col="nama_kecamatan",
    )
    out["kode_kelurahan_nama"] = list(match.codes)
    report.unmatched.extend(sorted(set(match.unmatched)))
    agrees = out["kode_kelurahan"].notna() & (out["kode_kelurahan"] == out["kode_kelurahan_nama"])
    out["link_agrees"] = agrees.to_numpy()
    cols = ["rw_id", "rw", "nama_kelurahan_sumber", "kode_kelurahan", "kode_kelurahan_nama"]
    for rw_id, label, name, by_space, by_name in out.loc[~agrees, cols].itertuples(index=False):
        report.warnings.append(
            f"RW {rw_id} ({label}, {name}): spatial kelurahan {by_space} != named {by_name}"
        )
    stats = {
        "rw": len(out),
        "linked_spatially": int(out["kode_kelurahan"].notna().sum()),
        "linked_by_name": int(out["kode_kelurahan_nama"].notna().sum()),
        "linked_both_agree": int(agrees.sum()),
        "share_agree": round(float(agrees.mean()), 4),
    }
    return out, report, stats
