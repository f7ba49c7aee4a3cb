"""Coverage gaps: top-quintile kelurahan of a pillar with no planned/in-progress action."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyogrio
import pytest
from actionkit import Tokens, point_feature
from fastapi.testclient import TestClient

from api.app import create_app
from geo.actions.store import ActionStore
from geo.build import load_layer
from geo.settings import Settings

pytestmark = pytest.mark.realdata


def _scored_build(settings: Settings, folder: Path) -> Path:
    """A build with only the kelurahan layer, scored 0..1 by row order (exact quintiles)."""
    kelurahan = load_layer(settings.build_path, "kelurahan")
    kelurahan = kelurahan.sort_values("kode").reset_index(drop=True)
    n = len(kelurahan)
    kelurahan["score_siap"] = np.arange(n) / (n - 1)
    kelurahan.loc[0, "score_siap"] = np.nan  # no data: never a gap
    kelurahan["score_sehat"] = 0.5
    kelurahan = kelurahan.drop(columns=["score_terhubung"], errors="ignore")
    path = folder / "scored.gpkg"
    pyogrio.write_dataframe(kelurahan, path, layer="kelurahan", driver="GPKG")
    return path


def test_coverage_gaps_on_the_real_scores(settings: Settings, store: ActionStore) -> None:
    client = TestClient(create_app(settings))
    for pillar in ("siap", "sehat", "terhubung"):
        r = client.get("/coverage-gaps", params={"pilar": pillar})
        assert r.status_code == 200, r.text
        summary = r.json()["classification"]
        assert summary["gap_count"] == summary["top_class_count"] > 0


def test_coverage_gaps(
    settings: Settings, store: ActionStore, tokens: Tokens, tmp_path: Path
) -> None:
    build = _scored_build(settings, tmp_path)
    client = TestClient(create_app(settings.model_copy(update={"build_path": build})))
    first = client.get("/coverage-gaps", params={"pilar": "siap"})
    assert first.status_code == 200, first.text
    body = first.json()
    top = body["classification"]["top_class_count"]
    assert 50 <= top <= 55  # a fifth of the 266 scored kelurahan
    assert body["numberMatched"] == top
    scores = [f["properties"]["score"] for f in body["features"]]
    assert scores == sorted(scores, reverse=True)
    assert min(scores) > body["classification"]["top_class_min_exclusive"]

    target = body["features"][0]
    lon, lat = target["geometry"]["coordinates"][0][0][0]
    auth = Tokens.header(tokens.planner)
    codes_action = {
        "type": "Feature",
        "geometry": None,
        "properties": {
            "title": "Tanggul",
            "pillar": "siap",
            "lead_agency": "Dinas SDA",
            "unit_codes": [target["id"]],
            "status": "in_progress",
        },
    }
    assert (
        client.post("/collections/actions/items", json=codes_action, headers=auth).status_code
        == 201
    )
    other = dict(codes_action, properties={**codes_action["properties"], "status": "done"})
    other["properties"]["unit_codes"] = [body["features"][1]["id"]]
    assert client.post("/collections/actions/items", json=other, headers=auth).status_code == 201
    sehat = point_feature(lon, lat, pillar="sehat")
    client.post("/collections/actions/items", json=sehat, headers=auth)

    after = client.get("/collections/coverage_gaps_siap/items").json()
    ids = {f["id"] for f in after["features"]}
    assert target["id"] not in ids  # covered by an in-progress siap action
    assert body["features"][1]["id"] in ids  # a done action does not cover
    assert after["numberMatched"] == top - 1

    assert client.get("/collections/coverage_gaps_siap").json()["id"] == "coverage_gaps_siap"
    assert client.get("/coverage-gaps", params={"pilar": "aman"}).status_code == 400
    assert client.get("/coverage-gaps").status_code == 400
    flat = client.get("/coverage-gaps", params={"pillar": "sehat"}).json()
    assert flat["numberMatched"] == 0  # all equal: no class is higher
    missing = client.get("/coverage-gaps", params={"pilar": "terhubung"})
    assert missing.status_code == 503
    assert "score_terhubung" in missing.json()["description"]
