"""The planner map in a real browser: Debian's Chromium driven by Playwright, no network.

Every test runs through the ``watched`` page fixture, which aborts and records any request not
to 127.0.0.1 and fails the test on a console error or an unexpected dialog.
"""

from __future__ import annotations

import json
import re
import time
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from journeykit import sign_in
from PIL import Image

from geo.settings import PROJECT_ROOT
from web.i18n import catalogue
from web.styles import CLUSTERED, OVERLAYS


def wait_until(page: Any, expression: str, timeout_s: float = 30.0) -> None:
    """Poll a JavaScript expression until it is true.

    ``page.wait_for_function`` compiles a string predicate with ``eval`` in the page, which
    the app's Content-Security-Policy (no 'unsafe-eval') rightly blocks; ``page.evaluate``
    goes through the DevTools protocol, which a page's CSP does not govern.
    """
    deadline = time.monotonic() + timeout_s
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"{expression!r} did not become true within {timeout_s} s")
        page.wait_for_timeout(100)


pytestmark = pytest.mark.realdata

KELURAHAN = 267
XSS_TITLE = "<img src=x onerror=alert(1)>"
ARTIFACTS = PROJECT_ROOT / "var" / "test-artifacts"
"""Screenshots of the pillar maps (``var/`` is ignored by git)."""

# The fixtures (tests/web/conftest.py): ``web_app`` has .base, .settings, .token; ``watched`` has
# .page, .blocked, .console_errors, .dialogs, .allowed_console.
Watched = Any
WebApp = Any


def api_breaks(app: WebApp, pillar: str) -> list[float]:
    """The breaks the items API gives for a pillar score (the map must show these)."""
    column = f"score_{pillar}"
    response = httpx.get(
        f"{app.base}/collections/kelurahan/items",
        params={
            "limit": 1000,
            "properties": f"kode,{column}",
            "classify": "quantiles",
            "classify_by": column,
            "k": 5,
        },
        timeout=30,
    )
    response.raise_for_status()
    breaks: list[float] = response.json()["classification"]["breaks"]
    return breaks


def open_map(w: Watched, app: WebApp, query: str = "") -> Any:
    page = w.page
    page.goto(f"{app.base}/peta{query}")
    page.wait_for_selector("body[data-choropleth=ready]")
    page.wait_for_selector("body[data-actions]")
    return page


def legend_breaks(page: Any) -> list[float]:
    uppers = page.locator("#ketahanan-legend .legend-class").evaluate_all(
        "nodes => nodes.map(n => n.getAttribute('data-upper'))"
    )
    return [float(u) for u in uppers]


def test_kelurahan_choropleth_and_legend_follow_the_api(watched: Watched, web_app: WebApp) -> None:
    page = open_map(watched, web_app)
    assert page.locator("path.ketahanan-unit").count() == KELURAHAN
    siap = legend_breaks(page)
    assert siap == pytest.approx(api_breaks(web_app, "siap"))
    assert page.locator("#ketahanan-legend .legend-nodata").count() == 1
    fills = page.locator("path.ketahanan-unit:not(.ketahanan-nodata)").evaluate_all(
        "nodes => new Set(nodes.map(n => n.getAttribute('fill'))).size"
    )
    assert fills == len(siap)

    page.select_option("#ketahanan-pilar", "sehat")
    page.wait_for_url("**/peta?pilar=sehat*")
    page.wait_for_selector("body[data-choropleth=ready]")
    assert page.locator("path.ketahanan-unit").count() == KELURAHAN
    sehat = legend_breaks(page)
    assert sehat == pytest.approx(api_breaks(web_app, "sehat"))
    assert sehat != pytest.approx(siap)
    assert page.locator("#ketahanan-legend h2").inner_text().endswith("(0-1)")


def test_a_class_of_one_value_reads_as_that_value(watched: Watched, web_app: WebApp) -> None:
    """Quantiles of an indicator that is 0 in most kelurahan (share of RWs flooded in Feb 2017):
    the first class holds only 0, so it reads "0" and the next "> 0 – ...", never "0 – 0"
    followed by "0 – 0,071". The counts are the API's, the zeros counted in its answer."""
    column = "siap_rw_flooded_2017_share"
    page = open_map(watched, web_app, f"?indikator={column}")
    labels = page.locator("#ketahanan-legend .legend-class .legend-label").all_inner_texts()
    counts = page.locator("#ketahanan-legend .legend-class .legend-count").all_inner_texts()
    answer = httpx.get(
        f"{web_app.base}/collections/kelurahan/items",
        params={"limit": 1000, "properties": f"kode,{column}"},
        timeout=30,
    ).json()
    zeros = sum(1 for f in answer["features"] if f["properties"][column] == 0)
    assert zeros > len(answer["features"]) / 5, "the real data has many zeros here"
    assert labels[0] == "0"
    assert counts[0] == f"({zeros})"
    assert re.fullmatch(r"> 0 – \d+,\d+", labels[1]), labels[1]
    assert all(" – " in label and not label.startswith(">") for label in labels[2:]), labels
    lower, upper = labels[2].split(" – ")
    assert lower != upper


def matched(app: WebApp, collection: str) -> int:
    """How many features the API has in a collection."""
    response = httpx.get(f"{app.base}/collections/{collection}/items?limit=1", timeout=30)
    response.raise_for_status()
    return int(response.json()["numberMatched"])


def page_config(page: Any) -> dict[str, Any]:
    """The config web/pages.py rendered into the page."""
    config: dict[str, Any] = json.loads(page.locator("#ketahanan-config").text_content())
    return config


def unit_paths(page: Any, codes: list[str]) -> dict[str, dict[str, str]]:
    """The fill and class attributes of each unit's SVG path on screen, by code."""
    result: dict[str, dict[str, str]] = page.evaluate(
        """codes => Object.fromEntries(codes.map(c => {
            const path = window.ketahanan.choropleth.unit(c)._path;
            return [c, {fill: path.getAttribute('fill'), cls: path.getAttribute('class')}];
        }))""",
        codes,
    )
    return result


def test_units_are_filled_by_the_class_the_server_returns(
    watched: Watched, web_app: WebApp
) -> None:
    page = open_map(
        watched, web_app, "?pilar=terhubung&tingkat=kecamatan&klasifikasi=fisher_jenks&k=4"
    )
    styles = page_config(page)["styles"]
    served = httpx.get(
        f"{web_app.base}/collections/kecamatan/items",
        params={
            "limit": 1000,
            "properties": "kode,class,score_terhubung_status",
            "classify": "fisher_jenks",
            "classify_by": "score_terhubung",
            "k": 4,
        },
        timeout=30,
    ).json()
    classes = {f["properties"]["kode"]: f["properties"]["class"] for f in served["features"]}
    status = {
        f["properties"]["kode"]: f["properties"]["score_terhubung_status"]
        for f in served["features"]
    }
    ramp = styles["ramps"][str(served["classification"]["k"])]
    assert len(ramp) == 4
    paths = unit_paths(page, list(classes))
    for kode, cls in classes.items():
        if cls is None and status[kode] == "partial":
            assert paths[kode]["fill"] == styles["partial"]["fillColor"], kode
            assert "ketahanan-partial" in paths[kode]["cls"], kode
        elif cls is None:
            assert paths[kode]["fill"] == styles["nodata"]["fillColor"], kode
            assert "ketahanan-nodata" in paths[kode]["cls"], kode
        else:
            assert paths[kode]["fill"] == ramp[cls], kode
            assert f"class-{cls}" in paths[kode]["cls"].split(), kode
    assert None in classes.values()  # Kepulauan Seribu has no score: "no data" is drawn too
    assert {ramp[c] for c in classes.values() if c is not None} == set(ramp)


def test_partial_scores_are_drawn_hatched_and_counted_apart(
    watched: Watched, web_app: WebApp
) -> None:
    """Sehat: units resting on one indicator get no class, their own hatch and legend row."""
    page = open_map(watched, web_app, "?pilar=sehat")
    styles = page_config(page)["styles"]
    served = httpx.get(
        f"{web_app.base}/collections/kelurahan/items",
        params={"limit": 1000, "properties": "kode,score_sehat,score_sehat_status"},
        timeout=30,
    ).json()
    status = {
        f["properties"]["kode"]: f["properties"]["score_sehat_status"] for f in served["features"]
    }
    partial = [k for k, s in status.items() if s == "partial"]
    assert partial and len(partial) < len(status)
    paths = unit_paths(page, list(status))
    for kode in partial:
        assert "ketahanan-partial" in paths[kode]["cls"], kode
        assert paths[kode]["fill"] == styles["partial"]["fillColor"], kode
    assert all("ketahanan-partial" not in paths[k]["cls"] for k in status if k not in partial)
    hatch = page.evaluate(
        "() => getComputedStyle(document.querySelector('path.ketahanan-partial')).fill"
    )
    assert "ketahanan-hatch-partial" in hatch
    row = page.locator("#ketahanan-legend .legend-partial").inner_text()
    assert f"({len(partial)})" in row
    assert "Tanggal data" in page.locator("#ketahanan-legend").inner_text()


def test_colours_follow_the_served_class_not_the_breaks(watched: Watched, web_app: WebApp) -> None:
    """The script must draw the server's class, never work one out again from the breaks.

    The items answer is the real one with every class turned upside down (class i of k
    becomes k-1-i) and the breaks left as they are, so a script that re-classifies values
    against the breaks paints every unit differently from one that reads ``class``.
    """
    served: dict[str, int | None] = {}
    breaks: list[float] = []

    def reversed_classes(route: Any) -> None:
        response = route.fetch()
        body = response.json()
        k = body["classification"]["k"]
        breaks[:] = body["classification"]["breaks"]
        for feature in body["features"]:
            props = feature["properties"]
            if props["class"] is not None:
                props["class"] = k - 1 - props["class"]
            served[props["kode"]] = props["class"]
        route.fulfill(response=response, json=body)

    watched.page.route(
        lambda url: urlsplit(url).path == "/collections/kelurahan/items", reversed_classes
    )
    page = open_map(watched, web_app)
    ramp = page_config(page)["styles"]["ramps"][str(len(breaks))]
    values = httpx.get(
        f"{web_app.base}/collections/kelurahan/items",
        params={"limit": 1000, "properties": "kode,score_siap"},
        timeout=30,
    ).json()["features"]
    by_breaks = {
        f["properties"]["kode"]: next(i for i, b in enumerate(breaks) if v <= b)
        for f in values
        if (v := f["properties"]["score_siap"]) is not None
    }
    assert len(served) == KELURAHAN
    paths = unit_paths(page, list(served))
    differ = 0
    for kode, cls in served.items():
        if cls is None:
            continue
        assert paths[kode]["fill"] == ramp[cls], kode
        differ += ramp[cls] != ramp[by_breaks[kode]]
    assert differ > 200  # the middle class maps onto itself; every other unit changes colour
    legend = legend_breaks(page)
    assert legend == pytest.approx(breaks)


VISIBLE_UNITS = """() => {
    const styles = JSON.parse(document.getElementById("ketahanan-config").textContent).styles;
    return Array.from(document.querySelectorAll("path.ketahanan-unit")).filter((p) => {
        const kind = ["nodata", "partial"].find((k) => p.classList.contains(`ketahanan-${k}`));
        const want = styles[kind || "unit"];
        const s = getComputedStyle(p);
        return s.fill !== "none" && Number(s.fillOpacity) === want.fillOpacity
            && Number(s.strokeOpacity) > 0;
    }).length;
}"""
"""How many choropleth units are drawn with their style's fill and a visible outline."""


@pytest.mark.parametrize("pillar", ["siap", "sehat", "terhubung"])
def test_pillar_map_screenshot(watched: Watched, web_app: WebApp, pillar: str) -> None:
    page = open_map(watched, web_app, f"?pilar={pillar}")
    # Show every overlay of the pillar and wait until each has drawn every feature the API has.
    boxes = page.locator(".leaflet-control-layers-overlays input[type=checkbox]")
    for i in range(boxes.count()):
        if not boxes.nth(i).is_checked():
            boxes.nth(i).check()
    for layer in OVERLAYS[pillar]:
        if layer in CLUSTERED:  # clustered points: one marker or cluster icon per group
            wait_until(page, "document.querySelectorAll('.stop-icon, .marker-cluster').length > 0")
        else:
            expected = matched(web_app, layer)
            assert expected > 0, layer
            wait_until(
                page, f"document.querySelectorAll('path.overlay-{layer}').length === {expected}"
            )
    assert page.locator("path.ketahanan-unit").count() == KELURAHAN
    # and every unit is drawn as the page's styles say: filled and outlined, not invisible
    assert page.evaluate(VISIBLE_UNITS) == KELURAHAN
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"peta-{pillar}.png"
    page.screenshot(path=str(path))
    # The picture shows a drawn map, not an empty frame: many colours, no one colour dominant.
    box = page.locator(".folium-map").bounding_box()
    with Image.open(path) as shot:
        area = shot.convert("RGB").crop(
            (
                int(box["x"]),
                int(box["y"]),
                int(box["x"] + box["width"]),
                int(box["y"] + box["height"]),
            )
        )
        colours = area.getcolors(maxcolors=area.width * area.height) or []
    top = max(count for count, _ in colours)
    assert len(colours) > 100, f"{len(colours)} colours in the map area"
    assert top / (area.width * area.height) < 0.8, "one colour fills most of the map"


def draw_polygon(page: Any) -> None:
    page.locator(".leaflet-draw-draw-polygon").click()
    box = page.locator(".folium-map").bounding_box()
    cx, cy = box["x"] + box["width"] * 0.55, box["y"] + box["height"] * 0.5
    points = [(cx, cy), (cx + 40, cy), (cx + 40, cy + 40), (cx, cy + 40)]
    for x, y in points:
        page.mouse.click(x, y)
        page.wait_for_timeout(150)
    page.mouse.click(*points[0])
    page.wait_for_selector("#ketahanan-action-form")


def test_drawn_polygon_is_saved_shown_at_once_and_after_reload(
    watched: Watched, web_app: WebApp
) -> None:
    page = open_map(watched, web_app)
    sign_in(page, web_app.token)
    before = page.locator("path.ketahanan-action").count()
    draw_polygon(page)
    form = page.locator("#ketahanan-action-form")
    form.locator("[name=title]").fill("Normalisasi saluran Kali Sentiong")
    form.locator("[name=lead_agency]").fill("Dinas Sumber Daya Air")
    form.locator("[name=partners]").fill("BPBD, Rujak Center for Urban Studies")
    form.locator("[name=status]").select_option("in_progress")
    form.locator("[name=progress]").fill("30")
    form.locator("[name=budget_idr]").fill("1500000000")
    form.locator("[name=start_date]").fill("2025-01-15")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#ketahanan-action-form", state="detached")
    wait_until(page, f"document.querySelectorAll('path.ketahanan-action').length === {before + 1}")
    assert page.locator("path.ketahanan-action.status-in_progress").count() >= 1

    page.reload()
    page.wait_for_selector("body[data-choropleth=ready]")
    wait_until(page, f"document.querySelectorAll('path.ketahanan-action').length === {before + 1}")
    # The token was entered once: it is kept for this browser tab.
    assert page.evaluate("sessionStorage.getItem('ketahanan.planner-token')") == web_app.token


def test_validation_error_shows_next_to_its_field(watched: Watched, web_app: WebApp) -> None:
    """In the page's language, next to the field: first the page's own checks, then the API's."""
    # The browser logs the API's 422 answer as a failed resource load; that one is expected.
    watched.allowed_console.append("status of 422")
    strings = catalogue("id")
    page = open_map(watched, web_app)
    sign_in(page, web_app.token)
    draw_polygon(page)
    form = page.locator("#ketahanan-action-form")
    form.locator("[name=title]").fill("   ")
    form.locator("[name=lead_agency]").fill("Dinas Bina Marga")
    form.locator("[name=progress]").fill("150")
    form.locator("button[type=submit]").click()
    title_error = form.locator("[data-error-for=title]")
    title_error.wait_for(state="visible")
    assert title_error.inner_text() == strings["invalid.title"]
    assert form.locator("[data-error-for=progress]").inner_text() == strings["invalid.progress"]
    assert form.locator("[data-error-for=lead_agency]").inner_text().strip() == ""
    assert "invalid" in (form.locator("[data-field=title]").get_attribute("class") or "")
    # A budget above the API's limit passes the page's checks; the API's 422 names the field.
    form.locator("[name=title]").fill("Pelebaran saluran")
    form.locator("[name=progress]").fill("10")
    form.locator("[name=budget_idr]").fill("9" * 17)
    form.locator("button[type=submit]").click()
    budget_error = form.locator("[data-error-for=budget_idr]")
    budget_error.wait_for(state="visible")
    assert budget_error.inner_text() == strings["invalid.budget_idr"]
    assert form.locator("[data-error-for=title]").inner_text() == ""


LIVE_MARKUP_TRAP = """
window.__liveMarkup = [];
new MutationObserver(function (records) {
  records.forEach(function (r) {
    r.addedNodes.forEach(function (n) {
      if (n.nodeType !== 1) { return; }
      [n].concat(Array.from(n.querySelectorAll("*"))).forEach(function (e) {
        if (Array.from(e.attributes).some(function (a) { return /^on/i.test(a.name); })) {
          window.__liveMarkup.push(e.outerHTML);
        }
      });
    });
  });
}).observe(document, { childList: true, subtree: true });
"""
"""Records every element with an inline event handler added to the page, when it is added."""

PAGE_TIME_MS = 10 * 60 * 1000
"""How far the fake clock runs the page on, so a timer set for later fires now."""


def assert_no_alert_ever(watched: Watched) -> None:
    """No dialog opened, none can still come from a timer, and no markup became live.

    Every network answer is in (networkidle), then the page's fake clock runs ten minutes
    on, firing each timer due in that time: an alert scheduled for later opens now and is
    recorded. Markup from user text that became elements is recorded as it is added.
    """
    page = watched.page
    page.wait_for_load_state("networkidle")
    page.clock.run_for(PAGE_TIME_MS)
    assert page.evaluate("window.__liveMarkup") == []
    assert watched.dialogs == []


def test_action_title_with_markup_is_text(watched: Watched, web_app: WebApp) -> None:
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [106.8456, -6.2088]},
        "properties": {
            "title": XSS_TITLE,
            "pillar": "siap",
            "lead_agency": "BPBD",  # organisation names with markup: test_comments_xss.py
            "status": "planned",
        },
    }
    response = web_app.post_action(feature)
    assert response.status_code == 201, response.text
    action_id = response.json()["id"]
    kode = response.json()["properties"]["kelurahan"][0]

    page = watched.page
    page.clock.install()  # real time flows on; run_for below jumps it forward
    page.add_init_script(LIVE_MARKUP_TRAP)
    open_map(watched, web_app)
    page.evaluate(
        """id => {
            const k = window.ketahanan;
            const layer = k.actions.layer(id);
            const where = layer.getLatLng();
            k.map.setView(where, 15);
            layer.openPopup(where);
        }""",
        action_id,
    )
    popup = page.locator(".action-popup")
    popup.wait_for()
    assert popup.locator(".action-title").inner_text() == XSS_TITLE
    assert "Badan Penanggulangan Bencana Daerah" in popup.inner_text()  # the resolved name
    assert page.locator(".leaflet-popup img").count() == 0
    assert_no_alert_ever(watched)

    # the profile of the kelurahan it touches lists it, as text too
    page.goto(f"{web_app.base}/kelurahan/{kode}")
    assert page.locator("h1").count() == 1
    wait_until(page, "!document.querySelector('#profile-actions').textContent.includes('Memuat')")
    assert XSS_TITLE in page.locator("#profile-actions").inner_text()
    assert page.locator("#profile-actions img").count() == 0
    assert_no_alert_ever(watched)


def test_english_labels(watched: Watched, web_app: WebApp) -> None:
    en = catalogue("en")
    page = open_map(watched, web_app, "?lang=en&pilar=terhubung")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("#ketahanan-panel h1").inner_text() == en["map.title"]
    assert en["legend.no_data"] in page.locator("#ketahanan-legend").inner_text()
    layers = page.locator(".leaflet-control-layers").inner_text()
    assert en["layer.tj_stops"] in layers
    assert en["layer.actions"] in layers
    assert catalogue("id")["layer.tj_stops"] not in layers


def test_kelurahan_profile(watched: Watched, web_app: WebApp) -> None:
    page = watched.page
    page.goto(f"{web_app.base}/peta")
    page.wait_for_selector("body[data-choropleth=ready]")
    page.locator("#ketahanan-search").fill("glodok")
    page.locator("#ketahanan-search-results .profile-link").first.click()
    page.wait_for_url("**/kelurahan/31.73.03.1007*")
    assert "Glodok" in page.locator("h1").inner_text()
    assert page.locator(".profile-scores tbody tr").count() == 3
    served = httpx.get(
        f"{web_app.base}/collections/kelurahan/items",
        params={"limit": 1000, "properties": "kode,rank_siap"},
        timeout=30,
    ).json()["features"]
    ranked = sum(f["properties"]["rank_siap"] is not None for f in served)
    assert 0 < ranked < KELURAHAN  # Kepulauan Seribu has no full Siap score: not ranked
    scores = page.locator(".profile-scores").inner_text()
    assert f"dari {ranked}" in scores
    assert re.search(r"\(\d+–\d+\)", scores)  # the rank's 5-95 % band
    assert page.locator(".profile-drivers .driver-bar").count() >= 2
    page.wait_for_selector("#profile-map path.ketahanan-unit")
    wait_until(page, "!document.querySelector('#profile-actions').textContent.includes('Memuat')")


def test_no_request_leaves_localhost(watched: Watched, web_app: WebApp) -> None:
    page = open_map(watched, web_app, "?pilar=terhubung&tingkat=kecamatan")
    page.locator("#ketahanan-gaps").check()
    wait_until(page, "document.getElementById('ketahanan-gaps-info').textContent !== ''")
    # the toggle names the kelurahan it counts, in the API's order
    gaps = httpx.get(f"{web_app.base}/coverage-gaps", params={"pilar": "terhubung"}, timeout=30)
    expected = [f["properties"].get("nama") or f["id"] for f in gaps.json()["features"]]
    assert page.locator("#ketahanan-gaps-list button").all_inner_texts() == expected
    assert page.locator("#ketahanan-gaps-info").inner_text().startswith(f"{len(expected)} ")
    page.mouse.wheel(0, -400)
    page.wait_for_load_state("networkidle")
    assert watched.blocked == []
    assert watched.console_errors == []


def test_edit_and_delete_from_the_popup(watched: Watched, web_app: WebApp) -> None:
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [106.80, -6.25]},
        "properties": {"title": "Sumur resapan", "pillar": "sehat", "lead_agency": "Dinas LH"},
    }
    created = httpx.post(
        f"{web_app.base}/collections/actions/items",
        content=json.dumps(feature),
        headers={"Authorization": f"Bearer {web_app.token}", "Content-Type": "application/json"},
        timeout=30,
    )
    assert created.status_code == 201, created.text
    action_id = created.json()["id"]
    page = open_map(watched, web_app)
    sign_in(page, web_app.token)
    open_popup = """id => {
        const layer = window.ketahanan.actions.layer(id);
        const where = layer.getLatLng();
        window.ketahanan.map.setView(where, 15);
        layer.openPopup(where);
    }"""
    page.evaluate(open_popup, action_id)
    page.locator(".action-popup .action-edit").click()
    form = page.locator("#ketahanan-action-form")
    assert form.locator("[name=title]").input_value() == "Sumur resapan"
    form.locator("[name=title]").fill("Sumur resapan komunal")
    form.locator("[name=status]").select_option("done")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#ketahanan-action-form", state="detached")
    stored = httpx.get(f"{web_app.base}/collections/actions/items/{action_id}", timeout=30).json()
    assert stored["properties"]["title"] == "Sumur resapan komunal"
    assert stored["properties"]["status"] == "done"

    page.evaluate(open_popup, action_id)
    # The popup of the old version may still be closing: wait until only the new one is left.
    wait_until(page, "document.querySelectorAll('.action-popup').length === 1")
    assert page.locator(".action-popup .action-title").inner_text() == "Sumur resapan komunal"
    delete = page.locator(".action-popup .action-delete")
    delete.click()
    delete.click()
    wait_until(page, f"!window.ketahanan.actions.layer({json.dumps(action_id)})")
    gone = httpx.get(f"{web_app.base}/collections/actions/items/{action_id}", timeout=30)
    assert gone.status_code in (404, 410)
    assert watched.dialogs == []


def test_interactive_docs_work_offline(watched: Watched, web_app: WebApp) -> None:
    """Swagger UI at /docs comes from the app itself and renders the OpenAPI document."""
    page = watched.page
    page.goto(f"{web_app.base}/docs")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "Ketahanan" in page.locator(".swagger-ui .info .title").inner_text()
    page.wait_for_selector(".opblock-tag-section")
    assert page.locator(".opblock").count() > 10


@pytest.mark.parametrize("lang", ["id", "en"])
def test_draw_and_fullscreen_controls_speak_the_page_language(
    watched: Watched, web_app: WebApp, lang: str
) -> None:
    strings = catalogue(lang)
    page = open_map(watched, web_app, f"?lang={lang}")
    polygon = page.locator(".leaflet-draw-draw-polygon")
    marker = page.locator(".leaflet-draw-draw-marker")
    fullscreen = page.locator(".leaflet-control-zoom-fullscreen")
    assert polygon.get_attribute("title") == strings["draw.polygon"]
    assert marker.get_attribute("title") == strings["draw.marker"]
    assert fullscreen.get_attribute("title") == strings["control.fullscreen"]
    polygon.click()
    assert strings["draw.cancel"] in page.locator(".leaflet-draw-actions").inner_text()
    assert strings["draw.shape_start"] in page.locator(".leaflet-draw-tooltip").inner_text()
