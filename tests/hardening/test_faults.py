"""Faults: the database going away, a full disk under SQLite, a build killed halfway.

Each test runs a real uvicorn server on 127.0.0.1 (``benchmarks/load.py``'s ``live_server``)
and breaks something underneath it, then checks that the app answers with a clear JSON error
(never a 500 or a stack trace), keeps serving what does not depend on the broken part, loses
no acknowledged write, and recovers by itself once the fault is gone.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from ciskip import IN_CI
from loadkit import load

from geo.settings import Settings

pytestmark = pytest.mark.realdata

IS_ROOT = os.geteuid() == 0
ACTIONS = "/collections/actions/items"


def feature(n: int) -> dict[str, Any]:
    """A valid action at Monas."""
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [106.8272, -6.1754]},
        "properties": {"title": f"Uji gangguan {n}", "pillar": "siap", "lead_agency": "BPBD DKI"},
    }


def assert_clear_error(response: httpx.Response, statuses: tuple[int, ...]) -> dict[str, Any]:
    """The response is one of ``statuses`` with the project's JSON error body, no traceback."""
    assert response.status_code in statuses, (response.status_code, response.text[:500])
    body: dict[str, Any] = response.json()
    assert body["code"] in ("service_unavailable", "insufficient_storage"), body
    assert "database" in body["description"], body
    assert "Traceback" not in response.text and 'File "' not in response.text
    return body


def assert_build_reads(http: httpx.Client) -> None:
    """Map and OGC reads of the build answer."""
    kel = http.get("/collections/kelurahan/items", params={"zoom": 12, "limit": 1000})
    assert kel.status_code == 200 and kel.json()["numberReturned"] == 267
    gambir = http.get("/collections/kelurahan/items/31.71.01.1001")
    assert gambir.status_code == 200 and gambir.json()["properties"]["kode"] == "31.71.01.1001"
    assert http.get("/collections/pumps/items", params={"limit": 10}).status_code == 200
    assert http.get("/collections").status_code == 200
    assert http.get("/peta").status_code == 200


# --- the database going away ------------------------------------------------------------------


def _pg_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), reverse=True)
    return found[0].parent if found else None


class PgCluster:
    """A private PostgreSQL cluster on 127.0.0.1 in a temporary folder (as ``postgres`` if root)."""

    def __init__(self, bin_dir: Path, folder: Path) -> None:
        self.bin = bin_dir
        self.folder = folder
        self.data = folder / "data"
        self.port = load.free_port()
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def run(self, *args: str, timeout: float = 60) -> None:
        cmd = [str(self.bin / args[0]), *args[1:]]
        if IS_ROOT:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0:
            log = self.folder / "server.log"
            tail = log.read_text()[-1500:] if log.exists() else ""
            raise RuntimeError(f"{args[0]} failed: {done.stderr[-1500:]}\n{tail}")

    def init(self) -> None:
        self.run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "--no-sync")

    def start(self) -> None:
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.folder} -c fsync=off"
        self.run(
            "pg_ctl",
            *("-D", str(self.data), "-l", str(self.folder / "server.log")),
            *("-w", "-t", "60", "-s", "-o", options, "start"),
        )

    def stop(self, mode: str = "immediate") -> None:
        self.run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "-s", "stop")


@pytest.fixture
def pg_cluster() -> Iterator[PgCluster]:
    """A started private cluster with PostGIS; stopped and removed in teardown."""
    bin_dir = _pg_bin()
    if bin_dir is None:
        pytest.skip("PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin")
    if IS_ROOT:
        try:
            import pwd

            pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root needs the postgres user to run the cluster")
    # not tmp_path: its parents are private to root and the server runs as postgres
    folder = Path(tempfile.mkdtemp(prefix="ketahanan-pgfault-"))
    if IS_ROOT:
        shutil.chown(folder, "postgres", "postgres")
    cluster = PgCluster(bin_dir, folder)
    try:
        cluster.init()
        cluster.start()
        engine = sa.create_engine(cluster.url.replace("postgresql://", "postgresql+psycopg://"))
        with engine.begin() as conn:
            conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS postgis")
        engine.dispose()
        yield cluster
    finally:
        with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):  # already stopped
            cluster.stop("immediate")
        shutil.rmtree(folder, ignore_errors=True)


def test_database_going_away_and_coming_back(
    pg_cluster: PgCluster, real_build: Settings, tmp_path: Path
) -> None:
    settings = real_build.model_copy(update={"database_url": pg_cluster.url})
    from geo.actions.auth import Role, create_token
    from geo.actions.store import ActionStore

    store = ActionStore.from_settings(settings)
    store.migrate()
    secret = create_token(store, "ani", Role.planner)[0]
    store.dispose()
    auth = {"Authorization": f"Bearer {secret}"}
    env = load.server_env(settings, pg_cluster.url)
    with (
        load.live_server(env, tmp_path / "server.log") as srv,
        httpx.Client(base_url=srv.url, timeout=30) as http,
    ):
        made = http.post(ACTIONS, json=feature(1), headers=auth)
        assert made.status_code == 201, made.text
        first = made.json()["id"]

        pg_cluster.stop("immediate")
        t0 = time.monotonic()
        for _ in range(3):  # every pooled connection is dead: each request still answers
            body = assert_clear_error(http.get(ACTIONS), (503,))
            assert "unavailable" in body["description"]
            assert_clear_error(http.get(f"{ACTIONS}/{first}"), (503,))
            assert_clear_error(http.post(ACTIONS, json=feature(2), headers=auth), (503,))
            assert_clear_error(
                http.patch(
                    f"{ACTIONS}/{first}",
                    json={"properties": {"progress": 10}},
                    headers={**auth, "If-Match": '"1"'},
                ),
                (503,),
            )
        assert time.monotonic() - t0 < 30, "503s must come quickly, not after long timeouts"
        assert_build_reads(http)

        pg_cluster.start()
        deadline = time.monotonic() + 30
        while True:  # no restart of the app: the pool reconnects by itself
            again = http.post(ACTIONS, json=feature(3), headers=auth)
            if again.status_code == 201 or time.monotonic() > deadline:
                break
            assert_clear_error(again, (503,))
            time.sleep(0.5)
        assert again.status_code == 201, again.text
        patched = http.patch(
            f"{ACTIONS}/{first}",
            json={"properties": {"progress": 50}},
            headers={**auth, "If-Match": '"1"'},
        )
        assert patched.status_code == 200, patched.text
        listed = http.get(ACTIONS, params={"limit": 100}).json()
        assert {f["id"] for f in listed["features"]} == {first, again.json()["id"]}
        assert srv.proc.poll() is None
    assert "Traceback" not in (tmp_path / "server.log").read_text()


# --- a full disk under the SQLite store -------------------------------------------------------


def _mount_tmpfs(target: Path, size: str, fstype: str = "tmpfs") -> list[str]:
    """Mount a small tmpfs at ``target``; return the command prefix used (sudo or not).

    Where no mount is allowed (not root, no passwordless sudo, or a container without
    CAP_SYS_ADMIN) the test cannot fill a disk: it says why, and fails in CI (skips locally).
    """
    tried: list[str] = []
    for prefix in ([], ["sudo", "-n"]):
        if prefix and shutil.which("sudo") is None:
            tried.append("sudo: not installed")
            continue
        if not prefix and not IS_ROOT:
            tried.append("mount: not root")
            continue
        cmd = [*prefix, "mount", "-t", fstype, "-o", f"size={size},mode=0777", fstype, str(target)]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
        if done.returncode == 0:
            return prefix
        tried.append(f"{' '.join(cmd[:3])}: exit {done.returncode}, {done.stderr.strip()}")
    message = (
        f"the full-disk test needs a {size} tmpfs mounted at {target} and this machine does "
        f"not allow it ({'; '.join(tried)}). Run it as root (as .ci/run does) or with "
        "passwordless sudo, in a container that may mount (CAP_SYS_ADMIN)."
    )
    if IN_CI:
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def _fill(folder: Path) -> Path:
    """Write a file until the disk is full (to the last 512 bytes); return it."""
    filler = folder / "filler.bin"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        for size in (65536, 4096, 512):
            for _ in range(100_000):
                try:
                    os.write(fd, b"\0" * size)
                except OSError:
                    break
    finally:
        os.close(fd)
    return filler


def test_full_disk_gives_a_clear_error_and_loses_nothing(
    real_build: Settings, tmp_path: Path
) -> None:
    disk = tmp_path / "disk"
    disk.mkdir()
    prefix = _mount_tmpfs(disk, "4m")
    try:
        db_url, secret = load.prepare_database(real_build, disk)
        db_path = disk / "load.sqlite"
        auth = {"Authorization": f"Bearer {secret}"}
        env = load.server_env(real_build, db_url)
        acknowledged: list[str] = []
        with (
            load.live_server(env, tmp_path / "server.log") as srv,
            httpx.Client(base_url=srv.url, timeout=30) as http,
        ):
            for n in range(5):
                made = http.post(ACTIONS, json=feature(n), headers=auth)
                assert made.status_code == 201, made.text
                acknowledged.append(made.json()["id"])

            filler = _fill(disk)
            refused = None
            for n in range(5, 1005):  # space left in the WAL is used up first
                made = http.post(ACTIONS, json=feature(n), headers=auth)
                if made.status_code == 201:
                    acknowledged.append(made.json()["id"])
                    continue
                refused = made
                break
            assert refused is not None, "writes never failed on a full disk"
            body = assert_clear_error(refused, (507, 503))
            assert refused.status_code == 507 and body["code"] == "insufficient_storage", body
            assert "disk" in body["description"]
            # reads keep working: the actions, their count, and the build
            listed = http.get(ACTIONS, params={"limit": 2000})
            assert listed.status_code == 200, listed.text
            assert {f["id"] for f in listed.json()["features"]} == set(acknowledged)
            assert_build_reads(http)
            patch = http.patch(
                f"{ACTIONS}/{acknowledged[0]}",
                json={"properties": {"progress": 5}},
                headers={**auth, "If-Match": '"1"'},
            )
            assert patch.status_code in (200, 507), patch.text
            if patch.status_code == 507:
                assert_clear_error(patch, (507,))

            filler.unlink()
            again = http.post(ACTIONS, json=feature(9999), headers=auth)
            assert again.status_code == 201, again.text
            acknowledged.append(again.json()["id"])
            assert srv.proc.poll() is None
        assert "Traceback" not in (tmp_path / "server.log").read_text()

        with sqlite3.connect(db_path) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            ids = {row[0] for row in conn.execute("SELECT id FROM actions")}
        assert set(acknowledged) <= ids
        assert len(ids) == len(acknowledged), "a refused write left a row behind"
    finally:
        subprocess.run([*prefix, "umount", "-l", str(disk)], capture_output=True, timeout=30)


# --- a build killed halfway ------------------------------------------------------------------

KILLED_BUILD = """
import os, signal, sys

import geo.build as build

real_write_output, real_write_frame = build.write_output, build._write_frame
layers = []


def write_output(result, *args, **kwargs):
    layers.append(len(result.layers))
    return real_write_output(result, *args, **kwargs)


def write_frame(path, name, frame):
    real_write_frame(path, name, frame)
    layers.append(name)
    if len(layers) - 1 == layers[0] // 2:  # half of the layers are in the temporary file
        print(f"KILLED after {len(layers) - 1} of {layers[0]} layers, in {path}", flush=True)
        os.kill(os.getpid(), signal.SIGKILL)


build.write_output, build._write_frame = write_output, write_frame
from api.cli import app

sys.argv = ["ketahanan", "build", "--no-verify"]
app()
"""
"""``ketahanan build`` that SIGKILLs itself once half of its layers are written: a fixed step."""


def _kelurahan_state(http: httpx.Client) -> tuple[str, int]:
    r = http.get("/collections/kelurahan/items", params={"limit": 1000, "zoom": 12})
    assert r.status_code == 200, r.text
    return r.headers["etag"], int(r.json()["numberMatched"])


def _after_a_reload_check(http: httpx.Client) -> tuple[str, int]:
    """The kelurahan state as served once the app has looked at the build output again.

    /health counts the app's looks at the build file (``build_checks``: at most one per
    reload interval, made by a request, /health included, which also reads a replaced build
    before it answers). Once the count has moved on, every request serves what that look
    found, so the state is read right after.
    """
    before = http.get("/health").json()["build_checks"]
    deadline = time.monotonic() + 60
    while http.get("/health").json()["build_checks"] <= before:
        assert time.monotonic() < deadline, "the app never looked at the build output again"
        time.sleep(0.2)
    return _kelurahan_state(http)


def _build_cmd() -> list[str]:
    script = Path(sys.executable).with_name("ketahanan")
    if script.exists():
        return [str(script), "build", "--no-verify"]
    return [sys.executable, "-c", "from api.cli import app; app()", "build", "--no-verify"]


def test_build_killed_halfway_changes_nothing(real_build: Settings, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    settings = real_build.model_copy(
        update={
            "build_path": out / "ketahanan.gpkg",
            "user_layers_path": out / "layers.json",
            "user_scenarios_path": out / "scenarios.json",
        }
    )
    shutil.copy2(real_build.build_path, settings.build_path)
    shutil.copy2(real_build.report_path, settings.report_path)
    db_url = f"sqlite:///{tmp_path / 'actions.sqlite'}"
    env = load.server_env(settings, db_url)
    build_env = {**os.environ, **env}
    with (
        load.live_server(env, tmp_path / "server.log") as srv,
        httpx.Client(base_url=srv.url, timeout=60) as http,
    ):
        etag, matched = _kelurahan_state(http)
        assert matched == 267
        before = settings.build_path.stat().st_mtime

        killed = subprocess.run(
            [sys.executable, "-c", KILLED_BUILD],
            cwd=load.ROOT,
            env=build_env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert killed.returncode == -signal.SIGKILL, killed.stdout[-2000:] + killed.stderr[-2000:]
        assert "KILLED after" in killed.stdout, killed.stdout[-2000:]
        leftovers = list(out.glob(".ketahanan.*.tmp.gpkg*"))
        assert leftovers, "the killed build's temporary file should still be there"
        assert any(p.stat().st_size > 0 for p in leftovers)
        assert settings.build_path.stat().st_mtime == before, "the output was replaced"
        # the app looked at the build output again after the kill and serves the same build
        assert _after_a_reload_check(http) == (etag, matched)
        assert http.get("/health").json()["status"] == "ok"

        done = subprocess.run(
            _build_cmd(), cwd=load.ROOT, env=build_env, capture_output=True, timeout=600
        )
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
        assert settings.build_path.stat().st_mtime != before
        # the first look at the build output after the complete build reloads it
        new_etag, new_matched = _after_a_reload_check(http)
        assert new_etag != etag, "the complete build was not picked up"
        assert new_matched == 267
        assert not [p for p in leftovers if p.exists()], "stale temporary files were not removed"
        assert srv.proc.poll() is None
