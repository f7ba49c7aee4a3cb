"""Importing a FeatureCollection: all or nothing, with a per-feature report."""

from __future__ import annotations

import pytest
from actionkit import Tokens, counts, point_feature
from fastapi.testclient import TestClient

from geo.actions.store import ActionStore

pytestmark = pytest.mark.realdata

ITEMS = "/collections/actions/items"


def test_one_bad_feature_imports_nothing(
    client: TestClient, store: ActionStore, tokens: Tokens
) -> None:
    auth = Tokens.header(tokens.planner)
    good = [point_feature(title=f"aksi {i}") for i in range(3)]
    bad = point_feature(pillar="aman")
    bad["geometry"]["coordinates"] = [-6.2, 106.8]
    collection = {"type": "FeatureCollection", "features": [good[0], good[1], bad, good[2]]}
    response = client.post(ITEMS, json=collection, headers=auth)
    assert response.status_code == 422
    body = response.json()
    assert "nothing was imported" in body["description"]
    assert {d["feature"] for d in body["details"]} == {2}
    assert {d["field"] for d in body["details"]} == {
        "features.2.geometry",
        "features.2.properties.pillar",
    }
    assert counts(store) == (0, 0, 0)

    ok = client.post(
        "/collections/actions/import",
        json={"type": "FeatureCollection", "features": good},
        headers=auth,
    )
    assert ok.status_code == 201, ok.text
    assert ok.json()["imported"] == 3
    assert [f["index"] for f in ok.json()["features"]] == [0, 1, 2]
    assert counts(store)[0] == 3
    ops = {v["operation"] for f in ok.json()["features"]
           for v in client.get(f"{ITEMS}/{f['id']}/history").json()["versions"]}  # fmt: skip
    assert ops == {"import"}


def test_import_refuses_empty_and_wrong_collections(client: TestClient, tokens: Tokens) -> None:
    auth = Tokens.header(tokens.planner)
    url = "/collections/actions/import"
    assert (
        client.post(
            url, json={"type": "FeatureCollection", "features": []}, headers=auth
        ).status_code
        == 422
    )
    assert client.post(url, json=point_feature(), headers=auth).status_code == 422
    assert client.post(url, json={"type": "FeatureCollection", "features": []}).status_code == 401
