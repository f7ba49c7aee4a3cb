"""``ketahanan serve`` as a planner runs it: builds first when there is no build output."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from serverkit import free_port, settings_env, stop, wait_until_up

from geo.settings import PROJECT_ROOT, Settings

pytestmark = pytest.mark.realdata

BUILD_TIMEOUT_S = 600.0
"""Bound on building and starting (the build takes well under a minute here)."""


def _serve(settings: Settings, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    script = Path(sys.executable).with_name("ketahanan")
    cmd = [str(script)] if script.exists() else [sys.executable, "-m", "api.cli"]
    # wide lines: rich wraps the console output at COLUMNS
    env = settings_env(settings, KETAHANAN_ITEMS_WARM_ZOOMS="[]", COLUMNS="400")
    with log.open("ab") as out:
        process = subprocess.Popen(
            [*cmd, "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=PROJECT_ROOT,
        )
    return process, f"http://127.0.0.1:{port}"


def test_serve_builds_first_when_there_is_no_build(real_settings: Settings, tmp_path: Path) -> None:
    settings = real_settings.model_copy(
        update={
            "build_path": tmp_path / "var" / "ketahanan.gpkg",
            "user_layers_path": tmp_path / "var" / "user_layers.json",
            "database_url": f"sqlite:///{tmp_path / 'actions.sqlite'}",
        }
    )
    assert not settings.build_path.exists()
    first = tmp_path / "serve-1.log"
    process, base = _serve(settings, first)
    try:
        wait_until_up(f"{base}/health", process, first, timeout=BUILD_TIMEOUT_S)
        health = httpx.get(f"{base}/health", timeout=30).json()
        assert health["status"] == "ok", health
        assert {"kelurahan", "kecamatan", "kota"} <= set(health["layers"])
        items = httpx.get(f"{base}/collections/kelurahan/items?limit=1", timeout=60).json()
        assert items["numberMatched"] == 267
    finally:
        stop(process)
    log = first.read_text(errors="replace")
    assert f"no build at {settings.build_path}: building first" in log
    assert settings.build_path.exists() and settings.report_path.exists()

    # with the build there, serve serves it as it is
    built = settings.build_path.stat().st_mtime_ns
    second = tmp_path / "serve-2.log"
    process, base = _serve(settings, second)
    try:
        wait_until_up(f"{base}/health", process, second, timeout=BUILD_TIMEOUT_S)
        assert httpx.get(f"{base}/health", timeout=30).json()["status"] == "ok"
    finally:
        stop(process)
    assert "building first" not in second.read_text(errors="replace")
    assert settings.build_path.stat().st_mtime_ns == built
