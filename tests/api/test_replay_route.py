"""``/peta/banjir-2017`` and ``/peta?banjir=``: the replay document on the real build.

The per-hour RW counts are checked against the snapshot files themselves (the shared data's
``floods/jkt_floods_<hour>.geojson``), not against the build.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from geo.settings import Settings

URL = "/peta/banjir-2017"
SNAPSHOT = re.compile(r"jkt_floods_(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\.geojson$")


def snapshot_files(settings: Settings) -> dict[str, dict[str, int]]:
    """``local hour -> {geom_id: state}`` of every snapshot file (an empty file: nothing)."""
    out = {}
    for path in sorted((settings.data_dir / "flood/petabencana_2017_02/floods").glob("*.geojson")):
        match = SNAPSHOT.search(path.name)
        if match is None:
            continue
        text = path.read_text().strip()
        features = json.loads(text)["features"] if text else []
        out[f"{match.group(1)}+07:00"] = {
            str(int(f["properties"]["geom_id"])): int(f["properties"]["state"]) for f in features
        }
    return out


@pytest.mark.realdata
def test_per_hour_rws_and_states_equal_the_snapshot_files(
    client: TestClient, api_settings: Settings
) -> None:
    files = snapshot_files(api_settings)
    doc = client.get(URL).json()
    ids = [f["properties"]["geom_id"] for f in doc["rw"]["features"]]
    assert len(ids) == len(set(ids)) == 302
    assert [f["id"] for f in doc["rw"]["features"]] == list(range(302))
    assert [h["local"] for h in doc["hours"]] == sorted(files) and len(files) == 73
    for hour in doc["hours"]:
        expected = files[hour["local"]]
        assert hour["count"] == len(hour["rw"]) == len(expected), hour["local"]
        assert {ids[p]: s for p, s in zip(hour["rw"], hour["state"], strict=True)} == expected
        people = [p for _, p in hour["kelurahan"]]
        assert hour["people"] == sum(people) and all(p >= 0 for p in people)
    peak = max(doc["hours"], key=lambda h: h["count"])
    assert (peak["local"], peak["count"]) == ("2017-02-21T13:00:00+07:00", 168)  # PROVENANCE.md
    noon = next(h for h in doc["hours"] if h["utc"] == "2017-02-21T05:00:00Z")
    assert noon["local"] == "2017-02-21T12:00:00+07:00"
    assert noon["count"] == len(files["2017-02-21T12:00:00+07:00"])
    assert doc["people"]["estimate"] is True and "area(kelurahan)" in doc["people"]["formula"]
    assert doc["strings"]["replay.people"] == "Penduduk di RW tergenang (perkiraan)"
    assert set(doc["styles"]["flood_states"]) == {"1", "2", "3", "4", "dry"}
    english = client.get(URL, params={"lang": "en"})
    assert english.headers["content-language"] == "en"
    assert english.json()["strings"]["replay.people"] == "People living in flooded RWs (estimate)"


@pytest.mark.realdata
def test_the_document_is_cached_with_an_etag_and_compressed(client: TestClient) -> None:
    first = client.get(URL, headers={"Accept-Encoding": "gzip"})
    assert first.status_code == 200 and first.headers["content-type"] == "application/json"
    assert first.headers["cache-control"].startswith("public, max-age=")
    assert first.headers["content-encoding"] == "gzip"
    again = client.get(URL, headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    coarse = client.get(URL, params={"zoom": "9"})
    assert coarse.status_code == 200 and coarse.json()["zoom"] == 9
    assert len(coarse.content) < len(client.get(URL, params={"zoom": "17"}).content)


@pytest.mark.realdata
@pytest.mark.parametrize(
    ("query", "says"),
    [
        ({"zoom": "19"}, "at most 18"),
        ({"zoom": "-1"}, "at least 0"),
        ({"zoom": "ten"}, "whole number"),
        ({"zoom": "1" * 40}, "zoom"),
        ({"jam": "2017-02-21T05:00:00Z"}, "unknown parameter"),
    ],
)
def test_bad_parameters_are_400_with_a_message(
    client: TestClient, query: dict[str, str], says: str
) -> None:
    response = client.get(URL, params=query)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_parameter" and says in body["description"]


@pytest.mark.realdata
@pytest.mark.parametrize(
    ("value", "status"),
    [
        ("2017-02-21T05:00:00Z", 200),
        ("2017-02-21T12:00:00+07:00", 200),
        ("2017-02-21T12:00:00", 400),  # no time zone
        ("2017-02-21T05:30:00Z", 400),  # no snapshot then
        ("2018-01-01T00:00:00Z", 400),
        ("<script>alert(1)</script>", 400),
    ],
)
def test_the_map_page_checks_its_flood_hour(client: TestClient, value: str, status: int) -> None:
    response = client.get("/peta", params={"banjir": value})
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    if status == 400:
        assert "Jam banjir" in response.text and "<script>alert" not in response.text


@pytest.fixture
def no_build_client(tmp_path: Path, empty_data_dir: Path) -> Iterator[TestClient]:
    settings = Settings(
        data_dir=empty_data_dir,
        build_path=tmp_path / "var" / "ketahanan.gpkg",
        user_layers_path=tmp_path / "var" / "user_layers.json",
        database_url=f"sqlite:///{tmp_path / 'actions.sqlite'}",
        basemap_url="none",
    )
    with TestClient(create_app(settings), raise_server_exceptions=False) as c:
        yield c


def test_without_a_build_the_replay_is_503(no_build_client: TestClient) -> None:
    response = no_build_client.get(URL)
    assert response.status_code == 503 and response.json()["code"] == "no_build"
