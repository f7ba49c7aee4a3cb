"""``datetime`` on the time-stamped collections, on the real build.

The hourly flood layer (73 snapshots, 20-23 Feb 2017, local time UTC+7) reads an instant as
the snapshot in force then: the counts per hour equal those of the snapshot files. Intervals
(closed and half-open) select the snapshots in them; the crowd reports select on their time.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "geo"))
from floodkit import snapshot_files

from geo.settings import Settings

pytestmark = pytest.mark.realdata

HOURLY = "/collections/flood_2017_hourly/items"


def _matched(client: TestClient, url: str, **params: str) -> int:
    r = client.get(url, params={"limit": "1", **params})
    assert r.status_code == 200, r.text
    return int(r.json()["numberMatched"])


@pytest.fixture(scope="module")
def counts(real_settings: Settings) -> dict[str, int]:
    files = snapshot_files(real_settings.data_dir)
    return {h: len(json.loads(p.read_text())["features"]) for h, p in files.items()}


def test_every_hour_has_the_count_of_its_snapshot_file(
    client: TestClient, counts: dict[str, int]
) -> None:
    assert len(counts) == 73
    for hour, n in counts.items():
        assert _matched(client, HOURLY, datetime=f"{hour}+07:00") == n, hour
        # between two snapshots the earlier one is in force
        assert _matched(client, HOURLY, datetime=f"{hour[:14]}30:00+07:00") == n, hour


def test_instants_outside_the_event(client: TestClient, counts: dict[str, int]) -> None:
    assert _matched(client, HOURLY, datetime="2010-01-01T00:00:00Z") == 0
    assert _matched(client, HOURLY, datetime="2017-02-19T16:59:59Z") == 0  # just before the first
    last = counts[max(counts)]
    assert _matched(client, HOURLY, datetime="2030-01-01T00:00:00Z") == last  # still in force


def test_intervals(client: TestClient, counts: dict[str, int]) -> None:
    day21 = sum(n for h, n in counts.items() if h.startswith("2017-02-21"))
    closed = "2017-02-21T00:00:00+07:00/2017-02-21T23:00:00+07:00"
    assert _matched(client, HOURLY, datetime=closed) == day21
    upto = sum(n for h, n in counts.items() if h <= "2017-02-21T07:00:00")
    assert _matched(client, HOURLY, datetime="../2017-02-21T00:00:00Z") == upto
    since = sum(n for h, n in counts.items() if h >= "2017-02-20T07:00:00")
    assert _matched(client, HOURLY, datetime="2017-02-20T00:00:00Z/..") == since
    assert _matched(client, HOURLY) == sum(counts.values()) == 3546
    zero = "2017-02-21T05:00:00Z/2017-02-21T05:00:00Z"  # a zero-length interval: that hour
    assert _matched(client, HOURLY, datetime=zero) == counts["2017-02-21T12:00:00"]


def test_temporal_extent_in_the_metadata(client: TestClient) -> None:
    body = client.get("/collections/flood_2017_hourly").json()
    temporal = body["extent"]["temporal"]
    assert temporal["interval"] == [["2017-02-19T17:00:00Z", "2017-02-22T17:00:00Z"]]
    assert temporal["trs"] == "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"
    reports = client.get("/collections/flood_2017_reports").json()["extent"]["temporal"]
    assert reports["interval"][0][0].startswith("2017-02-")


def test_reports_select_on_their_time(client: TestClient) -> None:
    url = "/collections/flood_2017_reports/items"
    features = client.get(url, params={"limit": "2000"}).json()["features"]
    on21 = [f for f in features if f["properties"]["created_at"].startswith("2017-02-21")]
    assert on21
    got = _matched(client, url, datetime="2017-02-21T00:00:00Z/2017-02-21T23:59:59.999Z")
    assert got == len(on21)


@pytest.mark.parametrize(
    "value",
    ["bad", "2017-13-01T00:00:00Z", "../..", "2017-02-22T00:00:00Z/2017-02-21T00:00:00Z", "/", ""],
)
def test_bad_datetime_is_a_400_with_the_expected_form(client: TestClient, value: str) -> None:
    r = client.get(HOURLY, params={"datetime": value})
    assert r.status_code == 400
    assert "datetime" in r.json()["description"]
