"""``ketahanan flood ingest`` and ``flood follow``, run the way an operator runs them."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "geo"))
from floodkit import live_form, scripted_server, snapshot_files

from api.cli import app
from geo.actions.store import ActionStore
from geo.settings import Settings, get_settings

pytestmark = pytest.mark.realdata


@pytest.fixture()
def env(
    real_build: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Settings]:
    monkeypatch.setenv("KETAHANAN_DATA_DIR", str(real_build.data_dir))
    monkeypatch.setenv("KETAHANAN_BUILD_PATH", str(real_build.build_path))
    monkeypatch.setenv("KETAHANAN_DATABASE_URL", f"sqlite:///{tmp_path / 'a.sqlite'}")
    monkeypatch.setenv("KETAHANAN_FLOOD_FEED_TIMEOUT_SECONDS", "0.5")
    get_settings.cache_clear()
    yield get_settings()
    get_settings.cache_clear()


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def test_ingest_a_file_once(env: Settings, tmp_path: Path) -> None:
    path = snapshot_files(env.data_dir)["2017-02-21T13:00:00"]
    code, out = _run("flood", "ingest", str(path))
    assert code == 0, out
    assert "168 areas, 168 matched to RWs" in out
    empty = tmp_path / "empty.geojson"
    empty.write_bytes(b"")
    code, out = _run("flood", "ingest", str(empty))
    assert code == 1 and "empty" in out and "last good state stays served" in out
    code, out = _run("flood", "ingest", str(tmp_path / "missing.geojson"))
    assert code == 1 and "cannot read" in out


def test_follow_a_url_a_bounded_number_of_times(env: Settings) -> None:
    files = snapshot_files(env.data_dir)
    script = [
        ("body", live_form(files["2017-02-20T00:00:00"])),
        ("status", 503),
        ("sleep", 1.2),
        ("body", live_form(files["2017-02-21T12:00:00"])),
    ]
    with scripted_server(script) as url:
        code, out = _run("flood", "follow", url, "--every", "1s", "--times", "4")
    assert code == 0, out
    assert out.count("ok fetch") == 2 and out.count("failed fetch") == 2
    assert "HTTP 503" in out and "within 0.5 s" in out
    store = ActionStore.from_settings(env)
    try:
        good = store.flood.last_good()
        assert good is not None and good.matched == 161
    finally:
        store.dispose()


def test_bad_every_is_a_plain_error(env: Settings) -> None:
    code, out = _run("flood", "follow", "http://127.0.0.1:9/", "--every", "soon", "--times", "1")
    assert code == 2 and "--every must be a duration" in out
