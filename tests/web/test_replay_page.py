"""The February 2017 flood replay on /peta in Chromium: slider, URL, reload, phone width.

The RW count the page shows for an hour is checked against the snapshot file of that hour in
the shared data (``jkt_floods_<hour>.geojson``, hours in WIB), not against the API.
"""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import shapely
import shapely.geometry

from geo.settings import Settings

pytestmark = pytest.mark.realdata

Watched = Any
WebApp = Any
HOUR_UTC = "2017-02-21T05:00:00Z"
"""2017-02-21 12:00 WIB, the snapshot ``jkt_floods_2017-02-21T12:00:00.geojson``."""
PHONE = {"width": 390, "height": 844}


def snapshot_count(settings: Settings, local: str) -> int:
    """Features of the snapshot file of a WIB hour (``2017-02-21T12:00:00``)."""
    path = settings.data_dir / "flood/petabencana_2017_02/floods" / f"jkt_floods_{local}.geojson"
    return len(json.loads(path.read_text())["features"])


def wait_until(page: Any, expression: str, timeout_s: float = 30.0) -> None:
    """Poll a JavaScript expression until true (the CSP blocks wait_for_function's eval)."""
    deadline = time.monotonic() + timeout_s
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"{expression!r} did not become true within {timeout_s} s")
        page.wait_for_timeout(100)


def open_replay(page: Any, base: str, query: str = "") -> None:
    page.goto(f"{base}/peta{query}")
    page.wait_for_selector("body[data-workspace=ready]")
    if not query:
        page.click("#replay-toggle")
    page.wait_for_selector("body[data-replay=ready]")
    wait_until(page, "document.querySelector('#ketahanan-replay').hasAttribute('data-hour')")


def shown(page: Any) -> dict[str, Any]:
    return page.evaluate(
        """() => { const box = document.querySelector('#ketahanan-replay');
        const facts = document.querySelector('#replay-facts');
        return { hour: box.getAttribute('data-hour'), count: Number(box.getAttribute('data-count')),
          factCount: Number(facts.getAttribute('data-count')),
          text: document.querySelector('#replay-rw-count strong').textContent,
          time: document.querySelector('#replay-time').textContent,
          coloured: [...document.querySelectorAll('path.leaflet-interactive, svg path')]
            .filter((p) => p.getAttribute('fill-opacity') !== '0'
              && p.closest('.leaflet-overlay-pane')).length,
          mark: document.querySelector('.replay-chart-count').textContent,
          banjir: new URLSearchParams(location.search).get('banjir') }; }"""
    )


def move_slider_to(page: Any, index: int) -> None:
    slider = page.locator("#replay-slider")
    slider.focus()
    page.keyboard.press("Home")
    for _ in range(index):
        page.keyboard.press("ArrowRight")


def test_slider_to_21_feb_12_00_shows_that_snapshots_rws_and_keeps_the_hour(
    watched: Watched, web_app: WebApp, shots: Any
) -> None:
    page = watched.page
    expected = snapshot_count(web_app.settings, "2017-02-21T12:00:00")
    doc = httpx.get(f"{web_app.base}/peta/banjir-2017", timeout=60).json()
    noon = next(h for h in doc["hours"] if h["utc"] == HOUR_UTC)
    flooded_kode = noon["kelurahan"][0][0]
    action = {
        "type": "Feature",
        "geometry": None,
        "properties": {
            "title": "Posko banjir (replay test)",
            "pillar": "siap",
            "lead_agency": "BPBD DKI",
            "unit_codes": [flooded_kode],
        },
    }
    posted = web_app.post_action(action)
    assert posted.status_code == 201, posted.text
    full = httpx.get(f"{web_app.base}/peta/banjir-2017", params={"zoom": 17}, timeout=60).json()
    inside = shapely.point_on_surface(
        shapely.geometry.shape(full["rw"]["features"][noon["rw"][0]]["geometry"])
    )
    drawn = web_app.post_action(
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [inside.x, inside.y]},
            "properties": {
                "title": "Pompa di RW tergenang",
                "pillar": "siap",
                "lead_agency": "BPBD DKI",
            },
        }
    )
    assert drawn.status_code == 201, drawn.text
    open_replay(page, web_app.base)
    shots(page, "replay-opened")
    hours = page.evaluate("window.ketahanan.replay.hours().map((h) => h.utc)")
    assert len(hours) == 73
    move_slider_to(page, hours.index(HOUR_UTC))  # with the keyboard, as a planner would
    got = shown(page)
    assert got["hour"] == HOUR_UTC and got["banjir"] == HOUR_UTC
    assert got["count"] == got["factCount"] == expected
    assert got["text"] == str(expected) and got["mark"] == str(expected)
    assert "12" in got["time"] and "WIB" in got["time"]
    facts = page.locator("#replay-facts")
    assert facts.get_attribute("data-kelurahan") == str(len(noon["kelurahan"]))
    assert facts.get_attribute("data-people") == str(noon["people"])
    assert int(facts.get_attribute("data-actions") or 0) >= 1
    page.click("#replay-actions summary")
    page.click("#replay-kelurahan summary")
    for action_id in (posted.json()["id"], drawn.json()["id"]):  # attached, and by geometry
        assert page.locator(f"#replay-actions li[data-action-id='{action_id}']").count() == 1
    assert page.locator("#replay-kelurahan li").count() == len(noon["kelurahan"])
    shots(page, "replay-2017-02-21T12")

    page.reload()
    page.wait_for_selector("body[data-replay=ready]")
    wait_until(page, "document.querySelector('#ketahanan-replay').hasAttribute('data-hour')")
    again = shown(page)
    assert again["hour"] == HOUR_UTC and again["count"] == expected
    assert page.locator("#replay-slider").input_value() == str(hours.index(HOUR_UTC))

    shots(page, "replay-reloaded")
    page.click("#replay-next")
    assert shown(page)["hour"] == hours[hours.index(HOUR_UTC) + 1]
    page.click("#replay-prev")
    assert shown(page)["hour"] == HOUR_UTC
    page.click("#replay-play")
    assert page.locator("#replay-play").get_attribute("aria-pressed") == "true"
    wait_until(page, f"document.querySelector('#ketahanan-replay').dataset.hour !== '{HOUR_UTC}'")
    page.click("#replay-play")
    assert page.locator("#replay-play").get_attribute("aria-pressed") == "false"
    page.click("#replay-toggle")  # closing the replay takes the hour out of the URL
    assert "banjir" not in parse_qs(urlsplit(page.url).query)
    assert not watched.problems(), watched.problems()


def test_replay_works_at_phone_width(watched: Watched, web_app: WebApp, shots: Any) -> None:
    page = watched.page
    page.set_viewport_size(PHONE)
    expected = snapshot_count(web_app.settings, "2017-02-21T12:00:00")
    open_replay(page, web_app.base, f"?banjir={HOUR_UTC}")
    got = shown(page)
    assert got["hour"] == HOUR_UTC and got["count"] == expected
    box = page.locator("#ketahanan-replay").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    page.click("#replay-next")  # buttons are big enough to tap (44 px wide)
    next_box = page.locator("#replay-next").bounding_box()
    assert next_box is not None and next_box["width"] >= 44 and next_box["height"] >= 36
    assert shown(page)["hour"] != HOUR_UTC
    shots(page, "replay-phone")


def test_a_bad_hour_is_a_friendly_400_page(watched: Watched, web_app: WebApp) -> None:
    page = watched.page
    watched.allowed_console.append("400")
    response = page.goto(f"{web_app.base}/peta?banjir=2017-02-21T12:30:00Z")
    assert response is not None and response.status == 400
    assert "2017-02-21T12:30:00Z" in page.content()
