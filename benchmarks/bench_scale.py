"""Scale-out, side by side in one run: Ketahanan (1 and 2 workers, behind nginx), tipg, pygeoapi.

Every server runs on 127.0.0.1 and answers all 267 kelurahan as GeoJSON, at full resolution
and at web generalisation (zoom 12), under wrk at 16 connections (no Accept-Encoding, so
identity bodies):

* **ketahanan-1w**, **ketahanan-2w**: ``ketahanan serve --workers 1|2``,
  ``/collections/kelurahan/items?limit=1000[&zoom=12]``, actions on PostGIS;
* **ketahanan-nginx**: the repository's ``deploy/nginx.conf`` in front of both (cached reads);
* **bytes-1w**, **bytes-2w**: a Starlette app returning Ketahanan's response as pre-serialised
  bytes, with 1 and 2 uvicorn workers (the limit of a Python server on this machine);
* **nginx-static**: nginx serving the same bytes as a static file (the limit of the proxy);
* **tipg**: tipg serving the same kelurahan table, loaded into the same PostGIS, from its own
  virtual environment (``var/bench-venv``, made here with pip: tipg and pygeoapi are never
  test dependencies); ``simplify`` at zoom 12's tolerance for the web case;
* **pygeoapi**: pygeoapi's GeoJSON provider over a file of the same features (same venv).

A mixed read/write load (wrk with a Lua script, one thread per connection so each is one
client: 50 % kelurahan at zoom 12, 15 % the actions list, 15 % one action, 20 % a write: GET an
action, PATCH it with a planner token and ``If-Match`` of the ETag just read, and on 412 GET it
again and retry, as a real client does) runs on the three Ketahanan servers; 412s are counted
apart as conflicts, every other non-2xx/3xx is an error. tipg and pygeoapi (over a file) take
no writes here. Behind nginx, a short extra run counts the ``X-Cache-Status`` of the answers.

    .venv/bin/python benchmarks/bench_scale.py [--duration 10] [--connections 16]

Needs wrk and nginx (Debian), a build (``ketahanan build``) and a PostGIS database in
``KETAHANAN_BENCH_POSTGRES_URL`` (else ``KETAHANAN_TEST_POSTGRES_URL``); the benchmark works in
schemas of its own and drops them afterwards. Targets: Ketahanan >= 0.9x bytes at full
resolution and >= 0.7x at zoom 12, >= 5x tipg, p99 <= 50 ms, no errors; through nginx, cached
reads >= 0.8x nginx-static.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import httpx
from bench_api import (
    PYGEOAPI_CONFIG,
    PYGEOAPI_RESOURCE,
    free_port,
    parse_wrk,
    run_wrk,
    server,
)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from proxykit import prefix_dir, served_proxy, site_conf  # noqa: E402

VENV = ROOT / "var" / "bench-venv"
CASES = {"full": "limit=1000", "web_z12": "limit=1000&zoom=12"}
Z12_DEGREES = 0.5 * 156543.03 * 0.99415 / 2**12 / 111_320
"""Zoom 12's tolerance (half a web-map pixel at Jakarta, geo/generalise.py) in degrees."""

BYTES_APP = """
import json, os
from pathlib import Path
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route

BODY = {k: Path(v).read_bytes() for k, v in json.loads(os.environ["BENCH_BODIES"]).items()}

def endpoint(body):
    async def handler(request):
        return Response(body, media_type="application/geo+json")
    return handler

app = Starlette(routes=[Route(f"/{name}", endpoint(body)) for name, body in BODY.items()])
"""

STATIC_CONF = """
worker_processes auto;
pid logs/nginx.pid;
error_log logs/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off; sendfile on; tcp_nopush on; tcp_nodelay on; keepalive_requests 10000;
    client_body_temp_path client_body_temp; proxy_temp_path proxy_temp;
    fastcgi_temp_path fastcgi_temp; uwsgi_temp_path uwsgi_temp; scgi_temp_path scgi_temp;
    server {{
        listen 127.0.0.1:{port};
        root {root};
        location / {{ default_type application/geo+json; etag on; }}
        location = /health {{ return 200 "ok"; }}
    }}
}}
"""

MIXED_LUA = """
-- One connection per wrk thread (wrk -t N -c N), so each thread is one client and its requests
-- are answered in order. A write is what a real client does: GET the action, PATCH it with
-- If-Match: the ETag just read; on 412 (another client changed it in between) GET it again and
-- retry, up to 4 times. 412s are counted as conflicts (correct answers), not as errors.
local ids = {{{ids}}}
local token = "{token}"
local threads = {{}}
local next_id = 1

function setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(18 + tid * 7919)
  statuses, conflicts, retries, writes, gave_up = {{}}, 0, 0, 0, 0
  mode, target, etag, tries = nil, nil, nil, 0
end

local function get_one(id)
  return wrk.format("GET", "/collections/actions/items/" .. id)
end

request = function()
  if mode == "patch" then
    mode = "patching"
    local body = '{{"properties":{{"budget_idr":' .. math.random(1, 1000000) .. '}}}}'
    return wrk.format("PATCH", "/collections/actions/items/" .. target, {{
      ["Authorization"] = "Bearer " .. token, ["If-Match"] = etag,
      ["Content-Type"] = "application/json"}}, body)
  elseif mode == "reread" then
    mode = "reading"
    return get_one(target)
  end
  local r = math.random(100)
  if r <= 50 then
    return wrk.format("GET", "/collections/kelurahan/items?limit=1000&zoom=12")
  elseif r <= 65 then
    return wrk.format("GET", "/collections/actions/items?limit=50")
  elseif r <= 80 then
    return get_one(ids[math.random(#ids)])
  end
  target, tries, mode = ids[math.random(#ids)], 0, "reading"
  return get_one(target)
end

response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if mode == "reading" then
    if status == 200 then
      etag = headers["etag"] or headers["ETag"]
      mode = "patch"
    else
      mode = nil
    end
  elseif mode == "patching" then
    mode = nil
    if status == 200 then
      writes = writes + 1
    elseif status == 412 then
      conflicts = conflicts + 1
      if tries < 4 then
        tries, retries, mode = tries + 1, retries + 1, "reread"
      else
        gave_up = gave_up + 1
      end
    end
  end
end

function done(summary, latency, requests)
  local all, c, r, w, g = {{}}, 0, 0, 0, 0
  for _, t in ipairs(threads) do
    for code, n in pairs(t:get("statuses")) do all[code] = (all[code] or 0) + n end
    c, r = c + t:get("conflicts"), r + t:get("retries")
    w, g = w + t:get("writes"), g + t:get("gave_up")
  end
  local parts = {{}}
  for code, n in pairs(all) do table.insert(parts, string.format('"%d":%d', code, n)) end
  io.write(string.format(
    'MIXED {{"statuses":{{%s}},"conflicts":%d,"retries":%d,"writes":%d,"gave_up":%d}}\\n',
    table.concat(parts, ","), c, r, w, g))
end
"""


CACHE_LUA = """
-- Counts nginx's X-Cache-Status of every answer (a separate short run: a response() callback
-- slows wrk, so the throughput figures are taken without it).
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) cache = {} end
response = function(status, headers, body)
  local c = headers["x-cache-status"] or headers["X-Cache-Status"] or "none"
  cache[c] = (cache[c] or 0) + 1
end
function done(summary, latency, requests)
  local all, parts = {}, {}
  for _, t in ipairs(threads) do
    for k, n in pairs(t:get("cache")) do all[k] = (all[k] or 0) + n end
  end
  for k, n in pairs(all) do table.insert(parts, string.format('"%s":%d', k, n)) end
  io.write("CACHE {" .. table.concat(parts, ",") .. "}\\n")
end
"""


def say(text: str) -> None:
    """Progress on stderr (the report goes to stdout)."""
    print(text, file=sys.stderr, flush=True)


def bench_venv() -> Path:
    """The benchmark's own virtual environment with tipg and pygeoapi (made on first use)."""
    python = VENV / "bin" / "python"
    if not (VENV / "bin" / "tipg").exists() and not _has(python, "tipg"):
        say(f"making {VENV} (pip install tipg pygeoapi uvicorn)")
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True, timeout=300)
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", "tipg", "pygeoapi", "uvicorn"],
            check=True,
            timeout=1800,
        )
    return python


def _has(python: Path, module: str) -> bool:
    if not python.exists():
        return False
    return subprocess.run([str(python), "-c", f"import {module}"], timeout=120).returncode == 0


def _version(python: Path, dist: str) -> str:
    out = subprocess.run(
        [str(python), "-c", f"from importlib import metadata; print(metadata.version('{dist}'))"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    return out.stdout.strip() or "not installed"


@contextmanager
def pg_schemas(url: str, *names: str) -> Iterator[Any]:
    """An engine on ``url`` with fresh schemas ``names``, dropped afterwards."""
    import sqlalchemy as sa

    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        for name in names:
            conn.exec_driver_sql(f'CREATE SCHEMA "{name}"')
    try:
        yield engine
    finally:
        with engine.begin() as conn:
            for name in names:
                conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
        engine.dispose()


def _schema_url(url: str, schema: str) -> str:
    import sqlalchemy as sa

    parsed = sa.make_url(url)
    query = {**parsed.query, "options": f"-csearch_path={schema},public"}
    return parsed.set(query=query).render_as_string(hide_password=False)


def warm(url: str, connections: int) -> None:
    """Ask ``url`` for two seconds with wrk (the headers the measured run sends)."""
    cmd = ["wrk", "-t2", f"-c{connections}", "-d2s", url]
    subprocess.run(cmd, capture_output=True, timeout=60, check=True)


def wrk(url: str, duration: int, connections: int, script: Path | None = None) -> dict[str, float]:
    """One wrk run (figures: rps, p50_ms, p99_ms, errors)."""
    say(f"  wrk {url}")
    return run_wrk(url, duration, connections, script)


def wrk_counting(
    url: str, duration: int, connections: int, script: Path, tag: str
) -> tuple[dict[str, float], dict[str, Any]]:
    """A wrk run of one thread per connection with a counting ``script``: the figures of
    :func:`bench_api.run_wrk` (errors: socket errors only) and the JSON the script's
    ``done`` prints after ``tag``."""
    say(f"  wrk -t{connections} {url} ({script.name})")
    out = subprocess.run(
        [
            *("wrk", f"-t{connections}", f"-c{connections}", f"-d{duration}s", "--latency"),
            *("--timeout", "5s", "-s", str(script), url),
        ],
        capture_output=True,
        text=True,
        timeout=duration + 60,
        check=True,
    ).stdout
    figures = parse_wrk(out)
    found = re.search(rf"^{tag} (.*)$", out, re.M)
    counted: dict[str, Any] = json.loads(found.group(1)) if found else {}
    return figures, counted


def mixed_figures(figures: dict[str, float], counted: dict[str, Any]) -> dict[str, float]:
    """The mixed load's figures: errors are socket errors and every non-2xx/3xx answer but the
    412s of a genuine race between two clients' read and write (counted as ``conflicts``)."""
    statuses = {int(k): int(v) for k, v in counted.get("statuses", {}).items()}
    bad = sum(n for code, n in statuses.items() if code >= 400 and code != 412)
    return {
        **figures,
        "errors": figures["socket_errors"] + bad,
        "conflicts_412": float(counted.get("conflicts", 0)),
        "retries": float(counted.get("retries", 0)),
        "writes_ok": float(counted.get("writes", 0)),
        "gave_up": float(counted.get("gave_up", 0)),
        "statuses": statuses,  # type: ignore[dict-item]
    }


def seed_actions(base: str, token: str, n: int = 20) -> list[str]:
    """``n`` actions made through the API (the mixed load patches them)."""
    ids = []
    with httpx.Client(timeout=60, headers={"Authorization": f"Bearer {token}"}) as c:
        for i in range(n):
            body = {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [106.8272, -6.1754 + i * 1e-4]},
                "properties": {"title": f"beban {i}", "pillar": "siap", "lead_agency": "BPBD"},
            }
            made = c.post(f"{base}/collections/actions/items", json=body)
            made.raise_for_status()
            ids.append(made.json()["id"])
    return ids


def measure_ketahanan(
    tmp: Path, db_url: str, schema: str, duration: int, connections: int
) -> tuple[dict[str, dict[str, dict[str, float]]], dict[str, Path]]:
    """Ketahanan 1w, 2w and behind nginx: reads per case, and the mixed load."""
    from geo.actions.auth import Role, create_token
    from geo.actions.store import ActionStore
    from geo.settings import Settings

    settings = Settings().model_copy(update={"database_url": _schema_url(db_url, schema)})
    store = ActionStore.from_settings(settings)
    store.migrate()
    token = create_token(store, "beban", Role.planner)[0]
    store.dispose()
    env = {"KETAHANAN_DATABASE_URL": settings.database_url}
    py = sys.executable
    results: dict[str, dict[str, dict[str, float]]] = {c: {} for c in (*CASES, "mixed")}
    bodies: dict[str, Path] = {}
    with ExitStack() as stack:
        bases = {}
        for name, workers in (("ketahanan-1w", 1), ("ketahanan-2w", 2)):
            port = free_port()
            cmd = [py, "-m", "api.cli", "serve", "--port", str(port), "--workers", str(workers)]
            bases[name] = stack.enter_context(
                server(cmd, port, "/health", env, ROOT, tmp / f"{name}.log")
            )
        ports = [int(b.rsplit(":", 1)[1]) for b in bases.values()]
        proxy_port = free_port()
        bases["ketahanan-nginx"] = stack.enter_context(
            served_proxy(site_conf(proxy_port, ports), proxy_port)
        )
        for case, query in CASES.items():
            got = httpx.get(
                f"{bases['ketahanan-1w']}/collections/kelurahan/items?{query}", timeout=120
            )
            got.raise_for_status()
            bodies[case] = tmp / f"{case}.json"
            bodies[case].write_bytes(got.content)
            say(f"payload {case}: {len(got.content) / 1e6:.2f} MB")
        ids = seed_actions(bases["ketahanan-1w"], token)
        lua = tmp / "mixed.lua"
        lua.write_text(MIXED_LUA.format(ids=", ".join(f'"{i}"' for i in ids), token=token))
        counting = tmp / "cache.lua"
        counting.write_text(CACHE_LUA)
        for name, base in bases.items():
            for case, query in CASES.items():
                url = f"{base}/collections/kelurahan/items?{query}"
                # warm (and, behind nginx, cache) the variant wrk asks for, with wrk itself, on
                # as many connections as the run (so every worker answered it once): a warm-up
                # by another client (httpx sends Accept: */*) leaves wrk's first requests to
                # fill their own entry, in each worker, and behind nginx to wait on its cache
                # lock meanwhile; those cold fills were the p99 of the earlier runs
                warm(url, connections)
                results[case][name] = wrk(url, duration, connections)
                if name == "ketahanan-nginx":
                    counted = wrk_counting(url, 3, connections, counting, "CACHE")[1]
                    results[case][name]["cache"] = counted  # type: ignore[assignment]
            figures, counted = wrk_counting(base + "/", duration, connections, lua, "MIXED")
            results["mixed"][name] = mixed_figures(figures, counted)
    return results, bodies


def measure_limits(
    tmp: Path, bodies: dict[str, Path], duration: int, connections: int
) -> dict[str, dict[str, dict[str, float]]]:
    """The bytes app with 1 and 2 workers, and nginx serving the bytes as static files."""
    results: dict[str, dict[str, dict[str, float]]] = {c: {} for c in CASES}
    (tmp / "bytes_app.py").write_text(BYTES_APP)
    env = {"BENCH_BODIES": json.dumps({c: str(p) for c, p in bodies.items()})}
    for name, workers in (("bytes-1w", 1), ("bytes-2w", 2)):
        port = free_port()
        cmd = [
            *(sys.executable, "-m", "uvicorn", "bytes_app:app", "--app-dir", str(tmp)),
            *("--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)),
            *("--log-level", "warning", "--no-access-log"),
        ]
        with server(cmd, port, "/full", env, tmp, tmp / f"{name}.log") as base:
            for case in CASES:
                results[case][name] = wrk(f"{base}/{case}", duration, connections)
    root = tmp / "static"
    root.mkdir()
    root.chmod(0o755)
    for case, path in bodies.items():
        (root / f"{case}.json").write_bytes(path.read_bytes())
        (root / f"{case}.json").chmod(0o644)
    tmp.chmod(0o755)
    port = free_port()
    prefix = prefix_dir()
    conf = prefix / "nginx.conf"
    conf.write_text(STATIC_CONF.format(port=port, root=root))
    cmd = ["/usr/sbin/nginx", "-p", f"{prefix}/", "-c", str(conf), "-g", "daemon off;"]
    try:
        with server(cmd, port, "/health", {}, prefix, prefix / "logs" / "stderr.log") as base:
            for case in CASES:
                results[case]["nginx-static"] = wrk(f"{base}/{case}.json", duration, connections)
    finally:
        shutil.rmtree(prefix, ignore_errors=True)
    return results


def load_kelurahan(engine: Any, schema: str) -> int:
    """The build's kelurahan layer as table ``schema.kelurahan`` in PostGIS (for tipg)."""
    import geopandas as gpd

    from geo.settings import Settings

    frame = gpd.read_file(Settings().build_path, layer="kelurahan")
    frame = frame.rename_geometry("geom")
    frame.to_postgis("kelurahan", engine, schema=schema, index=False)
    with engine.begin() as conn:
        conn.exec_driver_sql(f'ALTER TABLE "{schema}".kelurahan ADD PRIMARY KEY (kode)')
    return len(frame)


def measure_tipg(
    python: Path, tmp: Path, db_url: str, schema: str, duration: int, connections: int
) -> dict[str, dict[str, float]]:
    """tipg over the kelurahan table (full; ``simplify`` at zoom 12's tolerance)."""
    port = free_port()
    env = {
        "DATABASE_URL": db_url.replace("postgresql+psycopg://", "postgresql://", 1),
        "TIPG_DB_SCHEMAS": json.dumps([schema]),
        "TIPG_MAX_FEATURES_PER_QUERY": "10000",
    }
    cmd = [
        *(str(python), "-m", "uvicorn", "tipg.main:app", "--host", "127.0.0.1"),
        *("--port", str(port), "--log-level", "warning", "--no-access-log"),
    ]
    out: dict[str, dict[str, float]] = {}
    with server(cmd, port, "/conformance", env, tmp, tmp / "tipg.log") as base:
        items = f"{base}/collections/{schema}.kelurahan/items?limit=1000"
        urls = {"full": items, "web_z12": f"{items}&simplify={Z12_DEGREES:.7f}"}
        for case, url in urls.items():
            check = httpx.get(url, timeout=120).json()
            assert check["numberReturned"] == 267, check.get("numberReturned")
            out[case] = wrk(url, duration, connections)
    return out


def measure_pygeoapi(
    python: Path, tmp: Path, bodies: dict[str, Path], duration: int, connections: int
) -> dict[str, dict[str, float]]:
    """pygeoapi's GeoJSON provider over files of the same features."""
    resources = []
    for case, path in bodies.items():
        fc = json.loads(path.read_text())
        data = tmp / f"{case}.geojson"
        data.write_text(json.dumps({"type": "FeatureCollection", "features": fc["features"]}))
        resources.append(PYGEOAPI_RESOURCE.format(name=case, path=data))
    port = free_port()
    config = tmp / "pygeoapi.yml"
    config.write_text(PYGEOAPI_CONFIG.format(port=port, resources="".join(resources)))
    openapi = tmp / "openapi.yml"
    env = {"PYGEOAPI_CONFIG": str(config), "PYGEOAPI_OPENAPI": str(openapi)}
    subprocess.run(
        [
            *(str(python.with_name("pygeoapi")), "openapi", "generate", str(config)),
            *("--output-file", str(openapi)),
        ],
        capture_output=True,
        env={**os.environ, **env},
        check=True,
        timeout=300,
    )
    cmd = [
        *(str(python), "-m", "uvicorn", "pygeoapi.starlette_app:APP", "--host", "127.0.0.1"),
        *("--port", str(port), "--log-level", "warning", "--no-access-log"),
    ]
    out: dict[str, dict[str, float]] = {}
    with server(cmd, port, "/conformance?f=json", env, tmp, tmp / "pygeoapi.log") as base:
        for case in CASES:
            url = f"{base}/collections/{case}/items?f=json&limit=1000"
            assert httpx.get(url, timeout=120).json()["numberReturned"] == 267
            out[case] = wrk(url, duration, connections)
    return out


def measure(duration: int = 10, connections: int = 16) -> dict[str, Any]:
    """Every server under wrk; ``{"results": {case: {server: figures}}, "versions": ...}``."""
    for tool in ("wrk", "/usr/sbin/nginx"):
        if shutil.which(tool) is None:
            raise RuntimeError(f"{tool} is not installed (apt-get install -y wrk nginx)")
    db_url = os.environ.get("KETAHANAN_BENCH_POSTGRES_URL") or os.environ.get(
        "KETAHANAN_TEST_POSTGRES_URL"
    )
    if not db_url:
        raise RuntimeError("set KETAHANAN_BENCH_POSTGRES_URL to a PostGIS database")
    from geo.settings import Settings

    if not Settings().build_path.exists():
        raise RuntimeError("no build: run `ketahanan build` first")
    python = bench_venv()
    tag = uuid.uuid4().hex[:8]
    actions_schema, tipg_schema = f"bench_actions_{tag}", f"bench_tipg_{tag}"
    versions = {d: _version(python, d) for d in ("tipg", "pygeoapi")}
    with (
        tempfile.TemporaryDirectory() as name,
        pg_schemas(db_url, actions_schema, tipg_schema) as engine,
    ):
        tmp = Path(name)
        results, bodies = measure_ketahanan(tmp, db_url, actions_schema, duration, connections)
        for case, figures in measure_limits(tmp, bodies, duration, connections).items():
            results[case].update(figures)
        say(f"kelurahan rows loaded for tipg: {load_kelurahan(engine, tipg_schema)}")
        for case, figures in measure_tipg(
            python, tmp, db_url, tipg_schema, duration, connections
        ).items():
            results[case]["tipg"] = figures
        for case, figures in measure_pygeoapi(python, tmp, bodies, duration, connections).items():
            results[case]["pygeoapi"] = figures
    return {"results": results, "versions": versions}


TARGETS = {"full": 0.9, "web_z12": 0.7}
"""Ketahanan's share of the bytes limit (same number of workers) per case."""


def report(measured: dict[str, Any], duration: int, connections: int) -> list[str]:
    """The markdown section: tables of figures, then every ratio against its target."""
    results = measured["results"]
    lines = [
        f"wrk, {connections} connections, {duration} s per figure (one run each), 127.0.0.1, "
        "identity bodies; tipg "
        + measured["versions"]["tipg"]
        + ", pygeoapi "
        + measured["versions"]["pygeoapi"]
        + " (their own venv).",
        "",
        "| case | server | req/s | p50 ms | p99 ms | errors |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for case, by_server in results.items():
        for name, r in by_server.items():
            lines.append(
                f"| {case} | {name} | {r['rps']:.1f} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} "
                f"| {int(r['errors'])} |"
            )
    lines += [
        "",
        "Mixed load, per server: answers by status; 412s are genuine races (two clients read the",
        "same version, one wrote first), each followed by a re-read and a retry, not errors:",
        "",
        "| server | statuses | PATCH 200 | 412 (conflicts) | retries | gave up after 5 |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for name, r in results["mixed"].items():
        codes = ", ".join(f"{c}: {n}" for c, n in sorted(r.get("statuses", {}).items()))
        lines.append(
            f"| {name} | {codes} | {int(r.get('writes_ok', 0))} | {int(r.get('conflicts_412', 0))}"
            f" | {int(r.get('retries', 0))} | {int(r.get('gave_up', 0))} |"
        )
    for case in CASES:
        cache = results[case].get("ketahanan-nginx", {}).get("cache", {})
        total = sum(cache.values()) or 1
        lines.append(
            f"\nnginx cache status, {case} (3 s counting run): "
            + ", ".join(f"{k} {n} ({n / total:.1%})" for k, n in sorted(cache.items()))
        )
    lines += ["", "| ratio | value | target | |", "|---|---:|---:|---|"]

    def over(a: dict[str, float], b: dict[str, float]) -> float:
        return a["rps"] / b["rps"] if b["rps"] else float("inf")  # b completed no request

    def ratio(text: str, value: float, target: float, higher: bool = True) -> None:
        met = value >= target if higher else value <= target
        sign = ">=" if higher else "<="
        lines.append(
            f"| {text} | {value:.2f} | {sign} {target:g} | {'met' if met else 'NOT met'} |"
        )

    for case, target in TARGETS.items():
        r = results[case]
        for workers in ("1w", "2w"):
            k, b = r[f"ketahanan-{workers}"], r[f"bytes-{workers}"]
            ratio(f"{case}: ketahanan-{workers} / bytes-{workers}", over(k, b), target)
        for name in ("ketahanan-1w", "ketahanan-2w"):
            ratio(f"{case}: {name} / tipg", over(r[name], r["tipg"]), 5)
            ratio(f"{case}: {name} / pygeoapi", over(r[name], r["pygeoapi"]), 5)
        ratio(
            f"{case}: ketahanan-nginx (cached) / nginx-static",
            over(r["ketahanan-nginx"], r["nginx-static"]),
            0.8,
        )
    for case in (*TARGETS, "mixed"):
        for name in ("ketahanan-1w", "ketahanan-2w", "ketahanan-nginx"):
            r = results[case][name]
            ratio(f"{case}: {name} p99 ms", r["p99_ms"], 50, higher=False)
            ratio(f"{case}: {name} errors", r["errors"], 0, higher=False)
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per figure (10)")
    parser.add_argument("--connections", type=int, default=16, help="connections (16)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    try:
        measured = measure(args.duration, args.connections)
    except (RuntimeError, subprocess.CalledProcessError) as exc:
        print(exc, file=sys.stderr)
        return 2
    if args.json:
        args.json.write_text(json.dumps(measured, indent=2))
    lines = report(measured, args.duration, args.connections)
    print("\n".join(lines))
    return 0 if not any("NOT met" in line for line in lines) else 1


if __name__ == "__main__":
    raise SystemExit(main())
