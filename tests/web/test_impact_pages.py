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
from test_browser import legend_breaks, open_map, page_config, unit_paths

from geo.settings import Settings

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
    assert field in r.text and "<script>" not in r.text


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
