"""The token and db commands, and a clear 503 when the database cannot be reached."""

from __future__ import annotations

from pathlib import Path

import pytest
from actionkit import point_feature
from alembic.script import ScriptDirectory
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.app import create_app
from api.cli import app as cli
from geo.actions.db import MIGRATIONS_DIR
from geo.settings import Settings, get_settings

HEAD = ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()

pytestmark = pytest.mark.realdata


def test_token_create_and_revoke(
    tmp_path: Path, real_build: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    monkeypatch.setenv("KETAHANAN_DATABASE_URL", url)
    monkeypatch.setenv("KETAHANAN_BUILD_PATH", str(real_build.build_path))
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        upgraded = runner.invoke(cli, ["db", "upgrade"])
        assert upgraded.exit_code == 0, upgraded.output
        assert f"at revision {HEAD}" in upgraded.output.replace("\n", "")
        made = runner.invoke(cli, ["token", "create", "--role", "planner", "--name", "sari"])
        assert made.exit_code == 0, made.output
        secret = made.stdout.strip().splitlines()[-1]
        assert len(secret) >= 43
        client = TestClient(create_app(get_settings()))
        auth = {"Authorization": f"Bearer {secret}"}
        assert (
            client.post(
                "/collections/actions/items", json=point_feature(), headers=auth
            ).status_code
            == 201
        )
        assert runner.invoke(cli, ["token", "revoke", "sari"]).exit_code == 0
        assert (
            client.post(
                "/collections/actions/items", json=point_feature(), headers=auth
            ).status_code
            == 401
        )
        listed = runner.invoke(cli, ["token", "list"])
        assert "sari" in listed.output and secret not in listed.output
        bad = runner.invoke(cli, ["token", "create", "--role", "root", "--name", "x"])
        assert bad.exit_code == 2
    finally:
        get_settings.cache_clear()


def test_database_down_is_a_503(real_build: Settings) -> None:
    down = real_build.model_copy(
        update={"database_url": "postgresql://nobody:secret@127.0.0.1:1/none"}
    )
    client = TestClient(create_app(down), raise_server_exceptions=False)
    response = client.get("/collections/actions/items")
    assert response.status_code == 503
    body = response.json()
    assert body["code"] == "service_unavailable"
    assert "unavailable" in body["description"]
    assert "secret" not in response.text
    assert client.post("/collections/actions/items", json=point_feature()).status_code == 503
