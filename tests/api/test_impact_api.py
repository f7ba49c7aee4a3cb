"""The impact collections in the OGC API: documents, dictionary, levels, classes, clients."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from pathlib import Path

import httpx
import pyogrio
import pytest
from fastapi.testclient import TestClient

from geo.settings import Settings

pytestmark = pytest.mark.realdata


def test_each_scenario_is_a_collection_with_its_data_dictionary(client: TestClient) -> None:
    ids = {c["id"] for c in client.get("/collections").json()["collections"]}
    assert {"dampak_kini", "dampak_rencana", "dampak_feb2017", "dampak_selisih_rencana"} <= ids
    doc = client.get("/collections/dampak_rencana", params={"lang": "en"}).json()
    assert "planned works" in doc["title"]
    assert doc["featureId"] == "kode" and doc["numberOfFeatures"] == 267 + 44 + 6
    entries = {e["id"]: e for e in doc["dataDictionary"] if e["kind"] == "impact"}
    assert set(entries) >= {
        "affected",
        "people_high",
        "displaced",
        "affected_under5",
        "need_toilets",
    }
    affected = entries["affected"]
    assert affected["title"] == "People affected" and affected["unit"] == "persons"
    assert "population 2019-06-30" in affected["date"] and "hazard about 2012" in affected["date"]
    assert any("structural improvements" in c for c in affected["caveats"])
    assert "Perka 7/2008" in entries["need_rice_kg"]["formula"]
    assert "classify" in doc["parameters"] and "weights" not in doc["parameters"]
    doc_id = client.get("/collections/dampak_rencana", params={"lang": "id"}).json()
    assert next(e for e in doc_id["dataDictionary"] if e.get("id") == "affected")["title"] == (
        "Penduduk terdampak"
    )


def test_levels_filter_and_units_have_their_code_as_id(client: TestClient) -> None:
    kec = client.get(
        "/collections/dampak_kini/items", params={"tingkat": "kecamatan", "limit": 100}
    ).json()
    assert kec["numberMatched"] == 44
    assert all(f["id"] == f["properties"]["kode"] for f in kec["features"])
    kota = client.get("/collections/dampak_kini/items/31.72").json()
    kel = client.get(
        "/collections/dampak_kini/items", params={"kode_kota": "31.72", "tingkat": "kelurahan"}
    ).json()
    assert kota["properties"]["tingkat"] == "kota"
    assert kota["properties"]["affected"] == sum(
        f["properties"]["affected"] for f in kel["features"]
    )
    seribu = client.get("/collections/dampak_kini/items/31.01").json()["properties"]
    assert seribu["affected"] is None and seribu["covered_share"] == 0  # no data, not zero


def test_classes_on_an_impact_layer(client: TestClient) -> None:
    r = client.get(
        "/collections/dampak_kini/items",
        params={
            "tingkat": "kelurahan",
            "classify": "quantiles",
            "classify_by": "affected",
            "k": "5",
            "limit": 1000,
            "properties": "kode,affected,class",
        },
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["numberMatched"] == 267 and body["classification"]["k"] == 5
    classes = [f["properties"]["class"] for f in body["features"]]
    assert {c for c in classes if c is not None} == set(range(5))
    assert sum(c is None for c in classes) == 6  # Kepulauan Seribu: no class
    bad = client.get(
        "/collections/dampak_kini/items", params={"weights": "siap_flood_share_2007:2"}
    )
    assert bad.status_code == 400 and "weights" in bad.json()["description"]
    other = client.get("/collections/rw/items", params={"classify": "quantiles"})
    assert other.status_code == 400 and "dampak_" in other.json()["description"]


def test_the_difference_lists_who_gains(client: TestClient) -> None:
    gains = client.get(
        "/collections/dampak_selisih_rencana/items",
        params={"tingkat": "kelurahan", "gain_rank": "1"},
    ).json()["features"]
    assert len(gains) == 1
    best = gains[0]["properties"]
    assert best["change"] == "gain" and best["no_longer_affected"] > 0
    losers = client.get(
        "/collections/dampak_selisih_rencana/items",
        params={"tingkat": "kelurahan", "change": "loss", "limit": 300},
    ).json()
    assert all(f["properties"]["no_longer_affected"] <= 0 for f in losers["features"])


def test_gpkg_download_keeps_the_numbers(
    client: TestClient, api_settings: Settings, tmp_path: Path
) -> None:
    r = client.get("/collections/dampak_kini/items", params={"f": "gpkg"})
    assert r.status_code == 200
    path = tmp_path / "dampak_kini.gpkg"
    path.write_bytes(r.content)
    got = pyogrio.read_dataframe(path)
    built = pyogrio.read_dataframe(api_settings.build_path, layer="dampak_kini")
    assert len(got) == len(built) == 317
    assert got["affected"].sum() == built["affected"].sum()
    assert {"need_rice_kg", "displaced_age_65plus", "tingkat"} <= set(got.columns)
    dictionary = pyogrio.read_dataframe(path, layer="data_dictionary").set_index("id")
    assert "largest remainder" in dictionary.loc["people_high", "formula"]
    assert "2019-06-30" in dictionary.loc["people_high", "date"]


def test_the_impact_maps_csv_download_is_its_level_ranked(client: TestClient) -> None:
    # what the Dampak map's download links ask for (web/static/js/downloads.js): the impact
    # layer at the page's level, with the map's classes, the most affected first
    r = client.get(
        "/collections/dampak_rencana/items",
        params={"tingkat": "kecamatan", "classify": "quantiles", "k": "5",
                "classify_by": "affected", "sortby": "-affected", "lang": "id", "f": "csv"},
    )  # fmt: skip
    assert r.status_code == 200, r.text[:500]
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))  # BOM: Excel
    assert len(rows) == 44 and {row["tingkat"] for row in rows} == {"kecamatan"}
    affected = [float(row["affected"]) for row in rows if row["affected"] not in ("", None)]
    assert affected == sorted(affected, reverse=True) and affected[0] > 0


def test_ogrinfo_and_owslib_read_an_impact_collection(live_server: str) -> None:
    ogrinfo = shutil.which("ogrinfo")
    if ogrinfo is None:
        pytest.skip("ogrinfo not installed (apt-get install gdal-bin)")
    done = subprocess.run(
        [ogrinfo, "-ro", "-al", "-so", f"OAPIF:{live_server}", "dampak_rencana"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"GDAL_HTTP_TIMEOUT": "60", "CPL_DEBUG": "OFF", "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Feature Count: 317" in done.stdout
    for field in ("tingkat:", "affected:", "people_high:", "displaced:", "need_rice_kg:"):
        assert field in done.stdout
    from owslib.ogcapi.features import Features

    service = Features(live_server, timeout=60)
    page = service.collection_items("dampak_selisih_rencana", tingkat="kota", limit=10)
    assert page["numberMatched"] == 6
    total = httpx.get(f"{live_server}/collections/dampak_ringkasan/items", timeout=60).json()
    rows = {
        (f["properties"]["skenario"], f["properties"]["kelas"]): f["properties"]
        for f in total["features"]
    }
    kota = service.collection_items("dampak_kini", tingkat="kota", limit=10)["features"]
    assert rows[("kini", "affected")]["people"] == sum(
        f["properties"]["affected"] or 0 for f in kota
    )
