"""Output CRS and bbox-crs (OGC API - Features Part 2) on tiny exact inputs."""

from __future__ import annotations

import orjson
import pyproj
import pytest

from geo.crs import CRS84_URI, METRIC_CRS, STORAGE_CRS, ogc_uri
from geo.errors import InvalidParameterError
from geo.ogc.reproject import SUPPORTED, bbox_in_crs84, parse_crs, reproject_features

EPSG4326 = ogc_uri(STORAGE_CRS)
UTM48S = ogc_uri(METRIC_CRS)
POINT = orjson.dumps(
    {
        "type": "Feature",
        "id": "a",
        "geometry": {"type": "Point", "coordinates": [106.8, -6.2]},
        "properties": {"n": 1},
    }
)


def test_supported_lists_the_three_uris() -> None:
    assert SUPPORTED == (CRS84_URI, EPSG4326, UTM48S)


@pytest.mark.parametrize(
    "text",
    [
        UTM48S,
        "EPSG:32748",
        "epsg:32748",
        "[EPSG:32748]",
        "urn:ogc:def:crs:EPSG::32748",
        " EPSG:32748 ",
    ],
)
def test_parse_crs_accepts_uri_code_curie_and_urn(text: str) -> None:
    assert parse_crs("crs", text) == UTM48S


@pytest.mark.parametrize("text", ["", "EPSG:3857", "EPSG:4326x", "CRS83", "http://x"])
def test_parse_crs_refuses_others_naming_the_supported(text: str) -> None:
    with pytest.raises(InvalidParameterError) as err:
        parse_crs("crs", text)
    assert all(uri in err.value.message for uri in SUPPORTED)


def test_epsg4326_output_is_latitude_first() -> None:
    (out,) = reproject_features([POINT], EPSG4326)
    doc = orjson.loads(out)
    assert doc["geometry"]["coordinates"] == [-6.2, 106.8]
    assert doc["properties"] == {"n": 1} and doc["id"] == "a"


def test_utm_output_matches_pyproj_to_the_millimetre() -> None:
    (out,) = reproject_features([POINT], UTM48S)
    e, n = orjson.loads(out)["geometry"]["coordinates"]
    t = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:32748", always_xy=True)
    want_e, want_n = t.transform(106.8, -6.2)
    assert abs(e - want_e) < 1e-3 and abs(n - want_n) < 1e-3
    assert 690_000 < e < 710_000 and 9_300_000 < n < 9_320_000


def test_null_geometry_and_crs84_pass_through() -> None:
    empty = b'{"type":"Feature","id":1,"geometry":null,"properties":{}}'
    assert reproject_features([empty], UTM48S) == [empty]
    assert reproject_features([POINT], CRS84_URI) == [POINT]


def test_bbox_in_epsg4326_is_lat_lon() -> None:
    assert bbox_in_crs84("-6.3,106.7,-6.1,106.9", EPSG4326) == pytest.approx(
        (106.7, -6.3, 106.9, -6.1)
    )


def test_bbox_in_utm_is_densified_envelope() -> None:
    minx, miny, maxx, maxy = bbox_in_crs84("690000,9300000,710000,9320000", UTM48S)
    t = pyproj.Transformer.from_crs("EPSG:32748", "EPSG:4326", always_xy=True)
    corners = [t.transform(x, y) for x in (690000, 710000) for y in (9300000, 9320000)]
    assert all(minx <= lon <= maxx and miny <= lat <= maxy for lon, lat in corners)
    # an edge bows outwards in degrees: the densified box is no smaller than the corners'
    assert minx <= min(c[0] for c in corners) and maxy >= max(c[1] for c in corners)


@pytest.mark.parametrize(
    "text",
    ["1,2,3", "a,b,c,d", "700000,9300000,690000,9310000", "1e9,1e9,2e9,2e9", "nan,1,2,3"],
)
def test_bad_utm_bbox_is_a_400(text: str) -> None:
    with pytest.raises(InvalidParameterError):
        bbox_in_crs84(text, UTM48S)
