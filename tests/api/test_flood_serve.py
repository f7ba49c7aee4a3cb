"""``serve`` follows ``KETAHANAN_FLOOD_FEED_URL`` in the background, one follower per database.

Two apps on one SQLite store start with the same feed URL (a local server replaying a real
2017 snapshot): one follows, the other does not, and ``flood_live`` serves what was fetched.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "geo"))
from floodkit import geom_ids, live_form, scripted_server, snapshot_files

from api.app import create_app
from geo.settings import Settings

pytestmark = pytest.mark.realdata

HOUR = "2017-02-21T13:00:00"


def test_one_app_of_two_follows_the_feed(
    api_settings: Settings, real_settings: Settings, tmp_path: Path
) -> None:
    path = snapshot_files(real_settings.data_dir)[HOUR]
    body = live_form(path)
    script = [("body", body)] * 20
    with scripted_server(script) as url:
        settings = api_settings.model_copy(
            update={
                "database_url": f"sqlite:///{tmp_path / 'a.sqlite'}",
                "flood_feed_url": url,
                "flood_feed_every_seconds": 5.0,
                "flood_feed_timeout_seconds": 2.0,
            }
        )
        with TestClient(create_app(settings)) as one, TestClient(create_app(settings)) as two:
            deadline = time.monotonic() + 20
            matched = 0
            while time.monotonic() < deadline and matched == 0:
                time.sleep(0.2)
                r = one.get("/collections/flood_live/items", params={"limit": "1"})
                matched = r.json()["numberMatched"]
            assert matched == len(geom_ids(path))
            followers = [c.app.state.flood_follower for c in (one, two)]  # type: ignore[attr-defined]
            assert sorted(f.following.is_set() for f in followers) == [False, True]
            assert two.get("/collections/flood_live/items").json()["numberMatched"] == matched
        for follower in followers:
            assert not follower.thread.is_alive()
