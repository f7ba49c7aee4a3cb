"""An unsupported KETAHANAN_DATABASE_URL: the app starts, says what is wrong, never leaks the
password, answers actions requests 503 with the reason, and the CLI stops with the reason.

No database is contacted and no data is read: the URL is refused before any connection.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.app import create_app
from api.cli import app as cli
from geo.settings import Settings, get_settings

ITEMS = "/collections/actions/items"
PASSWORD = "rahasia-sekali"

BAD_URLS = {
    "mysql": (f"mysql://ani:{PASSWORD}@db.example/ketahanan", "not 'mysql'"),
    "oracle": (f"oracle+oracledb://ani:{PASSWORD}@db.example/ketahanan", "not 'oracle'"),
    "not a URL": (f"ani:{PASSWORD} at the office", "is not a database URL"),
}


@pytest.mark.parametrize("name", list(BAD_URLS))
def test_the_app_answers_503_naming_the_setting(
    name: str, tmp_path: Path, empty_data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    url, reason = BAD_URLS[name]
    settings = Settings(
        data_dir=empty_data_dir, build_path=tmp_path / "none.gpkg", database_url=url
    )
    caplog.set_level(logging.WARNING, logger="ketahanan")
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        assert "actions store not ready at start-up" in caplog.text and reason in caplog.text
        auth = {"Authorization": "Bearer whatever"}
        for response in (
            client.get(ITEMS),
            client.get(f"{ITEMS}/00000000-0000-0000-0000-000000000000"),
            client.post(ITEMS, json={"type": "Feature"}, headers=auth),
        ):
            assert response.status_code == 503, response.text
            body = response.json()
            assert body["code"] == "service_unavailable"
            assert "KETAHANAN_DATABASE_URL" in body["description"] and reason in body["description"]
            assert PASSWORD not in response.text and "Traceback" not in response.text
        assert client.get("/health").status_code == 200  # the rest of the app runs
    assert PASSWORD not in caplog.text


@pytest.mark.parametrize("command", [["db", "upgrade"], ["token", "list"]])
def test_the_cli_stops_with_the_reason(
    command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, reason = BAD_URLS["mysql"]
    monkeypatch.setenv("KETAHANAN_DATABASE_URL", url)
    monkeypatch.setenv("KETAHANAN_BUILD_PATH", str(tmp_path / "none.gpkg"))
    get_settings.cache_clear()
    result = CliRunner().invoke(cli, command)
    assert result.exit_code == 2, result.output
    assert "KETAHANAN_DATABASE_URL" in result.output and reason in result.output
    assert PASSWORD not in result.output and "Traceback" not in result.output
