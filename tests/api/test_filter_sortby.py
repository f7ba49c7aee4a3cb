"""``filter`` (CQL2 text and JSON), ``queryables`` and ``sortby`` on every collection over the
real build: each parameter, its errors, and results equal to the same selection done in
geopandas on the build output."""

from __future__ import annotations

import json
from typing import Any

import geopandas as gpd
import pytest
import shapely
from fastapi.testclient import TestClient

from geo.settings import Settings

pytestmark = pytest.mark.realdata

ITEMS = "/collections/kelurahan/items"
BOX = (106.75, -6.25, 106.85, -6.15)


def _get(client: TestClient, url: str, **params: Any) -> dict[str, Any]:
    r = client.get(url, params=params)
    assert r.status_code == 200, r.text
    return r.json()


def _bad(client: TestClient, url: str, **params: Any) -> dict[str, Any]:
    r = client.get(url, params=params)
    assert r.status_code == 400, r.text
    assert "Traceback" not in r.text
    return r.json()


def _codes(client: TestClient, url: str = ITEMS, **params: Any) -> list[str]:
    body = _get(client, url, limit=5000, properties="kode", **params)
    assert body["numberMatched"] == body["numberReturned"]
    return sorted(f["id"] for f in body["features"])


@pytest.fixture(scope="module")
def kelurahan(api_settings: Settings) -> gpd.GeoDataFrame:
    return gpd.read_file(api_settings.build_path, layer="kelurahan").to_crs("OGC:CRS84")


def test_filter_equals_the_geopandas_selection(
    client: TestClient, kelurahan: gpd.GeoDataFrame
) -> None:
    k = kelurahan
    cases = {
        "score_siap > 0.5 AND nama LIKE 'K%'": (k.score_siap > 0.5) & k.nama.str.match("K"),
        "kode_kota = '31.72' OR population < 10000": (k.kode_kota == "31.72")
        | (k.population < 10000),
        "NOT (score_sehat >= 0.3)": k.score_sehat.notna() & ~(k.score_sehat >= 0.3),
        "score_siap IS NULL": k.score_siap.isna(),
        "kode_kota IN ('31.71', '31.75')": k.kode_kota.isin(["31.71", "31.75"]),
        "area_km2 BETWEEN 1 AND 2": k.area_km2.between(1, 2),
        "S_INTERSECTS(geometry, BBOX(106.75,-6.25,106.85,-6.15))": k.intersects(shapely.box(*BOX)),
        "S_WITHIN(geometry, BBOX(106.75,-6.25,106.85,-6.15)) AND score_terhubung > 0.2": (
            k.within(shapely.box(*BOX)) & (k.score_terhubung > 0.2)
        ),
    }
    for text, mask in cases.items():
        expected = sorted(k.loc[mask.fillna(False).astype(bool), "kode"])
        assert expected, text  # each case selects something
        assert _codes(client, filter=text) == expected, text


def test_text_and_json_encodings_agree(client: TestClient) -> None:
    text = "score_siap > 0.4 AND S_INTERSECTS(geometry, POINT(106.8456 -6.2088))"
    tree = {
        "op": "and",
        "args": [
            {"op": ">", "args": [{"property": "score_siap"}, 0.4]},
            {
                "op": "s_intersects",
                "args": [
                    {"property": "geometry"},
                    {"type": "Point", "coordinates": [106.8456, -6.2088]},
                ],
            },
        ],
    }
    as_json = _codes(client, filter=json.dumps(tree), **{"filter-lang": "cql2-json"})
    assert _codes(client, filter=text, **{"filter-lang": "cql2-text"}) == as_json
    assert _codes(client, filter=text) == as_json  # cql2-text is the default


def test_filter_on_actions_gaps_and_tables(client: TestClient) -> None:
    assert _get(client, "/collections/actions/items", filter="progress > 10")["numberMatched"] >= 0
    gaps = "/collections/coverage_gaps_siap/items"
    every = _get(client, gaps, limit=5000)["numberMatched"]
    high = _get(client, gaps, filter="score > 0.6", limit=5000)
    assert all(f["properties"]["score"] > 0.6 for f in high["features"])
    assert high["numberMatched"] <= every
    _bad(client, gaps, filter="score_siap > 0.6")  # gaps have `score`, not score_siap


def test_filter_errors_say_what_to_do(client: TestClient) -> None:
    body = _bad(client, ITEMS, filter="nope = 1 AND nama = 'x'")
    assert "'nope'" in body["description"]
    assert body["details"]["unknown"] == ["nope"]
    assert "nama" in body["details"]["queryables"]
    body = _bad(client, ITEMS, filter="score_siap >")
    assert "not valid cql2-text" in body["description"] and "e.g." in body["description"]
    body = _bad(client, ITEMS, filter="{bad json", **{"filter-lang": "cql2-json"})
    assert "not valid cql2-json" in body["description"]
    assert (
        "filter-lang"
        in _bad(client, ITEMS, filter="a = 1", **{"filter-lang": "ecql"})["description"]
    )
    assert "expected a number" in _bad(client, ITEMS, filter="score_siap = 'high'")["description"]
    assert "two properties" in _bad(client, ITEMS, filter="score_siap = score_sehat")["description"]
    assert "not supported" in _bad(client, ITEMS, filter="CASEI(nama) = 'x'")["description"]
    assert (
        "filter-crs"
        in _bad(client, ITEMS, filter="TRUE", **{"filter-crs": "EPSG:3857"})["description"]
    )
    assert "geometry" in _bad(client, ITEMS, filter="S_INTERSECTS(nama, POINT(1 2))")["description"]
    outside = "S_INTERSECTS(geometry, BBOX(1000000,1000000,2000000,2000000))"
    assert "outside CRS84" in _bad(client, ITEMS, filter=outside)["description"]
    swapped = "S_INTERSECTS(geometry, POINT(-6.2 106.8))"  # lat/lon order: latitude > 90
    assert "outside CRS84" in _bad(client, ITEMS, filter=swapped)["description"]
    assert _bad(client, ITEMS, filter="")["code"] == "invalid_parameter"
    assert _bad(client, ITEMS, filter="x" * 9000)["code"] == "invalid_parameter"
    assert "single feature" in _bad(client, f"{ITEMS}/31.71.01.1001", filter="TRUE")["description"]


def test_queryables_is_json_schema_in_the_request_language(client: TestClient) -> None:
    r = client.get("/collections/kelurahan/queryables", params={"lang": "en"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/schema+json")
    doc = r.json()
    assert doc["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert "/collections/kelurahan/queryables" in doc["$id"]
    assert doc["type"] == "object"
    props = doc["properties"]
    assert props["geometry"]["x-ogc-role"] == "primary-geometry"
    assert props["score_siap"]["type"] == "number"
    assert props["nama"]["type"] == "string"
    in_id = _get(client, "/collections/kelurahan/queryables", lang="id")["properties"]
    assert in_id["nama"]["title"] != props["nama"]["title"]
    actions = _get(client, "/collections/actions/queryables")["properties"]
    assert actions["pillar"]["enum"] == ["siap", "sehat", "terhubung"]
    assert actions["updated_at"]["format"] == "date-time"
    assert "partners" not in actions
    links = _get(client, "/collections/kelurahan")["links"]
    rel = "http://www.opengis.net/def/rel/ogc/1.0/queryables"
    assert any(link["rel"] == rel for link in links)
    header = client.get("/collections/kelurahan").headers["link"]
    assert f'rel="{rel}"' in header and "/collections/kelurahan/queryables" in header
    assert client.get("/collections/nope/queryables").status_code == 404
    assert client.get("/collections/kelurahan/queryables", params={"x": "1"}).status_code == 400


def test_sortby_pages_are_stable_and_links_keep_it(client: TestClient) -> None:
    # kode_kota has 6 values over ~267 kelurahan: almost every key is a tie
    seen: list[str] = []
    url: str | None = f"{ITEMS}?sortby=-kode_kota&limit=50&properties=kode_kota"
    kotas: list[str] = []
    while url:
        body = client.get(url).json()
        seen += [f["id"] for f in body["features"]]
        kotas += [f["properties"]["kode_kota"] for f in body["features"]]
        url = next((link["href"] for link in body["links"] if link["rel"] == "next"), None)
        assert url is None or "sortby=-kode_kota" in url
    assert len(seen) == len(set(seen)) == _get(client, ITEMS, limit=1)["numberMatched"]
    assert kotas == sorted(kotas, reverse=True)
    # ties in feature id order
    first = [i for i, k in zip(seen, kotas, strict=True) if k == kotas[0]]
    assert first == sorted(first)


def test_sortby_with_filter_and_errors(client: TestClient) -> None:
    body = _get(client, ITEMS, sortby="-score_siap,nama", filter="kode_kota = '31.72'", limit=5)
    scores = [f["properties"]["score_siap"] for f in body["features"]]
    assert scores == sorted(scores, reverse=True)
    nxt = next(link["href"] for link in body["links"] if link["rel"] == "next")
    assert "filter=" in nxt and "filter-lang=cql2-json" in nxt and "sortby=" in nxt
    page2 = client.get(nxt).json()
    assert page2["numberMatched"] == body["numberMatched"]
    assert all(f["properties"]["kode_kota"] == "31.72" for f in page2["features"])
    gaps = _get(client, "/collections/coverage_gaps_siap/items", sortby="nama", limit=100)
    names = [f["properties"]["nama"] for f in gaps["features"]]
    assert names == sorted(names)
    actions = _get(client, "/collections/actions/items", sortby="-updated_at,title")
    assert actions["numberMatched"] >= 0
    assert "nope" in _bad(client, ITEMS, sortby="nope")["description"]
    assert _bad(client, "/collections/actions/items", sortby="partners")["code"]
