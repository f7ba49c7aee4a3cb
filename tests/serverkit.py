"""Run the app in a real uvicorn process on 127.0.0.1, for tests that need a live server.

One place for what the API, web and actions tests all do: pick a free port, start uvicorn
with the settings passed as ``KETAHANAN_*`` variables, wait (bounded) until a probe answers,
and stop the process afterwards.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx

from geo.settings import PROJECT_ROOT, Settings

START_TIMEOUT_S = 90.0


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def settings_env(settings: Settings, **extra: str) -> dict[str, str]:
    """The process environment that makes a server use ``settings`` (plus ``extra``)."""
    return {
        **os.environ,
        "KETAHANAN_BUILD_PATH": str(settings.build_path),
        "KETAHANAN_USER_LAYERS_PATH": str(settings.user_layers_path),
        "KETAHANAN_USER_SCENARIOS_PATH": str(settings.user_scenarios_path),
        "KETAHANAN_DATA_DIR": str(settings.data_dir),
        "KETAHANAN_DATABASE_URL": settings.database_url,
        "KETAHANAN_BASEMAP_URL": settings.basemap_url,
        **extra,
    }


QUIET = ("--log-level", "warning")
"""uvicorn's logging options of most live servers: warnings and errors only."""


def _spawn(
    args: list[str], env: dict[str, str], log: Path, *, session: bool = False
) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(
            args,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=PROJECT_ROOT,
            start_new_session=session,
        )


def start_app(
    env: dict[str, str], port: int, log: Path, *, log_args: Sequence[str] = QUIET
) -> subprocess.Popen[bytes]:
    """Start uvicorn serving the app on 127.0.0.1:``port``, output appended to ``log``.

    ``log_args`` are uvicorn's logging options (e.g. ``--log-config FILE --access-log``).
    """
    return _spawn(
        [
            *(sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory"),
            *("--host", "127.0.0.1", "--port", str(port), *log_args),
        ],
        env,
        log,
    )


def start_serve(env: dict[str, str], port: int, log: Path, workers: int) -> subprocess.Popen[bytes]:
    """Start ``ketahanan serve --workers N`` on 127.0.0.1:``port`` in a process group of its
    own (the uvicorn supervisor and its workers), output appended to ``log``."""
    return _spawn(
        [
            *(sys.executable, "-m", "api.cli", "serve", "--host", "127.0.0.1"),
            *("--port", str(port), "--workers", str(workers)),
        ],
        env,
        log,
        session=True,
    )


def kill_group(process: subprocess.Popen[bytes], sig: int = signal.SIGKILL) -> None:
    """Send ``sig`` to the process group of ``process`` (a server and all its workers)."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def wait_until_up(
    url: str, process: subprocess.Popen[bytes], log: Path, timeout: float = START_TIMEOUT_S
) -> None:
    """Poll ``url`` until it answers 200; raise with the log's tail if the process dies or
    ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}: {_tail(log)}")
        try:
            if httpx.get(url, timeout=2.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"server at {url} did not answer within {timeout} s: {_tail(log)}")


def stop(process: subprocess.Popen[bytes]) -> None:
    """Terminate the server, killing it if it does not stop within 10 s."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@contextmanager
def served_app(env: dict[str, str], log: Path, probe: str) -> Iterator[str]:
    """Serve the app for the duration of the block; yield its base URL once ``probe`` answers."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = start_app(env, port, log)
    try:
        wait_until_up(base + probe, process, log)
        yield base
    finally:
        stop(process)


def _tail(log: Path) -> str:
    return log.read_text(errors="replace")[-3000:] if log.exists() else "(no log)"


def bump_budget(client: httpx.Client, read_url: str, write_url: str) -> httpx.Response:
    """Read an action at ``read_url`` and PATCH its budget + 1 at ``write_url`` with If-Match
    of the version read (the read-modify-write that concurrent planners race on); the GET's
    response when it failed, else the PATCH's."""
    got = client.get(read_url)
    if got.status_code != 200:
        return got
    budget = got.json()["properties"]["budget_idr"]
    return client.patch(
        write_url,
        json={"properties": {"budget_idr": budget + 1}},
        headers={"If-Match": got.headers["etag"]},
    )
