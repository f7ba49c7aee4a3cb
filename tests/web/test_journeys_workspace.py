"""Planner journeys across the workspace, in Debian's Chromium on 127.0.0.1.

The ranking filtered to Jakarta Utara read against the API's own order; the QGIS bundle's
.qml against the breaks; the map on a 390x844 phone; English and back; weights; a map that is
never blank; every control named and every table a table; nothing raw shown to a planner.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import httpx
import pytest
from journeykit import open_map, visible_map_share, wider_than_viewport

from web.i18n import catalogue

pytestmark = pytest.mark.realdata

ID, EN = catalogue("id"), catalogue("en")
UTARA = "31.72"
Watched = Any
WebApp = Any


def test_ranking_filtered_to_jakarta_utara_reads_the_top_five_in_order(
    watched: Watched, web_app: WebApp, shots: Any
) -> None:
    page = watched.page
    page.goto(f"{web_app.base}/peringkat?pilar=siap")
    page.wait_for_selector("body[data-ready]")
    shots(page, "all-kelurahan")
    page.locator("#rank-kota").select_option(UTARA)
    page.wait_for_url(re.compile(r".*kota=31\.72.*"))
    page.wait_for_selector("body[data-ready]")
    rows = page.locator("#ranking-table tbody tr")
    top = [rows.nth(i).locator("th").inner_text() for i in range(5)]
    shots(page, "jakarta-utara")
    api = httpx.get(
        f"{web_app.base}/collections/kelurahan/items",
        params={"kode_kota": UTARA, "sortby": "-score_siap", "limit": 5, "properties": "nama"},
        timeout=30,
    ).json()
    assert top == [f["properties"]["nama"] for f in api["features"]]
    assert [rows.nth(i).locator("td").first.inner_text() for i in range(5)] == [
        "1",
        "2",
        "3",
        "4",
        "5",
    ]
    every = httpx.get(
        f"{web_app.base}/collections/kelurahan/items",
        params={"kode_kota": UTARA, "limit": 1000, "properties": "kode"},
        timeout=30,
    ).json()
    assert rows.count() == every["numberMatched"]

    # The columns sort; a row leads to its unit on the map.
    head = page.locator("#ranking-table thead")
    head.get_by_role("button", name=ID["rank.name"], exact=True).click()
    names = [rows.nth(i).locator("th").inner_text() for i in range(rows.count())]
    assert names == sorted(names, key=str.casefold)
    shots(page, "sorted-by-name")
    head.get_by_role("button", name=ID["rank.rank"], exact=True).click()
    first = rows.nth(0)
    kode = first.get_attribute("data-kode")
    first.locator("a", has_text=ID["rank.on_map"]).click()
    page.wait_for_selector("body[data-choropleth=ready]")
    page.wait_for_selector(f".unit-popup[data-kode='{kode}']")
    shots(page, "on-the-map")


def test_the_qgis_bundle_style_matches_the_breaks(
    watched: Watched, web_app: WebApp, shots: Any, tmp_path: Path
) -> None:
    page = open_map(watched.page, web_app.base, "?pilar=siap&klasifikasi=fisher_jenks&k=6")
    page.locator("#downloads-panel summary").click()
    shots(page, "downloads")
    with page.expect_download() as info:
        page.locator("#downloads-panel a[data-format=zip]").click()
    bundle = tmp_path / info.value.suggested_filename
    info.value.save_as(bundle)
    assert bundle.suffix == ".zip"
    href = page.locator("#downloads-panel a[data-format=zip]").get_attribute("href")
    served = httpx.get(f"{web_app.base}{href.replace('f=zip', 'f=json')}", timeout=60).json()
    classification = served["classification"]
    ramp = page.evaluate(
        "JSON.parse(document.getElementById('ketahanan-config').textContent).styles.ramps"
    )[str(classification["k"])]
    with zipfile.ZipFile(bundle) as archive:
        names = archive.namelist()
        qml = next(n for n in names if n.endswith(".qml"))
        root = ElementTree.fromstring(archive.read(qml))
        readme = archive.read(next(n for n in names if n.lower().startswith("readme"))).decode()
    ranges = root.findall(".//renderer-v2/ranges/range")
    assert root.find(".//renderer-v2").get("attr") == classification["property"]
    assert [float(r.get("upper")) for r in ranges] == pytest.approx(classification["breaks"])
    symbols = {s.get("name"): s for s in root.findall(".//renderer-v2/symbols/symbol")}
    colours = []
    for r in ranges:
        fill = symbols[r.get("symbol")].find(".//prop[@k='color']")
        if fill is None:
            fill = symbols[r.get("symbol")].find(".//Option[@name='color']")
        red, green, blue = (int(c) for c in fill.get("v", fill.get("value")).split(",")[:3])
        colours.append(f"#{red:02x}{green:02x}{blue:02x}")
    assert colours == [c.lower() for c in ramp]
    assert "fisher_jenks" in readme and "score_siap" in readme


def test_the_map_on_a_phone(watched: Watched, web_app: WebApp, shots: Any) -> None:
    page = watched.page
    page.set_viewport_size({"width": 390, "height": 844})
    open_map(page, web_app.base)
    shots(page, "phone-map")
    share = visible_map_share(page)
    assert share >= 0.6, share
    assert wider_than_viewport(page) == []
    toggle = page.locator("#ketahanan-panel-toggle")
    assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    page.wait_for_selector("#ketahanan-pilar", state="visible")
    assert wider_than_viewport(page) == []
    shots(page, "phone-panel-open")
    page.locator("#ketahanan-table-toggle").click()
    page.wait_for_selector("#rank-table tbody tr")
    assert wider_than_viewport(page) == []
    shots(page, "phone-table")
    for path in ("/kelurahan/31.72.01.1001", "/aksi", "/peringkat"):
        page.goto(f"{web_app.base}{path}")
        page.wait_for_load_state("networkidle")
        assert wider_than_viewport(page) == [], path
        shots(page, "phone" + path.replace("/", "-"), full_page=True)


def test_switch_to_english_and_back(watched: Watched, web_app: WebApp, shots: Any) -> None:
    page = open_map(watched.page, web_app.base, "?pilar=sehat&tingkat=kecamatan")
    assert page.locator("html").get_attribute("lang") == "id"
    legend_id = page.locator("#ketahanan-legend .legend-label").first.inner_text()
    page.locator(".lang-switch").click()
    page.wait_for_selector("body[data-choropleth=ready]")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "pilar=sehat" in page.url and "tingkat=kecamatan" in page.url
    assert page.locator("#ketahanan-panel h1").inner_text() == EN["map.title"]
    assert page.locator("[data-nav=aksi]").inner_text() == EN["nav.aksi"]
    legend_en = page.locator("#ketahanan-legend .legend-label").first.inner_text()
    assert legend_en == legend_id.replace(",", ".")  # 0,109 - 0,219 reads 0.109 - 0.219
    shots(page, "english")
    page.locator(".lang-switch").click()
    page.wait_for_selector("body[data-choropleth=ready]")
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.locator("#ketahanan-panel h1").inner_text() == ID["map.title"]
    shots(page, "indonesian-again")


def test_the_map_is_never_blank(watched: Watched, web_app: WebApp, shots: Any) -> None:
    page = open_map(watched.page, web_app.base, "?pilar=sehat&indikator=sehat_clean_water_access")
    legend = page.locator("#ketahanan-legend")
    assert ID["legend.empty"] in legend.inner_text()
    assert legend.locator(".legend-nodata .legend-count").inner_text() == "(267)"
    assert page.locator("path.ketahanan-nodata").count() == 267
    shots(page, "no-data")
    page = open_map(page, web_app.base, "?tingkat=kota&k=9")
    note = legend.locator(".legend-fewer")
    assert note.is_visible()
    classes = legend.locator(".legend-class").count()
    assert 2 <= classes < 9 and f"{classes} kelas, bukan 9" in note.inner_text()
    shots(page, "fewer-classes")


def test_weights_change_the_map_legend_table_and_downloads(
    watched: Watched, web_app: WebApp, shots: Any
) -> None:
    page = open_map(watched.page, web_app.base, "?pilar=siap")
    page.locator("#weights-panel summary").click()
    page.locator("#weight-siap_flood_share_2007").fill("0")
    page.locator("#weight-siap_depth_mean").fill("3")
    shots(page, "weights-panel")
    page.locator("#weights-apply").click()
    page.wait_for_url(re.compile(r".*weights=.*"))
    page.wait_for_selector("body[data-choropleth=ready]")
    weights = "siap_depth_mean:3,siap_flood_share_2007:0"
    assert f"weights={weights.replace(':', '%3A').replace(',', '%2C')}" in page.url
    served = httpx.get(
        f"{web_app.base}/collections/kelurahan/items",
        params={
            "limit": 1000,
            "properties": "kode,score_siap",
            "classify": "quantiles",
            "classify_by": "score_siap",
            "k": 5,
            "weights": weights,
        },
        timeout=30,
    ).json()
    uppers = page.locator("#ketahanan-legend .legend-class").evaluate_all(
        "nodes => nodes.map(n => Number(n.getAttribute('data-upper')))"
    )
    assert uppers == pytest.approx(served["classification"]["breaks"])
    assert ID["legend.custom_weights"] in page.locator("#ketahanan-legend").inner_text()
    for link in page.locator("#downloads-panel a[data-format]").all():
        assert "weights=" in (link.get_attribute("href") or "")
    page.locator("#ketahanan-table-toggle").click()
    first = page.locator("#rank-table tbody tr").first.get_attribute("data-kode")
    best = max(served["features"], key=lambda f: f["properties"]["score_siap"] or -1)
    assert first == best["properties"]["kode"]
    shots(page, "weighted-map-and-table")


ACCESSIBLE_NAME = """() => {
  const bad = [];
  for (const node of document.querySelectorAll('button, a[href], input, select, textarea')) {
    const style = getComputedStyle(node);
    if (node.type === 'hidden' || style.display === 'none' || style.visibility === 'hidden') {
      continue;
    }
    const byLabel = node.labels && [...node.labels].some((l) => l.textContent.trim());
    const byAria = (node.getAttribute('aria-label') || '').trim() ||
      (node.getAttribute('aria-labelledby') || '').split(' ').some((id) =>
        document.getElementById(id)?.textContent.trim());
    const own = (node.textContent || '').trim() || node.title || node.alt;
    if (!(byLabel || byAria || own)) {
      bad.push(node.outerHTML.slice(0, 120));
    }
  }
  for (const table of document.querySelectorAll('table')) {
    if (!table.querySelector('thead th')) {
      bad.push(`table without header cells: ${table.id}`);
    }
  }
  return bad;
}"""

RAW = re.compile(
    r"\b(?:METRIC_CRS|score_(?:siap|sehat|terhubung)|(?:siap|sehat|terhubung)_[a-z0-9_]+)\b"
)


@pytest.mark.parametrize("path", ["/peta", "/aksi", "/peringkat", "/kelurahan/31.72.01.1001"])
def test_every_control_is_named_and_nothing_raw_is_shown(
    watched: Watched, web_app: WebApp, path: str
) -> None:
    page = watched.page
    page.goto(f"{web_app.base}{path}")
    page.wait_for_load_state("networkidle")
    if path == "/peta":
        page.wait_for_selector("body[data-choropleth=ready]")
        page.locator("#weights-panel summary").click()
        page.locator("#downloads-panel summary").click()
    assert page.evaluate(ACCESSIBLE_NAME) == []
    shown = page.locator("body").inner_text()
    assert RAW.findall(shown) == [], path
