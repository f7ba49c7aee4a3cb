"""Thematic layers: flood, water and waste, transit, normalised for storage with the admin layers.

Every builder reads through :mod:`geo.ingest` (so every file gets the same checks), keeps the
source's useful fields under stable lower-case names, and returns the layer with the read
reports behind it. Layer names here are the names in the build output and the API.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TypeAlias

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.admin import link_points_to_kelurahan
from geo.crs import STORAGE_CRS
from geo.errors import DataError
from geo.ingest import GTFSFeed, ReadReport, read_gtfs, read_vector, require_columns
from geo.transit import weekday_departures_per_hour, weekday_trip_stops
from geo.vocabulary import DEPTH_CLASS_2017

Frame: TypeAlias = gpd.GeoDataFrame | pd.DataFrame


@dataclass
class LayerResult:
    """One built layer and the reports of the files read for it."""

    name: str
    frame: Frame
    reports: list[ReadReport]
    source: str
    expected: int | None = None
    note: str = ""


def _simple_layer(
    path: Path, source: str, fields: dict[str, str], name: str, expected: int | None = None
) -> LayerResult:
    gdf, report = read_vector(path, source=source)
    require_columns(gdf, list(fields), path=path)
    out = gpd.GeoDataFrame(
        {dst: gdf[src].to_numpy() for src, dst in fields.items()},
        geometry=gdf.geometry.to_numpy(),
        crs=gdf.crs,
    )
    return LayerResult(name, out, [report], source, expected)


def flood_rw_2007(folder: Path, kelurahan: gpd.GeoDataFrame) -> LayerResult:
    """RWs flooded in February 2007 (InaSAFE), each linked to its kelurahan spatially."""
    path = folder / "Jakarta_RW_2007flood.shp"
    gdf, report = read_vector(path, source="flood_rw_2007")
    require_columns(gdf, ["KAB_NAME", "KEC_NAME", "KEL_NAME", "RW", "FLOODPRONE"], path=path)
    out = gpd.GeoDataFrame(
        {
            "rw": gdf["RW"].astype(str).to_numpy(),
            "nama_kelurahan_sumber": gdf["KEL_NAME"].to_numpy(),
            "nama_kecamatan_sumber": gdf["KEC_NAME"].to_numpy(),
            "floodprone": gdf["FLOODPRONE"].to_numpy(),
        },
        geometry=gdf.geometry.to_numpy(),
        crs=gdf.crs,
    )
    out["kode_kelurahan"] = link_points_to_kelurahan(out, kelurahan).to_numpy()
    return LayerResult("flood_rw_2007", out, [report], "flood_rw_2007", 1009)


def rw_2007_all(folder: Path) -> LayerResult:
    """All mainland RWs of the 2007 InaSAFE layer with their FLOODPRONE flag (as found)."""
    return _simple_layer(
        folder / "rw_jakarta.shp",
        "flood_rw_2007",
        {
            "OBJECTID": "objectid",
            "KEL_NAME": "nama_kelurahan_sumber",
            "RW": "rw",
            "FLOODPRONE": "floodprone",
        },
        "rw_2007_floodprone",
        2685,
    )


def flood_2017_max(folder: Path) -> LayerResult:
    """Per-RW maximum flood state over the 20-23 Feb 2017 event (PetaBencana)."""
    path = folder / "DERIVED_max_extent_feb2017.geojson"
    gdf, report = read_vector(path, source="petabencana_2017_02")
    require_columns(gdf, ["geom_id", "max_state", "n_snapshots"], path=path)
    out = gpd.GeoDataFrame(
        {
            "geom_id": gdf["geom_id"].astype("int64").astype(str).to_numpy(),
            "max_state": gdf["max_state"].astype("int64").to_numpy(),
            "first_snapshot": gdf["first_snapshot"].astype(str).to_numpy(),
            "last_snapshot": gdf["last_snapshot"].astype(str).to_numpy(),
            "n_snapshots": gdf["n_snapshots"].astype("int64").to_numpy(),
        },
        geometry=gdf.geometry.to_numpy(),
        crs=gdf.crs,
    )
    out["depth_class"] = out["max_state"].map(DEPTH_CLASS_2017)
    return LayerResult("flood_2017_rw_max", out, [report], "petabencana_2017_02", 302)


_SNAPSHOT = re.compile(r"jkt_floods_(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\.geojson$")


def flood_2017_hourly(folder: Path) -> LayerResult:
    """The 73 hourly snapshots of flooded RWs as one time-stamped layer (``snapshot``, UTC+7)."""
    files = sorted(
        p for p in (folder / "floods").glob("jkt_floods_*.geojson") if _SNAPSHOT.search(p.name)
    )
    if not files:
        raise DataError(f"{folder / 'floods'}: no hourly jkt_floods_<time>.geojson snapshots found")
    frames, reports = [], []
    for path in files:
        gdf, report = read_vector(path, source="petabencana_2017_02")
        match = _SNAPSHOT.search(path.name)
        assert match is not None
        gdf["snapshot"] = match.group(1) + "+07:00"
        frames.append(gdf)
        reports.append(report)
    allrows = pd.concat(frames, ignore_index=True)
    out = gpd.GeoDataFrame(
        {
            "snapshot": allrows["snapshot"].to_numpy(),
            "geom_id": allrows["geom_id"].astype("int64").astype(str).to_numpy(),
            "state": allrows["state"].astype("int64").to_numpy(),
            "changed": allrows["changed"].astype(str).to_numpy(),
        },
        geometry=allrows.geometry.to_numpy(),
        crs=STORAGE_CRS,
    )
    summary = ReadReport(source="petabencana_2017_02", path=str(folder / "floods"))
    summary.rows_read = sum(r.rows_read for r in reports)
    summary.rows_kept = len(out)
    summary.repaired = sum(r.repaired for r in reports)
    summary.warnings.append(f"{len(files)} hourly snapshots")
    return LayerResult(
        "flood_2017_hourly", out, [summary], "petabencana_2017_02", note=f"{len(files)} snapshots"
    )


def flood_2017_reports(folder: Path) -> LayerResult:
    """Crowd flood reports of 20-22 Feb 2017 (time, source, depth in cm)."""
    return _simple_layer(
        folder / "reports_feb2017_points.geojson",
        "petabencana_2017_02",
        {"created_at": "created_at", "source": "source", "flood_depth_cm": "flood_depth_cm"},
        "flood_2017_reports",
        1204,
    )


def hydro_2016(folder: Path) -> list[LayerResult]:
    """Floodgates (pintu air), pumps and waterways, PetaBencana 2016."""
    fields = {"name": "name"}
    return [
        _simple_layer(
            folder / "floodgates.geojson", "hydro_infrastructure_2016", fields, "floodgates", 28
        ),
        _simple_layer(folder / "pumps.geojson", "hydro_infrastructure_2016", fields, "pumps", 67),
        _simple_layer(
            folder / "waterways.geojson", "hydro_infrastructure_2016", fields, "waterways", 209
        ),
    ]


PANTAU_BANJIR: dict[str, tuple[str, int, dict[str, str]]] = {
    "sluice_gates.geojson": (
        "pb_sluice_gates",
        18,
        {"pintu_air.name": "nama", "ketinggian": "ketinggian_cm",
         "status_siaga": "status_siaga", "tanggal": "tanggal"},
    ),
    "pump_house.geojson": (
        "pb_pump_houses",
        184,
        {"pompa_air.nama": "nama", "pompa_air.alamat": "alamat",
         "pompa_air.kewenangan": "kewenangan", "pompa_air.total_pompa": "total_pompa",
         "jumlah_pompa_operasi": "pompa_operasi", "tanggal": "tanggal"},
    ),
    "observation_post.geojson": (
        "pb_observation_posts",
        8,
        {"pos_pengamatan.nama": "nama", "ketinggian": "ketinggian_cm",
         "status_siaga": "status_siaga", "tanggal": "tanggal"},
    ),
    "rainfall_post.geojson": (
        "pb_rainfall_posts",
        120,
        {"pos_pengukuran.nama_lokasi": "nama", "pos_pengukuran.alamat": "alamat",
         "itensitas": "intensitas", "tanggal": "tanggal"},
    ),
    "flood_post.geojson": ("pb_flood_posts", 130, {"id": "id", "lokasi": "lokasi"}),
    "reservoir.geojson": (
        "pb_reservoirs",
        69,
        {"nama_waduk": "nama", "wilayah": "wilayah", "luas": "luas", "volume": "volume"},
    ),
}  # fmt: skip


def pantau_banjir(folder: Path) -> list[LayerResult]:
    """The water agency's stations (Pantau Banjir), one layer per kind, latest reading kept."""
    return [
        _simple_layer(folder / fname, "pantau_banjir_2024", fields, name, expected)
        for fname, (name, expected, fields) in PANTAU_BANJIR.items()
    ]


def _route_lines_from_stops(feed: GTFSFeed, stops: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """One LineString per route: the stop sequence of its trip with the most stops."""
    st = feed.tables["stop_times"][["trip_id", "stop_sequence", "stop_id"]].copy()
    st["stop_sequence"] = st["stop_sequence"].astype("int64")
    trips = feed.tables["trips"][["trip_id", "route_id"]]
    sizes = st.groupby("trip_id").size().rename("n").reset_index().merge(trips, on="trip_id")
    best = sizes.sort_values(["route_id", "n", "trip_id"], ascending=[True, False, True])
    best = best.drop_duplicates("route_id")
    seq = st.merge(best[["trip_id", "route_id"]], on="trip_id")
    xy = pd.DataFrame({"stop_id": stops["stop_id"], "x": stops.geometry.x, "y": stops.geometry.y})
    seq = seq.merge(xy, on="stop_id").sort_values(["route_id", "stop_sequence"])
    counts = seq.groupby("route_id").size()
    seq = seq[seq["route_id"].isin(counts[counts >= 2].index)]
    codes, uniques = pd.factorize(seq["route_id"], sort=True)
    lines = shapely.linestrings(seq[["x", "y"]].to_numpy(), indices=codes)
    return gpd.GeoDataFrame({"route_id": np.asarray(uniques)}, geometry=lines, crs=STORAGE_CRS)


def transjakarta_2025(folder: Path) -> list[LayerResult]:
    """TransJakarta GTFS 2025-09 (the full feed): stops with weekday service, and routes.

    The feed has no shapes.txt, so each route's line is drawn through the stops of its
    longest trip (``geometry_source`` says so).
    """
    gtfs_dir = folder / "gtfs"
    feed = read_gtfs(gtfs_dir, source="transjakarta_gtfs_2025_09")
    report = ReadReport(source="transjakarta_gtfs_2025_09", path=str(gtfs_dir / "stops.txt"))
    stops = feed.stops_gdf(report)
    stops = stops[["stop_id", "stop_name", "location_type", "parent_station", "geometry"]].copy()
    stops["location_type"] = (
        pd.to_numeric(stops["location_type"], errors="coerce").fillna(0).astype("int64")
    )
    per_hour = weekday_departures_per_hour(feed)
    stops["weekday_departures_per_hour"] = (
        stops["stop_id"].map(per_hour).astype("float64").to_numpy()
    )
    routes = feed.tables["routes"][
        ["route_id", "route_short_name", "route_long_name", "route_desc", "route_color"]
    ]
    lines = _route_lines_from_stops(feed, stops).merge(routes, on="route_id", how="left")
    lines["geometry_source"] = "stop sequence of the longest trip (feed has no shapes.txt)"
    route_report = ReadReport(source="transjakarta_gtfs_2025_09", path=str(gtfs_dir / "routes.txt"))
    route_report.rows_read = len(routes)
    route_report.rows_kept = len(lines)
    if len(lines) < len(routes):
        route_report.warnings.append(
            f"{len(routes) - len(lines)} routes have no trip with two located stops"
        )
    trip_stops = weekday_trip_stops(feed)
    trip_report = ReadReport(
        source="transjakarta_gtfs_2025_09", path=str(gtfs_dir / "stop_times.txt")
    )
    trip_report.rows_read = len(feed.tables["stop_times"])
    trip_report.rows_kept = len(trip_stops)
    return [
        LayerResult("tj_stops", stops, [report], "transjakarta_gtfs_2025_09", 8650),
        LayerResult(
            "tj_trip_stops",
            trip_stops,
            [trip_report],
            "transjakarta_gtfs_2025_09",
            note="weekday trip and stop pairs, each once",
        ),
        LayerResult(
            "tj_routes",
            lines,
            [route_report],
            "transjakarta_gtfs_2025_09",
            243,
            note="routes with a drawable stop sequence",
        ),
    ]


def transjakarta_2026(folder: Path) -> list[LayerResult]:
    """TransJakarta GTFS 2026-04: the newer stops and the simplified route lines."""
    feed = read_gtfs(
        folder / "gtfs",
        source="transjakarta_gtfs_2026_04",
        tables=("stops", "routes", "trips", "stop_times"),
    )
    report = ReadReport(source="transjakarta_gtfs_2026_04", path=str(folder / "gtfs" / "stops.txt"))
    stops = feed.stops_gdf(report)[["stop_id", "stop_name", "location_type", "geometry"]]
    lines = _simple_layer(
        folder / "DERIVED_route_lines_simplified.geojson",
        "transjakarta_gtfs_2026_04",
        {
            "shape_id": "shape_id",
            "route_id": "route_id",
            "route_short_name": "route_short_name",
            "route_long_name": "route_long_name",
            "route_color": "route_color",
            "category": "category",
        },
        "tj_route_lines_2026",
        303,
    )
    return [LayerResult("tj_stops_2026", stops, [report], "transjakarta_gtfs_2026_04", 8994), lines]


def transjakarta_2021_shapes(folder: Path) -> LayerResult:
    """Full-resolution route shapes from the community GTFS zip (2021)."""
    zpath = folder / "transjakarta.zip"
    feed = read_gtfs(
        zpath,
        source="transjakarta_gtfs_2021",
        tables=("stops", "routes", "trips", "stop_times", "shapes"),
    )
    shapes = feed.tables.get("shapes")
    if shapes is None or shapes.empty:
        raise DataError(f"{zpath}: expected shapes.txt inside the zip")
    shapes = shapes.assign(
        seq=shapes["shape_pt_sequence"].astype("int64"),
        x=shapes["shape_pt_lon"].astype("float64"),
        y=shapes["shape_pt_lat"].astype("float64"),
    ).sort_values(["shape_id", "seq"])
    codes, uniques = pd.factorize(shapes["shape_id"], sort=True)
    lines = shapely.linestrings(shapes[["x", "y"]].to_numpy(), indices=codes)
    gdf = gpd.GeoDataFrame({"shape_id": np.asarray(uniques)}, geometry=lines, crs=STORAGE_CRS)
    from geo.ingest import check_geometries

    report = ReadReport(source="transjakarta_gtfs_2021", path=str(zpath) + "!shapes.txt")
    report.rows_read = len(gdf)
    gdf = check_geometries(gdf, path=zpath, report=report)
    report.rows_kept = len(gdf)
    return LayerResult("tj_shapes_2021", gdf, [report], "transjakarta_gtfs_2021", 284)


def rail(folder: Path) -> list[LayerResult]:
    """KRL, MRT, LRT and airport rail stations and lines (Trafi, Aug 2021)."""
    return [
        _simple_layer(
            folder / "rail_stations_trafi.geojson",
            "rail_2021",
            {"station_id": "station_id", "station_name": "station_name", "lines": "lines"},
            "rail_stations",
            102,
        ),
        _simple_layer(
            folder / "rail_routes_trafi.geojson",
            "rail_2021",
            {
                "corridor_name": "corridor_name",
                "corridor_color": "corridor_color",
                "route_id": "route_id",
                "route_name": "route_name",
                "direction": "direction",
                "is_main": "is_main",
            },
            "rail_lines",
            87,
        ),
    ]


def osm_2012(folder: Path) -> list[LayerResult]:
    """The 2012 OSM-derived mainland boundaries (names only), kept as a cross-check layer."""
    return [
        _simple_layer(
            folder / "kelurahan_jakarta.shp",
            "admin_osm_2012",
            {"KAB_NAME_2": "nama_kota", "KEC_NAME_2": "nama_kecamatan", "KEL_NAME2": "nama"},
            "osm2012_kelurahan",
            261,
        ),
        _simple_layer(
            folder / "kecamatan_jakarta.shp",
            "admin_osm_2012",
            {"KAB_NAME": "nama_kota", "KEC_NAME": "nama"},
            "osm2012_kecamatan",
            42,
        ),
        _simple_layer(
            folder / "kabupaten_jakarta.shp",
            "admin_osm_2012",
            {"KAB_NAME": "nama"},
            "osm2012_kota",
            5,
        ),
    ]
