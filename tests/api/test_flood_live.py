"""``flood_live`` and the coverage gaps during a flood, through the API, on the real build.

The feed is ingested from the real 2017 snapshots in the live format; a failed fetch leaves
the last good state served, marked stale with the error; ``datetime`` replays the fetches;
``/coverage-gaps?pilar=siap&banjir=live`` (or a 2017 instant) lists the flooded kelurahan no
Siap action covers and the actions in flooded places.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "geo"))
from floodkit import geom_ids, live_form, snapshot_files

from api.app import create_app
from geo.flood.follower import rw_index_of_build
from geo.flood.ingest import ingest
from geo.settings import Settings

pytestmark = pytest.mark.realdata

HOUR = "2017-02-21T12:00:00"


@pytest.fixture(scope="module")
def flood_client(
    api_settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    db = tmp_path_factory.mktemp("flood") / "actions.sqlite"
    settings = api_settings.model_copy(update={"database_url": f"sqlite:///{db}"})
    with TestClient(create_app(settings)) as c:
        yield c


def _store(client: TestClient):  # type: ignore[no-untyped-def]
    return client.app.state.action_store  # type: ignore[attr-defined]


def test_no_fetch_yet_is_an_empty_stale_state(flood_client: TestClient) -> None:
    body = flood_client.get("/collections/flood_live/items").json()
    assert body["numberMatched"] == 0
    assert body["feed"]["stale"] is True and body["feed"]["fetched_at"] is None


def test_live_state_age_stale_and_replay(
    flood_client: TestClient, real_settings: Settings, api_settings: Settings, tmp_path: Path
) -> None:
    files = snapshot_files(real_settings.data_dir)
    index = rw_index_of_build(api_settings.build_path)
    store = _store(flood_client).flood
    start = datetime.now(UTC)
    first = ingest(
        store, index, "t:1", data=live_form(files[HOUR]), now=lambda: start - timedelta(minutes=2)
    )
    assert first.ok
    body = flood_client.get("/collections/flood_live/items", params={"limit": "1000"}).json()
    assert body["numberMatched"] == len(geom_ids(files[HOUR]))
    assert {f["properties"]["geom_id"] for f in body["features"]} == geom_ids(files[HOUR])
    assert body["feed"]["stale"] is False and body["feed"]["age_seconds"] >= 0
    assert {f["properties"]["state"] for f in body["features"]} <= {1, 2, 3, 4}
    truncated = b'{"type": "FeatureCollection", "feat'
    bad = ingest(store, index, "t:2", data=truncated, now=lambda: start - timedelta(minutes=1))
    assert not bad.ok
    body = flood_client.get("/collections/flood_live/items", params={"limit": "1"}).json()
    assert body["numberMatched"] == len(geom_ids(files[HOUR]))  # the last good state stays
    assert body["feed"]["stale"] is True and "not JSON" in body["feed"]["error"]
    nxt = "2017-02-22T18:00:00"
    second = ingest(store, index, "t:3", data=live_form(files[nxt]), now=lambda: start)
    meta = flood_client.get("/collections/flood_live").json()
    assert meta["extent"]["temporal"]["interval"][0][0] == first.fetched_at.strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )
    url = "/collections/flood_live/items"
    at_first = first.fetched_at.isoformat()
    replay = flood_client.get(url, params={"datetime": at_first, "limit": "1"}).json()
    assert replay["numberMatched"] == len(geom_ids(files[HOUR]))
    now = flood_client.get(url, params={"limit": "1"}).json()
    assert now["numberMatched"] == len(geom_ids(files[nxt])) and second.ok
    both = flood_client.get(url, params={"datetime": f"{at_first}/..", "limit": "1"}).json()
    assert both["numberMatched"] == len(geom_ids(files[HOUR])) + len(geom_ids(files[nxt]))
    one = now["features"][0]
    assert flood_client.get(f"{url}/{one['id']}").status_code == 200
    assert flood_client.get(f"{url}/999999-1").status_code == 404
    assert flood_client.get(url, params={"datetime": "yesterday"}).status_code == 400


def test_coverage_gaps_during_a_flood(flood_client: TestClient) -> None:
    replay = flood_client.get(
        "/coverage-gaps", params={"pilar": "siap", "banjir": f"{HOUR}+07:00", "limit": "500"}
    )
    assert replay.status_code == 200, replay.text
    body = replay.json()
    assert body["flood"]["source"] == "feb2017"
    assert body["flood"]["at"] == "2017-02-21T05:00:00Z"
    assert body["flood"]["rw_flooded"] > 0
    assert body["numberMatched"] == body["flood"]["kelurahan_flooded"]  # no action yet
    kode = body["features"][0]["properties"]["kode"]
    store = _store(flood_client)
    feature = {
        "type": "Feature",
        "geometry": None,
        "properties": {
            "title": "Pompa",
            "pillar": "siap",
            "lead_agency": "BPBD DKI",
            "unit_codes": [kode],
        },
    }
    action = store.create(feature, "test")
    after = flood_client.get(
        "/coverage-gaps", params={"pilar": "siap", "banjir": f"{HOUR}+07:00", "limit": "500"}
    ).json()
    assert kode not in {f["properties"]["kode"] for f in after["features"]}
    assert after["numberMatched"] == body["numberMatched"] - 1
    flooded = {a["id"]: a for a in after["actions_flooded"]}
    assert kode in flooded[action.id]["kelurahan_flooded"]
    live = flood_client.get("/coverage-gaps", params={"pilar": "siap", "banjir": "live"})
    assert live.status_code == 200 and live.json()["flood"]["source"] == "live"
    before = flood_client.get(
        "/coverage-gaps", params={"pilar": "siap", "banjir": "2000-01-01T00:00:00Z"}
    ).json()
    assert before["numberMatched"] == 0
    for bad in ("kemarin", "2017-02-21T00:00:00Z/..", "x" * 80):
        r = flood_client.get("/coverage-gaps", params={"pilar": "siap", "banjir": bad})
        assert r.status_code in (400, 422), bad
        assert r.status_code != 500
