"""OGC API - Features routes over the real build: every route, parameter and error."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from fastapi.testclient import TestClient
from shapely.geometry import shape

from geo.ogc.collection import EXCLUDED_TABLES
from geo.ogc.documents import CONFORMANCE
from geo.ogc.query import CRS84
from geo.scores import resolve_weights, score_units
from geo.settings import Settings

pytestmark = pytest.mark.realdata

ITEMS = "/collections/kelurahan/items"


def _features(client: TestClient, url: str, **params: Any) -> dict[str, Any]:
    r = client.get(url, params=params)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/geo+json")
    return r.json()


def _bad(client: TestClient, url: str, status: int = 400, **params: Any) -> dict[str, Any]:
    r = client.get(url, params=params)
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) >= {"code", "description"}
    assert "Traceback" not in r.text
    return body


# --- landing, conformance, OpenAPI -------------------------------------------------------------


def test_landing_links_conformance_and_data(client: TestClient) -> None:
    r = client.get("/", headers={"Accept": "application/json"})
    assert r.status_code == 200
    rels = {link["rel"]: link["href"] for link in r.json()["links"]}
    assert rels["conformance"].endswith("/conformance")
    assert rels["data"].endswith("/collections")
    assert rels["service-desc"].endswith("/api")
    assert rels["service-doc"].endswith("/docs")


def test_conformance(client: TestClient) -> None:
    body = client.get("/conformance").json()
    assert set(CONFORMANCE) <= set(body["conformsTo"])
    assert any(c.endswith("/conf/geojson") for c in body["conformsTo"])


def test_openapi_documents_items_parameters(client: TestClient) -> None:
    api = client.get("/api").json()
    op = api["paths"]["/collections/{collectionId}/items"]["get"]
    names = {p["name"] for p in op["parameters"]}
    assert {
        "limit",
        "offset",
        "bbox",
        "properties",
        "lang",
        "zoom",
        "weights",
        "classify",
        "k",
        "breaks",
        "f",
        "collectionId",
    } <= names
    limit = next(p for p in op["parameters"] if p["name"] == "limit")
    assert limit["schema"]["maximum"] >= 10_000
    assert client.get("/docs").status_code == 200


# --- collections -------------------------------------------------------------------------------


def test_every_vector_layer_is_a_collection(client: TestClient, api_settings: Settings) -> None:
    body = client.get("/collections").json()
    ids = [c["id"] for c in body["collections"]]
    layers = {str(n) for n, _ in pyogrio.list_layers(api_settings.build_path)}
    from_store = {"actions", "flood_live"} | {
        f"coverage_gaps_{p}" for p in ("siap", "sehat", "terhubung")
    }
    assert set(ids) == (layers - EXCLUDED_TABLES) | from_store
    assert {"kelurahan", "kecamatan", "kota", "river_waste", "data_dictionary"} <= set(ids)
    for c in body["collections"]:
        assert c["itemType"] == "feature"
        assert CRS84 in c["crs"]
        assert any(link["rel"] == "items" for link in c["links"])


def test_collection_metadata_and_language(client: TestClient) -> None:
    doc_id = client.get("/collections/kelurahan").json()
    doc_en = client.get("/collections/kelurahan", params={"lang": "en"}).json()
    doc_hdr = client.get("/collections/kelurahan", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert doc_id["title"] != doc_en["title"]
    assert doc_hdr.json()["title"] == doc_en["title"]
    assert doc_hdr.headers["content-language"] == "en"
    assert "Kelurahan" in doc_en["title"]
    bbox = doc_en["extent"]["spatial"]["bbox"][0]
    assert 106.3 < bbox[0] < bbox[2] < 107.0 and -6.5 < bbox[1] < bbox[3] < -5.1
    assert doc_en["extent"]["spatial"]["crs"] == CRS84
    assert doc_en["itemType"] == "feature" and doc_en["storageCrs"] == CRS84
    rels = {link["rel"] for link in doc_en["links"]}
    assert {"self", "items", "enclosure"} <= rels
    dictionary = {e["id"]: e for e in doc_en["dataDictionary"]}
    flood = dictionary["siap_flood_share_2007"]
    assert flood["title"] == "Share of area flooded in 2007"
    assert flood["unit"] and flood["formula"] and flood["sources"]
    assert dictionary["kode"]["kind"] == "base"
    assert "score_siap" in dictionary
    # every scoring column is explained where it is read, and each indicator carries its date
    assert "partial" in dictionary["score_siap"]["formula"]
    assert "OECD/JRC" in dictionary["rank_siap_p05"]["formula"]
    assert "add up" in dictionary["contribution_siap_flood_share_2007"]["formula"]
    assert dictionary["score_sehat_coverage"]["kind"] == "score"
    assert flood["data_date"] and "2007" in flood["data_note"]
    id_titles = {e["id"]: e["title"] for e in doc_id["dataDictionary"]}
    assert id_titles["siap_flood_share_2007"] == "Pangsa luas tergenang banjir 2007"


def test_temporal_extent_where_known(client: TestClient) -> None:
    doc = client.get("/collections/flood_2017_reports").json()
    start, end = doc["extent"]["temporal"]["interval"][0]
    assert start.startswith("2017-02") and end.startswith("2017-02")


def test_table_collection_has_null_geometry(client: TestClient) -> None:
    doc = client.get("/collections/river_waste").json()
    assert "spatial" not in doc.get("extent", {})
    fc = _features(client, "/collections/river_waste/items", limit=5)
    assert all(f["geometry"] is None for f in fc["features"])
    assert fc["numberMatched"] == 672
    assert (
        _features(client, "/collections/river_waste/items", bbox="106,-7,107,-5")["numberMatched"]
        == 0
    )


def test_unknown_collection_404(client: TestClient) -> None:
    for url in ("/collections/nope", "/collections/nope/items", "/collections/nope/items/1"):
        body = _bad(client, url, 404)
        assert body["code"] == "not_found"
    assert _bad(client, "/collections/build_info", 404)["code"] == "not_found"


# --- items: paging ------------------------------------------------------------------------------


def test_items_default_page(client: TestClient, api_settings: Settings) -> None:
    fc = _features(client, ITEMS)
    assert fc["type"] == "FeatureCollection"
    assert fc["numberMatched"] == 267
    assert fc["numberReturned"] == api_settings.items_limit_default == len(fc["features"])
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", fc["timeStamp"])
    rels = {link["rel"] for link in fc["links"]}
    assert {"self", "next", "collection", "alternate"} <= rels and "prev" not in rels
    first = fc["features"][0]
    assert first["id"] == first["properties"]["kode"]
    assert "score_siap" in first["properties"]
    assert "crs" not in fc


def test_next_links_page_through_everything(client: TestClient) -> None:
    seen: list[str] = []
    url: str | None = f"{ITEMS}?limit=100"
    pages = 0
    while url and pages < 10:
        fc = client.get(url).json()
        seen += [f["id"] for f in fc["features"]]
        url = next((lnk["href"] for lnk in fc["links"] if lnk["rel"] == "next"), None)
        pages += 1
    assert pages == 3 and len(seen) == 267 == len(set(seen))
    last = client.get(f"{ITEMS}?limit=100&offset=200").json()
    prev = next(lnk["href"] for lnk in last["links"] if lnk["rel"] == "prev")
    assert "offset=100" in prev
    assert last["numberReturned"] == 67


def test_limit_all_and_above_maximum(client: TestClient) -> None:
    assert _features(client, ITEMS, limit=1000)["numberReturned"] == 267
    over = _features(client, ITEMS, limit=10**9)
    assert over["numberReturned"] == 267
    self_link = next(lnk["href"] for lnk in over["links"] if lnk["rel"] == "self")
    assert "limit=10000" in self_link


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 0},
        {"limit": "abc"},
        {"limit": -5},
        {"offset": -1},
        {"offset": "x"},
        {"limit": "1.5"},
    ],
)
def test_bad_limit_offset(client: TestClient, params: dict[str, Any]) -> None:
    assert _bad(client, ITEMS, **params)["code"] == "invalid_parameter"


def test_offset_past_end_is_empty(client: TestClient) -> None:
    fc = _features(client, ITEMS, offset=1000)
    assert fc["numberMatched"] == 267 and fc["numberReturned"] == 0


# --- items: bbox, filters, properties -------------------------------------------------------------


def test_bbox_selects_intersecting(client: TestClient) -> None:
    bbox = (106.80, -6.20, 106.83, -6.17)
    fc = _features(client, ITEMS, bbox=",".join(map(str, bbox)), limit=1000)
    assert 0 < fc["numberMatched"] < 267
    box = shapely.box(*bbox)
    assert all(shape(f["geometry"]).intersects(box) for f in fc["features"])
    every = _features(client, ITEMS, limit=1000)["features"]
    outside = [f for f in every if not shape(f["geometry"]).intersects(box)]
    assert len(outside) + fc["numberMatched"] == 267
    six = _features(client, ITEMS, bbox="106.80,-6.20,0,106.83,-6.17,10", limit=1000)
    assert six["numberMatched"] == fc["numberMatched"]


@pytest.mark.parametrize(
    "bbox",
    [
        "1,2,3",
        "a,b,c,d",
        "107,-6,106,-5",
        "106,-5,107,-6",
        "106,-95,107,-5",
        "-190,-6,107,-5",
        "1,2,3,4,5",
        "nan,1,2,3",
        "",
    ],
)
def test_bad_bbox(client: TestClient, bbox: str) -> None:
    assert "bbox" in _bad(client, ITEMS, bbox=bbox)["description"]


def test_bbox_crs_other_than_crs84(client: TestClient) -> None:
    _bad(client, ITEMS, bbox="106,-7,107,-5", **{"bbox-crs": "EPSG:3857"})


def test_property_filter(client: TestClient) -> None:
    fc = _features(client, ITEMS, kode_kota="31.71", limit=1000)
    assert fc["numberMatched"] == len(fc["features"]) > 0
    assert {f["properties"]["kode_kota"] for f in fc["features"]} == {"31.71"}
    one = _features(client, ITEMS, kode="31.71.01.1001")
    assert one["numberMatched"] == 1
    pop = one["features"][0]["properties"]["population"]
    assert _features(client, ITEMS, population=pop, limit=1000)["numberMatched"] >= 1
    assert _features(client, ITEMS, kode_kota="99.99")["numberMatched"] == 0


def test_unknown_or_bad_filter(client: TestClient) -> None:
    body = _bad(client, ITEMS, colour="red")
    assert "colour" in body["description"]
    assert "kode" in body["details"]["properties"]
    assert "population" in _bad(client, ITEMS, population="many")["description"]
    assert "more than once" in client.get(f"{ITEMS}?limit=1&limit=2").json()["description"]


def test_properties_selection(client: TestClient) -> None:
    fc = _features(client, ITEMS, properties="kode,nama", limit=3)
    assert all(set(f["properties"]) == {"kode", "nama"} for f in fc["features"])
    assert "nope" in _bad(client, ITEMS, properties="kode,nope")["description"]
    _bad(client, ITEMS, properties=",")


def test_lang_parameter(client: TestClient) -> None:
    r = client.get(ITEMS, params={"lang": "en", "limit": 1})
    assert r.headers["content-language"] == "en"
    assert "lang=en" in next(lnk["href"] for lnk in r.json()["links"] if lnk["rel"] == "self")
    assert _bad(client, ITEMS, lang="fr")["code"] == "invalid_parameter"
    assert _bad(client, "/collections", lang="xx")["code"] == "invalid_parameter"


def test_datetime_filter(client: TestClient) -> None:
    url = "/collections/flood_2017_reports/items"
    total = _features(client, url, limit=1)["numberMatched"]
    part = _features(client, url, datetime="2017-02-21T00:00:00Z/..", limit=1)["numberMatched"]
    assert 0 < part < total
    before = _features(client, url, datetime="../2017-02-21T00:00:00Z", limit=1)["numberMatched"]
    assert before + part >= total
    for bad in ("yesterday", "2017-02-22/2017-02-20", "../..", "2017-13-45"):
        _bad(client, url, datetime=bad)


# --- items: generalisation ----------------------------------------------------------------------


def _coords(fc: dict[str, Any]) -> int:
    return int(sum(shapely.get_num_coordinates(shape(f["geometry"])) for f in fc["features"]))


def test_zoom_generalises_and_keeps_neighbours_together(client: TestClient) -> None:
    full = _features(client, ITEMS, limit=1000)
    web = _features(client, ITEMS, limit=1000, zoom=12)
    coarse = _features(client, ITEMS, limit=1000, zoom=9)
    assert _coords(coarse) < _coords(web) < _coords(full)
    assert [f["id"] for f in web["features"]] == [f["id"] for f in full["features"]]
    geoms = np.array([shape(f["geometry"]) for f in web["features"]])
    assert shapely.is_valid(geoms).mean() > 0.98
    union = shapely.union_all(shapely.make_valid(geoms))
    total = shapely.area(shapely.make_valid(geoms)).sum()
    # a coverage: no overlaps and no slivers between neighbours (area in square degrees)
    assert abs(union.area - total) / total < 1e-4
    full_area = sum(shape(f["geometry"]).area for f in full["features"])
    assert abs(total - full_area) / full_area < 0.01
    assert _coords(_features(client, ITEMS, limit=1000, zoom=18)) == _coords(full)


def test_bad_zoom(client: TestClient) -> None:
    for zoom in (-1, 19, "x"):
        assert "zoom" in _bad(client, ITEMS, zoom=zoom)["description"]
    _bad(client, "/collections/river_waste/items", zoom=10)


# --- items: scores and classes -------------------------------------------------------------------


def test_custom_weights_recompute_scores(client: TestClient, api_settings: Settings) -> None:
    weights = "siap_flood_share_2007:3,siap_depth_mean:0"
    fc = _features(client, ITEMS, limit=1000, weights=weights)
    got = pd.Series({f["id"]: f["properties"]["score_siap"] for f in fc["features"]}, dtype=float)
    frame = pyogrio.read_dataframe(api_settings.build_path, layer="kelurahan", read_geometry=False)
    from geo.indicators.compute import all_definitions

    defs = all_definitions(api_settings)
    effective = resolve_weights(defs, api_settings.score_weights, weights)
    expected = score_units(frame, "kelurahan", effective, definitions=defs)["score_siap"]
    expected.index = frame["kode"]
    assert np.allclose(got.loc[expected.index], expected, equal_nan=True)
    default = _features(client, ITEMS, limit=1000)
    before = pd.Series({f["id"]: f["properties"]["score_siap"] for f in default["features"]})
    assert not np.allclose(before.loc[got.index].astype(float), got, equal_nan=True)
    self_link = next(lnk["href"] for lnk in fc["links"] if lnk["rel"] == "self")
    assert "weights=" in self_link
    # the build's rank intervals belong to the build's weights: under others they are null,
    # while drivers and partial scores follow the request's weights
    props = [f["properties"] for f in fc["features"]]
    assert all(p["rank_siap_p50"] is None and p["top_class_siap_share"] is None for p in props)
    assert any(f["properties"]["rank_siap_p50"] is not None for f in default["features"])
    full = [p for p in props if p["score_siap"] is not None]
    parts = [
        sum(v for k, v in p.items() if k.startswith("contribution_siap") and v is not None)
        for p in full
    ]
    assert np.allclose(parts, [p["score_siap"] for p in full])


@pytest.mark.parametrize(
    "weights", ["nope:1", "siap_flood_share_2007:-1", "siap_flood_share_2007:x", "garbage"]
)
def test_bad_weights(client: TestClient, weights: str) -> None:
    assert "weights" in _bad(client, ITEMS, weights=weights)["description"]


def test_weights_and_classes_only_on_admin(client: TestClient) -> None:
    _bad(client, "/collections/tj_stops/items", weights="siap_flood_share_2007:1")
    _bad(client, "/collections/tj_stops/items", classify="quantiles")


@pytest.mark.parametrize("method", ["quantiles", "fisher_jenks", "equal_interval"])
def test_classify(client: TestClient, method: str) -> None:
    fc = _features(client, ITEMS, limit=1000, classify=method, k=4, classify_by="population")
    c = fc["classification"]
    assert c["method"] == method and c["k"] == len(c["breaks"]) == 4
    assert c["property"] == "population" and sum(c["counts"]) == 267
    breaks = c["breaks"]
    for f in fc["features"]:
        value, cls = f["properties"]["population"], f["properties"]["class"]
        assert value <= breaks[cls] and (cls == 0 or value > breaks[cls - 1])


def test_classify_user_breaks_and_default_property(client: TestClient) -> None:
    fc = _features(client, "/collections/kecamatan/items", classify="user", breaks="0.2,0.4,0.6")
    c = fc["classification"]
    assert c["property"] == "score_siap" and c["breaks"][:3] == [0.2, 0.4, 0.6]
    nulls = [f for f in fc["features"] if f["properties"]["score_siap"] is None]
    assert all(f["properties"]["class"] is None for f in nulls)
    both = _features(client, ITEMS, classify="quantiles", weights="siap_depth_mean:0", limit=5)
    assert "class" in both["features"][0]["properties"]


@pytest.mark.parametrize(
    "params",
    [
        {"classify": "rainbow"},
        {"classify": "quantiles", "k": 1},
        {"classify": "quantiles", "k": "many"},
        {"classify": "quantiles", "k": 500},
        {"classify": "user"},
        {"classify": "user", "breaks": "a,b"},
        {"classify": "user", "breaks": "0.5,0.2"},
        {"classify": "quantiles", "breaks": "0.1"},
        {"classify": "quantiles", "classify_by": "nope"},
        {"classify": "quantiles", "classify_by": "nama"},
        {"k": 3},
        {"classify": ""},
    ],
)
def test_bad_classification(client: TestClient, params: dict[str, Any]) -> None:
    _bad(client, ITEMS, **params)


def test_classify_more_classes_than_values(client: TestClient) -> None:
    body = _bad(client, "/collections/kota/items", classify="quantiles", k=12, classify_by="kode")
    assert body["code"] == "invalid_parameter"
    _bad(client, "/collections/kota/items", classify="quantiles", k=12, classify_by="population")


# --- single item --------------------------------------------------------------------------------


def test_single_item(client: TestClient) -> None:
    r = client.get(f"{ITEMS}/31.71.01.1001", params={"zoom": 12})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/geo+json")
    f = r.json()
    assert f["type"] == "Feature" and f["id"] == "31.71.01.1001"
    assert f["properties"]["nama"]
    assert {lnk["rel"] for lnk in f["links"]} >= {"self", "collection"}
    stop = client.get("/collections/tj_stops/items/1").json()
    assert stop["id"] == 1 and stop["geometry"]["type"] == "Point"
    weighted = client.get(f"{ITEMS}/31.71.01.1001", params={"weights": "siap_depth_mean:0"})
    assert weighted.status_code == 200


def test_single_item_errors(client: TestClient) -> None:
    assert _bad(client, f"{ITEMS}/99.99", 404)["code"] == "not_found"
    _bad(client, "/collections/tj_stops/items/999999", 404)
    _bad(client, f"{ITEMS}/31.71.01.1001", limit=5)
    _bad(client, f"{ITEMS}/31.71.01.1001", nope=1)


# --- GeoJSON rules and downloads ------------------------------------------------------------------

_DECIMALS = re.compile(rb"\d\.(\d{8,})")


def test_rfc7946_geometry(client: TestClient) -> None:
    r = client.get(ITEMS, params={"limit": 1000})
    coords_text = re.findall(rb'"coordinates":(\[[^a-z]*?\])\}', r.content)
    assert coords_text and not any(_DECIMALS.search(c) for c in coords_text)
    fc = r.json()
    assert "crs" not in fc
    polys = [p for f in fc["features"] for p in getattr(shape(f["geometry"]), "geoms", [])]
    assert polys
    assert all(shapely.is_ccw(p.exterior) for p in polys)
    assert all(not shapely.is_ccw(ring) for p in polys for ring in p.interiors)
    lon, lat = fc["features"][0]["geometry"]["coordinates"][0][0][0]
    assert 106 < lon < 107 and -7 < lat < -5


def test_geojson_download(client: TestClient) -> None:
    r = client.get(ITEMS, params={"f": "geojson"})
    assert r.status_code == 200
    assert r.headers["content-disposition"] == 'attachment; filename="kelurahan.geojson"'
    assert r.headers["content-type"].startswith("application/geo+json")
    assert r.json()["numberReturned"] == 267
    r = client.get(ITEMS, params={"f": "geojson", "kode_kota": "31.71"})
    assert r.json()["numberReturned"] == r.json()["numberMatched"] < 267


def test_gpkg_download(client: TestClient, tmp_path: Any) -> None:
    r = client.get(ITEMS, params={"f": "gpkg", "classify": "quantiles", "k": 4})
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/geopackage+sqlite3"
    assert r.headers["content-disposition"] == 'attachment; filename="kelurahan.gpkg"'
    path = tmp_path / "kelurahan.gpkg"
    path.write_bytes(r.content)
    layers = {str(n) for n, _ in pyogrio.list_layers(path)}
    assert {"kelurahan", "data_dictionary", "classification"} <= layers
    frame = pyogrio.read_dataframe(path, layer="kelurahan")
    assert len(frame) == 267 and "class" in frame.columns and "score_siap" in frame.columns
    info = pyogrio.read_info(path, layer="kelurahan")
    assert "kelurahan" in info["layer_metadata"]["DESCRIPTION"].lower()
    dictionary = pyogrio.read_dataframe(path, layer="data_dictionary")
    assert "siap_flood_share_2007" in set(dictionary["id"])
    table = client.get("/collections/river_waste/items", params={"f": "gpkg", "limit": 10})
    assert table.status_code == 200
    (tmp_path / "rw.gpkg").write_bytes(table.content)
    assert len(pyogrio.read_dataframe(tmp_path / "rw.gpkg")) == 10


def test_bad_format(client: TestClient) -> None:
    assert "f must be" in _bad(client, ITEMS, f="xml")["description"]


# --- HTTP ---------------------------------------------------------------------------------------


def test_etag_and_not_modified(client: TestClient) -> None:
    r = client.get(ITEMS, params={"limit": 5})
    etag = r.headers["etag"]
    assert r.headers["cache-control"].startswith("public")
    again = client.get(ITEMS, params={"limit": 5}, headers={"If-None-Match": etag})
    assert again.status_code == 304 and not again.content
    assert again.headers["etag"] == etag
    other = client.get(ITEMS, params={"limit": 5}, headers={"If-None-Match": '"other"'})
    assert other.status_code == 200
    col = client.get("/collections/kelurahan")
    assert (
        client.get(
            "/collections/kelurahan", headers={"If-None-Match": col.headers["etag"]}
        ).status_code
        == 304
    )


def test_gzip_for_large_responses(client: TestClient) -> None:
    r = client.get(ITEMS, params={"limit": 1000}, headers={"Accept-Encoding": "gzip"})
    assert r.headers["content-encoding"] == "gzip"
    assert int(r.headers["content-length"]) < len(r.content) / 2
    plain = client.get(ITEMS, params={"limit": 1000}, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert plain.content == r.content


def test_cors(client: TestClient) -> None:
    r = client.get("/collections", headers={"Origin": "http://example.org"})
    assert r.headers["access-control-allow-origin"] in ("*", "http://example.org")
