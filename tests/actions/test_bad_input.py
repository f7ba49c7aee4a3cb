"""Bad input: each case gets a 4xx naming the field, and the store is unchanged afterwards."""

from __future__ import annotations

import json
from typing import Any

import pytest
import sqlalchemy as sa
from actionkit import Tokens, counts, point_feature
from fastapi.testclient import TestClient

from geo.actions.model import ActionIn
from geo.actions.store import ActionStore

ITEMS = "/collections/actions/items"


def _with_geometry(geometry: Any) -> dict[str, Any]:
    feature = point_feature()
    feature["geometry"] = geometry
    return feature


def _with_props(**changes: Any) -> dict[str, Any]:
    feature = point_feature()
    for key, value in changes.items():
        if value is _DROP:
            feature["properties"].pop(key, None)
        else:
            feature["properties"][key] = value
    return feature


_DROP = object()
SQUARE = [[106.82, -6.18], [106.83, -6.18], [106.83, -6.17], [106.82, -6.17], [106.82, -6.18]]
BOW_TIE = [[106.82, -6.18], [106.83, -6.17], [106.83, -6.18], [106.82, -6.17], [106.82, -6.18]]
LONG_LINE = json.dumps(
    {
        **point_feature(),
        "geometry": {"type": "LineString", "coordinates": [[107, -6]] * 100_000},
    },
    separators=(",", ":"),
)
NAN_POINT = json.dumps(point_feature()).replace("106.8272", "NaN")
INF_POINT = json.dumps(point_feature()).replace("-6.1754", "-Infinity")
HUGE_BODY = json.dumps(point_feature(description="x" * 5_000_000))

# (case id, body (dict, or str sent raw), expected status, field named in details, message part)
CASES: list[tuple[str, Any, int, str, str]] = [
    ("bow-tie polygon", _with_geometry({"type": "Polygon", "coordinates": [BOW_TIE]}), 422,
     "geometry", "Self-intersection"),
    ("swapped lat/lon", _with_geometry({"type": "Point", "coordinates": [-6.1754, 106.8272]}),
     422, "geometry", "swapped"),
    ("point in the Java Sea", _with_geometry({"type": "Point", "coordinates": [107.6, -5.6]}),
     422, "geometry", "outside"),
    ("point in Bandung", _with_geometry({"type": "Point", "coordinates": [107.61, -6.91]}),
     422, "geometry", "outside"),
    ("lon/lat out of range", _with_geometry({"type": "Point", "coordinates": [200, 95]}), 422,
     "geometry", "outside"),
    ("NaN coordinate", NAN_POINT, 422, "geometry.coordinates", "finite"),
    ("infinite coordinate", INF_POINT, 422, "geometry.coordinates", "finite"),
    ("3D coordinates", _with_geometry({"type": "Point", "coordinates": [106.8, -6.2, 12.5]}),
     422, "geometry.coordinates", "3D"),
    ("empty point", _with_geometry({"type": "Point", "coordinates": []}), 422,
     "geometry.coordinates", "position"),
    ("empty polygon", _with_geometry({"type": "Polygon", "coordinates": []}), 422,
     "geometry.coordinates", "empty"),
    ("GeometryCollection", _with_geometry({"type": "GeometryCollection", "geometries": []}),
     422, "geometry.type", "not accepted"),
    ("unknown geometry type", _with_geometry({"type": "Circle", "coordinates": [1, 2]}), 422,
     "geometry.type", "not accepted"),
    ("100,000 vertices", LONG_LINE, 422, "geometry.coordinates", "10,000"),
    ("unclosed ring", _with_geometry({"type": "Polygon", "coordinates": [SQUARE[:-1]]}), 422,
     "geometry.coordinates.0", "closed"),
    ("string coordinates", _with_geometry({"type": "Point", "coordinates": ["106.8", "-6.2"]}),
     422, "geometry.coordinates", "numbers"),
    ("5 MB body", HUGE_BODY, 413, "body", "bytes"),
    ("not JSON", "{not json", 400, "body", "JSON"),
    ("JSON array", [1, 2, 3], 422, "body", "Feature"),
    ("not a Feature", {**point_feature(), "type": "Point"}, 422, "type", "Feature"),
    ("properties not an object", {**point_feature(), "properties": "x"}, 422, "properties",
     "object"),
    ("title is a number", _with_props(title=42), 422, "properties.title", "string"),
    ("title missing", _with_props(title=_DROP), 422, "properties.title", "required"),
    ("title blank", _with_props(title="   "), 422, "properties.title", "blank"),
    ("title too long", _with_props(title="a" * 201), 422, "properties.title", "200"),
    ("title with NUL", _with_props(title="a\x00b"), 422, "properties.title", "NUL"),
    ("description too long (HTML)", _with_props(description="<b>x</b>" * 700), 422,
     "properties.description", "5000"),
    ("SQL in a too-long agency", _with_props(lead_agency="'; DROP TABLE actions; --" * 9), 422,
     "properties.lead_agency", "200"),
    ("unknown pillar", _with_props(pillar="aman"), 422, "properties.pillar", "siap"),
    ("pillar wrong type", _with_props(pillar=1), 422, "properties.pillar", "string"),
    ("unknown status", _with_props(status="finished"), 422, "properties.status", "planned"),
    ("progress as text", _with_props(progress="50"), 422, "properties.progress", "integer"),
    ("progress over 100", _with_props(progress=101), 422, "properties.progress", "100"),
    ("progress negative", _with_props(progress=-1), 422, "properties.progress", "0"),
    ("negative budget", _with_props(budget_idr=-5), 422, "properties.budget_idr", "0"),
    ("fractional budget", _with_props(budget_idr=1.5), 422, "properties.budget_idr", "integer"),
    ("budget too large", _with_props(budget_idr=10**16), 422, "properties.budget_idr", "less"),
    ("end before start", _with_props(start_date="2025-06-01", end_date="2025-01-01"), 422,
     "properties.end_date", "before"),
    ("impossible date", _with_props(start_date="2025-13-45"), 422, "properties.start_date",
     "date"),
    ("date as number", _with_props(start_date=20250101), 422, "properties.start_date", "ISO"),
    ("partners not a list", _with_props(partners="UNDP"), 422, "properties.partners", "list"),
    ("strategy goal too long", _with_props(strategy_goal="g" * 51), 422,
     "properties.strategy_goal", "50"),
    ("unknown property", _with_props(colour="red"), 422, "properties.colour", "not permitted"),
    ("unknown kind", _with_props(kind="programme"), 422, "properties.kind", "action"),
    ("kind wrong type", _with_props(kind=3), 422, "properties.kind", "string"),
    ("script address as source", _with_props(source_url="javascript:alert(1)"), 422,
     "properties.source_url", "http"),
    ("source with a space", _with_props(source_url="https://a b.id"), 422,
     "properties.source_url", "spaces"),
    ("unknown kelurahan code",
     {"type": "Feature", "geometry": None,
      "properties": {**point_feature()["properties"], "unit_codes": ["31.71.09.9999"]}},
     422, "properties.unit_codes.0", "not a kelurahan"),
    ("malformed code",
     {"type": "Feature", "geometry": None,
      "properties": {**point_feature()["properties"], "unit_codes": ["Gambir"]}},
     422, "properties.unit_codes.0", "code"),
    ("neither geometry nor codes", _with_geometry(None), 422, "geometry", "unit_codes"),
    ("both geometry and codes", _with_props(unit_codes=["31.71.01.1001"]), 422,
     "properties.unit_codes", "not both"),
]  # fmt: skip


def test_every_action_property_has_a_bad_input_case() -> None:
    """Each editable property (and the geometry) is refused in at least one case above."""
    named = {field.split(".")[1] for _, _, _, field, _ in CASES if field.startswith("properties.")}
    assert set(ActionIn.model_fields) - named == set(), "properties without a bad-input case"
    assert any(field.startswith("geometry") for _, _, _, field, _ in CASES)


@pytest.fixture
def seeded(client: TestClient, tokens: Tokens) -> tuple[str, dict[str, str]]:
    """One stored action, for PUT/PATCH cases."""
    auth = Tokens.header(tokens.planner)
    response = client.post(ITEMS, json=point_feature(), headers=auth)
    assert response.status_code == 201
    return response.json()["id"], auth


def _send(client: TestClient, method: str, url: str, body: Any, headers: dict[str, str]) -> Any:
    if isinstance(body, str):
        return client.request(
            method, url, content=body, headers={**headers, "Content-Type": "application/json"}
        )
    return client.request(method, url, json=body, headers=headers)


@pytest.mark.realdata
@pytest.mark.parametrize(
    ("case", "body", "status", "field", "part"), CASES, ids=[c[0] for c in CASES]
)
def test_bad_input_is_refused_and_changes_nothing(
    client: TestClient,
    store: ActionStore,
    seeded: tuple[str, dict[str, str]],
    case: str,
    body: Any,
    status: int,
    field: str,
    part: str,
) -> None:
    action_id, auth = seeded
    before = counts(store)
    before_item = client.get(f"{ITEMS}/{action_id}").json()
    for method, url, headers in (
        ("POST", ITEMS, auth),
        ("PUT", f"{ITEMS}/{action_id}", {**auth, "If-Match": '"1"'}),
    ):
        response = _send(client, method, url, body, headers)
        assert response.status_code == status, (method, response.text)
        payload = response.json()
        assert "Traceback" not in response.text
        fields = {d["field"]: d["message"] for d in payload["details"]}
        assert field in fields, (method, payload)
        assert (
            part.lower() in fields[field].lower() or part.lower() in payload["description"].lower()
        ), (method, payload)
    assert counts(store) == before
    assert client.get(f"{ITEMS}/{action_id}").json() == before_item


@pytest.mark.realdata
def test_every_field_error_is_reported_at_once(client: TestClient, tokens: Tokens) -> None:
    feature = _with_props(pillar="aman", progress=500, budget_idr=-1, title="")
    response = client.post(ITEMS, json=feature, headers=Tokens.header(tokens.planner))
    assert response.status_code == 422
    fields = {d["field"] for d in response.json()["details"]}
    assert fields >= {
        "properties.pillar", "properties.progress", "properties.budget_idr", "properties.title",
    }  # fmt: skip


@pytest.mark.realdata
def test_bad_patches(
    client: TestClient, store: ActionStore, seeded: tuple[str, dict[str, str]]
) -> None:
    action_id, auth = seeded
    before = counts(store)
    headers = {**auth, "If-Match": '"1"'}
    url = f"{ITEMS}/{action_id}"
    cases = [
        ({"properties": {"progress": 150}}, 422, "properties.progress"),
        ({"geometry": {"type": "Polygon", "coordinates": [BOW_TIE]}}, 422, "geometry"),
        ({"geometry": None}, 422, "geometry"),
        ({"properties": {"end_date": "2000-01-01", "start_date": "2001-01-01"}}, 422,
         "properties.end_date"),
        ({"links": []}, 422, "links"),
        ([1], 422, "body"),
    ]  # fmt: skip
    for patch, status, field in cases:
        response = client.patch(url, json=patch, headers=headers)
        assert response.status_code == status, response.text
        assert field in {d["field"] for d in response.json()["details"]}
    bad_tag = client.patch(url, json={}, headers={**auth, "If-Match": "yesterday"})
    assert bad_tag.status_code == 400
    assert counts(store) == before


@pytest.mark.realdata
@pytest.mark.parametrize(
    "text",
    [
        "'; DROP TABLE actions; --",
        "Robert'); DELETE FROM action_history WHERE ('1'='1",
        "<script>alert('x')</script>",
        '<img src=x onerror="alert(1)"> & &amp; "quoted"',
        "Banjir rob di Muara Baru 🌊 — ½ m",
        "line one\nline two\ttabbed",
    ],
)
def test_sql_and_html_text_is_stored_verbatim(
    client: TestClient, store: ActionStore, tokens: Tokens, text: str
) -> None:
    # partners are organisations now (issue 20): their names are checked in test_permissions
    feature = point_feature(title=text[:200], description=text, partners=[])
    response = client.post(ITEMS, json=feature, headers=Tokens.header(tokens.planner))
    assert response.status_code == 201, response.text
    got = client.get(response.headers["location"])
    assert got.headers["content-type"].startswith("application/geo+json")
    props = got.json()["properties"]
    assert (props["title"], props["description"], props["partners"]) == (
        text[:200],
        text,
        [],
    )
    assert counts(store)[0] == 1
    assert store.integrity_problems() == []
    found = client.get(ITEMS, params={"agency": "BPBD DKI"}).json()
    assert [f["properties"]["description"] for f in found["features"]] == [text]
    # the row itself holds the text as sent: not escaped, not trimmed, not re-encoded
    actions = store.tables.actions
    with store.read() as conn:
        row = conn.execute(
            sa.select(actions.c.title, actions.c.description, actions.c.partners)
        ).one()
    assert (row.title, row.description, list(row.partners)) == (text[:200], text, [])
