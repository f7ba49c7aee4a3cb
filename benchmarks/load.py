"""Load and soak test: a real uvicorn server under a mix of map reads, queries and action writes.

One uvicorn worker on 127.0.0.1 in a subprocess serves the build and a fresh SQLite actions
store. ``--clients`` concurrent async httpx clients loop, each picking a request kind at random
(fixed seed) until ``--seconds`` have passed:

* map reads: ``/peta`` (each pillar), ``/collections/kelurahan/items?zoom=12&limit=1000`` and
  the pillars' overlay layers;
* item queries: bbox, property filters, ``properties=``, single items and ``f=geojson``
  downloads, plus the actions listing (read from the database);
* action writes with a planner token: POST, PATCH with ``If-Match`` (shared actions, so clients
  race and a 412 is an expected answer) and DELETE with ``If-Match`` (of the client's own).

The server's resident memory (``VmRSS`` of ``/proc/PID/status``) is sampled every second; the
growth is measured from the end of the warm-up to the end. Every loop is bounded in time and in
count, and everything stops by itself.

    .venv/bin/python benchmarks/load.py [--seconds 120] [--clients 12] [--warmup 20]

Pass: 0 errors (no 5xx, no 4xx other than the expected 412 races, no transport errors) and
RSS growth < 10 % after the warm-up.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent

OVERLAYS = (
    "flood_rw_2007",
    "flood_2017_rw_max",
    "pumps",
    "floodgates",
    "slum_rw",
    "tj_stops",
    "tj_routes",
    "rail_stations",
    "rail_lines",
)
"""The overlay layers of the three pillars' maps (see ``web.pages.OVERLAYS``)."""

WEIGHTS: dict[str, int] = {
    "peta": 6,
    "kelurahan_z12": 10,
    "overlay": 10,
    "bbox": 10,
    "filter": 8,
    "properties": 6,
    "item": 10,
    "geojson": 4,
    "actions_list": 8,
    "action_get": 6,
    "action_post": 8,
    "action_patch": 10,
    "action_delete": 4,
}
"""Relative frequency of each request kind."""

EXPECTED: dict[str, frozenset[int]] = {
    "action_post": frozenset({201}),
    "action_patch": frozenset({200, 412}),
    "action_delete": frozenset({204, 412}),
}
"""Statuses that are not errors, per kind (every other kind: 200 only)."""

SHARED_POOL_MAX = 300
"""Most shared actions (targets of PATCH races) kept; beyond it new actions are not shared."""

MAX_REQUESTS_PER_CLIENT = 2_000_000
"""Hard bound on each client's loop besides the time limit."""

BBOXES = tuple(
    (round(106.68 + 0.05 * i, 3), round(-6.37 + 0.05 * j, 3)) for i in range(6) for j in range(6)
)
"""Lower-left corners of a 6 x 6 grid of 0.08 degree boxes over Jakarta (a bounded key set)."""


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` in MiB (VmRSS of /proc/PID/status)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for pid {pid}")


@dataclass
class LiveServer:
    """A uvicorn subprocess on 127.0.0.1 serving the app."""

    url: str
    proc: subprocess.Popen[bytes]

    @property
    def pid(self) -> int:
        """The server's process id (the uvicorn worker itself: no reloader)."""
        return self.proc.pid


@contextmanager
def live_server(
    env: dict[str, str],
    log_path: Path,
    *,
    probe: str = "/collections/actions",
    timeout: float = 120,
) -> Iterator[LiveServer]:
    """Run ``uvicorn api.app:create_app`` with ``env`` added; stop it (SIGTERM, SIGKILL) after."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with log_path.open("ab") as log:
        proc = subprocess.Popen(
            [
                *(sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory"),
                *("--host", "127.0.0.1", "--port", str(port)),
                *("--log-level", "warning", "--no-access-log"),
            ],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + timeout
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(f"server exited: {log_path.read_text()[-2000:]}")
                try:
                    if httpx.get(url + probe, timeout=5).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"server did not start: {log_path.read_text()[-2000:]}")
                time.sleep(0.2)
            yield LiveServer(url, proc)
        finally:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(timeout=15)


def action_feature(rng: random.Random, n: int) -> dict[str, Any]:
    """A valid action at a random point inside central Jakarta."""
    return {
        "type": "Feature",
        "geometry": {
            "type": "Point",
            "coordinates": [
                round(rng.uniform(106.78, 106.88), 5),
                round(rng.uniform(-6.24, -6.15), 5),
            ],
        },
        "properties": {
            "title": f"Uji beban {n}",
            "pillar": rng.choice(["siap", "sehat", "terhubung"]),
            "lead_agency": "BPBD DKI",
            "status": "planned",
        },
    }


@dataclass
class Shared:
    """State shared by the clients: action versions and results."""

    token: str
    kelurahan: list[str]
    kota: list[str]
    deadline: float
    warm_until: float
    versions: dict[str, int] = field(default_factory=dict)
    latencies: dict[str, list[float]] = field(default_factory=dict)
    steady: dict[str, list[float]] = field(default_factory=dict)
    statuses: dict[str, dict[int, int]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def record(self, kind: str, status: int, seconds: float, started: float) -> None:
        """Keep one request's outcome; a status not expected for its kind is an error."""
        self.latencies.setdefault(kind, []).append(seconds)
        if started >= self.warm_until:
            self.steady.setdefault(kind, []).append(seconds)
        by_status = self.statuses.setdefault(kind, {})
        by_status[status] = by_status.get(status, 0) + 1
        if status not in EXPECTED.get(kind, frozenset({200})) and len(self.errors) < 1000:
            self.errors.append(f"{kind}: HTTP {status}")


async def client_loop(http: httpx.AsyncClient, shared: Shared, seed: int) -> None:
    """One client: random requests until the deadline (or the request bound)."""
    rng = random.Random(seed)
    kinds = list(WEIGHTS)
    weights = [WEIGHTS[k] for k in kinds]
    auth = {"Authorization": f"Bearer {shared.token}"}
    own: list[tuple[str, int]] = []  # this client's unshared actions (delete targets)
    made = 0
    for _ in range(MAX_REQUESTS_PER_CLIENT):
        if time.monotonic() >= shared.deadline:
            return
        kind = rng.choices(kinds, weights)[0]
        if kind == "action_patch" and not shared.versions:
            kind = "action_post"
        if kind == "action_delete" and not own:
            kind = "action_post"
        started = time.monotonic()
        try:
            status = await one_request(http, shared, rng, kind, auth, own, made)
        except httpx.HTTPError as exc:
            shared.errors.append(f"{kind}: {type(exc).__name__}: {exc}")
            shared.statuses.setdefault(kind, {}).setdefault(0, 0)
            shared.statuses[kind][0] += 1
            continue
        made += kind == "action_post"
        shared.record(kind, status, time.monotonic() - started, started)


async def one_request(
    http: httpx.AsyncClient,
    shared: Shared,
    rng: random.Random,
    kind: str,
    auth: dict[str, str],
    own: list[tuple[str, int]],
    made: int,
) -> int:
    """Send one request of ``kind``; return its status."""
    items = "/collections/kelurahan/items"
    actions = "/collections/actions/items"
    if kind == "peta":
        pillar = rng.choice(["siap", "sehat", "terhubung"])
        r = await http.get("/peta", params={"pilar": pillar, "lang": rng.choice(["id", "en"])})
    elif kind == "kelurahan_z12":
        r = await http.get(items, params={"zoom": 12, "limit": 1000})
    elif kind == "overlay":
        r = await http.get(
            f"/collections/{rng.choice(OVERLAYS)}/items", params={"zoom": 12, "limit": 1000}
        )
    elif kind == "bbox":
        x, y = rng.choice(BBOXES)
        r = await http.get(items, params={"bbox": f"{x},{y},{x + 0.08:.3f},{y + 0.08:.3f}"})
    elif kind == "filter":
        r = await http.get(items, params={"kode_kota": rng.choice(shared.kota), "limit": 100})
    elif kind == "properties":
        r = await http.get(
            items, params={"properties": "kode,nama,score_siap", "limit": 300, "zoom": 10}
        )
    elif kind == "item":
        r = await http.get(f"{items}/{rng.choice(shared.kelurahan)}")
    elif kind == "geojson":
        coll = rng.choice(["kecamatan", "kota", "pumps"])
        r = await http.get(f"/collections/{coll}/items", params={"f": "geojson"})
    elif kind == "actions_list":
        r = await http.get(actions, params={"limit": 50, "pillar": rng.choice(["siap", "sehat"])})
    elif kind == "action_get":
        if shared.versions:
            r = await http.get(f"{actions}/{rng.choice(list(shared.versions))}")
        else:
            r = await http.get(actions, params={"limit": 5})
    elif kind == "action_post":
        r = await http.post(actions, json=action_feature(rng, made), headers=auth)
        if r.status_code == 201:
            body = r.json()
            if len(shared.versions) < SHARED_POOL_MAX and rng.random() < 0.5:
                shared.versions[body["id"]] = body["properties"]["version"]
            else:
                own.append((body["id"], body["properties"]["version"]))
    elif kind == "action_patch":
        action_id = rng.choice(list(shared.versions))
        version = shared.versions[action_id]
        r = await http.patch(
            f"{actions}/{action_id}",
            json={"properties": {"progress": rng.randint(0, 100)}},
            headers={**auth, "If-Match": f'"{version}"'},
        )
        if r.status_code == 200:
            new = r.json()["properties"]["version"]
            shared.versions[action_id] = max(new, shared.versions.get(action_id, 0))
        elif r.status_code == 412:  # someone else won: refresh the version as a client would
            fresh = await http.get(f"{actions}/{action_id}")
            if fresh.status_code == 200:
                got = fresh.json()["properties"]["version"]
                shared.versions[action_id] = max(got, shared.versions.get(action_id, 0))
    elif kind == "action_delete":
        action_id, version = own.pop(rng.randrange(len(own)))
        r = await http.delete(
            f"{actions}/{action_id}", headers={**auth, "If-Match": f'"{version}"'}
        )
    else:  # pragma: no cover
        raise ValueError(kind)
    # read the whole body (and its decoding) as a browser or GIS client would
    _ = r.content
    return r.status_code


async def sample_rss(pid: int, shared: Shared, samples: list[tuple[float, float]]) -> None:
    """Sample the server's RSS once a second until the deadline."""
    start = time.monotonic()
    while time.monotonic() < shared.deadline:
        samples.append((time.monotonic() - start, rss_mb(pid)))
        await asyncio.sleep(min(1.0, max(0.0, shared.deadline - time.monotonic())))
    samples.append((time.monotonic() - start, rss_mb(pid)))


def percentile(values: list[float], q: float) -> float:
    """The ``q`` quantile (0-1) of ``values`` by nearest rank; nan when empty."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


async def _run(
    url: str, pid: int, token: str, seconds: float, clients: int, warmup: float, seed: int
) -> dict[str, Any]:
    # Idle pooled connections expire on the client (1 s) well before uvicorn closes them (its
    # default 5 s), as a browser's do: otherwise a request sent on a connection the server is
    # closing at that instant fails with "Server disconnected" through no fault of the app.
    limits = httpx.Limits(
        max_connections=clients, max_keepalive_connections=clients, keepalive_expiry=1.0
    )
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as http:
        kel = (await http.get("/collections/kelurahan/items", params={"limit": 1000})).json()
        codes = [f["properties"]["kode"] for f in kel["features"]]
        kota = sorted({f["properties"]["kode_kota"] for f in kel["features"]})
        now = time.monotonic()
        shared = Shared(token, codes, kota, deadline=now + seconds, warm_until=now + warmup)
        samples: list[tuple[float, float]] = []
        await asyncio.gather(
            sample_rss(pid, shared, samples),
            *(client_loop(http, shared, seed * 1000 + i) for i in range(clients)),
        )
        elapsed = time.monotonic() - now
    warm = [mb for t, mb in samples if t <= warmup]
    rss_warm = warm[-1] if warm else samples[0][1]
    rss_end = samples[-1][1]
    kinds: dict[str, dict[str, Any]] = {}
    for kind in WEIGHTS:
        lat = shared.steady.get(kind) or shared.latencies.get(kind, [])
        kinds[kind] = {
            "requests": sum(shared.statuses.get(kind, {}).values()),
            "statuses": dict(sorted(shared.statuses.get(kind, {}).items())),
            "p50_ms": percentile(lat, 0.5) * 1000,
            "p99_ms": percentile(lat, 0.99) * 1000,
        }
    total = sum(k["requests"] for k in kinds.values())
    return {
        "seconds": elapsed,
        "clients": clients,
        "warmup_s": warmup,
        "requests": total,
        "rps": total / elapsed if elapsed else 0.0,
        "errors": len(shared.errors),
        "error_samples": sorted(set(shared.errors))[:20],
        "races_412": sum(k["statuses"].get(412, 0) for k in kinds.values()),
        "rss_start_mb": samples[0][1],
        "rss_warm_mb": rss_warm,
        "rss_end_mb": rss_end,
        "rss_max_mb": max(mb for _, mb in samples),
        "rss_growth": (rss_end - rss_warm) / rss_warm,
        "rss_trace": _trace(samples, elapsed),
        "kinds": kinds,
        "all_p50_ms": percentile([x for v in shared.steady.values() for x in v], 0.5) * 1000,
        "all_p99_ms": percentile([x for v in shared.steady.values() for x in v], 0.99) * 1000,
    }


def _trace(samples: list[tuple[float, float]], elapsed: float) -> list[tuple[float, float]]:
    """About ten (seconds, MiB) points spread over the run, the last sample included."""
    step = max(1.0, elapsed / 10)
    out: list[tuple[float, float]] = []
    for t, mb in samples:
        if not out or t - out[-1][0] >= step:
            out.append((t, mb))
    if out[-1] != samples[-1]:
        out.append(samples[-1])
    return out


def run_load(
    url: str,
    pid: int,
    token: str,
    *,
    seconds: float = 120,
    clients: int = 12,
    warmup: float = 20,
    seed: int = 7,
) -> dict[str, Any]:
    """Drive the server at ``url`` (process ``pid``) for ``seconds`` and return the figures.

    Parameters
    ----------
    url : str
        Base URL on 127.0.0.1.
    pid : int
        The server's process id, for its RSS.
    token : str
        A planner token's secret.
    seconds, clients, warmup : float, int, float
        Duration, concurrent clients, and the warm-up after which memory growth is measured
        (and latencies are counted).
    seed : int
        Seed of the request mix.
    """
    if not url.startswith("http://127.0.0.1:"):
        raise ValueError("the load test only runs against 127.0.0.1")
    warmup = min(warmup, seconds / 2)
    return asyncio.run(_run(url, pid, token, seconds, clients, warmup, seed))


def report(result: dict[str, Any]) -> str:
    """The figures as a text table."""
    lines = [
        f"{result['clients']} clients, {result['seconds']:.0f} s (warm-up "
        f"{result['warmup_s']:.0f} s), 127.0.0.1, one uvicorn worker",
        f"{'kind':<15}{'requests':>9}{'p50 ms':>9}{'p99 ms':>9}  statuses",
    ]
    for kind, k in result["kinds"].items():
        statuses = " ".join(f"{s}:{n}" for s, n in k["statuses"].items())
        lines.append(
            f"{kind:<15}{k['requests']:>9}{k['p50_ms']:>9.1f}{k['p99_ms']:>9.1f}  {statuses}"
        )
    lines += [
        f"{'all':<15}{result['requests']:>9}{result['all_p50_ms']:>9.1f}"
        f"{result['all_p99_ms']:>9.1f}  {result['rps']:.1f} req/s",
        f"errors: {result['errors']} (expected 412 races: {result['races_412']})",
        f"server RSS: start {result['rss_start_mb']:.0f} MiB, after warm-up "
        f"{result['rss_warm_mb']:.0f} MiB, end {result['rss_end_mb']:.0f} MiB, max "
        f"{result['rss_max_mb']:.0f} MiB; growth after warm-up {result['rss_growth']:+.1%} "
        "(target < 10 %)",
    ]
    lines.append(
        "RSS over time (s: MiB): "
        + ", ".join(f"{t:.0f}: {mb:.0f}" for t, mb in result["rss_trace"])
    )
    lines += [f"  {e}" for e in result["error_samples"]]
    return "\n".join(lines)


def passed(result: dict[str, Any]) -> bool:
    """Whether the run met its targets: no errors and RSS growth under 10 %."""
    return result["errors"] == 0 and result["rss_growth"] < 0.10 and result["requests"] > 0


def prepare_database(settings: Any, folder: Path) -> tuple[str, str]:
    """A fresh migrated SQLite actions store in ``folder``: (database URL, planner secret)."""
    from geo.actions.auth import Role, create_token
    from geo.actions.store import ActionStore

    url = f"sqlite:///{folder / 'load.sqlite'}"
    store = ActionStore.from_settings(settings.model_copy(update={"database_url": url}))
    try:
        store.migrate()
        secret = create_token(store, "beban", Role.planner)[0]
    finally:
        store.dispose()
    return url, secret


def server_env(settings: Any, database_url: str) -> dict[str, str]:
    """Environment of a server on ``settings``' build and ``database_url``."""
    return {
        "KETAHANAN_DATABASE_URL": database_url,
        "KETAHANAN_BUILD_PATH": str(settings.build_path),
        "KETAHANAN_USER_LAYERS_PATH": str(settings.user_layers_path),
        "KETAHANAN_DATA_DIR": str(settings.data_dir),
        "KETAHANAN_BASEMAP_URL": "none",
    }


def main() -> int:
    """Start a server on the build, load it, print the figures; exit 1 if a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--clients", type=int, default=12)
    parser.add_argument("--warmup", type=float, default=20)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    from geo.settings import Settings

    settings = Settings()
    if not settings.build_path.exists():
        print(f"no build at {settings.build_path}: run `ketahanan build` first", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db_url, secret = prepare_database(settings, folder)
        env = server_env(settings, db_url)
        with live_server(env, folder / "server.log") as srv:
            result = run_load(
                srv.url,
                srv.pid,
                secret,
                seconds=args.seconds,
                clients=args.clients,
                warmup=args.warmup,
                seed=args.seed,
            )
        print(report(result))
    return 0 if passed(result) else 1


if __name__ == "__main__":
    raise SystemExit(main())
