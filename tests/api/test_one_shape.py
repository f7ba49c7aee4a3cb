"""Issue 11: every collection the same shape, one build served, one vocabulary, one k range.

Each test names the bug it pins down (it failed before the change and passes after).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyogrio
import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.routing import Match

from api.app import create_app
from api.store import served_build
from geo.build import load_layer
from geo.settings import PROJECT_ROOT, Settings
from geo.user_layers import add_user_layer
from geo.vocabulary import K_DEFAULT, K_MAX, K_MIN, Status

pytestmark = pytest.mark.realdata

ITEMS = "/collections/kelurahan/items"


def _routes(app: Any) -> list[APIRoute]:
    """Every API route of the app, however deep the routers are nested."""
    found: list[APIRoute] = []

    def walk(routes: Any) -> None:
        for route in routes:
            if isinstance(route, APIRoute):
                found.append(route)
            inner = getattr(route, "original_router", None) or getattr(route, "router", None)
            walk(getattr(route, "routes", None) or getattr(inner, "routes", []))

    walk(app.router.routes)
    return found


def test_no_two_routes_answer_the_same_request(api_settings: Settings) -> None:
    """api/app.py relied on router order so /collections/actions/... won over the generic
    collection routes; now no request matches two routes, so the order cannot matter."""
    routes = _routes(create_app(api_settings))
    assert len(routes) >= 15
    for route in routes:
        sample = re.sub(r"\{[^}]+\}", "actions", route.path)
        for method in route.methods:
            scope = {"type": "http", "path": sample, "method": method, "root_path": ""}
            full = [r.path for r in routes if r.matches(scope)[0] == Match.FULL]
            assert full == [route.path], f"{method} {sample} matches {full}"


def test_openapi_states_this_instances_limits(api_settings: Settings) -> None:
    """OpenAPI documented the class defaults (10000), not the running instance's limits."""
    settings = api_settings.model_copy(update={"items_limit_default": 25, "items_limit_max": 500})
    doc = TestClient(create_app(settings)).get("/api").json()
    params = doc["paths"]["/collections/{collectionId}/items"]["get"]["parameters"]
    limit = next(p for p in params if p["name"] == "limit")
    assert (limit["schema"]["maximum"], limit["schema"]["default"]) == (500, 25)
    k = next(p for p in params if p["name"] == "k")
    assert (k["schema"]["minimum"], k["schema"]["maximum"]) == (K_MIN, K_MAX)
    classify = next(p for p in params if p["name"] == "classify")
    assert classify["schema"]["enum"] == ["quantiles", "fisher_jenks", "equal_interval", "user"]


def test_page_api_and_openapi_share_one_k_range(client: TestClient) -> None:
    """The page took k 3..9, the API 2..20: a map of 12 classes could be asked for and never
    drawn, and a 2-class map link was refused by the page."""
    assert client.get("/peta", params={"k": K_MIN}).status_code == 200
    assert client.get("/peta", params={"k": K_MAX + 1}).status_code == 400
    ok = client.get(ITEMS, params={"classify": "quantiles", "k": K_MAX})
    assert ok.status_code == 200 and ok.json()["classification"]["k"] == K_MAX
    too_many = client.get(ITEMS, params={"classify": "quantiles", "k": K_MAX + 1})
    assert too_many.status_code == 400 and "k" in too_many.json()["description"]
    page = client.get("/peta").text
    config = json.loads(page.split('id="ketahanan-config">')[1].split("</script>")[0])
    words = config["vocabulary"]
    assert words["k"] == {"min": K_MIN, "max": K_MAX, "default": K_DEFAULT}
    assert [s["id"] for s in words["statuses"]] == [str(s) for s in Status]
    assert [p["id"] for p in words["pillars"]] == ["siap", "sehat", "terhubung"]
    assert set(config["styles"]["ramps"]) >= {str(n) for n in range(K_MIN, K_MAX + 1)}


def test_build_weights_give_back_the_stored_score_exactly(
    api_settings: Settings, real_build: Settings
) -> None:
    """Re-scoring started from the serve-time KETAHANAN_SCORE_WEIGHTS: asking for an
    indicator's own build weight changed every score when the server's settings differed."""
    served = api_settings.model_copy(update={"score_weights": {"siap_flood_share_2007": 5.0}})
    client = TestClient(create_app(served))
    stored = load_layer(real_build.build_path, "kelurahan").set_index("kode")["score_siap"]
    for weights in ("siap_depth_mean:1", "siap_pumps_1km:0.5"):
        body = client.get(ITEMS, params={"weights": weights, "limit": 1000}).json()
        got = pd.Series({f["id"]: f["properties"]["score_siap"] for f in body["features"]})
        got = got.astype(float).loc[stored.index]
        same = (got.to_numpy() == stored.to_numpy()) | (got.isna() & stored.isna()).to_numpy()
        assert same.all(), weights


def test_a_layer_registered_after_the_build_is_not_a_weight(
    api_settings: Settings, tmp_path: Path
) -> None:
    """Weights were checked against the layers registered now, so an indicator the served
    build never computed was accepted and silently changed nothing."""
    settings = api_settings.model_copy(update={"user_layers_path": tmp_path / "layers.json"})
    table = tmp_path / "ruang_hijau.csv"
    kel = load_layer(settings.build_path, "kelurahan")
    table.write_text("kode,value\n" + "".join(f"{k},0.5\n" for k in kel["kode"]), encoding="utf-8")
    add_user_layer(table, "sehat_green_space", settings, pillar="sehat", unit="share")
    client = TestClient(create_app(settings))
    refused = client.get(ITEMS, params={"weights": "sehat_green_space:1"})
    assert refused.status_code == 400
    assert "sehat_green_space" in refused.json()["description"]


@pytest.mark.parametrize("collection", ["kelurahan", "tj_stops", "actions", "coverage_gaps_siap"])
def test_an_unknown_filter_is_a_400_on_every_collection(
    client: TestClient, collection: str
) -> None:
    """The actions and the gaps ignored parameters they did not know (a typo filtered
    nothing and answered 200)."""
    r = client.get(f"/collections/{collection}/items", params={"colour": "red"})
    assert r.status_code == 400, r.text
    assert "colour" in r.json()["description"]


def test_the_gaps_page_and_download_like_any_collection(client: TestClient) -> None:
    """The gaps had no paging, no links and no downloads."""
    first = client.get("/collections/coverage_gaps_siap/items", params={"limit": 10})
    assert first.status_code == 200
    body = first.json()
    assert body["numberReturned"] == 10 < body["numberMatched"]
    assert body["classification"]["gap_count"] == body["numberMatched"]
    rels = {link["rel"]: link["href"] for link in body["links"]}
    assert {"self", "next", "alternate", "collection"} <= set(rels)
    rest = client.get(rels["next"]).json()
    ids = [f["id"] for f in body["features"] + rest["features"]]
    assert len(set(ids)) == len(ids) == min(20, body["numberMatched"])
    download = client.get("/coverage-gaps", params={"pilar": "siap", "f": "geojson"})
    assert "attachment" in download.headers["content-disposition"]
    assert download.json()["numberReturned"] == body["numberMatched"]
    gpkg = client.get("/collections/coverage_gaps_siap/items", params={"f": "gpkg"})
    assert gpkg.headers["content-type"] == "application/geopackage+sqlite3"
    doc = client.get("/collections/coverage_gaps_siap").json()
    assert doc["id"] == "coverage_gaps_siap" and doc["links"]


def test_the_serving_path_does_not_load_the_computation() -> None:
    """The app imported geo.indicators (and rasterio) only to read the definitions."""
    code = (
        "import sys\n"
        "from api.app import create_app\n"
        "create_app()\n"
        "heavy = ['rasterio', 'geo.build', 'geo.ingest', 'geo.admin', 'geo.layers',\n"
        "         'geo.zonal', 'geo.user_layers', 'geo.indicators.compute',\n"
        "         'geo.indicators.measures']\n"
        "print([m for m in heavy if m in sys.modules])\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        cwd=PROJECT_ROOT,
        env={**os.environ, "KETAHANAN_BUILD_PATH": "/nonexistent/build.gpkg"},
    )
    assert out.stdout.strip() == "[]", out.stderr


# --- one build served: the map page, the API and the gaps -----------------------------------------


@pytest.fixture
def two_builds(real_build: Settings, tmp_path: Path) -> Iterator[tuple[Settings, Path, str]]:
    """A served build with one kelurahan scored lowest, and a new build scoring it highest."""
    kel = load_layer(real_build.build_path, "kelurahan")
    code = "31.71.01.1001"
    served, new = tmp_path / "ketahanan.gpkg", tmp_path / ".new.gpkg"
    for path, score in ((served, 0.0001), (new, 0.9999)):
        frame = kel.copy()
        frame["score_siap"] = np.linspace(0.2, 0.8, len(frame))
        frame.loc[frame["kode"] == code, "score_siap"] = score
        pyogrio.write_dataframe(frame, path, layer="kelurahan", driver="GPKG")
    settings = real_build.model_copy(
        update={"build_path": served, "database_url": f"sqlite:///{tmp_path / 'a.sqlite'}"}
    )
    yield settings, new, code


def _what_each_serves(client: TestClient, code: str) -> tuple[str, float, bool]:
    page = client.get(f"/kelurahan/{code}").text
    api = client.get(f"{ITEMS}/{code}").json()["properties"]["score_siap"]
    gaps = {
        f["id"] for f in client.get("/coverage-gaps", params={"pilar": "siap"}).json()["features"]
    }
    shown = "1,00" if "1,00" in page else "0,00" if "0,00" in page else "?"
    return shown, round(api, 2), code in gaps


def test_after_a_rebuild_page_api_and_gaps_serve_the_same_build(
    two_builds: tuple[Settings, Path, str],
) -> None:
    """Each read the build through its own cache: right after a rebuild the profile page
    showed the new build while the API (and the map it feeds) still served the old one."""
    settings, new, code = two_builds
    with TestClient(create_app(settings)) as client:
        holder = served_build(client.app).snapshots  # type: ignore[attr-defined]
        holder.check_every = 3600.0  # the rebuild is noticed when we say so
        assert _what_each_serves(client, code) == ("0,00", 0.0, False)
        os.replace(new, settings.build_path)
        assert _what_each_serves(client, code) == ("0,00", 0.0, False)  # all still the old one
        holder.refresh()
        assert _what_each_serves(client, code) == ("1,00", 1.0, True)  # all the new one
