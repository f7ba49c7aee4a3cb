"""One small test per fuzzing finding (see test_fuzz.py), named after what it checks."""

from __future__ import annotations

from typing import Any

import pytest
from fuzzkit import Harness, harness, point_feature

from geo.actions.geometry import parse_geometry

__all__ = ["harness"]

BASE = "/collections/actions"
ITEMS = "/collections/{collectionId}/items"
ITEM = "/collections/{collectionId}/items/{featureId}"


def test_geometry_type_that_is_a_list_is_a_422_not_a_500(harness: Harness) -> None:
    """Finding 1: ``geometry.type`` holding a list (unhashable) crashed the DEPTH lookup."""
    body = point_feature()
    body["geometry"] = {"type": ["Point"], "coordinates": [106.8272, -6.1754]}
    r = harness.client.post(f"{BASE}/items", json=body, headers=harness.auth())
    assert r.status_code == 422
    assert r.json()["details"][0]["field"] == "geometry.type"
    imported = {"type": "FeatureCollection", "features": [body]}
    r = harness.client.post(f"{BASE}/import", json=imported, headers=harness.auth())
    assert r.status_code == 422


@pytest.mark.parametrize("kind", [["Point"], {"a": 1}, 3, None, True])
def test_parse_geometry_names_a_non_string_type(kind: Any) -> None:
    """Finding 1, in the core: any non-string geometry type is a field error."""
    geom, errors = parse_geometry({"type": kind, "coordinates": [106.8, -6.2]}, 1000)
    assert geom is None
    assert errors[0]["field"] == "geometry.type"


def test_errors_are_declared_as_json_error_bodies(harness: Harness) -> None:
    """Finding 2: error statuses were undeclared or typed as the route's GeoJSON media type."""
    doc = harness.client.get("/api").json()
    post = doc["paths"][ITEMS]["post"]["responses"]
    for status in ("400", "401", "403", "413", "422", "503"):
        media = post[status]["content"]
        assert list(media) == ["application/json"], status
        assert media["application/json"]["schema"]["$ref"].endswith("/ErrorBody")
    r = harness.client.post(f"{BASE}/items", json={}, headers=harness.auth())
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/json"


def test_validation_errors_are_documented_as_400_not_fastapis_422(harness: Harness) -> None:
    """Finding 3: FastAPI documented a 422 HTTPValidationError; the app answers 400."""
    doc = harness.client.get("/api").json()
    assert "HTTPValidationError" not in doc["components"]["schemas"]
    history = doc["paths"][f"{BASE}/items/{{featureId}}/history"]["get"]["responses"]
    assert "422" not in history and "400" in history
    r = harness.client.get(f"{BASE}/items", params={"limit": "many"})
    assert r.status_code == 400 and r.json()["code"] == "invalid_parameter"


def test_geojson_routes_declare_geo_json_media_types(harness: Harness) -> None:
    """Finding 4: GeoJSON answers (application/geo+json) were documented as application/json."""
    doc = harness.client.get("/api").json()
    for path in (ITEMS, ITEM, "/coverage-gaps"):
        assert "application/geo+json" in doc["paths"][path]["get"]["responses"]["200"]["content"]
    r = harness.client.get("/coverage-gaps", params={"pilar": "siap"})
    assert r.headers["content-type"] == "application/geo+json"


def test_downloads_declare_the_geopackage_media_type(harness: Harness) -> None:
    """Finding 4b: f=gpkg answers application/geopackage+sqlite3, which must be declared."""
    doc = harness.client.get("/api").json()
    content = doc["paths"][f"{BASE}/export"]["get"]["responses"]["200"]["content"]
    assert "application/geopackage+sqlite3" in content
    r = harness.client.get(f"{BASE}/export", params={"f": "gpkg"})
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/geopackage+sqlite3"


def test_html_pages_declare_their_friendly_error_pages(harness: Harness) -> None:
    """Finding 5: /peta answers 400 and /kelurahan/{kode} 404 as HTML pages, now declared."""
    doc = harness.client.get("/api").json()
    assert "text/html" in doc["paths"]["/peta"]["get"]["responses"]["400"]["content"]
    assert "text/html" in doc["paths"]["/kelurahan/{kode}"]["get"]["responses"]["404"]["content"]
    r = harness.client.get("/peta", params={"k": "99"})
    assert r.status_code == 400 and r.headers["content-type"].startswith("text/html")


def test_conditional_answers_are_declared(harness: Harness) -> None:
    """Finding 6: 304 (If-None-Match) and 303 (landing page for browsers) were undeclared."""
    doc = harness.client.get("/api").json()
    assert "304" in doc["paths"][ITEM]["get"]["responses"]
    assert "304" in doc["paths"][ITEMS]["get"]["responses"]
    assert "303" in doc["paths"]["/"]["get"]["responses"]
    action = harness.actions[0]
    current = harness.store.get(action.id)
    r = harness.client.get(f"{BASE}/items/{action.id}", headers={"If-None-Match": current.etag})
    assert r.status_code == 304


def test_writes_declare_bearer_auth_and_if_match(harness: Harness) -> None:
    """Finding 7: the bearer scheme and the If-Match header were not in the document."""
    doc = harness.client.get("/api").json()
    assert doc["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    put = doc["paths"][ITEM]["put"]
    assert put["security"] == [{"HTTPBearer": []}]
    assert any(p["name"] == "If-Match" and p["in"] == "header" for p in put["parameters"])


def test_action_bodies_are_described_by_a_feature_schema(harness: Harness) -> None:
    """Finding 8: bodies were `type: object`; the schema now names pillar, status, geometry."""
    doc = harness.client.get("/api").json()
    body = doc["paths"][ITEM]["put"]["requestBody"]
    schema = body["content"]["application/geo+json"]["schema"]
    props = schema["properties"]["properties"]["properties"]
    assert set(props["pillar"]["enum"]) == {"siap", "sehat", "terhubung"}
    assert "$ref" not in str(schema)
