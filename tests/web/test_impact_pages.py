"""The impact analysis on the pages: the Siap map's "Dampak" choice and the profile section."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
import pyogrio
import pytest
import test_pages
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_browser import ARTIFACTS, legend_breaks, open_map, page_config, unit_paths

from geo.impact.needs import NEEDS
from geo.settings import Settings
from web.i18n import catalogue

pytestmark = pytest.mark.realdata

CONFIG = re.compile(r'<script type="application/json" id="ketahanan-config">(.*?)</script>', re.S)
web_client = test_pages.web_client
"""The app over the session's build, the fixture the other page tests use."""

PEJAGALAN = "31.72.01.1004"
"""The kelurahan the planned works help most (gain_rank 1)."""


def _config(html: str) -> dict[str, Any]:
    match = CONFIG.search(html)
    assert match is not None
    config: dict[str, Any] = json.loads(match.group(1))
    return config


def test_the_siap_map_offers_the_impact_choice(web_client: TestClient) -> None:
    siap = _config(web_client.get("/peta", params={"pilar": "siap"}).text)
    assert "dampak" in [i["id"] for i in siap["indicators"]]
    assert "source" not in siap and "impact" not in siap
    sehat = _config(web_client.get("/peta", params={"pilar": "sehat"}).text)
    assert "dampak" not in [i["id"] for i in sehat["indicators"]]


def test_the_scenario_is_a_url_parameter(web_client: TestClient) -> None:
    r = web_client.get(
        "/peta",
        params={"pilar": "siap", "indikator": "dampak", "skenario": "rencana", "tingkat": "kota"},
    )
    assert r.status_code == 200
    config = _config(r.text)
    assert config["source"] == {"collection": "dampak_rencana", "filters": {"tingkat": "kota"}}
    assert config["indicator"]["id"] == "affected"
    impact = config["impact"]
    assert impact["scenario"] == "rencana"
    assert [s["id"] for s in impact["scenarios"]] == ["kini", "rencana", "feb2017"]
    assert "no_longer_affected" in [m["id"] for m in impact["measures"]]
    diff = _config(
        web_client.get(
            "/peta",
            params={
                "pilar": "siap",
                "indikator": "dampak",
                "skenario": "rencana",
                "ukuran": "no_longer_affected",
                "lang": "en",
            },
        ).text
    )
    assert diff["source"]["collection"] == "dampak_selisih_rencana"
    assert diff["indicator"]["name"].startswith("No longer affected")
    default = _config(web_client.get("/peta?pilar=siap&indikator=dampak").text)
    assert default["impact"]["scenario"] == "kini"
    assert "no_longer_affected" not in [m["id"] for m in default["impact"]["measures"]]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"pilar": "siap", "indikator": "dampak", "skenario": "banjir_besar"}, "skenario"),
        ({"pilar": "siap", "indikator": "dampak", "ukuran": "no_longer_affected"}, "ukuran"),
        ({"pilar": "siap", "indikator": "dampak", "ukuran": "<script>"}, "ukuran"),
        ({"pilar": "sehat", "indikator": "dampak"}, "indikator"),
    ],
)
def test_a_bad_impact_parameter_is_a_friendly_400(
    web_client: TestClient, query: dict[str, str], field: str
) -> None:
    r = web_client.get("/peta", params=query)
    assert r.status_code == 400
    assert field in r.text.lower() and "<script>" not in r.text  # "Skenario: ..."


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    skenario=st.one_of(st.none(), st.text(max_size=40), st.sampled_from(["kini", "rencana"])),
    ukuran=st.one_of(st.none(), st.text(max_size=40), st.sampled_from(["no_longer_affected"])),
    tingkat=st.sampled_from(["kelurahan", "kota", "desa"]),
)
def test_any_impact_parameter_is_a_page_or_a_400(
    web_client: TestClient, skenario: str | None, ukuran: str | None, tingkat: str
) -> None:
    params = {"pilar": "siap", "indikator": "dampak", "tingkat": tingkat}
    params |= {k: v for k, v in (("skenario", skenario), ("ukuran", ukuran)) if v is not None}
    r = web_client.get("/peta", params=params)
    assert r.status_code in (200, 400), r.status_code
    assert "Traceback" not in r.text


def test_the_profile_has_an_impact_report(web_client: TestClient, real_build: Settings) -> None:
    html = web_client.get(f"/kelurahan/{PEJAGALAN}", params={"lang": "en"}).text
    section = html[html.index('id="dampak"') :]
    kini = pyogrio.read_dataframe(real_build.build_path, layer="dampak_kini").set_index("kode")
    row = kini.loc[PEJAGALAN]
    assert f"{int(row['affected']):,}" in section
    assert f"{int(row['people_high']):,}" in section
    assert "In the event of a flood like 2007" in section
    for label in ("Under 5 (0-4 years)", "Aged 65 and over", "Rice", "Toilets", "Assumptions"):
        assert label in section
    rice = -(-float(row["need_rice_kg"]) // 1)
    assert f"{int(rice):,} kg a week" in section
    assert "low above 0.1 m up to 0.7 m" in section and "1 % of the people" in section
    assert "Gain rank 1 of 261" in section  # the works help Pejagalan most (of 261 with data)
    assert "Perka 7/2008" in section and "30 June 2019" in section
    seribu = web_client.get("/kelurahan/31.01.01.1001").text
    assert "Tidak ada data bahaya untuk wilayah ini." in seribu  # no grid there: no data


def test_the_dampak_map_draws_the_servers_classes(watched: Any, web_app: Any) -> None:
    page = open_map(watched, web_app, "?pilar=siap&indikator=dampak&skenario=rencana")
    config = page_config(page)
    served = httpx.get(
        f"{web_app.base}/collections/dampak_rencana/items",
        params={
            "tingkat": "kelurahan",
            "limit": 1000,
            "properties": "kode,affected,class",
            "classify": "quantiles",
            "classify_by": "affected",
            "k": 5,
        },
        timeout=30,
    ).json()
    assert legend_breaks(page) == pytest.approx(served["classification"]["breaks"])
    classes = {f["properties"]["kode"]: f["properties"]["class"] for f in served["features"]}
    ramp = config["styles"]["ramps"][str(served["classification"]["k"])]
    paths = unit_paths(page, list(classes))
    assert len(paths) == 267
    for kode, cls in classes.items():
        expected = config["styles"]["nodata"]["fillColor"] if cls is None else ramp[cls]
        assert paths[kode]["fill"] == expected, kode
    page.select_option("#ketahanan-ukuran", "no_longer_affected")
    page.wait_for_url("**ukuran=no_longer_affected*")
    page.wait_for_selector("body[data-choropleth=ready]")
    assert "skenario=rencana" in page.url
    assert page_config(page)["source"]["collection"] == "dampak_selisih_rencana"
    page.select_option("#ketahanan-skenario", "feb2017")
    page.wait_for_url("**skenario=feb2017*")
    page.wait_for_selector("body[data-choropleth=ready]")
    assert page_config(page)["impact"]["measure"] == "affected"  # feb2017 has no difference
    assert page.locator("path.ketahanan-unit").count() == 267
    assert watched.problems() == []


def _served(web_app: Any, layer: str, **params: Any) -> list[dict[str, Any]]:
    """Every feature's properties of an impact collection, as the API serves them."""
    r = httpx.get(
        f"{web_app.base}/collections/{layer}/items",
        params={"limit": 1000, **params},
        timeout=30,
    )
    r.raise_for_status()
    return [f["properties"] for f in r.json()["features"]]


def test_the_map_ranks_who_gains_and_who_does_not(web_client: TestClient) -> None:
    kelurahan = _config(web_client.get("/peta?pilar=siap&indikator=dampak&skenario=rencana").text)[
        "impact"
    ]["ranking"]
    gain, nogain = kelurahan["gain"], kelurahan["nogain"]
    assert [u["rank"] for u in gain] == list(range(1, 11))  # the ten that gain most, in order
    assert gain[0]["kode"] == PEJAGALAN and gain[0]["nama"] == "Pejagalan"
    gained = [u["no_longer_affected"] for u in gain]
    assert gained == sorted(gained, reverse=True)
    assert {u["change"] for u in nogain} <= {"none", "loss"} and len(nogain) > 0
    ranks = [u["rank"] for u in nogain]
    assert ranks == sorted(ranks, reverse=True)  # the unit that loses most first
    assert all(u["no_longer_affected"] <= 0 for u in nogain)
    assert kelurahan["ranked"] == 261
    about = kelurahan["about"]
    assert "gains most" in about["formula"] and "affected_base - affected_alt" in about["formula"]
    assert "population 2019-06-30" in about["date"] and about["caveats"]
    kota = _config(
        web_client.get("/peta?pilar=siap&indikator=dampak&skenario=rencana&tingkat=kota").text
    )["impact"]["ranking"]
    assert kota["ranked"] == 5 and len(kota["gain"]) == 5  # Kepulauan Seribu: no hazard data
    for other in ("kini", "feb2017"):  # not compared with today: nothing to rank
        page = web_client.get(f"/peta?pilar=siap&indikator=dampak&skenario={other}").text
        assert _config(page)["impact"]["ranking"] is None


def test_the_map_states_each_figures_formula_date_and_caveats(web_client: TestClient) -> None:
    for skenario, ukuran, layer in (
        ("kini", "people_high", "dampak_kini"),
        ("rencana", "moved_out_of_high", "dampak_selisih_rencana"),
        ("feb2017", "displaced", "dampak_feb2017"),
    ):
        query = {"pilar": "siap", "indikator": "dampak", "skenario": skenario, "ukuran": ukuran}
        about = _config(web_client.get("/peta", params=query).text)["indicator"]["about"]
        entry = web_client.get(
            "/collections/dampak_kamus/items", params={"collection": layer, "id": ukuran}
        ).json()["features"]
        assert len(entry) == 1
        assert about["formula"] == entry[0]["properties"]["formula"] != ""
        assert about["date"] == entry[0]["properties"]["date"]
        assert "population 2019-06-30" in about["date"]
        assert about["caveats"] and "An estimate" in about["caveats"][0]
        assert web_client.get(about["dictionary"]).json()["numberMatched"] > 10
    rw = _config(web_client.get("/peta?pilar=siap&indikator=dampak&skenario=feb2017").text)
    assert any("Kepulauan Seribu has no data" in c for c in rw["indicator"]["about"]["caveats"])


def test_the_needs_units_are_the_dictionarys_in_each_language(
    web_client: TestClient, real_build: Settings
) -> None:
    kamus = pyogrio.read_dataframe(real_build.build_path, layer="dampak_kamus")
    units = kamus[kamus["collection"] == "dampak_kini"].set_index("id")["unit"]
    english, bahasa = catalogue("en"), catalogue("id")
    for need in NEEDS:
        assert english[f"impact.need_unit.{need.column}"] == units[need.column]
        assert bahasa[f"impact.need_unit.{need.column}"] != units[need.column]
    section = web_client.get(f"/kelurahan/{PEJAGALAN}").text
    section = section[section.index('id="dampak"') :]
    assert "kg per minggu" in section and "a week" not in section


def test_the_dampak_map_explains_and_ranks_in_the_browser(watched: Any, web_app: Any) -> None:
    query = "?pilar=siap&indikator=dampak&skenario=rencana&ukuran=no_longer_affected&lang=en"
    page = open_map(watched, web_app, query)
    about = page.locator("#ketahanan-about")
    assert not about.evaluate("d => d.open")
    about.locator("summary").click()
    kamus = _served(
        web_app, "dampak_kamus", collection="dampak_selisih_rencana", id="no_longer_affected"
    )[0]
    assert about.locator(".about-formula").inner_text() == f"Formula: {kamus['formula']}"
    assert about.locator(".about-date").inner_text() == f"Data date: {kamus['date']}"
    caveats = about.locator(".about-caveats li").all_inner_texts()
    assert caveats[: len(json.loads(kamus["caveats"]))] == json.loads(kamus["caveats"])
    assert any("HKV" in c for c in caveats)  # and the scenario's own
    rows = [
        r
        for r in _served(web_app, "dampak_selisih_rencana", tingkat="kelurahan")
        if r["gain_rank"] is not None
    ]
    rows.sort(key=lambda r: r["gain_rank"])
    gain = [r["kode"] for r in rows if r["change"] in ("gain", "mixed")][:10]
    nogain = [r["kode"] for r in reversed(rows) if r["change"] in ("none", "loss")]
    ranking = page.locator("#ketahanan-ranking")
    ranking.locator(":scope > summary").click()
    shown = ranking.locator("#ranking-gain li").evaluate_all("ls => ls.map(l => l.dataset.kode)")
    assert shown == gain
    shown = ranking.locator("#ranking-nogain li").evaluate_all("ls => ls.map(l => l.dataset.kode)")
    assert shown == nogain
    ranking.locator("#ranking-about summary").click()
    assert "gains most" in ranking.locator("#ranking-about .about-formula").inner_text()
    first = ranking.locator("#ranking-gain li").first
    assert first.inner_text().startswith("Pejagalan +52,424")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "peta-dampak-desktop.png"))
    first.locator("a").click()
    page.wait_for_url(f"**/kelurahan/{PEJAGALAN}?lang=en")
    page.wait_for_selector("#dampak")
    assert watched.problems() == []


def test_the_dampak_map_and_profile_fit_a_phone(watched: Any, web_app: Any) -> None:
    page = watched.page
    page.set_viewport_size({"width": 390, "height": 844})
    page = open_map(watched, web_app, "?pilar=siap&indikator=dampak&skenario=rencana")
    # on a phone the panel and the legend start folded: open both, as a planner would
    page.locator("#ketahanan-panel-toggle").click()
    page.locator("#ketahanan-ranking > summary").click()
    page.locator("#ketahanan-legend .legend-summary").click()
    page.locator("#ketahanan-about summary").click()
    for box in ("#ketahanan-panel", "#ketahanan-legend"):
        edge = page.locator(box).bounding_box()
        assert edge is not None and edge["x"] >= 0 and edge["x"] + edge["width"] <= 390, box
    # the opened lists scroll inside their box instead of running off the screen
    panel = page.locator("#ketahanan-panel").bounding_box()
    assert panel is not None and panel["y"] + panel["height"] <= 844
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "peta-dampak-phone.png"))
    page.goto(f"{web_app.base}/kelurahan/{PEJAGALAN}")
    section = page.locator("#dampak")
    section.scroll_into_view_if_needed()
    edge = section.bounding_box()
    assert edge is not None and edge["x"] + edge["width"] <= 390
    tables = section.locator("table").evaluate_all(
        "ts => ts.map(t => t.getBoundingClientRect().right)"
    )
    assert tables and max(tables) <= 390
    page.screenshot(path=str(ARTIFACTS / "profil-dampak-phone.png"), full_page=True)
    assert watched.problems() == []
