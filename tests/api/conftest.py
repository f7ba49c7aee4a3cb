"""Fixtures of the API tests: one app over the session's real build, and a live server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from serverkit import served_app, settings_env

from api.app import create_app
from geo.settings import Settings


@pytest.fixture(scope="session")
def api_settings(real_build: Settings, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings of the app under test: the session's real build, warm-up of zoom 12 only."""
    db = tmp_path_factory.mktemp("db") / "actions.sqlite"
    return real_build.model_copy(
        update={"items_warm_zooms": [12], "database_url": f"sqlite:///{db}"}
    )


@pytest.fixture(scope="session")
def client(api_settings: Settings) -> Iterator[TestClient]:
    """A TestClient over the app (start-up run, so the store is loaded once)."""
    with TestClient(create_app(api_settings)) as c:
        yield c


@pytest.fixture(scope="session")
def live_server(api_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of the app served by uvicorn in a subprocess on 127.0.0.1 (killed after)."""
    env = settings_env(api_settings, KETAHANAN_ITEMS_WARM_ZOOMS="[]")
    log = tmp_path_factory.mktemp("server") / "uvicorn.log"
    with served_app(env, log, "/conformance") as base:
        yield base
