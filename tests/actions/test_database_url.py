"""An unsupported KETAHANAN_DATABASE_URL: never blamed on a request, never leaks the password.

* Set in the environment (as an operator does), it stops ``ketahanan serve``, the app factory
  uvicorn runs and every CLI command at start, with a plain message naming the setting.
* Given to the app in settings that were not checked (``Settings.model_copy`` skips the checks,
  as code embedding the app can do), the app starts, says what is wrong, and answers actions
  requests 503 with the reason (never 400, which would blame the request).

No database is contacted and no data is read: the URL is refused before any connection.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.app import create_app
from api.cli import app as cli
from geo.settings import PROJECT_ROOT, Settings, get_settings

ITEMS = "/collections/actions/items"
PASSWORD = "rahasia-sekali"

BAD_URLS = {
    "mysql": f"mysql://ani:{PASSWORD}@db.example/ketahanan",
    "oracle": f"oracle+oracledb://ani:{PASSWORD}@db.example/ketahanan",
    "not a URL": f"ani:{PASSWORD} at the office",
    "no colon": PASSWORD,
}
AT_START = {
    "mysql": "not mysql://",
    "oracle": "not oracle+oracledb://",
    "not a URL": "is not a database URL",
    "no colon": "is not a database URL",
}
"""What the settings check says of each URL (the scheme at most is named)."""
AT_CONNECT = {
    "mysql": "not 'mysql'",
    "oracle": "not 'oracle'",
    "not a URL": "is not a database URL",
}
"""What the actions store says of each URL when the settings were not checked."""


def _env(url: str, tmp_path: Path, empty_data_dir: Path) -> dict[str, str]:
    return {
        "PATH": "/usr/bin:/bin",
        "KETAHANAN_DATABASE_URL": url,
        "KETAHANAN_BUILD_PATH": str(tmp_path / "none.gpkg"),
        "KETAHANAN_DATA_DIR": str(empty_data_dir),
    }


@pytest.mark.parametrize("name", list(BAD_URLS))
def test_the_app_and_serve_refuse_to_start_naming_the_setting(
    name: str, tmp_path: Path, empty_data_dir: Path
) -> None:
    env = _env(BAD_URLS[name], tmp_path, empty_data_dir)
    for command in (
        [str(Path(sys.executable).parent / "ketahanan"), "serve"],
        [sys.executable, "-c", "from api.app import create_app; create_app()"],
    ):
        run = subprocess.run(
            command, env=env, capture_output=True, text=True, timeout=120, cwd=PROJECT_ROOT
        )
        said = " ".join((run.stdout + run.stderr).split())
        assert run.returncode != 0, said
        assert "KETAHANAN_DATABASE_URL" in said and AT_START[name] in said, said
        assert PASSWORD not in said and "Traceback" not in said, said
    assert not (tmp_path / "none.gpkg").exists()


@pytest.mark.parametrize("name", list(AT_CONNECT))
def test_unchecked_settings_answer_503_naming_the_setting(
    name: str, tmp_path: Path, empty_data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    url, reason = BAD_URLS[name], AT_CONNECT[name]
    checked = Settings(data_dir=empty_data_dir, build_path=tmp_path / "none.gpkg")
    settings = checked.model_copy(update={"database_url": url})
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
    monkeypatch.setenv("KETAHANAN_DATABASE_URL", BAD_URLS["mysql"])
    monkeypatch.setenv("KETAHANAN_BUILD_PATH", str(tmp_path / "none.gpkg"))
    get_settings.cache_clear()
    result = CliRunner().invoke(cli, command)
    said = " ".join(result.output.split())  # the console wraps long lines
    assert result.exit_code == 2, result.output
    assert "KETAHANAN_DATABASE_URL" in said and AT_START["mysql"] in said
    assert PASSWORD not in said and "Traceback" not in said
