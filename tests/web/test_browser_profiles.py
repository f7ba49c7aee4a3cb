"""In Chromium: a click on a unit at any level opens its profile from its popup, and the
profiles print cleanly (the print stylesheet hides navigation, forms and map controls)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.realdata

ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "test-artifacts" / "reports"
PARTS = {"kelurahan": 4, "kecamatan": 3, "kota": 2}
Watched = Any
WebApp = Any


FREE_UNIT_POINT = """() => {
    const paths = Array.from(document.querySelectorAll("path.ketahanan-unit"));
    const box = document.querySelector(".folium-map").getBoundingClientRect();
    for (const path of paths) {
        const r = path.getBoundingClientRect();
        const x = r.left + r.width / 2, y = r.top + r.height / 2;
        const inside = x > box.left + box.width * 0.3 && x < box.right - box.width * 0.2
            && y > box.top + box.height * 0.2 && y < box.bottom - box.height * 0.2;
        if (inside && document.elementFromPoint(x, y) === path) {
            return { x, y };
        }
    }
    return null;
}"""
"""The page point of the middle of a unit drawn on top there, away from the map's controls."""


@pytest.mark.parametrize("level", list(PARTS))
def test_a_click_on_a_unit_opens_its_profile(watched: Watched, web_app: WebApp, level: str) -> None:
    page = watched.page
    page.goto(f"{web_app.base}/peta?tingkat={level}")
    page.wait_for_selector("body[data-choropleth=ready]")
    # a click opens the popup once the workspace (popups, actions) is loaded
    page.wait_for_selector("body[data-workspace=ready]")
    # a point where a unit is on top (actions drawn by other tests may cover the middle)
    point = page.evaluate(FREE_UNIT_POINT)
    assert point is not None, "no unit is uncovered on screen"
    page.mouse.click(point["x"], point["y"])
    link = page.locator(".unit-popup .unit-profile-link")
    link.wait_for()
    href = link.get_attribute("href") or ""
    code = r"\.".join([r"\d{2}"] * min(PARTS[level], 3) + [r"\d{4}"] * (PARTS[level] == 4))
    match = re.match(rf"^/{level}/({code})\?lang=id$", href)
    assert match, href
    link.click()
    page.wait_for_url(f"**/{level}/{match.group(1)}?lang=id")
    assert match.group(1) in page.locator("h1").inner_text()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"clicked-{level}.png"))


@pytest.mark.parametrize("url", ["/kelurahan/31.71.01.1001", "/kecamatan/31.72.01", "/kota/31.72"])
def test_profiles_print_without_controls(watched: Watched, web_app: WebApp, url: str) -> None:
    page = watched.page
    page.goto(f"{web_app.base}{url}")
    page.wait_for_selector("h1")
    if url.startswith("/kelurahan"):
        page.wait_for_selector("#profile-map .leaflet-control-zoom")
    assert page.locator(".unit-links").is_visible()
    page.emulate_media(media="print")
    hidden = ".ketahanan-header, .unit-links, .leaflet-control-container, form"
    shown = page.locator(hidden).evaluate_all(
        "nodes => nodes.filter(n => getComputedStyle(n).display !== 'none').length"
    )
    assert shown == 0
    assert page.locator("h1").is_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    name = url.strip("/").replace("/", "-")
    (ARTIFACTS / f"print-{name}.pdf").parent.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"print-{name}.pdf").write_bytes(pdf)


def test_selected_rows_of_a_ranked_table_open_a_comparison(
    watched: Watched, web_app: WebApp
) -> None:
    page = watched.page
    page.goto(f"{web_app.base}/kota/31.72")
    rows = page.locator("table.unit-children tbody tr")
    codes = [rows.nth(n).get_attribute("data-kode") or "" for n in (0, 2)]
    for code in codes:
        page.locator(f'table.unit-children tr[data-kode="{code}"] input[type=checkbox]').check()
    page.locator("form.compare-rows button").click()
    page.wait_for_url("**/bandingkan?**")
    for code in codes:
        assert page.locator(f'.compare-table th[data-kode="{code}"]').count() == 1, code
    assert page.locator(".compare-table td.median").count() > 3


def test_compare_with_from_a_profile(watched: Watched, web_app: WebApp) -> None:
    page = watched.page
    page.goto(f"{web_app.base}/kecamatan/31.72.01?lang=en")
    page.locator("#compare-with").select_option("31.71.01")
    page.locator("form.unit-compare button").click()
    page.wait_for_url("**/bandingkan?**")
    assert "lang=en" in page.url
    for code in ("31.72.01", "31.71.01"):
        assert page.locator(f'.compare-table th[data-kode="{code}"]').count() == 1, code


PHONE_PAGES = [
    "/kelurahan/31.71.01.1001",
    "/kecamatan/31.72.01",
    "/kota/31.72?lang=en",
    "/bandingkan?kode=31.72.01&kode=31.72.02&kode=31.72.03&kode=31.71.01",
    "/strategi",
]


@pytest.mark.parametrize("url", PHONE_PAGES)
def test_pages_fit_a_phone(watched: Watched, web_app: WebApp, url: str) -> None:
    page = watched.page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{web_app.base}{url}")
    page.wait_for_selector("h1")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{url} scrolls sideways on a phone: {width} px wide"
    name = re.sub(r"[^\w.]+", "-", url.strip("/"))[:60]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"phone-{name}.png"), full_page=True)


def test_an_initiative_without_a_status_is_not_shown_as_planned(
    watched: Watched, web_app: WebApp
) -> None:
    kode = "31.75.03.1001"
    feature = {"type": "Feature", "geometry": None, "properties": {
        "title": "Inisiatif tanpa status", "kind": "related_initiative", "status": None,
        "pillar": None, "progress": None, "unit_codes": [kode],
        "source_url": "https://example.org/sumber"}}  # fmt: skip
    made = web_app.post_action(feature)
    assert made.status_code == 201, made.text
    page = watched.page
    page.goto(f"{web_app.base}/kelurahan/{kode}")
    item = page.locator(".profile-action", has_text="Inisiatif tanpa status")
    item.wait_for()
    text = item.inner_text()
    assert "Status tidak diketahui" in text and "Direncanakan" not in text, text
    assert "Inisiatif terkait" in text
    page.goto(f"{web_app.base}/kecamatan/{kode[:8]}")
    group = page.locator('.unit-action-group[data-status="unknown"]')
    assert "Inisiatif tanpa status" in group.inner_text()
