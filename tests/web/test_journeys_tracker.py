"""Planner journeys in the actions tracker (/aksi), in Debian's Chromium on 127.0.0.1.

Change an action's status to "in progress" at 30 %, read both versions in its history, delete
it and undo; meet someone else's newer version (412) and reapply the change to it; filter the
list, with the filters in the URL. A screenshot of each step is saved in the artifacts.
"""

from __future__ import annotations

import json
import uuid
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from journeykit import api_headers, create_action, get_action, sign_in, wait_until

from web.i18n import catalogue

pytestmark = pytest.mark.realdata

ID = catalogue("id")
Watched = Any
WebApp = Any


def open_tracker(page: Any, base: str, query: str = "") -> Any:
    page.goto(f"{base}/aksi{query}")
    wait_until(page, "!['loading', null].includes(document.body.getAttribute('data-rows'))")
    return page


def open_detail(page: Any, action_id: str, version: int) -> Any:
    detail = page.locator("#action-detail")
    wait_until(
        page,
        f'document.querySelector(\'#action-detail[data-id="{action_id}"]'
        f'[data-version="{version}"] #action-history li\')',
    )
    return detail


def test_status_progress_history_delete_and_undo(
    watched: Watched, web_app: WebApp, shots: Any
) -> None:
    title = f"Pompa mobile Kali Ciliwung {uuid.uuid4().hex[:6]}"
    action = create_action(web_app.base, web_app.token, title=title, unit_codes=["31.74.01.1005"])
    page = open_tracker(watched.page, web_app.base)
    sign_in(page, web_app.token)
    page.locator("#tracker-filters [name=q]").fill(title)
    row = page.locator(f"#tracker-table tr[data-id='{action['id']}']")
    row.wait_for()
    shots(page, "found")
    row.locator(".row-open").click()
    detail = open_detail(page, action["id"], 1)
    assert title in detail.locator("#detail-title").inner_text()
    assert "Bukit Duri" in detail.locator("[data-field=unit_codes]").inner_text()
    # its place on the small map: the kelurahan's outline and a marker at its point
    wait_until(page, "document.querySelectorAll('#action-detail .detail-map path').length >= 2")
    shots(page, "detail")

    detail.locator("#detail-status").select_option("in_progress")
    detail.locator("#detail-progress").fill("30")
    detail.locator("#detail-save").click()
    detail = open_detail(page, action["id"], 2)
    stored = get_action(web_app.base, action["id"]).json()["properties"]
    assert (stored["status"], stored["progress"], stored["version"]) == ("in_progress", 30, 2)
    assert stored["updated_by"] == web_app.planner_name
    row = page.locator(f"#tracker-table tr[data-id='{action['id']}']")
    wait_until(page, f'document.querySelector(\'tr[data-id="{action["id"]}"][data-version="2"]\')')
    assert ID["status.in_progress"] in row.inner_text() and "30%" in row.inner_text()

    history = detail.locator("#action-history > li")
    assert history.count() == 2
    newest, oldest = history.nth(0), history.nth(1)
    assert newest.get_attribute("data-version") == "2"
    assert ID["history.update"] in newest.inner_text()
    assert web_app.planner_name in newest.inner_text()
    status_change = newest.locator("[data-field=status]").inner_text()
    assert ID["status.planned"] in status_change and ID["status.in_progress"] in status_change
    assert "0%" in newest.locator("[data-field=progress]").inner_text()
    assert "30%" in newest.locator("[data-field=progress]").inner_text()
    assert oldest.get_attribute("data-version") == "1"
    assert ID["history.create"] in oldest.inner_text()
    shots(page, "history-two-versions")

    detail.locator("#detail-delete").click()
    confirm = page.locator("#confirm-dialog")
    confirm.wait_for(state="visible")
    assert title in confirm.inner_text()
    shots(page, "confirm-delete")
    confirm.locator("#confirm-yes").click()
    page.wait_for_selector(".tracker-deleted")
    assert get_action(web_app.base, action["id"]).status_code == 410
    wait_until(page, f"!document.querySelector('tr[data-id=\"{action['id']}\"]')")
    shots(page, "deleted")

    page.locator("#ketahanan-toast .toast-action").click()  # "Urungkan"
    detail = open_detail(page, action["id"], 4)
    restored = get_action(web_app.base, action["id"])
    assert restored.status_code == 200
    assert restored.json()["properties"]["status"] == "in_progress"
    operations = [
        page.locator("#action-history > li").nth(i).get_attribute("class") for i in range(4)
    ]
    assert operations == ["history-restore", "history-delete", "history-update", "history-create"]
    page.locator(f"#tracker-table tr[data-id='{action['id']}']").wait_for()
    shots(page, "undone")
    assert watched.dialogs == []  # the confirmation is the page's own dialog, not the browser's


def test_a_newer_version_is_shown_and_the_change_reapplied(
    watched: Watched, web_app: WebApp, shots: Any
) -> None:
    watched.allowed_console.append("status of 412")  # the stale write's answer
    title = f"Sumur resapan Cipinang {uuid.uuid4().hex[:6]}"
    action = create_action(web_app.base, web_app.token, title=title, pillar="sehat")
    page = open_tracker(watched.page, web_app.base, f"?id={action['id']}")
    sign_in(page, web_app.token)
    detail = open_detail(page, action["id"], 1)

    # Someone else saves a newer version meanwhile.
    other = httpx.patch(
        f"{web_app.base}/collections/actions/items/{action['id']}",
        content=json.dumps({"properties": {"progress": 50, "status": "in_progress"}}),
        headers=api_headers(web_app.token, **{"If-Match": '"1"'}),
        timeout=30,
    )
    assert other.status_code == 200, other.text

    detail.locator("#detail-progress").fill("30")
    detail.locator("#detail-save").click()
    conflict = page.locator("#detail-conflict")
    conflict.wait_for()
    text = conflict.inner_text()
    assert ID["tracker.conflict_title"] in text
    assert "50%" in text and ID["status.in_progress"] in text
    # The newer version is what the panel shows now; the planner's change waits in the form.
    assert detail.get_attribute("data-version") == "2"
    assert detail.locator("dd[data-field=progress]").inner_text() == "50%"
    assert detail.locator("#action-history > li").count() == 2
    assert detail.locator("#detail-progress").input_value() == "30"
    shots(page, "conflict")
    assert get_action(web_app.base, action["id"]).json()["properties"]["progress"] == 50

    conflict.locator("#conflict-reapply").click()
    open_detail(page, action["id"], 3)
    stored = get_action(web_app.base, action["id"]).json()["properties"]
    assert (stored["progress"], stored["version"]) == (30, 3)
    assert page.locator("#detail-conflict").count() == 0
    shots(page, "reapplied")


def test_filters_live_in_the_url_and_page_through_the_server(
    watched: Watched, web_app: WebApp, shots: Any
) -> None:
    tag = uuid.uuid4().hex[:6]
    utara = create_action(
        web_app.base, web_app.token, title=f"Rumah pompa Pluit {tag}", unit_codes=["31.72.01.1005"]
    )
    selatan = create_action(
        web_app.base,
        web_app.token,
        title=f"Halte ramah difabel {tag}",
        pillar="terhubung",
        lead_agency="Dinas Perhubungan",
        unit_codes=["31.74.01"],
    )
    page = open_tracker(watched.page, web_app.base)
    form = page.locator("#tracker-filters")
    form.locator("[name=q]").fill(tag)
    wait_until(page, "document.body.getAttribute('data-rows') === '2'")
    form.locator("[name=kota]").select_option("31.72")
    wait_until(page, "document.body.getAttribute('data-rows') === '1'")
    assert page.locator(f"tr[data-id='{utara['id']}']").count() == 1
    query = parse_qs(urlsplit(page.url).query)
    assert query["kota"] == ["31.72"] and query["q"] == [tag]
    shots(page, "kota-filter")

    page.goto(f"{web_app.base}/aksi?q={tag}&kecamatan=31.74.01&pillar=terhubung")
    wait_until(page, "document.body.getAttribute('data-rows') === '1'")
    assert page.locator(f"tr[data-id='{selatan['id']}']").count() == 1
    assert form.locator("[name=pillar]").input_value() == "terhubung"
    form.locator("[name=agency]").fill("dinas perhubungan")
    wait_until(page, "new URLSearchParams(location.search).get('agency') === 'dinas perhubungan'")
    wait_until(page, "document.body.getAttribute('data-rows') === '1'")
    shots(page, "url-filters")


def test_the_table_pages_on_the_server(watched: Watched, web_app: WebApp, shots: Any) -> None:
    """Sixty matching actions: one page of fifty, then the last ten; the URL follows."""
    tag = uuid.uuid4().hex[:6]
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [106.70 + i / 400, -6.30]},
            "properties": {
                "title": f"Biopori {tag} {i:02d}",
                "pillar": "sehat",
                "lead_agency": "Dinas Lingkungan Hidup",
            },
        }
        for i in range(60)
    ]
    imported = httpx.post(
        f"{web_app.base}/collections/actions/items",
        content=json.dumps({"type": "FeatureCollection", "features": features}),
        headers=api_headers(web_app.token),
        timeout=60,
    )
    assert imported.status_code == 201, imported.text
    page = open_tracker(watched.page, web_app.base, f"?q={tag}")
    wait_until(page, "document.body.getAttribute('data-total') === '60'")
    assert page.evaluate("document.body.getAttribute('data-rows')") == "50"
    assert page.locator("#tracker-count").inner_text() == "1-50 dari 60 aksi"
    page.locator("#tracker-next").click()
    wait_until(page, "document.body.getAttribute('data-rows') === '10'")
    assert parse_qs(urlsplit(page.url).query)["offset"] == ["50"]
    assert page.locator("#tracker-count").inner_text() == "51-60 dari 60 aksi"
    assert page.locator("#tracker-next").is_disabled()
    shots(page, "second-page")
    page.locator("#tracker-prev").click()
    wait_until(page, "document.body.getAttribute('data-rows') === '50'")
