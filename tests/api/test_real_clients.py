"""Real clients against the app served on 127.0.0.1: GDAL (ogrinfo, ogr2ogr), OWSLib, pyogrio.

They read the service as QGIS and other GIS tools do. Without GDAL's command-line tools
(Debian's gdal-bin) the GDAL tests skip with the reason, which fails the run in CI.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import numpy as np
import pyogrio
import pytest
import shapely
from gdalkit import gdal_tool, run_gdal

from geo.ogc.collection import EXCLUDED_TABLES
from geo.settings import Settings

pytestmark = pytest.mark.realdata

TIMEOUT_S = 120


def _run(*args: str) -> str:
    return run_gdal(*args, timeout=TIMEOUT_S).stdout


def _layer_names(settings: Settings) -> set[str]:
    return {str(n) for n, _ in pyogrio.list_layers(settings.build_path)} - EXCLUDED_TABLES


def _collection_ids(settings: Settings) -> set[str]:
    """Every build layer, plus the actions store, the coverage gaps per pillar and the flood
    feed's latest state."""
    from_store = {"actions", "flood_live"} | {
        f"coverage_gaps_{p}" for p in ("siap", "sehat", "terhubung")
    }
    return _layer_names(settings) | from_store


def test_ogrinfo_lists_every_collection(live_server: str, api_settings: Settings) -> None:
    out = _run(gdal_tool("ogrinfo"), "-ro", "-so", f"OAPIF:{live_server}")
    listed = {
        line.split(":", 1)[1].split("(")[0].strip()
        for line in out.splitlines()
        if line[:1].isdigit() and ":" in line
    }
    assert listed == _collection_ids(api_settings)


def test_ogrinfo_reads_kelurahan_summary(live_server: str) -> None:
    out = _run(gdal_tool("ogrinfo"), "-ro", "-al", "-so", f"OAPIF:{live_server}", "kelurahan")
    assert "Feature Count: 267" in out
    assert "Multi Polygon" in out
    for field in ("kode:", "nama:", "population:", "siap_flood_share_2007:", "score_siap:"):
        assert field in out


def test_ogr2ogr_reads_all_kelurahan(
    live_server: str, api_settings: Settings, tmp_path: Path
) -> None:
    out = tmp_path / "kelurahan_from_oapif.gpkg"
    _run(gdal_tool("ogr2ogr"), "-f", "GPKG", str(out), f"OAPIF:{live_server}", "kelurahan")
    got = pyogrio.read_dataframe(out, layer="kelurahan")
    built = pyogrio.read_dataframe(api_settings.build_path, layer="kelurahan")
    assert len(got) == 267
    assert sorted(got["kode"]) == sorted(built["kode"])
    got = got.set_index("kode").loc[built["kode"]]
    assert np.allclose(got["population"].astype(float), built["population"].astype(float))
    assert np.allclose(
        got["score_siap"].astype(float), built["score_siap"].astype(float), equal_nan=True
    )
    assert np.allclose(
        shapely.area(got.geometry.array), shapely.area(built.geometry.array), rtol=1e-6
    )


def test_owslib_reads_collections_and_items(live_server: str, api_settings: Settings) -> None:
    from owslib.ogcapi.features import Features

    service = Features(live_server, timeout=60)
    assert any(c.endswith("/conf/core") for c in service.conformance()["conformsTo"])
    ids = {c["id"] for c in service.collections()["collections"]}
    assert ids == _collection_ids(api_settings)
    assert service.collection("kelurahan")["itemType"] == "feature"
    page = service.collection_items("kelurahan", limit=1000)
    assert page["numberMatched"] == 267 == len(page["features"])
    pusat = service.collection_items("kelurahan", kode_kota="31.71", limit=1000)
    assert {f["properties"]["kode_kota"] for f in pusat["features"]} == {"31.71"}
    one = service.collection_item("kelurahan", "31.71.01.1001")
    assert one["id"] == "31.71.01.1001"


def test_geojson_download_rereads_with_pyogrio(
    live_server: str, api_settings: Settings, tmp_path: Path
) -> None:
    r = httpx.get(f"{live_server}/collections/kelurahan/items", params={"f": "geojson"}, timeout=60)
    assert r.status_code == 200
    assert 'filename="kelurahan.geojson"' in r.headers["content-disposition"]
    path = tmp_path / "kelurahan.geojson"
    path.write_bytes(r.content)
    got = pyogrio.read_dataframe(path).set_index("kode")
    built = pyogrio.read_dataframe(api_settings.build_path, layer="kelurahan").set_index("kode")
    assert len(got) == 267 and set(got.index) == set(built.index)
    got = got.loc[built.index]
    a = shapely.normalize(np.asarray(got.geometry.array))
    b = shapely.normalize(np.asarray(built.geometry.array))
    assert shapely.equals_exact(a, b, tolerance=1e-6).all()
    assert (got["nama"] == built["nama"]).all()


def test_gpkg_download_opens_in_ogrinfo(live_server: str, tmp_path: Path) -> None:
    r = httpx.get(f"{live_server}/collections/kelurahan/items", params={"f": "gpkg"}, timeout=60)
    assert r.status_code == 200
    assert 'filename="kelurahan.gpkg"' in r.headers["content-disposition"]
    path = tmp_path / "kelurahan.gpkg"
    path.write_bytes(r.content)
    out = _run(gdal_tool("ogrinfo"), "-ro", "-so", str(path), "kelurahan")
    assert "Feature Count: 267" in out
    assert "DESCRIPTION=" in out
    listing = _run(gdal_tool("ogrinfo"), "-ro", "-so", str(path))
    assert "data_dictionary" in listing
