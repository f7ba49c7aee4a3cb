"""Benchmark the OGC API items endpoint against pygeoapi and a pre-serialised-bytes server.

Three servers, each one uvicorn worker on 127.0.0.1 in its own subprocess, answer the same
payload: all 267 kelurahan as a GeoJSON FeatureCollection, at full resolution and at web
generalisation (``zoom=12``):

* **ketahanan**: ``/collections/kelurahan/items?limit=1000[&zoom=12]`` of this app;
* **bytes**: a tiny Starlette app returning Ketahanan's response, fetched once, as
  pre-serialised bytes (the upper limit for any server on this machine);
* **pygeoapi**: pygeoapi (``pip install pygeoapi``) with its GeoJSON provider over a file
  holding the same features.

The load generator is ``wrk`` (Debian package ``wrk``) at 16 connections for a bounded
duration; no ``Accept-Encoding``, so every response is the identity body.

    .venv/bin/python benchmarks/bench_api.py [--duration 10] [--connections 16] [--runs 1]

Target: ketahanan >= 0.5 x bytes in requests per second, p99 <= 50 ms, no errors.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent

BYTES_APP = r"""
import sys
from pathlib import Path
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route

BODY = {name: Path(path).read_bytes() for name, path in
        (arg.split("=", 1) for arg in sys.argv[2:])}

def endpoint(name):
    body = BODY[name]
    async def handler(request):
        return Response(body, media_type="application/geo+json")
    return handler

app = Starlette(routes=[Route(f"/{name}", endpoint(name)) for name in BODY])
"""

PYGEOAPI_CONFIG = """
server:
  bind: {{host: 127.0.0.1, port: {port}}}
  url: http://127.0.0.1:{port}
  mimetype: application/json; charset=UTF-8
  encoding: utf-8
  languages: [en-US]
  pretty_print: false
  limits: {{default_items: 10, max_items: 10000}}
  map: {{url: 'https://tile.openstreetmap.org/{{z}}/{{x}}/{{y}}.png', attribution: OSM}}
logging: {{level: ERROR}}
metadata:
  identification:
    title: bench
    description: bench
    keywords: [bench]
    keywords_type: theme
    terms_of_service: none
    url: http://127.0.0.1
  license: {{name: none, url: http://127.0.0.1}}
  provider: {{name: bench, url: http://127.0.0.1}}
  contact:
    name: bench
    position: bench
    address: bench
    city: bench
    stateorprovince: bench
    postalcode: '0'
    country: ID
    phone: '0'
    fax: '0'
    email: bench@example.org
    url: http://127.0.0.1
    hours: always
    instructions: none
    role: pointOfContact
resources:
{resources}
"""

PYGEOAPI_RESOURCE = """
  {name}:
    type: collection
    title: {name}
    description: {name}
    keywords: [kelurahan]
    extents:
      spatial:
        bbox: [106.3, -6.4, 107.0, -5.1]
        crs: http://www.opengis.net/def/crs/OGC/1.3/CRS84
    providers:
      - type: feature
        name: GeoJSON
        data: {path}
        id_field: kode
"""


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def server(
    args: list[str], port: int, probe: str, env: dict[str, str], cwd: Path, log: Path
) -> Iterator[str]:
    """Run a server subprocess until the block ends; yield its base URL once it answers."""
    base = f"http://127.0.0.1:{port}"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            args, env={**os.environ, **env}, cwd=cwd, stdout=out, stderr=subprocess.STDOUT
        )
        try:
            deadline = time.monotonic() + 120
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(f"{args} exited: {log.read_text()[-2000:]}")
                try:
                    if httpx.get(base + probe, timeout=30).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{args} did not start: {log.read_text()[-2000:]}")
                time.sleep(0.3)
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)


def _ms(text: str) -> float:
    m = re.match(r"([\d.]+)(us|ms|s)", text)
    if m is None:
        return float("nan")
    value, unit = float(m.group(1)), m.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def run_wrk(
    url: str, duration: int, connections: int, script: Path | None = None
) -> dict[str, float]:
    """Requests per second, p50, p99 (ms) and errors of ``url`` under wrk (with a Lua
    ``script`` choosing each request, when given)."""
    extra = [] if script is None else ["-s", str(script)]
    out = subprocess.run(
        [
            *("wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency"),
            *("--timeout", "5s", *extra, url),
        ],
        capture_output=True,
        text=True,
        timeout=duration + 60,
        check=True,
    ).stdout
    return parse_wrk(out)


def parse_wrk(out: str) -> dict[str, float]:
    """rps, p50_ms, p99_ms, errors (non-2xx/3xx answers plus socket errors) and socket_errors
    of wrk's ``--latency`` report ``out``."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"50%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    errors = 0
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    if non2xx:
        errors += int(non2xx.group(1))
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    socket_errors = sum(int(g) for g in sock.groups()) if sock else 0
    errors += socket_errors
    return {
        "rps": rps,
        "p50_ms": p50,
        "p99_ms": p99,
        "errors": errors,
        "socket_errors": socket_errors,
    }


def run_wrk_median(url: str, duration: int, connections: int, runs: int) -> dict[str, float]:
    """Median of each figure over ``runs`` wrk runs of ``url`` (errors: the sum)."""
    measured = [run_wrk(url, duration, connections) for _ in range(runs)]
    out = {k: statistics.median(m[k] for m in measured) for k in ("rps", "p50_ms", "p99_ms")}
    out["errors"] = sum(m["errors"] for m in measured)
    return out


def measure(
    duration: int = 10, connections: int = 16, runs: int = 1, *, verbose: bool = False
) -> dict[str, dict[str, dict[str, float]]]:
    """Run every server under wrk; return ``{case: {server: {rps, p50_ms, p99_ms, errors}}}``.

    Cases are ``full`` and ``web_z12``; servers ``ketahanan``, ``bytes`` and (when installed)
    ``pygeoapi``. Each figure is the median of ``runs`` wrk runs of ``duration`` seconds.
    """
    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is not installed: apt-get install -y wrk")

    def say(text: str) -> None:
        if verbose:
            print(text)

    from geo.settings import Settings

    settings = Settings()
    if not settings.build_path.exists():
        raise RuntimeError(f"no build at {settings.build_path}: run `ketahanan build` first")
    cases = {"full": "limit=1000", "web_z12": "limit=1000&zoom=12"}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        py = sys.executable
        results: dict[str, dict[str, dict[str, float]]] = {}
        k_port = free_port()
        k_cmd = [
            py,
            "-m",
            "uvicorn",
            "api.app:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(k_port),
            "--log-level",
            "warning",
            "--no-access-log",
        ]
        with server(k_cmd, k_port, "/conformance", {}, ROOT, tmp / "k.log") as base:
            bodies: dict[str, Path] = {}
            for case, query in cases.items():
                body = httpx.get(f"{base}/collections/kelurahan/items?{query}", timeout=60)
                body.raise_for_status()
                path = tmp / f"{case}.json"
                path.write_bytes(body.content)
                bodies[case] = path
                say(
                    f"payload {case}: {len(body.content) / 1e6:.2f} MB, "
                    f"{body.json()['numberReturned']} features"
                )
            for case, query in cases.items():
                results.setdefault(case, {})["ketahanan"] = run_wrk_median(
                    f"{base}/collections/kelurahan/items?{query}", duration, connections, runs
                )
        (tmp / "bytes_app.py").write_text(BYTES_APP)
        b_port = free_port()
        b_cmd = [
            py,
            "-c",
            "import sys, uvicorn; sys.path.insert(0, sys.argv[1]); "
            "import bytes_app; uvicorn.run(bytes_app.app, host='127.0.0.1', "
            f"port={b_port}, log_level='warning', access_log=False)",
            str(tmp),
            *(f"{c}={p}" for c, p in bodies.items()),
        ]
        with server(b_cmd, b_port, "/full", {}, tmp, tmp / "b.log") as base:
            for case in cases:
                results[case]["bytes"] = run_wrk_median(
                    f"{base}/{case}", duration, connections, runs
                )
        try:
            import pygeoapi  # noqa: F401
        except ImportError:
            say("pygeoapi not installed (pip install pygeoapi): skipped")
        else:
            resources = []
            for case, path in bodies.items():
                fc = json.loads(path.read_text())
                data = tmp / f"{case}.geojson"
                data.write_text(
                    json.dumps({"type": "FeatureCollection", "features": fc["features"]})
                )
                resources.append(PYGEOAPI_RESOURCE.format(name=case, path=data))
            p_port = free_port()
            config = tmp / "pygeoapi.yml"
            config.write_text(PYGEOAPI_CONFIG.format(port=p_port, resources="".join(resources)))
            openapi = tmp / "openapi.yml"
            gen = subprocess.run(
                [
                    str(Path(py).with_name("pygeoapi")),
                    "openapi",
                    "generate",
                    str(config),
                    "--output-file",
                    str(openapi),
                ],
                timeout=120,
                capture_output=True,
                text=True,
                env={**os.environ, "PYGEOAPI_CONFIG": str(config)},
            )
            if gen.returncode != 0:
                raise RuntimeError(f"pygeoapi openapi generate failed: {gen.stderr[-2000:]}")
            env = {"PYGEOAPI_CONFIG": str(config), "PYGEOAPI_OPENAPI": str(openapi)}
            p_cmd = [
                py,
                "-m",
                "uvicorn",
                "pygeoapi.starlette_app:APP",
                "--host",
                "127.0.0.1",
                "--port",
                str(p_port),
                "--log-level",
                "warning",
                "--no-access-log",
            ]
            with server(p_cmd, p_port, "/conformance?f=json", env, tmp, tmp / "p.log") as base:
                for case in cases:
                    url = f"{base}/collections/{case}/items?f=json&limit=1000"
                    check = httpx.get(url, timeout=60).json()
                    assert check["numberReturned"] == 267, check.get("numberReturned")
                    results[case]["pygeoapi"] = run_wrk_median(url, duration, connections, runs)

    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per run (10)")
    parser.add_argument("--connections", type=int, default=16, help="connections (16)")
    parser.add_argument("--runs", type=int, default=1, help="wrk runs per figure, median (1)")
    args = parser.parse_args()
    try:
        results = measure(args.duration, args.connections, args.runs, verbose=True)
    except RuntimeError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(f"\n{args.connections} connections, {args.duration} s per run, wrk, 127.0.0.1")
    print(
        f"{'case':<8} {'server':<10} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}"
        f" {'vs bytes':>9}"
    )
    ok = True
    for case, by_server in results.items():
        limit = by_server["bytes"]["rps"]
        for name, r in by_server.items():
            ratio = r["rps"] / limit if limit else float("nan")
            print(
                f"{case:<8} {name:<10} {r['rps']:>8.1f} {r['p50_ms']:>8.1f} "
                f"{r['p99_ms']:>8.1f} {int(r['errors']):>7} {ratio:>8.2f}x"
            )
        k = by_server["ketahanan"]
        passed = k["rps"] >= 0.5 * limit and k["p99_ms"] <= 50 and k["errors"] == 0
        ok &= passed
        if "pygeoapi" in by_server:
            print(
                f"{case:<8} ketahanan / pygeoapi = {k['rps'] / by_server['pygeoapi']['rps']:.1f}x"
            )
        print(
            f"{case:<8} target (>= 0.5x bytes, p99 <= 50 ms, 0 errors): "
            f"{'met' if passed else 'NOT met'}"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
