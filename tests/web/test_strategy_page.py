"""/strategi on the real build and strategy files: targets beside the data, labelled honestly."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pyogrio
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from geo.settings import Settings

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def client(real_build: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    tmp = tmp_path_factory.mktemp("strategi")
    settings = real_build.model_copy(update={"database_url": f"sqlite:///{tmp / 'a.sqlite'}"})
    with TestClient(create_app(settings)) as c:
        yield c


def _target_block(page: str, title: str) -> str:
    start = page.index(title)
    return page[start : page.index("</div>", start)]


def test_targets_beside_what_the_build_says(client: TestClient, real_build: Settings) -> None:
    page = client.get("/strategi").text
    low = _target_block(page, "Berkurangnya kerentanan di wilayah Jakarta</strong>: 80")
    assert "perkiraan (indikator pendekatan)" in low and "score_siap" in low  # formula on the page
    kel = pyogrio.read_dataframe(real_build.build_path, layer="kelurahan", read_geometry=False)
    scored = kel["score_siap"].notna()
    share = kel.loc[scored & (kel["score_siap"] < 1 / 3), "area_km2"].sum()
    expected = share / kel.loc[scored, "area_km2"].sum() * 100
    shown = re.search(r'class="reading">([\d,]+)%', low)
    assert shown and float(shown.group(1).replace(",", ".")) == round(expected, 1)
    water = _target_block(page, "Akses terhadap air bersih</strong>")
    assert "Tidak ada data" in water and "ketahanan layer add" in water
    piped = _target_block(page, "Akses layanan air minum perpipaan")
    assert "dilaporkan sumber" in piped and "72,7%" in piped
    assert "Target konteks, bukan dari strategi ketahanan" in piped
    terhubung = page[page.index('data-pillar="terhubung"') :]
    assert "Tidak ada target pilar ini yang terbaca" in terhubung[:3000]


def test_no_direction_or_strategy_is_made_up(client: TestClient) -> None:
    page = client.get("/strategi").text
    assert "12 arahan, 32 strategi" in page and "tidak tersedia dalam data" in page
    assert "Arahan 1" not in page and "Strategi 1:" not in page
    english = client.get("/strategi?lang=en").text
    assert "12 directions, 32 strategies" in english
    assert "Shocks and stresses" in english and "civil unrest" in english
    assert english.count("preventionweb.net") >= 6  # every shock and stress names its source
