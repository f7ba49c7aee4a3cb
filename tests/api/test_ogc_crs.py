"""OGC API - Features Part 2 (crs, bbox-crs, Content-Crs, storageCrs) and BPS codes, in process.

Every parameter with its errors, on the real build: the three CRSs of the kelurahan items and
item, GeoJSON and GeoPackage; the BPS code of a kelurahan redirecting to its Kemendagri code.
"""

from __future__ import annotations

import io

import numpy as np
import orjson
import pyogrio
import pyproj
import pytest
import shapely
from fastapi.testclient import TestClient

from geo.crs import CRS84_URI, METRIC_CRS, STORAGE_CRS, ogc_uri

pytestmark = pytest.mark.realdata

EPSG4326 = ogc_uri(STORAGE_CRS)
UTM48S = ogc_uri(METRIC_CRS)
ITEMS = "/collections/kelurahan/items"
PAGE = {"limit": "20", "sortby": "kode"}


def _geoms(body: dict) -> list[shapely.Geometry]:
    return [shapely.from_geojson(orjson.dumps(f["geometry"])) for f in body["features"]]


def test_collection_lists_crs_and_storage_crs(client: TestClient) -> None:
    doc = client.get("/collections/kelurahan").json()
    assert doc["crs"] == [CRS84_URI, EPSG4326, UTM48S]
    assert doc["storageCrs"] == CRS84_URI
    listing = client.get("/collections").json()
    assert listing["crs"] == [CRS84_URI, EPSG4326, UTM48S]
    assert all(UTM48S in c["crs"] for c in listing["collections"])


@pytest.mark.parametrize("crs", [None, CRS84_URI, EPSG4326, UTM48S])
def test_every_answer_says_its_content_crs(client: TestClient, crs: str | None) -> None:
    params = {**PAGE, **({"crs": crs} if crs else {})}
    answer = client.get(ITEMS, params=params)
    assert answer.status_code == 200
    assert answer.headers["content-crs"] == f"<{crs or CRS84_URI}>"
    one = client.get(f"{ITEMS}/31.71.01.1001", params={"crs": crs} if crs else {})
    assert one.headers["content-crs"] == f"<{crs or CRS84_URI}>"
    if crs and crs != CRS84_URI:
        assert any(
            link["rel"] == "self" and "crs=" in link["href"] for link in answer.json()["links"]
        )


def test_epsg4326_is_latitude_first_and_utm_agrees_with_pyproj(client: TestClient) -> None:
    base = _geoms(client.get(ITEMS, params=PAGE).json())
    latlon = _geoms(client.get(ITEMS, params={**PAGE, "crs": "EPSG:4326"}).json())
    utm = _geoms(client.get(ITEMS, params={**PAGE, "crs": "EPSG:32748"}).json())
    t = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:32748", always_xy=True)
    for b, ll, u in zip(base, latlon, utm, strict=True):
        xy = shapely.get_coordinates(b)
        assert np.allclose(shapely.get_coordinates(ll)[:, ::-1], xy, atol=1e-8)
        assert (shapely.get_coordinates(ll)[:, 0] < 0).all()  # latitude (south) first
        want = np.column_stack(t.transform(xy[:, 0], xy[:, 1]))
        assert np.abs(shapely.get_coordinates(u) - want).max() < 1e-3  # 1 mm


def test_crs_is_part_of_the_cache_key(client: TestClient) -> None:
    a = client.get(ITEMS, params={**PAGE, "crs": "EPSG:32748"}).content
    b = client.get(ITEMS, params=PAGE).content
    c = client.get(ITEMS, params={**PAGE, "crs": "EPSG:32748"}).content
    assert a == c and a != b


def test_gpkg_in_utm_declares_epsg_32748(client: TestClient) -> None:
    answer = client.get(ITEMS, params={"f": "gpkg", "crs": UTM48S, "limit": "5"})
    assert answer.status_code == 200 and answer.headers["content-crs"] == f"<{UTM48S}>"
    frame = pyogrio.read_dataframe(io.BytesIO(answer.content), layer="kelurahan")
    assert frame.crs.to_epsg() == 32748
    assert frame.total_bounds[0] > 100_000  # metres, not degrees
    default = pyogrio.read_dataframe(
        io.BytesIO(client.get(ITEMS, params={"f": "gpkg", "limit": "5"}).content), layer="kelurahan"
    )
    assert default.crs.to_epsg() == 4326


def test_bbox_crs_selects_the_same_units(client: TestClient) -> None:
    lonlat = (106.80, -6.22, 106.84, -6.18)
    plain = client.get(ITEMS, params={"bbox": ",".join(map(str, lonlat)), "limit": "500"}).json()
    swapped = f"{lonlat[1]},{lonlat[0]},{lonlat[3]},{lonlat[2]}"
    by4326 = client.get(
        ITEMS, params={"bbox": swapped, "bbox-crs": EPSG4326, "limit": "500"}
    ).json()
    assert plain["numberMatched"] == by4326["numberMatched"] > 0
    t = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:32748", always_xy=True)
    e0, n0 = t.transform(lonlat[0], lonlat[1])
    e1, n1 = t.transform(lonlat[2], lonlat[3])
    by_utm = client.get(
        ITEMS, params={"bbox": f"{e0},{n0},{e1},{n1}", "bbox-crs": "EPSG:32748", "limit": "500"}
    ).json()
    got = {f["id"] for f in by_utm["features"]}
    # the box in metres, densified, holds the box in degrees up to its slightly turned edges
    plain_ids = {f["id"] for f in plain["features"]}
    assert len(got & plain_ids) >= len(plain_ids) - 2


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"crs": "EPSG:3857"}, "crs 'EPSG:3857' is not supported"),
        ({"crs": ""}, "not supported"),
        ({"bbox-crs": "EPSG:9999", "bbox": "1,2,3,4"}, "bbox-crs"),
        ({"bbox-crs": UTM48S, "bbox": "700000,9300000,690000,9310000"}, "lower corner first"),
        ({"bbox-crs": UTM48S, "bbox": "1e12,1e12,2e12,2e12"}, "outside the area"),
        ({"bbox-crs": UTM48S, "bbox": "1,2,3"}, "4 numbers"),
        ({"bbox-crs": EPSG4326, "bbox": "106.7,-6.3,106.9,-6.1"}, "outside"),
    ],
)
def test_wrong_crs_is_a_400_naming_the_supported(
    client: TestClient, params: dict[str, str], words: str
) -> None:
    answer = client.get(ITEMS, params=params)
    assert answer.status_code == 400, answer.text
    assert words in answer.json()["description"]
    if "crs" in params:
        assert UTM48S in answer.json()["description"]
    item = client.get(f"{ITEMS}/31.71.01.1001", params={"crs": "EPSG:3857"})
    assert item.status_code == 400


# --- BPS codes ------------------------------------------------------------------------------


def test_kelurahan_carry_their_bps_code(client: TestClient) -> None:
    body = client.get(ITEMS, params={"limit": "500", "properties": "kode,kode_bps"}).json()
    codes = {f["id"]: f["properties"]["kode_bps"] for f in body["features"]}
    assert len(codes) == 267
    assert sum(v is not None for v in codes.values()) == 254
    assert codes["31.71.04.1001"] is None  # Senen: not in the BPS 2018 list
    assert codes["31.01.01.1001"] == "3101020001"


def test_a_bps_code_redirects_to_the_kemendagri_feature(client: TestClient) -> None:
    answer = client.get(f"{ITEMS}/3101020001?crs=EPSG:32748", follow_redirects=False)
    assert answer.status_code == 308
    assert answer.headers["location"].endswith(
        "/collections/kelurahan/items/31.01.01.1001?crs=EPSG%3A32748"
    )
    assert 'rel="canonical"' in answer.headers["link"]
    followed = client.get(f"{ITEMS}/3101020001")
    assert followed.status_code == 200 and followed.json()["id"] == "31.01.01.1001"
    assert followed.json()["properties"]["kode_bps"] == "3101020001"


def test_unknown_codes_stay_unknown(client: TestClient) -> None:
    for code in ("3171049999", "3199999999", "31.71.04.9999", "kode_bps"):
        assert client.get(f"{ITEMS}/{code}", follow_redirects=False).status_code == 404
    # a BPS code names only a kelurahan, not a kecamatan
    assert client.get("/collections/kecamatan/items/3101020001").status_code == 404


def test_the_profile_page_redirects_a_bps_code(client: TestClient) -> None:
    answer = client.get("/kelurahan/3101020001?lang=en", follow_redirects=False)
    assert answer.status_code == 308
    assert answer.headers["location"].endswith("/kelurahan/31.01.01.1001?lang=en")
    assert client.get("/kelurahan/3101020001").status_code == 200
    assert client.get("/kelurahan/3171049999", follow_redirects=False).status_code == 404
