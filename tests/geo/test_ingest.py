"""Tests of geo.ingest: readers, checks and repairs on tiny exact inputs, and the real files."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import LineString, MultiPolygon, Point, Polygon, box

from geo.crs import METRIC_CRS, STORAGE_CRS
from geo.errors import (
    CRSError,
    DataError,
    ExtentError,
    MissingFileError,
    SchemaError,
    SwappedCoordinatesError,
)
from geo.ingest import (
    GTFSFeed,
    ReadReport,
    check_geometries,
    parse_gtfs_time,
    parse_gtfs_times,
    read_ascii_grid,
    read_gtfs,
    read_table,
    read_vector,
    require_columns,
    set_aside_rows,
)
from geo.settings import Settings

# Monas, central Jakarta (lon, lat), and a few points near it
MONAS = (106.8272, -6.1754)


def _square(x: float, y: float, d: float = 0.01) -> Polygon:
    return box(x, y, x + d, y + d)


def _report() -> ReadReport:
    return ReadReport(source="test", path="memory")


# --- read_vector ------------------------------------------------------------------------------


def test_read_vector_geojson_roundtrip(tmp_path: Path) -> None:
    gdf = gpd.GeoDataFrame(
        {"nama": ["A", "B"]},
        geometry=[_square(*MONAS), _square(106.80, -6.20)],
        crs=STORAGE_CRS,
    )
    path = tmp_path / "two.geojson"
    gdf.to_file(path, engine="pyogrio")
    out, report = read_vector(path, source="two")
    assert list(out["nama"]) == ["A", "B"]
    assert out.crs.equals(STORAGE_CRS)
    assert (report.rows_read, report.rows_kept, report.repaired) == (2, 2, 0)
    assert report.set_aside == [] and report.outside_dki == 0
    json.dumps(report.to_dict())


def test_read_vector_reprojects_metric_layer(tmp_path: Path) -> None:
    pts = gpd.GeoDataFrame(geometry=[Point(MONAS)], crs=STORAGE_CRS).to_crs(METRIC_CRS)
    path = tmp_path / "utm.gpkg"
    pts.to_file(path, engine="pyogrio")
    out, report = read_vector(path, source="utm")
    assert out.crs.equals(STORAGE_CRS)
    assert out.geometry.iloc[0].x == pytest.approx(MONAS[0], abs=1e-9)
    assert out.geometry.iloc[0].y == pytest.approx(MONAS[1], abs=1e-9)
    assert any("reprojected" in w for w in report.warnings)


@pytest.mark.filterwarnings("ignore:'crs' was not provided")
def test_missing_crs_is_a_clear_error(tmp_path: Path) -> None:
    gdf = gpd.GeoDataFrame({"nama": ["A"]}, geometry=[_square(*MONAS)], crs=None)
    path = tmp_path / "nocrs.shp"
    pyogrio.write_dataframe(gdf, path)
    assert not path.with_suffix(".prj").exists()
    with pytest.raises(CRSError) as err:
        read_vector(path, source="nocrs")
    assert "nocrs.shp" in str(err.value)
    assert "no coordinate reference system" in str(err.value)
    assert ".prj" in str(err.value)


def test_missing_file_names_it(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.geojson"
    with pytest.raises(MissingFileError, match=r"nowhere\.geojson"):
        read_vector(path, source="gone")


def test_corrupt_file_is_a_data_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "garbage.geojson"
    path.write_bytes(b"\x00\xffnot json at all\x13\x37" * 10)
    with pytest.raises(DataError) as err:
        read_vector(path, source="garbage")
    assert "garbage.geojson" in str(err.value)
    assert "vector layer" in str(err.value)
    assert not isinstance(err.value, MissingFileError)


def test_swapped_lat_lon_detected(tmp_path: Path) -> None:
    lon, lat = MONAS
    gdf = gpd.GeoDataFrame(
        geometry=[Point(lat, lon), Point(lat + 0.01, lon + 0.01)], crs=STORAGE_CRS
    )
    path = tmp_path / "swapped.geojson"
    gdf.to_file(path, engine="pyogrio")
    with pytest.raises(SwappedCoordinatesError) as err:
        read_vector(path, source="swapped")
    assert "swapped.geojson" in str(err.value)
    assert "lat/lon in the wrong order" in str(err.value)


def test_utm_metres_labelled_as_degrees_is_an_extent_error() -> None:
    metres = gpd.GeoDataFrame(
        geometry=[Point(MONAS), Point(106.80, -6.20)], crs=STORAGE_CRS
    ).to_crs(METRIC_CRS)
    mislabelled = metres.set_crs(STORAGE_CRS, allow_override=True)
    with pytest.raises(ExtentError) as err:
        check_geometries(mislabelled, path="utm_as_degrees.geojson", report=_report())
    assert not isinstance(err.value, SwappedCoordinatesError)
    message = str(err.value)
    assert "utm_as_degrees.geojson" in message
    assert "2 of 2 features lie outside" in message
    assert "(105.8500, -6.9500, 107.5000, -4.6500)" in message  # the expected extent


# --- check_geometries -------------------------------------------------------------------------


def test_bow_tie_repaired_area_preserved() -> None:
    x, y = MONAS
    d = 0.02
    bow_tie = Polygon([(x, y), (x + d, y + d), (x + d, y), (x, y + d)])
    assert not bow_tie.is_valid
    gdf = gpd.GeoDataFrame(
        {"nama": ["bow", "ok"]}, geometry=[bow_tie, _square(x, y)], crs=STORAGE_CRS
    )
    report = _report()
    out = check_geometries(gdf, path="bow.geojson", report=report)
    fixed = out.geometry.iloc[0]
    assert isinstance(fixed, MultiPolygon)
    assert len(fixed.geoms) == 2
    # two triangles, each a quarter of the d x d square
    assert fixed.area == pytest.approx(d * d / 2, rel=1e-9)
    assert all(g.area == pytest.approx(d * d / 4, rel=1e-9) for g in fixed.geoms)
    assert out.geometry.is_valid.all()
    assert report.repaired == 1
    assert (report.rows_read, report.rows_kept) == (2, 2)


def test_repair_keeps_only_polygonal_parts() -> None:
    x, y = MONAS
    d = 0.01
    # a square with a dangling spike: make_valid gives a polygon plus a line
    spiky = Polygon([(x, y), (x + d, y), (x + d, y + d), (x, y + d), (x, y), (x - d, y - d)])
    assert not spiky.is_valid
    gdf = gpd.GeoDataFrame(geometry=[spiky, _square(x, y)], crs=STORAGE_CRS)
    report = _report()
    out = check_geometries(gdf, path="spike.geojson", report=report)
    assert out.geometry.iloc[0].geom_type == "Polygon"
    assert out.geometry.iloc[0].area == pytest.approx(d * d, rel=1e-9)
    assert report.repaired == 1


def test_empty_geometries_set_aside_and_named() -> None:
    gdf = gpd.GeoDataFrame(
        {"nama": ["ada", "kosong", "hilang"]},
        geometry=[_square(*MONAS), Polygon(), None],
        crs=STORAGE_CRS,
    )
    report = _report()
    out = check_geometries(gdf, path="e.geojson", report=report)
    assert list(out["nama"]) == ["ada"]
    assert [(s["reason"], s["row"], s["name"]) for s in report.set_aside] == [
        ("empty geometry", 1, "kosong"),
        ("empty geometry", 2, "hilang"),
    ]
    assert (report.rows_read, report.rows_kept) == (3, 1)


def test_rows_outside_extent_set_aside_or_kept() -> None:
    inside = Point(MONAS)
    bodetabek = Point(106.80, -6.60)  # Bogor side: beyond DKI, within the margin
    far = Point(110.40, -7.00)  # Semarang: beyond the margin
    gdf = gpd.GeoDataFrame(
        {"nama": ["monas", "bogor", "semarang"]}, geometry=[inside, bodetabek, far], crs=STORAGE_CRS
    )
    report = _report()
    out = check_geometries(gdf, path="p.geojson", report=report)
    assert list(out["nama"]) == ["monas", "bogor"]
    assert report.outside_dki == 1
    assert len(report.set_aside) == 1
    assert report.set_aside[0]["reason"] == "outside Jakarta extent"
    assert report.set_aside[0]["name"] == "semarang"
    assert report.set_aside[0]["row"] == 2

    kept_report = _report()
    kept = check_geometries(gdf, path="p.geojson", report=kept_report, keep_outside=True)
    assert len(kept) == 3
    assert kept_report.outside_dki == 2
    assert kept_report.set_aside == []


def test_lake_pseudo_rows_set_aside_by_name() -> None:
    gdf = gpd.GeoDataFrame(
        {
            "KODE_DESA": ["3172011001", "31888888", "31888888"],
            "DESA": ["SUNTER AGUNG", "DANAU SUNTER", "DANAU SUNTER DLL"],
        },
        geometry=[_square(*MONAS), _square(106.86, -6.14), _square(106.87, -6.14)],
        crs=STORAGE_CRS,
    )
    report = _report()
    report.rows_read = report.rows_kept = 3
    out = set_aside_rows(
        gdf,
        gdf["KODE_DESA"].eq("31888888"),
        reason="lake pseudo-row (KODE_DESA 31888888)",
        report=report,
        name_column="DESA",
    )
    assert list(out["DESA"]) == ["SUNTER AGUNG"]
    assert [s["name"] for s in report.set_aside] == ["DANAU SUNTER", "DANAU SUNTER DLL"]
    assert [s["row"] for s in report.set_aside] == [1, 2]
    assert report.rows_kept == 1
    assert json.loads(json.dumps(report.to_dict()))["set_aside"][0]["name"] == "DANAU SUNTER"


def test_line_layer_keeps_lines() -> None:
    line = LineString([MONAS, (106.85, -6.15)])
    gdf = gpd.GeoDataFrame(geometry=[line], crs=STORAGE_CRS)
    out = check_geometries(gdf, path="l.geojson", report=_report())
    assert out.geometry.iloc[0].equals(line)


# --- tables ----------------------------------------------------------------------------------


def test_read_table_and_require_columns(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("kode,nama\n31.71.01.1001,Gambir\n31.71.01.1002,Cideng\n")
    df, report = read_table(path, source="t", dtype={"kode": str})
    assert list(df["kode"]) == ["31.71.01.1001", "31.71.01.1002"]
    assert report.rows_read == 2
    require_columns(df, ["kode", "nama"], path=path)
    with pytest.raises(SchemaError) as err:
        require_columns(df, ["kode", "populasi", "luas"], path=path)
    assert "t.csv" in str(err.value)
    assert "populasi, luas" in str(err.value)


def test_read_table_errors(tmp_path: Path) -> None:
    with pytest.raises(MissingFileError, match=r"absent\.csv"):
        read_table(tmp_path / "absent.csv", source="x")
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(DataError, match=r"empty\.csv"):
        read_table(empty, source="x")
    broken = tmp_path / "broken.csv"
    broken.write_text('a,b\n1,"unterminated\n')
    with pytest.raises(DataError, match=r"broken\.csv"):
        read_table(broken, source="x")


# --- GTFS ------------------------------------------------------------------------------------

FEED = {
    "stops.txt": (
        "stop_id,stop_name,stop_lat,stop_lon\n"
        "001,Monas,-6.1754,106.8272\n"
        "002,Bogor,-6.5950,106.7900\n"
        "003,Harmoni,-6.1660,106.8200\n"
    ),
    "routes.txt": "route_id,route_short_name,route_type\n01,1,3\n",
    "trips.txt": "route_id,service_id,trip_id\n01,weekday,T01\n",
    "stop_times.txt": (
        "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
        "T01,05:00:00,05:00:00,001,1\n"
        "T01,25:10:00,25:10:00,003,2\n"
    ),
    "frequencies.txt": "trip_id,start_time,end_time,headway_secs\nT01,05:00:00,22:00:00,600\n",
}


def _check_feed(feed: GTFSFeed) -> None:
    assert list(feed["stops"]["stop_id"]) == ["001", "002", "003"]  # ids stay strings
    assert feed["routes"]["route_id"].iloc[0] == "01"
    assert feed["frequencies"]["headway_secs"].iloc[0] == 600
    assert "calendar" not in feed
    assert any("calendar.txt" in w for w in feed.report.warnings)
    report = ReadReport(source="tj", path="stops")
    stops = feed.stops_gdf(report)
    assert len(stops) == 3
    assert report.outside_dki == 1  # Bogor is kept and counted
    assert stops.geometry.iloc[0].equals(Point(106.8272, -6.1754))


def test_gtfs_from_folder(tmp_path: Path) -> None:
    for name, text in FEED.items():
        (tmp_path / name).write_text(text)
    _check_feed(read_gtfs(tmp_path, source="tj"))


def test_gtfs_from_zip_with_subfolder(tmp_path: Path) -> None:
    path = tmp_path / "feed.zip"
    with zipfile.ZipFile(path, "w") as zf:
        for name, text in FEED.items():
            zf.writestr(f"gtfs/{name}", text)
    _check_feed(read_gtfs(path, source="tj"))


def test_gtfs_flat_zip(tmp_path: Path) -> None:
    path = tmp_path / "flat.zip"
    with zipfile.ZipFile(path, "w") as zf:
        for name, text in FEED.items():
            zf.writestr(name, text)
    _check_feed(read_gtfs(path, source="tj"))


def test_gtfs_missing_required_table(tmp_path: Path) -> None:
    for name, text in FEED.items():
        if name != "trips.txt":
            (tmp_path / name).write_text(text)
    with pytest.raises(SchemaError) as err:
        read_gtfs(tmp_path, source="tj")
    assert "trips.txt" in str(err.value)
    assert str(tmp_path) in str(err.value)


def test_gtfs_corrupt_zip(tmp_path: Path) -> None:
    path = tmp_path / "bad.zip"
    path.write_bytes(b"PK not really")
    with pytest.raises(DataError, match=r"bad\.zip"):
        read_gtfs(path, source="tj")


def test_parse_gtfs_time() -> None:
    assert parse_gtfs_time("25:10:00") == 25 * 3600 + 10 * 60
    assert parse_gtfs_time("5:00:01") == 18001
    assert parse_gtfs_time("00:00:00") == 0
    with pytest.raises(SchemaError):
        parse_gtfs_time("5:7")
    got = parse_gtfs_times(pd.Series(["05:00:00", None, "24:00:30"]))
    assert got.iloc[0] == 18000 and np.isnan(got.iloc[1]) and got.iloc[2] == 86430


# --- ASCII grids -------------------------------------------------------------------------------

WGS84_PRJ = (
    'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],'
    'PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]]'
)


def _write_grid(path: Path, xll: float, yll: float, prj: bool = True) -> None:
    path.write_text(
        "ncols 3\nnrows 2\n"
        f"xllcorner {xll}\nyllcorner {yll}\ncellsize 0.01\nNODATA_value -9999\n"
        "0 0.5 -9999\n1.25 2 3\n"
    )
    if prj:
        path.with_suffix(".prj").write_text(WGS84_PRJ)


def test_ascii_grid_values_and_nodata(tmp_path: Path) -> None:
    path = tmp_path / "depth.asc"
    _write_grid(path, 106.80, -6.20)
    grid = read_ascii_grid(path, source="depth")
    assert grid.array.dtype == np.float64
    np.testing.assert_array_equal(grid.array, [[0.0, 0.5, np.nan], [1.25, 2.0, 3.0]])
    assert grid.crs.equals(STORAGE_CRS, ignore_axis_order=True)
    assert grid.bounds.left == pytest.approx(106.80)
    assert grid.bounds.top == pytest.approx(-6.18)
    assert grid.transform.a == pytest.approx(0.01)


def test_ascii_grid_without_prj(tmp_path: Path) -> None:
    path = tmp_path / "noprj.asc"
    _write_grid(path, 106.80, -6.20, prj=False)
    with pytest.raises(CRSError) as err:
        read_ascii_grid(path, source="noprj")
    assert "noprj.asc" in str(err.value)
    assert ".prj" in str(err.value)


def test_ascii_grid_swapped_and_outside(tmp_path: Path) -> None:
    swapped = tmp_path / "swapped.asc"
    _write_grid(swapped, -6.20, 106.80)
    with pytest.raises(SwappedCoordinatesError, match=r"swapped\.asc"):
        read_ascii_grid(swapped, source="s")
    far = tmp_path / "far.asc"
    _write_grid(far, 110.40, -7.00)
    with pytest.raises(ExtentError, match=r"far\.asc"):
        read_ascii_grid(far, source="f")
    with pytest.raises(MissingFileError, match=r"none\.asc"):
        read_ascii_grid(tmp_path / "none.asc", source="n")


# --- real data -------------------------------------------------------------------------------


@pytest.mark.realdata
def test_real_dukcapil_and_rw(real_settings: Settings) -> None:
    from geo.names import match_names

    base = real_settings.data_dir / "boundaries"
    dukcapil, report = read_vector(
        base / "kelurahan_dukcapil_2019" / "BATAS_DESA_DESEMBER_2019_DUKCAPIL_DKI_JAKARTA.shp",
        source="dukcapil-2019",
    )
    assert report.rows_read == 269
    assert report.repaired == 0
    dukcapil = set_aside_rows(
        dukcapil,
        dukcapil["KODE_DESA"].eq("31888888"),
        reason="lake pseudo-row",
        report=report,
        name_column="DESA",
    )
    assert len(dukcapil) == 267 and report.rows_kept == 267
    assert sorted(s["name"] for s in report.set_aside) == ["DANAU SUNTER", "DANAU SUNTER DLL"]

    rw, rw_report = read_vector(base / "rw_2014" / "rw_jakarta_update.shp", source="rw-2014")
    assert len(rw) == 2724
    assert rw_report.repaired == 1  # TANJUNG BARAT RW 02
    assert rw.geometry.is_valid.all()

    kel, _ = read_vector(
        base / "kelurahan_kemendagri_2025" / "dki_kelurahan_267.geojson", source="kemendagri"
    )
    pairs = rw[["KEL_NAME", "KEC_NAME"]].drop_duplicates()
    result = match_names(
        pairs["KEL_NAME"].tolist(),
        kel,
        name_col="nama",
        code_col="kode",
        within=pairs["KEC_NAME"].tolist(),
        within_col="nama_kec",
        other_parent=True,
    )
    assert result.unmatched == ["TMII"]
    assert result.ambiguous == []
    # the RW layer files these under another kecamatan than Kemendagri (and the polygons) do
    assert sorted(result.other_parent) == ["CENGKARENG BARAT", "GUNUNG SAHARI UTARA"]
    codes = {c for c in result.codes if c is not None}
    assert len(codes) == 261
    # matched codes agree with the Dukcapil codes for the same names
    assert codes <= set(dukcapil["KODE_DESA"].map(lambda k: f"{k[:2]}.{k[2:4]}.{k[4:6]}.{k[6:]}"))
