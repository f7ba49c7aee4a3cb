"""Planner journeys on the map, in Debian's Chromium against the live app on 127.0.0.1.

Each journey is what a planner at BAPPEDA or BPBD does, click by click, with a screenshot of
every step in ``tests/web/artifacts/<test>/``: sign in; find Penjaringan; attach an action to
it from its popup; after a reload, click it on top of the Siap choropleth; draw a polygon
action and click it, after a zoom too.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from journeykit import (
    get_action,
    open_map,
    settle_map,
    sign_in,
    top_element_at,
    wait_until,
)

from web.i18n import catalogue

pytestmark = pytest.mark.realdata

ID = catalogue("id")
PENJARINGAN = "31.72.01.1001"
"""Kelurahan Penjaringan (Kecamatan Penjaringan, Jakarta Utara)."""

Watched = Any
WebApp = Any


def test_sign_in_once_per_tab_and_sign_out(watched: Watched, web_app: WebApp, shots: Any) -> None:
    watched.allowed_console.append("status of 401")  # the wrong token's answer
    page = open_map(watched.page, web_app.base)
    assert page.locator("#signin-open").inner_text() == ID["auth.sign_in"]
    shots(page, "signed-out")

    page.locator("#signin-open").click()
    page.locator("#signin-token").fill("not-a-token")
    page.locator("#signin-dialog button[type=submit]").click()
    error = page.locator("#signin-error")
    wait_until(page, "document.getElementById('signin-error').textContent !== ''")
    assert error.inner_text() == ID["error.unauthorized"]
    shots(page, "wrong-token")
    page.locator("#signin-dialog button[type=button]").click()

    who = sign_in(page, web_app.token)
    assert web_app.planner_name in who and ID["role.planner"] in who
    shots(page, "signed-in")
    assert page.evaluate("sessionStorage.getItem('ketahanan.planner-token')") == web_app.token

    page.reload()
    page.wait_for_selector("#signin-who")  # kept for the tab, checked again in the background
    page.goto(f"{web_app.base}/aksi")
    page.wait_for_selector("#signin-who")
    page.locator("#signin-out").click()
    page.wait_for_selector("#signin-open")
    assert page.evaluate("sessionStorage.getItem('ketahanan.planner-token')") is None
    shots(page, "signed-out-again")


def test_viewer_token_may_read_but_not_write(watched: Watched, web_app: WebApp) -> None:
    page = open_map(watched.page, web_app.base)
    who = sign_in(page, web_app.viewer_token)
    assert ID["role.viewer"] in who
    page.locator("#ketahanan-search").fill("Glodok")
    page.locator("#ketahanan-search-results button").first.click()
    page.locator(".unit-popup .unit-add-action").click()
    form = page.locator("#ketahanan-action-form")
    form.locator("[name=title]").fill("Tidak boleh tersimpan")
    form.locator("[name=lead_agency]").fill("BPBD")
    form.locator("button[type=submit]").click()
    toast = page.locator("#ketahanan-toast")
    wait_until(page, "document.getElementById('ketahanan-toast')?.textContent.length > 0")
    assert toast.inner_text() == ID["error.forbidden"]
    listed = httpx.get(f"{web_app.base}/collections/actions/items", timeout=30).json()
    assert all(f["properties"]["title"] != "Tidak boleh tersimpan" for f in listed["features"])


def _click_centre(page: Any, selector: str) -> dict[str, str]:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    hit = top_element_at(page, x, y)
    page.mouse.click(x, y)
    return hit


def test_attach_an_action_to_penjaringan_from_its_popup(
    watched: Watched, web_app: WebApp, shots: Any
) -> None:
    page = open_map(watched.page, web_app.base, "?pilar=siap")
    sign_in(page, web_app.token)
    page.locator("#ketahanan-search").fill("Penjaringan")
    hit = page.locator(f"#ketahanan-search-results button[data-kode='{PENJARINGAN}']")
    hit.wait_for()
    shots(page, "search")
    hit.click()
    popup = page.locator(f".unit-popup[data-kode='{PENJARINGAN}']")
    popup.wait_for()
    assert "Kecamatan Penjaringan" in popup.inner_text()
    assert ID["action.add_for_unit"] == popup.locator(".unit-add-action").inner_text()
    shots(page, "popup")
    popup.locator(".unit-add-action").click()

    form = page.locator("#ketahanan-action-form")
    assert "Penjaringan" in form.locator(".form-place").inner_text()
    form.locator("[name=title]").fill("Tanggul pantai Muara Baru")
    form.locator("[name=lead_agency]").fill("Dinas Sumber Daya Air")
    form.locator("[name=partners]").fill("BPBD DKI, PAM Jaya")
    shots(page, "form")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#ketahanan-action-form", state="detached")

    stored = httpx.get(
        f"{web_app.base}/collections/actions/items", params={"kelurahan": PENJARINGAN}, timeout=30
    ).json()["features"]
    mine = [f for f in stored if f["properties"]["title"] == "Tanggul pantai Muara Baru"]
    assert len(mine) == 1 and mine[0]["geometry"] is None
    assert mine[0]["properties"]["unit_codes"] == [PENJARINGAN]
    action_id = mine[0]["id"]
    pin = f".ketahanan-action-pin [data-action-id='{action_id}']"
    page.wait_for_selector(pin)

    # After a reload, on top of the Siap choropleth: the unit's outline and a marker, and a
    # click on the marker opens the action, not the kelurahan.
    page.reload()
    page.wait_for_selector("body[data-choropleth=ready]")
    page.wait_for_selector(pin)
    assert page.locator("path.ketahanan-action-unit").count() >= 1
    page.evaluate(f"window.ketahanan.focus('{PENJARINGAN}')")
    page.wait_for_selector(".unit-popup")
    page.keyboard.press("Escape")
    page.evaluate("window.ketahanan.map.closePopup()")
    wait_until(page, "!document.querySelector('.leaflet-popup')")
    shots(page, "drawn-after-reload")
    hit = _click_centre(page, pin)
    assert "ketahanan-actions" in hit["pane"], hit
    action_popup = page.locator(f".action-popup[data-action-id='{action_id}']")
    action_popup.wait_for()
    assert action_popup.locator(".action-title").inner_text() == "Tanggul pantai Muara Baru"
    assert page.locator(".unit-popup").count() == 0
    shots(page, "action-popup")
    assert get_action(web_app.base, action_id).status_code == 200


def draw_polygon(page: Any, size: int = 60) -> tuple[float, float]:
    """Draw a square with Leaflet.draw in the middle of the map; return its centre."""
    page.locator(".leaflet-draw-draw-polygon").click()
    box = page.locator(".folium-map").bounding_box()
    cx, cy = box["x"] + box["width"] * 0.55, box["y"] + box["height"] * 0.5
    points = [(cx, cy), (cx + size, cy), (cx + size, cy + size), (cx, cy + size)]
    for x, y in points:
        page.mouse.click(x, y)
        page.wait_for_timeout(150)
    page.mouse.click(*points[0])
    page.wait_for_selector("#ketahanan-action-form")
    return cx + size / 2, cy + size / 2


def test_draw_a_polygon_action_and_click_it_after_a_reload_and_a_zoom(
    watched: Watched, web_app: WebApp, shots: Any
) -> None:
    page = open_map(watched.page, web_app.base, "?pilar=siap")
    sign_in(page, web_app.token)
    page.evaluate("window.ketahanan.map.setView([-6.165, 106.83], 13, {animate: false})")
    settle_map(page)
    x, y = draw_polygon(page)
    form = page.locator("#ketahanan-action-form")
    form.locator("[name=title]").fill("Normalisasi saluran Kali Sentiong")
    form.locator("[name=lead_agency]").fill("Dinas Sumber Daya Air")
    form.locator("[name=status]").select_option("in_progress")
    form.locator("[name=progress]").fill("30")
    form.locator("[name=budget_idr]").fill("1500000000")
    form.locator("[name=start_date]").fill("2025-01-15")
    shots(page, "drawn-form")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#ketahanan-action-form", state="detached")
    page.wait_for_selector("path.ketahanan-action.status-in_progress")
    shots(page, "saved")

    def click_polygon() -> None:
        hit = top_element_at(page, x, y)
        assert "ketahanan-actions" in hit["pane"], hit
        page.mouse.click(x, y)
        popup = page.locator(".action-popup")
        popup.wait_for()
        assert popup.locator(".action-title").inner_text() == "Normalisasi saluran Kali Sentiong"
        assert page.locator(".unit-popup").count() == 0
        page.evaluate("window.ketahanan.map.closePopup()")
        wait_until(page, "!document.querySelector('.leaflet-popup')")

    page.reload()
    page.wait_for_selector("body[data-choropleth=ready]")
    page.evaluate("window.ketahanan.map.setView([-6.165, 106.83], 13, {animate: false})")
    page.wait_for_selector("path.ketahanan-action.status-in_progress")
    settle_map(page)  # the zoom's reload of the choropleth
    click_polygon()
    shots(page, "clicked-after-reload")
    # A zoom in and out redraws the choropleth at another generalisation: still on top.
    page.evaluate("window.ketahanan.map.setZoom(14, {animate: false})")
    settle_map(page)
    page.evaluate("window.ketahanan.map.setZoom(13, {animate: false})")
    settle_map(page)
    click_polygon()
    shots(page, "clicked-after-zoom")
    # A click beside the action still opens the kelurahan there.
    page.mouse.click(x - 120, y)
    page.wait_for_selector(".unit-popup")
    shots(page, "unit-beside")
