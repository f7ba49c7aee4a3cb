"""Create, read, replace, patch, delete, history, restore, filters and exports on both stores."""

from __future__ import annotations

import io
import json

import pyogrio
import pytest
from actionkit import Tokens, point_feature
from fastapi.testclient import TestClient

from geo.actions.store import ActionStore

pytestmark = pytest.mark.realdata

ITEMS = "/collections/actions/items"

TEST_ORGANISATIONS = ("UNDP",)
"""Organisations only these tests use (added by conftest)."""


def test_crud_history_restore(client: TestClient, tokens: Tokens, store: ActionStore) -> None:
    auth = Tokens.header(tokens.planner)
    feature = point_feature(
        description="Pompa air baru di Gambir",
        partners=["UNDP", "Dinas SDA"],
        strategy_goal="S1.2",
        budget_idr=2_500_000_000,
        start_date="2025-01-01",
        end_date="2025-12-31",
    )
    created = client.post(ITEMS, json=feature, headers=auth)
    assert created.status_code == 201, created.text
    action_id = created.json()["id"]
    assert created.headers["location"].endswith(f"{ITEMS}/{action_id}")
    assert created.headers["etag"] == '"1"'
    body = created.json()
    assert body["properties"]["kelurahan"] == ["31.71.01.1001"]
    assert body["properties"]["created_by"] == "ani"
    assert body["properties"]["partners"] == ["UNDP", "Dinas Sumber Daya Air"]
    assert body["properties"]["budget_idr"] == 2_500_000_000

    got = client.get(created.headers["location"])
    assert got.status_code == 200
    assert got.headers["etag"] == '"1"'
    assert got.headers["content-type"].startswith("application/geo+json")
    assert got.json()["geometry"] == {"type": "Point", "coordinates": [106.8272, -6.1754]}
    assert client.get(f"{ITEMS}/{action_id}", headers={"If-None-Match": '"1"'}).status_code == 304

    # PUT: replace the whole action, If-Match required
    replacement = point_feature(106.8456, -6.2088, title="Pompa banjir (dipindah)")
    assert client.put(f"{ITEMS}/{action_id}", json=replacement, headers=auth).status_code == 428
    put = client.put(f"{ITEMS}/{action_id}", json=replacement, headers={**auth, "If-Match": '"1"'})
    assert put.status_code == 200, put.text
    assert put.headers["etag"] == '"2"'
    assert put.json()["properties"]["partners"] == []
    assert put.json()["properties"]["kelurahan"] != ["31.71.01.1001"]

    # PATCH: merge patch, stale ETag is 412
    stale = client.patch(
        f"{ITEMS}/{action_id}",
        json={"properties": {"progress": 40}},
        headers={**auth, "If-Match": '"1"'},
    )
    assert stale.status_code == 412
    assert stale.json()["details"]["current_etag"] == '"2"'
    patched = client.patch(
        f"{ITEMS}/{action_id}",
        json={"properties": {"progress": 40, "status": "in_progress", "partners": ["GIZ"]}},
        headers={**auth, "If-Match": '"2"', "Content-Type": "application/merge-patch+json"},
    )
    assert patched.status_code == 200, patched.text
    props = patched.json()["properties"]
    assert (props["progress"], props["status"], props["partners"]) == (40, "in_progress", ["GIZ"])
    assert props["title"] == "Pompa banjir (dipindah)"
    assert props["version"] == 3

    # patch geometry away and name a kecamatan instead
    to_codes = client.patch(
        f"{ITEMS}/{action_id}",
        json={"geometry": None, "properties": {"unit_codes": ["317101"]}},
        headers={**auth, "If-Match": '"3"'},
    )
    assert to_codes.status_code == 200, to_codes.text
    assert to_codes.json()["geometry"] is None
    assert to_codes.json()["properties"]["unit_codes"] == ["31.71.01"]
    assert len(to_codes.json()["properties"]["kelurahan"]) == 6

    # DELETE, then 410, history, restore
    assert client.delete(f"{ITEMS}/{action_id}", headers=auth).status_code == 428
    assert (
        client.delete(f"{ITEMS}/{action_id}", headers={**auth, "If-Match": '"1"'}).status_code
        == 412
    )
    deleted = client.delete(f"{ITEMS}/{action_id}", headers={**auth, "If-Match": '"4"'})
    assert deleted.status_code == 204
    assert client.get(f"{ITEMS}/{action_id}").status_code == 410
    assert client.get(ITEMS).json()["numberMatched"] == 0

    history = client.get(f"{ITEMS}/{action_id}/history").json()["versions"]
    assert [(h["version"], h["operation"]) for h in history] == [
        (1, "create"),
        (2, "replace"),
        (3, "update"),
        (4, "update"),
        (5, "delete"),
    ]
    assert {h["changed_by"] for h in history} == {"ani"}
    assert history[0]["feature"]["properties"]["title"] == "Pompa banjir"

    admin = Tokens.header(tokens.admin)
    restored = client.post(f"{ITEMS}/{action_id}/restore", headers=admin)
    assert restored.status_code == 200, restored.text
    assert restored.headers["etag"] == '"6"'
    assert restored.json()["properties"]["updated_by"] == "adi"
    assert client.post(f"{ITEMS}/{action_id}/restore", headers=admin).status_code == 409
    assert client.get(f"{ITEMS}/{action_id}").json()["properties"]["unit_codes"] == ["31.71.01"]
    assert store.integrity_problems() == []

    assert client.get(f"{ITEMS}/not-a-uuid").status_code == 404
    assert client.get(f"{ITEMS}/00000000-0000-0000-0000-000000000000").status_code == 404


def _seed(client: TestClient, auth: dict[str, str]) -> dict[str, str]:
    specs = {
        "gambir": point_feature(pillar="siap", status="planned", lead_agency="BPBD DKI"),
        "kota_tua": point_feature(
            106.8133, -6.1352, pillar="terhubung", status="in_progress", lead_agency="Dishub"
        ),
        "seribu": point_feature(
            106.5757, -5.7453, pillar="sehat", status="done", lead_agency="Dinas LH"
        ),
        "kecamatan": {
            "type": "Feature",
            "geometry": None,
            "properties": {
                "title": "Bank sampah",
                "pillar": "sehat",
                "status": "planned",
                "lead_agency": "dinas lh",
                "unit_codes": ["31.71.01"],
            },
        },
    }
    ids = {}
    for name, feature in specs.items():
        response = client.post(ITEMS, json=feature, headers=auth)
        assert response.status_code == 201, response.text
        ids[name] = response.json()["id"]
    return ids


@pytest.mark.filterwarnings("ignore:File /vsimem:RuntimeWarning")
def test_filters_paging_and_exports(client: TestClient, tokens: Tokens) -> None:
    ids = _seed(client, Tokens.header(tokens.planner))

    def found(query: str) -> set[str]:
        response = client.get(f"{ITEMS}?{query}")
        assert response.status_code == 200, response.text
        return {f["id"] for f in response.json()["features"]}

    assert found("pillar=sehat") == {ids["seribu"], ids["kecamatan"]}
    assert found("status=in_progress") == {ids["kota_tua"]}
    assert found("agency=DINAS%20LH") == {ids["seribu"], ids["kecamatan"]}
    assert found("kelurahan=31.71.01.1001") == {ids["gambir"], ids["kecamatan"]}
    assert found("kelurahan=3171011001&pillar=siap") == {ids["gambir"]}
    assert found("bbox=106.5,-5.8,106.6,-5.7") == {ids["seribu"]}
    assert found("bbox=106.80,-6.18,106.84,-6.17") >= {ids["gambir"]}
    assert client.get(f"{ITEMS}?bbox=1,2,3").status_code == 400
    assert client.get(f"{ITEMS}?kelurahan=nope").status_code == 400
    assert client.get(f"{ITEMS}?limit=0").status_code == 400
    assert client.get(f"{ITEMS}?f=shp").status_code == 400

    page1 = client.get(f"{ITEMS}?limit=3").json()
    assert page1["numberMatched"] == 4 and page1["numberReturned"] == 3
    next_link = next(link["href"] for link in page1["links"] if link["rel"] == "next")
    page2 = client.get(next_link).json()
    assert page2["numberReturned"] == 1
    assert {f["id"] for f in page1["features"] + page2["features"]} == set(ids.values())

    geojson = client.get("/collections/actions/export?pillar=sehat")
    assert geojson.status_code == 200
    assert "attachment" in geojson.headers["content-disposition"]
    exported = geojson.json()
    assert {f["id"] for f in exported["features"]} == {ids["seribu"], ids["kecamatan"]}
    assert set(exported["features"][0]["properties"]) >= {
        "title", "description", "pillar", "strategy_goal", "lead_agency", "partners", "status",
        "progress", "budget_idr", "start_date", "end_date", "unit_codes", "kelurahan",
        "created_by", "created_at", "updated_by", "updated_at", "version",
    }  # fmt: skip

    gpkg = client.get(f"{ITEMS}?f=gpkg&status=planned")
    assert gpkg.status_code == 200
    assert gpkg.headers["content-type"].startswith("application/geopackage+sqlite3")
    frame = pyogrio.read_dataframe(io.BytesIO(gpkg.content), layer="actions")
    assert set(frame["id"]) == {ids["gambir"], ids["kecamatan"]}
    assert {"title", "lead_agency", "kelurahan", "version", "budget_idr"} <= set(frame.columns)
    row = frame.set_index("id").loc[ids["kecamatan"]]
    assert json.loads(row["kelurahan"])[0] == "31.71.01.1001"
    assert client.get("/collections/actions").json()["id"] == "actions"


def test_export_then_import_round_trip(
    client: TestClient, tokens: Tokens, store: ActionStore
) -> None:
    auth = Tokens.header(tokens.planner)
    ids = _seed(client, auth)
    exported = client.get("/collections/actions/export").json()
    for name in ("gambir", "kota_tua"):
        r = client.get(f"{ITEMS}/{ids[name]}")
        assert (
            client.delete(
                f"{ITEMS}/{ids[name]}", headers={**auth, "If-Match": r.headers["etag"]}
            ).status_code
            == 204
        )
    # ids that exist (even deleted) are refused: nothing imported
    again = client.post(ITEMS, json=exported, headers=auth)
    assert again.status_code == 422
    assert {d["feature"] for d in again.json()["details"]} == {0, 1, 2, 3}
    fresh = {
        "type": "FeatureCollection",
        "features": [{**f, "id": None} for f in exported["features"]],
    }
    imported = client.post("/collections/actions/import", json=fresh, headers=auth)
    assert imported.status_code == 201, imported.text
    assert imported.json()["imported"] == 4
    assert client.get(ITEMS).json()["numberMatched"] == 2 + 4
    assert store.integrity_problems() == []
