"""Helpers and fixtures of the actions tests: every store test runs on SQLite and on PostGIS.

PostGIS needs ``KETAHANAN_TEST_POSTGRES_URL`` (``.ci/run`` starts a server and sets it);
without it those tests skip with the reason (and fail in CI, where a skip is a failure).
Each PostGIS test gets its own schema, dropped afterwards.
"""

from __future__ import annotations

import os
import signal
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from serverkit import free_port, settings_env, start_app, wait_until_up

from api.app import create_app
from geo.actions.auth import Role, create_token
from geo.actions.store import ActionStore
from geo.settings import Settings

PG_URL = os.environ.get("KETAHANAN_TEST_POSTGRES_URL")
BACKENDS = ["sqlite", "postgis"]
ROOT = Path(__file__).resolve().parents[2]


def point_feature(lon: float = 106.8272, lat: float = -6.1754, **props: Any) -> dict[str, Any]:
    """A valid action at a point (default: Monas, kelurahan Gambir)."""
    properties = {"title": "Pompa banjir", "pillar": "siap", "lead_agency": "BPBD DKI"}
    properties.update(props)
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": properties,
    }


@dataclass
class Backend:
    """A database for one test: its URL and how to clean it up."""

    name: str
    url: str


def _pg_schema_url(schema: str) -> str:
    assert PG_URL is not None
    url = sa.make_url(PG_URL)
    query = dict(url.query)
    query["options"] = f"-csearch_path={schema},public"
    return url.set(query=query).render_as_string(hide_password=False)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    """A fresh, empty database on SQLite (a file) or PostGIS (a new schema)."""
    if request.param == "sqlite":
        yield Backend("sqlite", f"sqlite:///{tmp_path / 'actions.sqlite'}")
        return
    if not PG_URL:
        pytest.skip("PostGIS tests need KETAHANAN_TEST_POSTGRES_URL (set by .ci/run)")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        yield Backend("postgis", _pg_schema_url(schema))
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


@pytest.fixture
def settings(backend: Backend, real_build: Settings) -> Settings:
    """Settings on the test database and the session's real build."""
    return real_build.model_copy(update={"database_url": backend.url})


@pytest.fixture
def store(settings: Settings) -> Iterator[ActionStore]:
    """A migrated store."""
    s = ActionStore.from_settings(settings)
    s.migrate()
    yield s
    s.dispose()


@dataclass
class Tokens:
    """Secrets of one token per role."""

    viewer: str
    planner: str
    admin: str

    @staticmethod
    def header(secret: str) -> dict[str, str]:
        """Authorization header for a secret."""
        return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def tokens(store: ActionStore) -> Tokens:
    """A viewer, a planner ('ani') and an admin token."""
    return Tokens(
        viewer=create_token(store, "vera", Role.viewer)[0],
        planner=create_token(store, "ani", Role.planner)[0],
        admin=create_token(store, "adi", Role.admin)[0],
    )


@pytest.fixture
def client(settings: Settings, store: ActionStore) -> Iterator[TestClient]:
    """An in-process client of an app on the test database."""
    app = create_app(settings)
    # no `with`: the app's lifespan (loading every build layer) is not needed for actions
    yield TestClient(app, raise_server_exceptions=False)
    if getattr(app.state, "action_store", None) is not None:
        app.state.action_store.dispose()


def counts(store: ActionStore) -> tuple[int, int, int]:
    """Rows in actions, history and kelurahan links (to show a failed write changed nothing)."""
    t = store.tables
    with store.read() as conn:
        return tuple(  # type: ignore[return-value]
            conn.execute(sa.select(sa.func.count()).select_from(tab)).scalar_one()
            for tab in (t.actions, t.history, t.action_kelurahan)
        )


class Server:
    """A real uvicorn server process on 127.0.0.1 serving the app."""

    def __init__(self, settings: Settings, log_path: Path) -> None:
        self.settings = settings
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 60.0) -> None:
        """Start the server and wait until the actions collection answers."""
        self.proc = start_app(settings_env(self.settings), self.port, self.log_path)
        try:
            wait_until_up(f"{self.url}/collections/actions", self.proc, self.log_path, timeout)
        except RuntimeError:
            self.stop()
            raise

    def kill(self) -> None:
        """SIGKILL the server (no clean shutdown)."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        """Stop the server if it runs."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


@pytest.fixture
def server(settings: Settings, store: ActionStore, tmp_path: Path) -> Iterator[Server]:
    """A started uvicorn server on the test database; killed in teardown."""
    srv = Server(settings, tmp_path / "server.log")
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()
