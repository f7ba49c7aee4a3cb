"""Real clients on a live server for OGC API - Features Part 2 and the BPS codes.

GDAL reprojects the default (CRS84) answer with ``-t_srs EPSG:32748``; the server answers
``crs=EPSG:32748`` itself: the two agree within 1 cm on every vertex of every kelurahan.
OWSLib passes ``crs`` through; GDAL and OWSLib follow the 308 from a BPS code.
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import numpy as np
import pytest
import shapely
from gdalkit import gdal_tool, run_gdal

pytestmark = pytest.mark.realdata

TIMEOUT_S = 120
UTM48S = "http://www.opengis.net/def/crs/EPSG/0/32748"


def _run(*args: str) -> str:
    return run_gdal(*args, timeout=TIMEOUT_S).stdout


def _by_id(collection: dict, key: str) -> dict[str, shapely.Geometry]:
    return {
        str(f["properties"][key] if key else f["id"]): shapely.from_geojson(
            json.dumps(f["geometry"])
        )
        for f in collection["features"]
    }


def test_ogr2ogr_t_srs_agrees_with_the_server_utm_within_1_cm(
    live_server: str, tmp_path: Path
) -> None:
    out = tmp_path / "gdal_utm.geojson"
    _run(
        gdal_tool("ogr2ogr"),
        "-f",
        "GeoJSON",
        "-t_srs",
        "EPSG:32748",
        "-lco",
        "COORDINATE_PRECISION=6",
        str(out),
        f"OAPIF:{live_server}",
        "kelurahan",
    )
    gdal = _by_id(json.loads(out.read_text()), "kode")
    served = httpx.get(
        f"{live_server}/collections/kelurahan/items",
        params={"crs": "EPSG:32748", "limit": "1000"},
        timeout=60,
    )
    assert served.headers["content-crs"] == f"<{UTM48S}>"
    ours = _by_id(served.json(), "")
    assert len(gdal) == len(ours) == 267
    worst = 0.0
    for kode, geom in ours.items():
        a, b = shapely.get_coordinates(geom), shapely.get_coordinates(gdal[kode])
        assert a.shape == b.shape, kode
        worst = max(worst, float(np.abs(a - b).max()))
    assert worst < 0.01, f"largest difference {worst:.4f} m"


def test_ogrinfo_reads_the_utm_geopackage_as_epsg_32748(live_server: str, tmp_path: Path) -> None:
    path = tmp_path / "kelurahan_utm.gpkg"
    answer = httpx.get(
        f"{live_server}/collections/kelurahan/items",
        params={"f": "gpkg", "crs": UTM48S},
        timeout=60,
    )
    path.write_bytes(answer.content)
    out = _run(gdal_tool("ogrinfo"), "-ro", "-so", str(path), "kelurahan")
    assert 'ID["EPSG",32748]' in out
    assert "Feature Count: 267" in out


def test_epsg4326_from_a_live_server_is_latitude_first(live_server: str) -> None:
    answer = httpx.get(
        f"{live_server}/collections/kelurahan/items/31.71.01.1001",
        params={"crs": "http://www.opengis.net/def/crs/EPSG/0/4326"},
        timeout=60,
    )
    lat, lon = shapely.get_coordinates(shapely.from_geojson(json.dumps(answer.json()["geometry"])))[
        0
    ]
    assert -6.4 < lat < -6.0 and 106.6 < lon < 107.0


def test_owslib_asks_for_a_crs(live_server: str) -> None:
    from owslib.ogcapi.features import Features

    service = Features(live_server, timeout=60)
    assert UTM48S in service.collection("kelurahan")["crs"]
    page = service.collection_items("kelurahan", crs="EPSG:32748", limit=5)
    xy = shapely.get_coordinates(shapely.from_geojson(json.dumps(page["features"][0]["geometry"])))
    assert (xy[:, 0] > 100_000).all() and (xy[:, 1] > 9_000_000).all()
    one = service.collection_item("kelurahan", "3101020001")  # a BPS code: requests follows
    assert one["id"] == "31.01.01.1001"


def test_gdal_follows_the_bps_redirect(live_server: str) -> None:
    url = f"{live_server}/collections/kelurahan/items/3101020001"
    out = _run(gdal_tool("ogrinfo"), "-ro", "-al", url)
    assert "kode (String) = 31.01.01.1001" in out
    assert "kode_bps (String) = 3101020001" in out
