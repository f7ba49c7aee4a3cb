"""The app before any build: pages answer 503 with a page that says what to do, the API a
503 JSON error, /health says so, and the actions store keeps working. No data is needed."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from geo.settings import Settings
from web.i18n import catalogue


@pytest.fixture
def no_build(tmp_path: Path, empty_data_dir: Path) -> Settings:
    """Settings whose build output does not exist (and a data folder that is empty)."""
    return Settings(
        data_dir=empty_data_dir,
        build_path=tmp_path / "var" / "ketahanan.gpkg",
        user_layers_path=tmp_path / "var" / "user_layers.json",
        database_url=f"sqlite:///{tmp_path / 'actions.sqlite'}",
        basemap_url="none",
    )


@pytest.fixture
def client(no_build: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(no_build), raise_server_exceptions=False) as c:
        yield c


@pytest.mark.parametrize(
    ("url", "lang"), [("/peta", "id"), ("/kelurahan/31.71.01.1001?lang=en", "en")]
)
def test_pages_answer_503_with_a_page_saying_what_to_do(
    client: TestClient, no_build: Settings, url: str, lang: str
) -> None:
    r = client.get(url, headers={"Accept": "text/html"})
    assert r.status_code == 503
    assert r.headers["content-type"].startswith("text/html")
    page = r.text
    assert f'<html lang="{lang}">' in page
    assert 'data-status="503"' in page
    message = html.unescape(re.search(r'<p class="message">(.*?)</p>', page, re.S)[1])  # type: ignore[index]
    assert message == catalogue(lang)["error.no_build"] and "ketahanan build" in message
    assert str(no_build.build_path) not in page, "a public page names no server path"
    assert "Traceback" not in page and 'File "' not in page


@pytest.mark.parametrize(
    "url",
    ["/collections", "/collections/kelurahan", "/collections/kelurahan/items",
     "/collections/kelurahan/items/31.71.01.1001", "/coverage-gaps?pilar=siap"],
)  # fmt: skip
def test_the_api_answers_503_json(client: TestClient, no_build: Settings, url: str) -> None:
    r = client.get(url)
    assert r.status_code == 503, r.text
    body = r.json()
    assert body["code"] in ("no_build", "service_unavailable")
    assert "ketahanan build" in body["description"]
    assert str(no_build.build_path) in body["description"]


def test_health_says_there_is_no_build(client: TestClient, no_build: Settings) -> None:
    r = client.get("/health")
    assert r.status_code == 200
    assert r.json()["status"] == "no_build"
    assert r.json()["build_path"] == str(no_build.build_path)
    assert not no_build.build_path.exists()


def test_the_landing_page_and_the_actions_store_still_answer(client: TestClient) -> None:
    assert client.get("/", headers={"Accept": "application/json"}).status_code == 200
    r = client.get("/collections/actions/items")
    assert r.status_code == 200 and r.json()["numberMatched"] == 0
