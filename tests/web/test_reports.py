"""Profiles at every level, the comparison and the PDF reports, on the real build.

Each level's profile renders for real units and is a clear 404 page for unknown codes; the
comparison shows the medians computed here independently from the build file; each PDF opens
with pdftotext and holds the unit's name, its three scores as its profile shows them and the
build date, and pdftoppm turns its first page into a PNG (kept in var/test-artifacts/reports).
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pyogrio
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from geo.actions.store import ActionStore
from geo.settings import Settings

pytestmark = pytest.mark.realdata

ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "test-artifacts" / "reports"
UNITS = {  # a real unit of each level (Gambir; Penjaringan; Jakarta Utara)
    "kelurahan": ("31.71.01.1001", "Gambir"),
    "kecamatan": ("31.72.01", "Penjaringan"),
    "kota": ("31.72", "Jakarta Utara"),
}
RANK = re.compile(r"\d+ dari \d+")
SCORE_CELL = re.compile(
    r'<tr data-pillar="(?P<pillar>\w+)"[^>]*>\s*<td>.*?</td>\s*<td[^>]*>(?P<score>.*?)</td>', re.S
)


@pytest.fixture(scope="module")
def settings(real_build: Settings, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    tmp = tmp_path_factory.mktemp("reports")
    return real_build.model_copy(
        update={"database_url": f"sqlite:///{tmp / 'a.sqlite'}", "basemap_url": "none"}
    )


@pytest.fixture(scope="module")
def client(settings: Settings) -> Iterator[TestClient]:
    store = ActionStore.from_settings(settings)
    store.migrate()
    point = {"type": "Point", "coordinates": [106.7853, -6.1205]}  # Pluit, Penjaringan
    feature = {"type": "Feature", "geometry": point, "properties": {
        "title": "Pompa Waduk Pluit", "pillar": "siap", "lead_agency": "Dinas SDA",
        "status": "in_progress", "progress": 40}}  # fmt: skip
    store.create(feature, "tester")
    store.dispose()
    with TestClient(create_app(settings)) as c:
        yield c


def profile_scores(html: str) -> dict[str, str]:
    """The three scores as a profile page shows them (``{"siap": "0,35", ...}``)."""
    return {
        m["pillar"]: re.sub(r"<[^>]+>", "", m["score"]).strip() for m in SCORE_CELL.finditer(html)
    }


def build_date(settings: Settings) -> str:
    """The build's finishing time as the report writes it, from the build report beside it."""
    report = json.loads(settings.build_path.with_name("ketahanan.report.json").read_text())
    return datetime.fromisoformat(report["finished"]).astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


@pytest.mark.parametrize("level", list(UNITS))
def test_each_level_has_a_profile(client: TestClient, level: str) -> None:
    kode, name = UNITS[level]
    page = client.get(f"/{level}/{kode}")
    assert page.status_code == 200, page.text[:500]
    assert name in page.text and kode in page.text
    scores = profile_scores(page.text)
    assert set(scores) == {"siap", "sehat", "terhubung"}
    assert f"/laporan/{level}/{kode}.pdf" in page.text  # the report link
    assert 'action="/bandingkan"' in page.text  # "bandingkan dengan..."
    english = client.get(f"/{level}/{kode}?lang=en")
    assert "Pillar scores" in english.text


def test_kecamatan_profile_ranks_its_kelurahan_and_lists_actions(client: TestClient) -> None:
    page = client.get("/kecamatan/31.72.01").text
    kelurahan = re.findall(r'<tr data-kode="(31\.72\.01\.\d{4})">', page)
    assert len(kelurahan) == 5  # Penjaringan's five kelurahan
    boxes = re.findall(
        r'<input type="checkbox" name="kode" value="([\d.]+)" form="compare-rows"', page
    )
    assert boxes == kelurahan  # each ranked row can be selected into a comparison
    assert '<form id="compare-rows"' in page and 'action="/bandingkan"' in page
    assert 'data-status="in_progress"' in page and "Pompa Waduk Pluit" in page
    assert "<svg" in page  # the map, drawn on the server
    kota = client.get("/kota/31.72").text
    assert len(re.findall(r'<tr data-kode="(31\.72\.\d{2})">', kota)) == 6


@pytest.mark.parametrize(
    "url",
    ["/kecamatan/31.99.99", "/kecamatan/31.72", "/kota/31.99", "/kota/abc",
     "/kelurahan/31.71.01.9999", "/bandingkan?kode=31.72.01&kode=31.79.01",
     "/laporan/kecamatan/31.99.99.pdf"],
)  # fmt: skip
def test_unknown_codes_are_a_clear_404_page(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "Tidak ditemukan" in response.text
    assert "Traceback" not in response.text


@pytest.mark.parametrize(
    "query, message",
    [("kode=31.72.01", "2 to 4"), ("kode=31.72.01&kode=31.72", "one level"),
     ("kode=31.72.01&kode=31.72.01", "twice"), ("kode=x&kode=31.72.01", "not a kota"),
     ("kode=31.71&kode=31.72&kode=31.73&kode=31.74&kode=31.75", "2 to 4")],
)  # fmt: skip
def test_bad_comparisons_say_why(client: TestClient, query: str, message: str) -> None:
    response = client.get(f"/bandingkan?{query}")
    assert response.status_code == 400
    assert message in response.text


def test_comparison_side_by_side_with_the_city_median(
    client: TestClient, settings: Settings
) -> None:
    codes = ["31.72.01", "31.71.01", "31.74.01", "31.75.01"]
    page = client.get("/bandingkan?" + "&".join(f"kode={c}" for c in codes))
    assert page.status_code == 200
    for code in codes:
        assert f'data-kode="{code}"' in page.text
    frame = pyogrio.read_dataframe(settings.build_path, layer="kecamatan", read_geometry=False)
    medians = re.findall(r'<td class="num median">(.*?)</td>', page.text)
    expected = pd.to_numeric(frame["score_siap"]).median()
    assert medians[0] == f"{expected:.2f}".replace(".", ",")  # Bahasa Indonesia decimals
    dictionary = pyogrio.read_dataframe(settings.build_path, layer="data_dictionary")
    assert len(medians) == 3 + len(dictionary)  # every score and every indicator
    assert page.text.count("<svg") == 1


def _pdf_text(pdf: bytes, tmp_path: Path, name: str) -> str:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(path),
         str(tmp_path / name)], check=True)  # fmt: skip
    png = tmp_path / f"{name}.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(png, ARTIFACTS / png.name)
    return text


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
@pytest.mark.parametrize("level", list(UNITS))
def test_each_level_has_a_pdf_report(
    client: TestClient, settings: Settings, tmp_path: Path, level: str
) -> None:
    kode, name = UNITS[level]
    profile = client.get(f"/{level}/{kode}").text
    scores = profile_scores(profile)
    response = client.get(f"/laporan/{level}/{kode}.pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = _pdf_text(response.content, tmp_path, f"{level}-{kode}")
    assert name in text and kode in text
    for pillar, score in scores.items():
        assert re.search(rf"Jakarta {pillar.capitalize()}\s+{re.escape(score)}\s", text), pillar
    # "69 dari 261": the rank among the units with a score (in the scores table: the impact
    # report below ranks its gains the same way)
    ranks = RANK.findall(profile.split("profile-scores", 1)[1].split("</table>", 1)[0])
    assert len(ranks) == 3 and all(rank in text for rank in ranks), (ranks, text[:2000])
    assert build_date(settings) in text
    assert f"/laporan/{level}/{kode}.pdf" in text  # the footer names the request
    assert "Halaman 1 / " in text
    english = _pdf_text(client.get(f"/laporan/{level}/{kode}.pdf?lang=en").content, tmp_path,
                        f"{level}-{kode}-en")  # fmt: skip
    assert "Report date" in english and "Page 1 / " in english and "?lang=en" in english


FLOODED = "31.72.01.1004"  # Pejagalan: flooded in every scenario of the impact analysis
IMPACT_FIGURE = re.compile(
    r'<details class="impact-scenario" data-scenario="(?P<id>\w+)".*?<strong>(?P<name>.*?)</strong>'
    r'.*?data-field="affected">(?P<affected>[^<]+)</span>.*?data-field="displaced">'
    r"(?P<displaced>[^<]+)</span>",
    re.S,
)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
def test_the_kelurahan_report_has_the_impact_of_its_profile(
    client: TestClient, tmp_path: Path
) -> None:
    profile = client.get(f"/kelurahan/{FLOODED}").text
    figures = list(IMPACT_FIGURE.finditer(profile))
    assert len(figures) >= 2, "today and with the planned works at least"
    text = _pdf_text(client.get(f"/laporan/kelurahan/{FLOODED}.pdf").content, tmp_path, "impact")
    words = " ".join(text.split())  # pdftotext lays the columns out with runs of spaces
    assert "Dampak banjir (analisis cara InaSAFE)" in words and "Asumsi" in words
    for f in figures:  # each scenario with the people affected and displaced of the profile
        name = " ".join(html.unescape(f["name"]).split())
        assert name in words, name
        assert re.search(rf"Terdampak {re.escape(f['affected'])}\b", words), f["id"]
        assert re.search(rf"Pengungsi {re.escape(f['displaced'])}\b", words), f["id"]
    # the report of a kecamatan has no impact section (the kelurahan report carries it)
    other = _pdf_text(client.get("/laporan/kecamatan/31.72.01.pdf").content, tmp_path, "kec")
    assert "Dampak banjir" not in other


def test_report_level_must_be_known(client: TestClient) -> None:
    response = client.get("/laporan/provinsi/31.pdf")
    assert response.status_code == 400 and "kelurahan, kecamatan" in response.text


@pytest.mark.parametrize(("level", "kode"), [("kecamatan", "31.72.01"), ("kota", "31.72")])
def test_unit_profiles_show_the_builds_rank_interval_and_partial_scores(
    client: TestClient, settings: Settings, level: str, kode: str
) -> None:
    """Issue 13 asks for the rank interval once the scores issue lands: each pillar's row shows
    the build's 5-95 % Monte Carlo rank range, and a partial score is shown as partial, unranked."""
    frame = pyogrio.read_dataframe(settings.build_path, layer=level, read_geometry=False)
    row = frame[frame["kode"] == kode].iloc[0]
    page = client.get(f"/{level}/{kode}")
    assert page.status_code == 200
    for pillar in ("siap", "sehat", "terhubung"):
        cell = re.search(
            rf'<tr data-pillar="{pillar}" data-status="(\w+)">(.*?)</tr>', page.text, re.S
        )
        assert cell, pillar
        status, html_row = cell[1], cell[2]
        assert status == row[f"score_{pillar}_status"]
        if status == "full" and pd.notna(row.get(f"rank_{pillar}_p05")):
            low, high = int(row[f"rank_{pillar}_p05"]), int(row[f"rank_{pillar}_p95"])
            assert 'class="rank-interval"' in html_row and f"({low}–{high})" in html_row
        if status == "partial":
            assert "score-partial" in html_row and "rank-interval" not in html_row


@pytest.mark.parametrize("query", ["pilar=siap", "pilar=terhubung&kota=31.72"])
def test_the_ranked_table_shows_the_builds_rank_interval(
    client: TestClient, settings: Settings, query: str
) -> None:
    """Issue 15 asks for the interval in the ranked table too: ``/peringkat`` gives each ranked
    kelurahan the build's city-wide 5-95 % Monte Carlo rank range."""
    pillar = query.split("&")[0].split("=")[1]
    frame = pyogrio.read_dataframe(settings.build_path, layer="kelurahan", read_geometry=False)
    page = client.get(f"/peringkat?{query}")
    assert page.status_code == 200
    rows = re.findall(r'<tr data-kode="([0-9.]+)">(.*?)</tr>', page.text, re.S)
    ranked = frame[frame[f"rank_{pillar}_p05"].notna()].set_index("kode")
    checked = 0
    for kode, html_row in rows:
        if kode in ranked.index:
            low, high = (int(ranked.at[kode, f"rank_{pillar}_{s}"]) for s in ("p05", "p95"))
            assert 'class="rank-interval"' in html_row and f"({low}–{high})" in html_row, kode
            checked += 1
    assert checked >= 10
    unweighted = client.get(f"/peringkat?{query}&weights=siap_depth_mean:2")
    assert unweighted.status_code in (200, 400)
    assert 'class="rank-interval"' not in unweighted.text


def test_the_ranked_table_lists_partial_scores_apart_not_as_no_data(
    client: TestClient, settings: Settings
) -> None:
    """A partial Sehat score (one input only) is listed after the ranked units with its value
    and "not ranked", never as "no data" (issue 15: drawn and listed apart)."""
    frame = pyogrio.read_dataframe(settings.build_path, layer="kelurahan", read_geometry=False)
    partial = frame[frame["score_sehat_status"] == "partial"]
    assert len(partial) > 0
    page = client.get("/peringkat?pilar=sehat")
    assert page.status_code == 200
    rows = dict(re.findall(r'<tr data-kode="([0-9.]+)">(.*?)</tr>', page.text, re.S))
    for kode in partial["kode"]:
        assert "score-partial" in rows[kode] and 'class="no-data"' not in rows[kode], kode
    order = list(rows)
    ranked = frame[frame["score_sehat"].notna()]["kode"]
    assert max(order.index(k) for k in ranked) < min(order.index(k) for k in partial["kode"])
