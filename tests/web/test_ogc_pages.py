"""The OGC API HTML pages in Chromium: every resource, both languages, desktop and phone.

Each page loads with no console error (the CSP holds: the map's script is a file) and no
request leaving 127.0.0.1 (Leaflet is the app's own, no basemap); the items and item pages
draw their features on the small map; paging links go to the next page as HTML.
Screenshots go to ``tests/web/artifacts/<test>/``.
"""

from __future__ import annotations

from typing import Any

import pytest
from journeykit import wider_than_viewport

# the fixtures' types live in tests/web/conftest.py; another folder's conftest may shadow that
# module name when several folders are collected together, so they are not imported here
Shots = Watched = WebApp = Any

pytestmark = pytest.mark.realdata

PAGES = {
    "landing": "/?f=html",
    "conformance": "/conformance?f=html",
    "collections": "/collections?f=html",
    "collection": "/collections/kelurahan?f=html",
    "items": "/collections/kelurahan/items?f=html&limit=10",
    "item": "/collections/kelurahan/items/31.71.01.1001?f=html",
}
WIDTHS = {"desktop": (1280, 860), "phone": (390, 844)}


def _drawn(page: Any) -> int:
    page.wait_for_function(
        "() => document.querySelectorAll('#ogc-map path.leaflet-interactive').length > 0"
    )
    return int(
        page.evaluate("document.querySelectorAll('#ogc-map path.leaflet-interactive').length")
    )


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_ogc_page_in_chromium(
    watched: Watched, web_app: WebApp, shots: Shots, width: str, lang: str
) -> None:
    page = watched.page
    w, h = WIDTHS[width]
    page.set_viewport_size({"width": w, "height": h})
    for kind, path in PAGES.items():
        answer = page.goto(f"{web_app.base}{path}&lang={lang}")
        assert answer is not None and answer.status == 200, (kind, answer and answer.status)
        assert answer.headers["content-type"].startswith("text/html")
        assert page.locator("html").get_attribute("lang") == lang
        alternate = page.locator('link[rel="alternate"][type*="json"]')
        assert alternate.count() == 1, kind
        if kind in ("items", "item"):
            assert _drawn(page) == (10 if kind == "items" else 1)
        if width == "phone":
            assert not wider_than_viewport(page), (kind, wider_than_viewport(page))
        shots(page, f"{kind}-{lang}-{width}", full_page=kind != "items")


def test_items_page_pages_and_opens_a_feature(watched: Watched, web_app: WebApp) -> None:
    page = watched.page
    page.goto(f"{web_app.base}/collections/kelurahan/items?f=html&limit=10&lang=en")
    assert "10 of 267 features" in page.locator(".ogc-summary").inner_text()
    page.locator('.ogc-paging a[rel="next"]').click()
    page.wait_for_url("**offset=10**")
    assert "from number 11" in page.locator(".ogc-summary").inner_text()
    assert page.locator('.ogc-paging a[rel="prev"]').count() == 1
    _drawn(page)
    page.locator(".ogc-table tbody tr a").first.click()
    page.wait_for_url("**/items/*f=html*")
    assert page.locator("h1").inner_text().startswith("Feature ")
    _drawn(page)


def test_browser_accept_gets_html_and_a_bps_code_lands_on_the_feature(
    watched: Watched, web_app: WebApp
) -> None:
    page = watched.page
    answer = page.goto(f"{web_app.base}/collections/kelurahan/items/3101020001?lang=en")
    assert answer is not None and answer.status == 200
    assert page.url.endswith("/collections/kelurahan/items/31.01.01.1001?lang=en")
    assert "Pulau Panggang" in page.locator(".ogc-table").inner_text()
    answer = page.goto(f"{web_app.base}/kelurahan/3101020001")
    assert answer is not None and answer.status == 200
    assert page.url.endswith("/kelurahan/31.01.01.1001")
