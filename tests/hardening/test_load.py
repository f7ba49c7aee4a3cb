"""Load and soak: a real uvicorn server under concurrent map reads, queries and action writes.

Runs ``KETAHANAN_LOAD_SECONDS`` (default 120) with ``KETAHANAN_LOAD_CLIENTS`` (default 12)
async clients on 127.0.0.1 (driver: ``benchmarks/load.py``; ``--seconds 600`` for a longer
soak). Passes with no 5xx, no 4xx other than the expected 412 races, no transport errors, and
the server's RSS growing less than 10 % from the end of the warm-up to the end.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from loadkit import load

from geo.settings import Settings

SECONDS = float(os.environ.get("KETAHANAN_LOAD_SECONDS", "120"))
CLIENTS = int(os.environ.get("KETAHANAN_LOAD_CLIENTS", "12"))
WARMUP = min(20.0, SECONDS / 6)


@pytest.mark.realdata
def test_load_and_soak(real_build: Settings, tmp_path: Path) -> None:
    db_url, secret = load.prepare_database(real_build, tmp_path)
    env = load.server_env(real_build, db_url)
    with load.live_server(env, tmp_path / "server.log") as srv:
        result = load.run_load(
            srv.url, srv.pid, secret, seconds=SECONDS, clients=CLIENTS, warmup=WARMUP
        )
        alive = srv.proc.poll() is None
    text = load.report(result)
    print(text)
    assert alive, "the server died under load"
    assert result["errors"] == 0, text
    assert result["rss_growth"] < 0.10, text
    for kind, figures in result["kinds"].items():
        assert figures["requests"] > 0, f"no {kind} request was made:\n{text}"
    assert result["kinds"]["action_post"]["statuses"].get(201, 0) > 0, text
    assert result["kinds"]["action_patch"]["statuses"].get(200, 0) > 0, text
    assert result["kinds"]["action_delete"]["statuses"].get(204, 0) > 0, text
    assert "Traceback" not in (tmp_path / "server.log").read_text(), "the server logged an error"


@pytest.mark.parametrize("url", ["http://example.org:80", "http://0.0.0.0:8000"])
def test_load_driver_refuses_other_hosts(url: str) -> None:
    with pytest.raises(ValueError, match=r"127\.0\.0\.1"):
        load.run_load(url, os.getpid(), "x", seconds=1)
