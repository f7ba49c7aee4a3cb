"""HTML of every OGC resource (f=html and a browser's Accept), in process on the real build."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

pytestmark = pytest.mark.realdata

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
RESOURCES = [
    "/conformance",
    "/collections",
    "/collections/kelurahan",
    "/collections/kelurahan/items?limit=3",
    "/collections/kelurahan/items/31.71.01.1001",
    "/collections/actions/items",
    "/collections/coverage_gaps_siap/items?limit=3",
]


def _sep(path: str) -> str:
    return "&" if "?" in path else "?"


@pytest.mark.parametrize("path", ["/", *RESOURCES])
def test_f_html_gives_a_page_with_a_json_alternate(client: TestClient, path: str) -> None:
    answer = client.get(f"{path}{_sep(path)}f=html&lang=en")
    assert answer.status_code == 200, answer.text[:300]
    assert answer.headers["content-type"].startswith("text/html")
    assert answer.headers["content-language"] == "en"
    assert "script-src 'self'" in answer.headers["content-security-policy"]
    assert '<html lang="en">' in answer.text
    assert 'rel="alternate" type="application/' in answer.text
    assert "<script>" not in answer.text  # no inline script: the map's JS is a file
    assert "cdn" not in answer.text.lower() and "unpkg" not in answer.text


@pytest.mark.parametrize("path", RESOURCES)
def test_a_browser_gets_html_and_a_client_json(client: TestClient, path: str) -> None:
    page = client.get(path, headers=BROWSER)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    data = client.get(path)
    assert "json" in data.headers["content-type"]
    if path != "/conformance":
        links = data.json().get("links", [])
        assert any(x["rel"] == "alternate" and x["type"] == "text/html" for x in links), path


def test_the_root_still_sends_a_browser_to_the_map(client: TestClient) -> None:
    answer = client.get("/", headers=BROWSER, follow_redirects=False)
    assert answer.status_code == 303
    assert client.get("/?f=html").headers["content-type"].startswith("text/html")


def test_pages_speak_the_request_language(client: TestClient) -> None:
    page_id = client.get("/collections/kelurahan/items?f=html&limit=10").text
    assert "10 dari 267 fitur" in page_id and "Berikutnya" in page_id
    page_en = client.get(
        "/collections/kelurahan/items?f=html&limit=10", headers={"Accept-Language": "en"}
    ).text
    assert "10 of 267 features" in page_en and "Next" in page_en


def test_items_page_has_a_table_a_map_and_paging_links(client: TestClient) -> None:
    text = client.get("/collections/kelurahan/items?f=html&limit=10&offset=10&lang=en").text
    assert text.count('<tr><td><a href="') == 10
    assert 'id="ogc-map"' in text and "/static/js/ogc-map.js" in text
    assert 'rel="next"' in text and 'rel="prev"' in text
    assert "offset=20" in text and "f=html" in text
    assert "/static/vendor/leaflet@1.9.4/dist/leaflet.js" in text


def test_user_values_are_escaped(client: TestClient) -> None:
    evil = "<script>alert(1)</script>"
    answer = client.get("/collections/kelurahan/items", params={"f": "html", "nama": evil})
    assert answer.status_code == 200
    assert evil not in answer.text
    assert "&lt;script&gt;" in answer.text or "%3Cscript%3E" in answer.text


@pytest.mark.parametrize("path", ["/conformance", "/collections", "/collections/kelurahan"])
def test_an_unknown_format_is_a_400(client: TestClient, path: str) -> None:
    answer = client.get(path, params={"f": "xml"})
    assert answer.status_code == 400
    assert "json or html" in answer.json()["description"]


def test_items_in_html_keep_the_crs_and_the_cache_apart(client: TestClient) -> None:
    page = client.get("/collections/kelurahan/items?f=html&limit=2&crs=EPSG:32748")
    assert page.headers["content-type"].startswith("text/html")
    data = client.get("/collections/kelurahan/items?limit=2&crs=EPSG:32748")
    assert data.headers["content-type"] == "application/geo+json"
    again = client.get("/collections/kelurahan/items?f=html&limit=2&crs=EPSG:32748")
    assert again.headers["content-type"].startswith("text/html")
