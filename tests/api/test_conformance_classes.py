"""Each conformance class ``/conformance`` declares, checked against its abstract test suite.

The checklist is the assertions of the OGC abstract tests (OGC API - Features Part 1 Annex A,
the ``ets-ogcapi-features10`` executable suite; Part 3 Annex A, ``/conf/queryables/...``,
``/conf/filter/...``, ``/conf/features-filter/...``; CQL2 Annex A), run with the TestClient over
the real build. A class without a test here must not be declared: the first test pins the
declaration to the classes tested below, and names the ones deliberately left out.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

pytestmark = pytest.mark.realdata

P1 = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/"
P2 = "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/"
P3 = "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/"
CQL2 = "http://www.opengis.net/spec/cql2/1.0/conf/"
QUERYABLES_REL = "http://www.opengis.net/def/rel/ogc/1.0/queryables"

TESTED = {
    P1 + "core",
    P1 + "geojson",
    P1 + "html",
    P2 + "crs",
    P3 + "filter",
    P3 + "features-filter",
    P3 + "queryables",
    CQL2 + "cql2-text",
    CQL2 + "cql2-json",
    CQL2 + "basic-cql2",
    CQL2 + "advanced-comparison-operators",
    CQL2 + "basic-spatial-functions",
    CQL2 + "basic-spatial-functions-plus",
    CQL2 + "spatial-functions",
}
"""Every class declared; each has a test below."""

NOT_DECLARED = {
    P1 + "oas30": "the API document is OpenAPI 3.1; Part 1 1.0 has no 3.1 class",
    P3 + "queryables-query-parameters": "name=value works only for some queryables",
    CQL2 + "property-property": "a = b between two properties is a 400",
    CQL2 + "temporal-functions": (
        "only T_BEFORE, T_AFTER, T_INTERSECTS, T_EQUALS, T_DURING of an instant property; the "
        "class needs every T_* function and interval properties"
    ),
    CQL2 + "case-insensitive-comparison": "CASEI is not implemented",
    CQL2 + "accent-insensitive-comparison": "ACCENTI is not implemented",
    CQL2 + "array-functions": "A_* functions are not implemented",
    CQL2 + "arithmetic": "arithmetic is not implemented",
    "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/create-replace-delete": (
        "writes need If-Match (428 without), Part 4 lets a client write without one"
    ),
}
"""Classes deliberately not declared, and why."""

KELURAHAN = "/collections/kelurahan"
ITEMS = f"{KELURAHAN}/items"
JAKARTA = (106.68, -6.38, 106.98, -6.08)


def _ok(client: TestClient, url: str, **params: Any) -> dict[str, Any]:
    r = client.get(url, params=params)
    assert r.status_code == 200, r.text
    return r.json()


def _ids(client: TestClient, url: str = ITEMS, **params: Any) -> list[str]:
    light = {"properties": "kode"} if url == ITEMS else {}
    body = _ok(client, url, limit=5000, **light, **params)
    assert body["numberReturned"] == len(body["features"]) == body["numberMatched"]
    return sorted(str(f["id"]) for f in body["features"])


def _conforms_to(client: TestClient) -> list[str]:
    r = client.get("/conformance", headers={"Accept": "application/json"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/json")
    conforms = r.json()["conformsTo"]
    assert isinstance(conforms, list) and all(isinstance(c, str) for c in conforms)
    return conforms


def test_declares_exactly_the_tested_classes(client: TestClient) -> None:
    conforms = _conforms_to(client)
    assert len(conforms) == len(set(conforms))
    assert set(conforms) == TESTED
    assert not set(conforms) & set(NOT_DECLARED)


def test_openapi_class_matches_the_document(client: TestClient) -> None:
    """oas30 is declared only if /api is OpenAPI 3.0; the landing link says the real version."""
    version = _ok(client, "/api")["openapi"]
    assert (P1 + "oas30" in _conforms_to(client)) == version.startswith("3.0")
    landing = client.get("/", headers={"Accept": "application/json"}).json()
    desc = next(link for link in landing["links"] if link["rel"] == "service-desc")
    assert desc["type"].endswith("version=" + ".".join(version.split(".")[:2]))


# --- Part 1 core (ATS A.2, ets-ogcapi-features10 core) -----------------------------------------


def test_core_landing_page_and_api_definition(client: TestClient) -> None:
    """/conf/core/root-op, root-success, api-definition-op."""
    r = client.get("/", headers={"Accept": "application/json"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    rels = {link["rel"]: link for link in r.json()["links"]}
    for rel in ("conformance", "data"):
        assert rels[rel]["href"], rel
    assert "service-desc" in rels or "service-doc" in rels
    assert client.get("/api").status_code == 200


def test_core_collections(client: TestClient) -> None:
    """/conf/core/fc-md-op, fc-md-success, fc-md-links, fc-md-items, fc-md-extent."""
    body = _ok(client, "/collections")
    assert any(link["rel"] == "self" for link in body["links"])
    assert body["collections"]
    for coll in body["collections"]:
        assert isinstance(coll["id"], str) and coll["id"]
        items = [link for link in coll["links"] if link["rel"] == "items"]
        assert items, coll["id"]
        bbox = coll.get("extent", {}).get("spatial", {}).get("bbox")
        if bbox is not None:
            assert all(len(b) in (4, 6) for b in bbox), coll["id"]


def test_core_one_collection(client: TestClient) -> None:
    """/conf/core/sfc-md-op, sfc-md-success: same id as in /collections."""
    coll = _ok(client, KELURAHAN)
    assert coll["id"] == "kelurahan"
    assert any(link["rel"] == "items" for link in coll["links"])
    assert client.get("/collections/not_a_collection").status_code == 404


def test_core_items_limit_paging_and_counts(client: TestClient) -> None:
    """/conf/core/fc-op, fc-limit-definition, fc-limit-response, fc-links, fc-rel-type,
    fc-timeStamp, fc-numberMatched, fc-numberReturned; a limit above the maximum is lowered."""
    body = _ok(client, ITEMS, limit=10)
    assert body["type"] == "FeatureCollection"
    assert body["numberReturned"] == len(body["features"]) == 10
    assert body["numberMatched"] == 267
    assert "timeStamp" in body
    rels = {link["rel"] for link in body["links"]}
    assert {"self", "next"} <= rels
    nxt = next(link["href"] for link in body["links"] if link["rel"] == "next")
    page2 = client.get(nxt).json()
    assert not {f["id"] for f in page2["features"]} & {f["id"] for f in body["features"]}
    assert client.get(ITEMS, params={"limit": 10**9}).status_code == 200
    for bad in ("0", "-1", "ten"):
        assert client.get(ITEMS, params={"limit": bad}).status_code == 400


def test_core_items_bbox(client: TestClient) -> None:
    """/conf/core/fc-bbox-definition, fc-bbox-response: features intersect the bbox; a bad
    bbox is a 400."""
    import shapely

    box = (106.80, -6.20, 106.85, -6.15)
    body = _ok(client, ITEMS, bbox=",".join(map(str, box)), limit=5000)
    assert 0 < body["numberMatched"] < 267
    shapes = [shapely.geometry.shape(f["geometry"]) for f in body["features"]]
    assert all(s.intersects(shapely.box(*box)) for s in shapes)
    for bad in ("1,2,3", "a,b,c,d", "106.9,-6.1,106.8,-6.2"):
        assert client.get(ITEMS, params={"bbox": bad}).status_code == 400


def test_core_one_feature(client: TestClient) -> None:
    """/conf/core/f-op, f-success: the feature, links self and collection; unknown id 404."""
    r = client.get(f"{ITEMS}/31.71.01.1001")
    assert r.status_code == 200
    feature = r.json()
    assert feature["id"] == "31.71.01.1001"
    rels = {link["rel"] for link in feature["links"]}
    assert {"self", "collection"} <= rels
    assert client.get(f"{ITEMS}/00.00.00.0000").status_code == 404


# --- Part 1 GeoJSON (ATS A.3) ------------------------------------------------------------------


def test_geojson_items_and_feature(client: TestClient) -> None:
    """/conf/geojson/content, definition: application/geo+json, RFC 7946 members."""
    r = client.get(ITEMS, params={"limit": 3}, headers={"Accept": "application/geo+json"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/geo+json")
    for feature in r.json()["features"]:
        assert feature["type"] == "Feature"
        assert {"geometry", "properties"} <= set(feature)
        assert "crs" not in feature
    one = client.get(f"{ITEMS}/31.71.01.1001", headers={"Accept": "application/geo+json"})
    assert one.headers["content-type"].startswith("application/geo+json")
    assert one.json()["type"] == "Feature"


@pytest.mark.parametrize(
    "url",
    ["/?f=html", "/conformance", "/collections", KELURAHAN, ITEMS, f"{ITEMS}/31.71.01.1001"],
)
def test_html_definition_and_content(client: TestClient, url: str) -> None:
    """/conf/html/definition and /content: asked for HTML (Accept, or f=html on the landing
    page, whose plain browser request opens the map), each resource answers a 200 HTML5
    document that names what its JSON says, with a link to the JSON alternate."""
    r = client.get(url, headers={"Accept": "text/html"}, follow_redirects=False)
    assert r.status_code == 200, (url, r.status_code)
    assert r.headers["content-type"].startswith("text/html")
    assert r.text.lstrip().lower().startswith("<!doctype html>")
    assert 'rel="alternate"' in r.text and "application/" in r.text
    as_json = client.get(url.removesuffix("?f=html"), headers={"Accept": "application/json"}).json()
    if "features" in as_json:
        assert all(str(f["id"]) in r.text for f in as_json["features"][:5])
    elif "id" in as_json:
        assert str(as_json["id"]) in r.text
    elif "collections" in as_json:
        assert all(c["id"] in r.text for c in as_json["collections"])
    elif "conformsTo" in as_json:
        assert all(c in r.text for c in as_json["conformsTo"])


# --- Part 2 CRS by reference (ATS A.1, A.2) ---------------------------------------------------

CRS84_URI = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
EPSG_32748 = "http://www.opengis.net/def/crs/EPSG/0/32748"


def test_crs_collection_metadata(client: TestClient) -> None:
    """/conf/crs/crs-discovery, storageCrs: each collection lists its crs (CRS84 among them, as
    the default) and its storageCrs, and the list of collections lists them too."""
    collections = _ok(client, "/collections")
    assert CRS84_URI in collections.get("crs", [])
    for c in collections["collections"]:
        listed = c["crs"] if c["crs"] != ["#/crs"] else collections["crs"]
        assert CRS84_URI in listed and EPSG_32748 in listed
        assert c["storageCrs"] in listed


def test_crs_parameter_and_content_crs(client: TestClient) -> None:
    """/conf/crs/fc-md-crs-list, crs-parameter, ogc-crs-header: every listed crs is answered with
    its Content-Crs header, coordinates in that CRS; an unlisted one is a 400."""
    listed = _ok(client, KELURAHAN)["crs"]
    for crs in listed:
        for url, extra in ((ITEMS, {"limit": 2}), (f"{ITEMS}/31.71.01.1001", {})):
            r = client.get(url, params={"crs": crs, **extra})
            assert r.status_code == 200, r.text
            assert r.headers["Content-Crs"] == f"<{crs}>"
    x, y = client.get(f"{ITEMS}/31.71.01.1001", params={"crs": EPSG_32748}).json()["geometry"][
        "coordinates"
    ][0][0][0]
    assert 600_000 < x < 800_000 and 9_200_000 < y < 9_400_000  # metres, UTM 48S
    assert (
        client.get(ITEMS, params={"crs": "http://www.opengis.net/def/crs/EPSG/0/3857"}).status_code
        == 400
    )


def test_bbox_crs_parameter(client: TestClient) -> None:
    """/conf/crs/bbox-crs-parameter: a bbox in a listed CRS selects as the same box in CRS84;
    an unlisted bbox-crs is a 400."""
    in_degrees = _ids(client, bbox="106.80,-6.20,106.85,-6.15")
    from pyproj import Transformer

    to_utm = Transformer.from_crs("OGC:CRS84", "EPSG:32748", always_xy=True)
    (x0, x1), (y0, y1) = to_utm.transform([106.80, 106.85], [-6.20, -6.15])
    box = f"{x0:.0f},{y0:.0f},{x1:.0f},{y1:.0f}"
    in_metres = _ids(client, bbox=box, **{"bbox-crs": EPSG_32748})
    assert in_degrees and in_metres
    assert len(set(in_degrees) & set(in_metres)) >= min(len(in_degrees), len(in_metres)) // 2
    bad = client.get(ITEMS, params={"bbox": "0,0,1,1", "bbox-crs": "EPSG:3857"})
    assert bad.status_code == 400


# --- Part 3 queryables (ATS A.1) ---------------------------------------------------------------


@pytest.mark.parametrize("collection", ["kelurahan", "tj_stops", "actions", "coverage_gaps_siap"])
def test_queryables(client: TestClient, collection: str) -> None:
    """/conf/queryables/get-conformance, get-queryables-uris, get-queryables."""
    assert P3 + "queryables" in _conforms_to(client)
    r = client.get(f"/collections/{collection}", headers={"Accept": "application/json"})
    hrefs = [link["href"] for link in r.json()["links"] if link["rel"] == QUERYABLES_REL]
    assert len(hrefs) == 1
    assert r.headers["link"] == (
        f'<{hrefs[0]}>; rel="{QUERYABLES_REL}"; type="application/schema+json"'
    )  # the abstract test reads the Link header
    r = client.get(hrefs[0], headers={"Accept": "application/schema+json"})
    assert r.status_code == 200
    assert r.headers["content-type"].split(";")[0] == "application/schema+json"
    doc = r.json()
    assert doc["$schema"] in (
        "https://json-schema.org/draft/2019-09/schema",
        "https://json-schema.org/draft/2020-12/schema",
    )
    assert doc["$id"] == hrefs[0]
    assert doc["type"] == "object"
    assert doc["properties"]
    for name, prop in doc["properties"].items():
        assert isinstance(prop, dict), name
        assert "type" in prop or str(prop.get("format", "")).startswith("geometry-"), name
        assert prop.get("title"), name
    geometry = [n for n, p in doc["properties"].items() if "x-ogc-role" in p]
    assert geometry == ["geometry"]


# --- Part 3 filter (ATS A.3) and features-filter (ATS A.4) -------------------------------------


def test_filter_param_lang_default_and_invalid(client: TestClient) -> None:
    """/conf/filter/filter-param, filter-lang-default: each returned feature matches; an
    invalid filter is a 400."""
    body = _ok(client, ITEMS, filter="kode_kota = '31.74'", limit=5000)
    assert body["numberMatched"] > 0
    assert all(f["properties"]["kode_kota"] == "31.74" for f in body["features"])
    with_lang = _ok(
        client, ITEMS, filter="kode_kota = '31.74'", limit=5000, **{"filter-lang": "cql2-text"}
    )
    assert with_lang["numberMatched"] == body["numberMatched"]
    for bad in ("THIS IS NOT A FILTER", "kode_kota ="):
        assert client.get(ITEMS, params={"filter": bad}).status_code == 400


def test_filter_expression_construction(client: TestClient) -> None:
    """/conf/filter/expression-construction: additionalProperties is false, so an unknown
    queryable is a 400."""
    assert _ok(client, f"{KELURAHAN}/queryables")["additionalProperties"] is False
    r = client.get(ITEMS, params={"filter": "this_is_not_a_queryable = 1"})
    assert r.status_code == 400
    assert "this_is_not_a_queryable" in r.json()["description"]


def test_filter_crs_wgs84(client: TestClient) -> None:
    """/conf/filter/filter-crs-wgs84: a spatial predicate on the collection's CRS84 bbox keeps
    every feature; a literal far outside CRS84 is an unsuccessful execution."""
    bbox = _ok(client, KELURAHAN)["extent"]["spatial"]["bbox"][0]
    literal = "BBOX({},{},{},{})".format(*bbox)
    assert _ids(client, filter=f"S_INTERSECTS(geometry, {literal})") == _ids(client)
    far = "S_INTERSECTS(geometry, BBOX(1000000,1000000,2000000,2000000))"
    assert client.get(ITEMS, params={"filter": far}).status_code == 400


def test_features_filter_collections_and_mixing(client: TestClient) -> None:
    """/conf/features-filter/get-collection, filter-on-items, mixing-expression: a queryables
    link on each collection; bbox and filter are ANDed."""
    assert P3 + "features-filter" in _conforms_to(client)
    for coll in _ok(client, "/collections")["collections"]:
        rels = [link for link in coll["links"] if link["rel"] == QUERYABLES_REL]
        path = rels[0]["href"].split("?")[0] if rels else ""
        assert path.endswith(f"/collections/{coll['id']}/queryables"), coll["id"]
    box = "106.80,-6.20,106.85,-6.15"
    literal = "BBOX({},{},{},{})".format(*JAKARTA)
    mixed = _ids(client, bbox=box, filter=f"S_INTERSECTS(geometry, {literal})")
    assert mixed == _ids(client, bbox=box)
    both = _ids(client, bbox=box, filter="kode_kota = '31.71'")
    assert both == sorted(
        set(_ids(client, bbox=box)) & set(_ids(client, filter="kode_kota = '31.71'"))
    )


# --- CQL2 (CQL2 ATS) ---------------------------------------------------------------------------


def test_cql2_text_and_json(client: TestClient) -> None:
    """/conf/cql2-text, /conf/cql2-json: the same expression in both encodings, same result."""
    text = "population > 30000 AND NOT (kode_kota = '31.71')"
    tree = {
        "op": "and",
        "args": [
            {"op": ">", "args": [{"property": "population"}, 30000]},
            {"op": "not", "args": [{"op": "=", "args": [{"property": "kode_kota"}, "31.71"]}]},
        ],
    }
    as_text = _ids(client, filter=text, **{"filter-lang": "cql2-text"})
    as_json = _ids(client, filter=json.dumps(tree), **{"filter-lang": "cql2-json"})
    assert as_text == as_json and as_text
    assert client.get(ITEMS, params={"filter": text, "filter-lang": "cql2-json"}).status_code == 400


def test_basic_cql2(client: TestClient) -> None:
    """/conf/basic-cql2: =, <>, <, <=, >, >= on strings and numbers, IS NULL, IS NOT NULL, AND,
    OR, NOT, boolean literals, and timestamps/dates on a temporal queryable (actions)."""
    every = _ids(client)
    lt, ge = _ids(client, filter="population < 30000"), _ids(client, filter="population >= 30000")
    assert sorted(lt + ge) == every and lt and ge
    le, gt = _ids(client, filter="population <= 30000"), _ids(client, filter="population > 30000")
    assert sorted(le + gt) == every
    eq, ne = _ids(client, filter="kode_kota = '31.71'"), _ids(client, filter="kode_kota <> '31.71'")
    assert sorted(eq + ne) == every and eq
    null, not_null = (
        _ids(client, filter="score_sehat IS NULL"),
        _ids(client, filter="score_sehat IS NOT NULL"),
    )
    assert sorted(null + not_null) == every
    assert _ids(client, filter="kode_kota = '31.71' OR kode_kota <> '31.71'") == every
    assert _ids(client, filter="kode_kota = '31.71' AND kode_kota <> '31.71'") == []
    assert _ids(client, filter="NOT (kode_kota = '31.71')") == ne
    assert _ids(client, filter="TRUE") == every
    assert _ids(client, filter="FALSE") == []
    actions = "/collections/actions/items"
    for text in (
        "updated_at > TIMESTAMP('2000-01-01T00:00:00Z')",
        "start_date >= DATE('2000-01-01') OR start_date IS NULL",
    ):
        assert client.get(actions, params={"filter": text}).status_code == 200, text
    assert client.get(ITEMS, params={"filter": "kode_kota = 31.71"}).status_code == 400


def test_advanced_comparison_operators(client: TestClient) -> None:
    """/conf/advanced-comparison-operators: LIKE (% and _), BETWEEN, IN and their NOT forms."""
    every = _ids(client)
    like = _ids(client, filter="nama LIKE 'K%'")
    assert like and sorted(like + _ids(client, filter="nama NOT LIKE 'K%'")) == every
    one_char = _ids(client, filter="kode LIKE '31.71.0_.1001'")
    assert "31.71.01.1001" in one_char
    between = _ids(client, filter="area_km2 BETWEEN 1 AND 2")
    outside = _ids(client, filter="area_km2 NOT BETWEEN 1 AND 2")
    assert between and sorted(between + outside) == every
    inside = _ids(client, filter="kode_kota IN ('31.71', '31.75')")
    assert inside == sorted(
        _ids(client, filter="kode_kota = '31.71'") + _ids(client, filter="kode_kota = '31.75'")
    )
    assert sorted(inside + _ids(client, filter="kode_kota NOT IN ('31.71', '31.75')")) == every


def test_basic_spatial_functions(client: TestClient) -> None:
    """/conf/basic-spatial-functions: S_INTERSECTS of the geometry and a POINT or BBOX."""
    point = _ids(client, filter="S_INTERSECTS(geometry, POINT(106.8271 -6.1754))")
    assert len(point) == 1  # Monas lies in one kelurahan
    box = _ids(client, filter="S_INTERSECTS(geometry, BBOX(106.80,-6.20,106.85,-6.15))")
    assert box == _ids(client, bbox="106.80,-6.20,106.85,-6.15")
    # either argument may be the literal (CQL2: the functions take two geometry expressions)
    assert _ids(client, filter="S_INTERSECTS(POINT(106.8271 -6.1754), geometry)") == point
    inside = "BBOX(106.80,-6.20,106.85,-6.15)"
    assert _ids(client, filter=f"S_CONTAINS({inside}, geometry)") == _ids(
        client, filter=f"S_WITHIN(geometry, {inside})"
    )


def test_basic_spatial_functions_plus(client: TestClient) -> None:
    """/conf/basic-spatial-functions-plus: S_INTERSECTS with every geometry literal type."""
    polygon = "POLYGON((106.80 -6.20, 106.85 -6.20, 106.85 -6.15, 106.80 -6.15, 106.80 -6.20))"
    as_polygon = _ids(client, filter=f"S_INTERSECTS(geometry, {polygon})")
    assert as_polygon == _ids(
        client, filter="S_INTERSECTS(geometry, BBOX(106.80,-6.20,106.85,-6.15))"
    )
    for literal in (
        "LINESTRING(106.80 -6.20, 106.85 -6.15)",
        "MULTIPOINT((106.8271 -6.1754), (106.80 -6.20))",
        "MULTILINESTRING((106.80 -6.20, 106.85 -6.15))",
        f"MULTIPOLYGON(({polygon[8:-1]}))",
        f"GEOMETRYCOLLECTION(POINT(106.8271 -6.1754), {polygon})",
    ):
        assert _ids(client, filter=f"S_INTERSECTS(geometry, {literal})"), literal


def test_spatial_functions(client: TestClient) -> None:
    """/conf/spatial-functions: S_WITHIN, S_CONTAINS, S_DISJOINT, S_EQUALS, S_TOUCHES,
    S_OVERLAPS, S_CROSSES against their definitions."""
    every = _ids(client)
    box = "BBOX(106.80,-6.20,106.85,-6.15)"
    hits = _ids(client, filter=f"S_INTERSECTS(geometry, {box})")
    disjoint = _ids(client, filter=f"S_DISJOINT(geometry, {box})")
    assert sorted(hits + disjoint) == every
    within = _ids(client, filter=f"S_WITHIN(geometry, {box})")
    overlaps = _ids(client, filter=f"S_OVERLAPS(geometry, {box})")
    assert within and overlaps and set(within) | set(overlaps) <= set(hits)
    assert not set(within) & set(overlaps)
    contains = _ids(client, filter="S_CONTAINS(geometry, POINT(106.8271 -6.1754))")
    assert contains == _ids(client, filter="S_INTERSECTS(geometry, POINT(106.8271 -6.1754))")
    line = "LINESTRING(106.80 -6.175, 106.85 -6.175)"
    assert set(_ids(client, filter=f"S_CROSSES(geometry, {line})")) <= set(
        _ids(client, filter=f"S_INTERSECTS(geometry, {line})")
    )
    touches = set(_ids(client, filter=f"S_TOUCHES(geometry, {box})"))
    assert touches <= set(hits) - set(within) - set(overlaps)
    stops = "/collections/tj_stops/items"
    stop = _ok(client, stops, limit=1)["features"][0]
    equals = {"op": "s_equals", "args": [{"property": "geometry"}, stop["geometry"]]}
    same = _ids(client, stops, filter=json.dumps(equals), **{"filter-lang": "cql2-json"})
    assert str(stop["id"]) in same
    assert _ids(client, filter="S_EQUALS(geometry, POINT(106.8271 -6.1754))") == []
