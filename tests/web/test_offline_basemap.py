"""When the basemap's tiles fail the map says so once and shows the offline context layer.

A second app is served whose basemap points at a port on 127.0.0.1 where nothing listens, as
an intranet tile server that is down would: every tile request fails. With basemap ``none``
(the other tests' app) the context layer is the background from the start.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from journeykit import wait_until
from serverkit import free_port, served_app, settings_env

from geo.settings import Settings
from web.i18n import catalogue

pytestmark = pytest.mark.realdata

ID = catalogue("id")


@pytest.fixture(scope="module")
def down_tiles_app(
    web_settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str]]:
    """An app whose tile server (on a free local port) is not running."""
    tiles = f"http://127.0.0.1:{free_port()}/{{z}}/{{x}}/{{y}}.png"
    env = settings_env(web_settings, KETAHANAN_BASEMAP_URL=tiles)
    log = tmp_path_factory.mktemp("down-tiles") / "uvicorn.log"
    with served_app(env, log, "/health") as base:
        yield base, tiles.split("/{z}")[0]


def test_failed_tiles_are_reported_once_and_the_context_is_drawn(
    browser_context: Any, down_tiles_app: tuple[str, str], shots: Any
) -> None:
    base, tile_host = down_tiles_app
    page = browser_context.new_page()
    tile_requests: list[str] = []
    outside: list[str] = []
    page.on(
        "request", lambda r: tile_requests.append(r.url) if r.url.startswith(tile_host) else None
    )

    def route(r: Any) -> None:
        if r.request.url.startswith("http://127.0.0.1:") or r.request.url.startswith("data:"):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    try:
        page.goto(f"{base}/peta")
        page.wait_for_selector("body[data-choropleth=ready]")
        page.wait_for_selector("body[data-basemap=failed]")
        wait_until(page, "Number(document.body.getAttribute('data-context')) > 0")
        notices = page.locator("#ketahanan-notice")
        assert notices.count() == 1
        assert notices.inner_text().startswith(ID["map.tiles_failed"][:40])
        assert page.locator("path.context-coast").count() >= 1
        assert page.locator("path.context-waterways").count() >= 1
        shots(page, "tiles-failed-context")
        first_wave = len(tile_requests)
        page.mouse.move(640, 450)
        page.mouse.wheel(0, -300)
        page.wait_for_timeout(600)
        page.evaluate("window.ketahanan.map.panBy([300, 200], {animate: false})")
        page.wait_for_timeout(600)
        assert len(tile_requests) == first_wave  # no more requests that cannot succeed
        assert page.locator("#ketahanan-notice").count() == 1  # said once
        assert outside == []
        shots(page, "after-pan")
    finally:
        page.close()


def test_on_a_phone_the_notice_spans_the_screen_above_the_buttons(
    browser_context: Any, down_tiles_app: tuple[str, str], shots: Any
) -> None:
    """At 390 px the notice took half the screen (``left: 50%``) and covered the flood
    replay button; it spans the screen above the replay button and the legend."""
    base, _ = down_tiles_app
    page = browser_context.new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    page.route(
        "**/*",
        lambda r: (
            r.continue_() if r.request.url.startswith(("http://127.0.0.1:", "data:")) else r.abort()
        ),
    )
    try:
        page.goto(f"{base}/peta")
        page.wait_for_selector("body[data-basemap=failed]")
        notice = page.locator("#ketahanan-notice").bounding_box()
        assert notice is not None
        assert notice["width"] >= 0.9 * 390
        assert notice["x"] >= 0 and notice["x"] + notice["width"] <= 390
        for below in (".replay-toggle", "#ketahanan-legend"):
            box = page.locator(below).first.bounding_box()
            assert box is not None, below
            assert notice["y"] + notice["height"] <= box["y"], below
        shots(page, "phone-tiles-failed")
    finally:
        page.close()


def test_without_a_basemap_the_context_is_the_background(
    watched: Any, web_app: Any, shots: Any
) -> None:
    page = watched.page
    page.goto(f"{web_app.base}/peta?pilar=terhubung")
    page.wait_for_selector("body[data-choropleth=ready]")
    wait_until(page, "Number(document.body.getAttribute('data-context')) > 0")
    assert page.evaluate("document.body.getAttribute('data-basemap')") == "none"
    kinds = page.evaluate(
        "[...document.querySelectorAll('.ketahanan-context path')]"
        ".map(p => p.getAttribute('class'))"
    )
    for kind in ("coast", "kota", "kecamatan", "waterways", "rail_lines"):
        assert any(f"context-{kind}" in k for k in kinds), kind
    assert page.locator("#ketahanan-notice").count() == 0
    assert watched.blocked == []
    shots(page, "context-background")
