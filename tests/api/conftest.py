"""Fixtures of the API tests: one app over the session's real build, and a live server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from geo.settings import Settings

SERVER_START_TIMEOUT_S = 90.0


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


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(url: str, process: subprocess.Popen[bytes], timeout: float) -> None:
    """Poll ``url`` until it answers 200, the process dies, or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            if httpx.get(url, timeout=2.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"server at {url} did not answer within {timeout} s")


@pytest.fixture(scope="session")
def live_server(api_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of the app served by uvicorn in a subprocess on 127.0.0.1 (killed after)."""
    port = free_port()
    env = {
        **os.environ,
        "KETAHANAN_BUILD_PATH": str(api_settings.build_path),
        "KETAHANAN_USER_LAYERS_PATH": str(api_settings.user_layers_path),
        "KETAHANAN_DATA_DIR": str(api_settings.data_dir),
        "KETAHANAN_DATABASE_URL": api_settings.database_url,
        "KETAHANAN_ITEMS_WARM_ZOOMS": "[]",
    }
    log = tmp_path_factory.mktemp("server") / "uvicorn.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "api.app:create_app",
                "--factory",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--log-level",
                "warning",
            ],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=Path(__file__).resolve().parents[2],
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(f"{base}/conformance", process, SERVER_START_TIMEOUT_S)
            yield base
        except RuntimeError as exc:
            raise RuntimeError(f"{exc}; log:\n{log.read_text(errors='replace')[-3000:]}") from exc
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
