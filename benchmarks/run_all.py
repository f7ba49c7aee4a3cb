"""Run every benchmark and write ``benchmarks/RESULTS.md``.

    .venv/bin/python benchmarks/run_all.py [--runs 3] [--quick] [--out benchmarks/RESULTS.md]

Runs, in order: the full build (``bench_build``), the indicators and their scaling on tilings
(``bench_indicators``; ``--quick`` leaves out the 64x tiling, which takes minutes), the
rank-uncertainty Monte Carlo (``bench_uncertainty``, target <= 5 s), the impact analysis for
both HKV scenarios (``bench_impact``), the API
against pygeoapi and the pre-serialised-bytes limit (``bench_api``, wrk), the map page weight
in headless Chromium (``bench_page``), the planner workspace (``bench_workspace``: the map's
first paint, the tracker with 2,000 actions, the ranking), the February 2017 flood replay's
redraw per hour step (``bench_replay``, target <= 200 ms), GeoJSON export against geopandas
``to_file`` (``bench_export``) and a short load/soak run (``load``). Each figure is the median of
``--runs`` runs unless the report says otherwise; every ratio is set against its target. A
benchmark that fails is reported as such and the others still run. The report starts with the
machine (CPU, cores, memory, OS, Python and library versions), the date and the load average
before and after, since figures from a busy machine are noisy.
"""

from __future__ import annotations

import argparse
import importlib
import os
import platform
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

LIBRARIES = (
    "geopandas",
    "shapely",
    "pyogrio",
    "pyproj",
    "rasterio",
    "numpy",
    "pandas",
    "fastapi",
    "starlette",
    "uvicorn",
    "orjson",
    "sqlalchemy",
    "folium",
    "httpx",
    "pygeoapi",
    "playwright",
)


def _first_line(cmd: list[str]) -> str:
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return "not found"
    text = (done.stdout or done.stderr).strip().splitlines()
    return text[0] if text else "unknown"


def machine() -> dict[str, str]:
    """CPU, cores, memory, OS, Python, key libraries and tools."""
    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = "unknown"
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        for line in meminfo.read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) / 2**20:.1f} GiB"
    os_name = platform.platform()
    release = Path("/etc/os-release")
    if release.exists():
        for line in release.read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                os_name = f"{line.split('=', 1)[1].strip(chr(34))} (Linux {platform.release()})"
    libs = []
    for name in LIBRARIES:
        try:
            libs.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            libs.append(f"{name} (not installed)")
    try:
        import pyogrio

        libs.append(f"GDAL {pyogrio.__gdal_version_string__}")
    except ImportError:
        pass
    return {
        "CPU": cpu,
        "cores": str(os.cpu_count()),
        "memory": mem,
        "OS": os_name,
        "Python": platform.python_version(),
        "libraries": ", ".join(libs),
        "tools": f"{_first_line(['wrk', '-v'])}; {_first_line(['/usr/bin/chromium', '--version'])}",
    }


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} / {five:.2f} / {fifteen:.2f}"


def _met(ok: bool) -> str:
    return "met" if ok else "**not met**"


# --- sections -----------------------------------------------------------------------------------


def section_build(runs: int, quick: bool) -> list[str]:
    bench = importlib.import_module("bench_build")
    r = bench.measure(runs)
    wall, peak = r["wall_s"], r["peak_rss_mb"]
    lines = [
        f"Full `ketahanan build` on the real data, each run in a fresh process; median of {runs}.",
        "",
        "| figure | value | target | ratio | |",
        "|---|---:|---:|---:|---|",
        f"| wall time | {wall:.1f} s | <= {r['target_s']:.0f} s | {wall / r['target_s']:.2f} "
        f"| {_met(wall <= r['target_s'])} |",
        f"| peak RSS | {peak:.0f} MiB | <= {r['target_mb']:.0f} MiB | "
        f"{peak / r['target_mb']:.2f} | {_met(peak <= r['target_mb'])} |",
        f"| output | {r['output_mb']:.1f} MiB | | | |",
        "",
        "Steps (median seconds): "
        + ", ".join(f"{step} {seconds:.2f}" for step, seconds in r["steps"].items()),
    ]
    return lines


def section_indicators(runs: int, quick: bool) -> list[str]:
    bench = importlib.import_module("bench_indicators")
    tiles = (1, 8) if quick else (1, 8, 64)
    r = bench.measure(tiles, runs)
    lines = [
        f"Every indicator and pillar score for Jakarta (inputs in memory); median of {runs}.",
        "",
        f"| figure | value | target | ratio | |\n|---|---:|---:|---:|---|\n"
        f"| all indicators and scores | {r['jakarta_s']:.2f} s | <= {r['target_s']:.0f} s | "
        f"{r['jakarta_s'] / r['target_s']:.2f} | {_met(r['jakarta_s'] <= r['target_s'])} |",
        "",
        "Scaling on tilings (every layer copied and shifted, the depth grid tiled to match); "
        "ratio = time per copy over that of one copy (1.0 = linear; set against 1.5 here):",
        "",
        "| copies | kelurahan | seconds | peak traced MiB | time/copy ratio | |",
        "|---:|---:|---:|---:|---:|---|",
    ]
    for row in r["scaling"]:
        lines.append(
            f"| {row['copies']} | {row['kelurahan']} | {row['seconds']:.2f} | "
            f"{row['peak_mib']:.0f} | {row['ratio']:.2f} | {_met(row['ratio'] <= 1.5)} |"
        )
    if quick:
        lines += ["", "*`--quick`: the 64x tiling was not run.*"]
    return lines


def section_uncertainty(runs: int, quick: bool) -> list[str]:
    bench = importlib.import_module("bench_uncertainty")
    r = bench.measure(runs)
    ratio = r["seconds"] / r["target_s"]
    return [
        f"The rank-uncertainty Monte Carlo ({r['draws']} draws, every level and pillar, "
        f"{r['units']} units) on the build's indicators; median of {runs}.",
        "",
        "| figure | value | target | ratio | |",
        "|---|---:|---:|---:|---|",
        f"| Monte Carlo added to the build | {r['seconds']:.2f} s | <= {r['target_s']:.0f} s | "
        f"{ratio:.2f} | {_met(ratio <= 1)} |",
        f"| same seed, same numbers | {r['same']} | True | | {_met(bool(r['same']))} |",
    ]


def section_impact(runs: int, quick: bool) -> list[str]:
    bench = importlib.import_module("bench_impact")
    r = bench.measure(runs)
    return [
        "Every impact indicator for both HKV scenarios (today, with the planned works), plus "
        "February 2017, the difference with its ranking and the reconciliation checks "
        f"(inputs in memory); median of {runs}.",
        "",
        "| figure | value | target | ratio | |",
        "|---|---:|---:|---:|---|",
        f"| all impact indicators | {r['seconds']:.2f} s | <= {r['target_s']:.0f} s | "
        f"{r['ratio']:.2f} | {_met(r['seconds'] <= r['target_s'])} |",
    ]


def section_api(runs: int, quick: bool) -> list[str]:
    bench = importlib.import_module("bench_api")
    duration, connections = 10, 16
    r = bench.measure(duration, connections, runs)
    lines = [
        f"`/collections/kelurahan/items?limit=1000` (all 267 kelurahan; `full` resolution and "
        f"`web_z12` generalisation), one uvicorn worker each, wrk with {connections} "
        f"connections for {duration} s, identity bodies; median of {runs} wrk runs. `bytes` is "
        "a Starlette app returning the same response as pre-serialised bytes (the limit of "
        "any server here); `pygeoapi` serves the same features from a GeoJSON file.",
        "",
        "| case | server | req/s | p50 ms | p99 ms | errors | vs bytes | vs pygeoapi |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    verdicts = []
    for case, by_server in r.items():
        limit = by_server["bytes"]["rps"]
        pyg = by_server.get("pygeoapi", {}).get("rps")
        for name, fig in by_server.items():
            vs_pyg = f"{fig['rps'] / pyg:.1f}x" if pyg and name == "ketahanan" else ""
            lines.append(
                f"| {case} | {name} | {fig['rps']:.1f} | {fig['p50_ms']:.1f} | "
                f"{fig['p99_ms']:.1f} | {int(fig['errors'])} | {fig['rps'] / limit:.2f}x | "
                f"{vs_pyg} |"
            )
        k = by_server["ketahanan"]
        verdicts.append(
            f"- {case}: ketahanan / bytes = {k['rps'] / limit:.2f} (target >= 0.5: "
            f"{_met(k['rps'] >= 0.5 * limit)}), p99 {k['p99_ms']:.1f} ms (target <= 50 ms, "
            f"ratio {k['p99_ms'] / 50:.2f}: {_met(k['p99_ms'] <= 50)}), errors {int(k['errors'])}"
            f" (target 0: {_met(k['errors'] == 0)})"
            + (f"; ketahanan / pygeoapi = {k['rps'] / pyg:.1f}x" if pyg else "")
        )
    return [*lines, "", *verdicts]


def section_scale(runs: int, quick: bool) -> list[str]:
    bench = importlib.import_module("bench_scale")
    duration, connections = 10, 16
    return bench.report(bench.measure(duration, connections), duration, connections)


def section_page(runs: int, quick: bool) -> list[str]:
    bench = importlib.import_module("bench_page")
    r = bench.measure(runs)
    return [
        f"Cold load in headless Chromium (1280x860, cache off, only 127.0.0.1 reachable) until "
        f"the 267 kelurahan are drawn; median of {runs}. The naive page embeds the "
        "full-resolution layer with `folium.GeoJson`.",
        "",
        "| page | transferred | choropleth drawn |",
        "|---|---:|---:|",
        f"| /peta | {r['peta_mb']:.2f} MiB | {r['peta_s']:.2f} s |",
        f"| naive folium | {r['naive_mb']:.2f} MiB | {r['naive_s']:.2f} s |",
        "",
        f"- /peta weight {r['peta_mb']:.2f} MiB: target <= {r['target_mb']} MiB, ratio "
        f"{r['peta_mb'] / r['target_mb']:.2f}: {_met(r['peta_mb'] <= r['target_mb'])}",
        f"- /peta drawn in {r['peta_s']:.2f} s: target <= {r['target_s']} s, ratio "
        f"{r['peta_s'] / r['target_s']:.2f}: {_met(r['peta_s'] <= r['target_s'])}",
        f"- {r['ratio']:.1f}x lighter than the naive page: target >= {r['target_ratio']:.0f}x: "
        f"{_met(r['ratio'] >= r['target_ratio'])}",
    ]


def section_workspace(runs: int, quick: bool) -> list[str]:
    bench = importlib.import_module("bench_workspace")
    n = max(runs, 5)
    r = bench.measure(n)
    lines = [
        "Cold loads in headless Chromium (1280x860, cache off, only 127.0.0.1 reachable), "
        f"the store holding {bench.ACTIONS:,} actions; median of {n}. Load average at the end: "
        f"{r['load']}.",
        "",
        "| figure | median | target | ratio | |",
        "|---|---:|---:|---:|---|",
    ]
    for key, (label, unit) in bench.LABELS.items():
        value, target, ratio = r["medians"][key], r["targets"][key], r["ratios"][key]
        lines.append(
            f"| {label} | {value:.3f} {unit} | {target:.2f} {unit} | {ratio:.2f} | "
            f"{_met(ratio <= 1)} |"
        )
    lines.append(
        f"| /peringkat cold page load (no target) | {r['medians']['peringkat_page_s']:.3f} s "
        "| | | |"
    )
    return lines


def section_replay(runs: int, quick: bool) -> list[str]:
    bench = importlib.import_module("bench_replay")
    r = bench.measure(runs)
    return replay_lines(r)


def replay_lines(r: dict[str, Any]) -> list[str]:
    """The replay section's lines from ``bench_replay.measure``."""
    return [
        "The February 2017 flood replay on /peta in headless Chromium (1280x860, cache off, only "
        f"127.0.0.1 reachable): {r['steps']} hour steps over {r['runs']} cold pages (72 forward "
        "and one back each), each timed from `replay.setHour(i)` (the slider's handler: restyle "
        "of the drawn RWs, slider, chart, the hour's figures) to the next animation frame.",
        "",
        "| figure | value | target | ratio | |",
        "|---|---:|---:|---:|---|",
        f"| redraw per hour step, median | {r['median_ms']:.1f} ms | <= {r['target_ms']:.0f} ms "
        f"| {r['median_ratio']:.3f} | {_met(r['median_ratio'] <= 1)} |",
        f"| redraw per hour step, p95 | {r['p95_ms']:.1f} ms | <= {r['target_ms']:.0f} ms "
        f"| {r['p95_ratio']:.3f} | {_met(r['p95_ratio'] <= 1)} |",
        f"| redraw per hour step, max | {r['max_ms']:.1f} ms | | | |",
        f"| replay document on the wire (gzip) | {r['doc_kib']:.0f} KiB | | | |",
        f"| page open to replay drawn | {r['ready_s']:.2f} s | | | |",
    ]


def section_export(runs: int, quick: bool) -> list[str]:
    bench = importlib.import_module("bench_export")
    n = max(runs, 3)
    r = bench.measure(n)
    lines = [
        "GeoJSON file of a whole layer, from data in memory: the API's `f=geojson` path "
        "(`geo.ogc`: query, render, write) against geopandas "
        '`to_file(driver="GeoJSON", COORDINATE_PRECISION=7)` of the same GeoDataFrame. '
        "*Cold* adds reading the layer from the build GeoPackage (the app: loading the layer "
        f"and serialising its geometry once). Median of {n}; ratio = geopandas / ketahanan "
        "(target >= 1: not slower).",
        "",
        "| layer | features | ketahanan s | geopandas s | ratio | | cold: ketahanan s "
        "| cold: geopandas s | cold ratio | MiB (k / gpd) |",
        "|---|---:|---:|---:|---:|---|---:|---:|---:|---:|",
    ]
    for name, x in r["layers"].items():
        lines.append(
            f"| {name} | {x['features']} | {x['ketahanan_s']:.4f} | {x['geopandas_s']:.4f} | "
            f"{x['ratio']:.1f}x | {_met(x['ratio'] >= r['target_ratio'])} | "
            f"{x['ketahanan_cold_s']:.3f} | {x['geopandas_cold_s']:.3f} | "
            f"{x['cold_ratio']:.1f}x | {x['ketahanan_mb']:.2f} / {x['geopandas_mb']:.2f} |"
        )
    return lines


def section_report(runs: int, quick: bool) -> list[str]:
    bench = importlib.import_module("bench_report")
    r = bench.measure(max(runs, 5))
    median, target = r["median_s"], r["target_s"]
    lines = [
        "A kelurahan's A4 PDF report (`/laporan/kelurahan/{kode}.pdf`), in process: profile, "
        f"SVG map (matplotlib), HTML, PDF (WeasyPrint); median of {r['runs']} kelurahan after a "
        f"first request of {r['cold_s']:.2f} s (imports WeasyPrint, loads the fonts).",
        "",
        "| step | s |",
        "|---|---:|",
        *(f"| {name} | {seconds:.3f} |" for name, seconds in r["steps"].items()),
        "",
        f"- report in {median:.2f} s (min {r['min_s']:.2f}, max {r['max_s']:.2f}): target <= "
        f"{target} s, ratio {median / target:.2f}: {_met(median <= target)}",
    ]
    return lines


def section_load(seconds: float) -> Callable[[int, bool], list[str]]:
    def section(runs: int, quick: bool) -> list[str]:
        import tempfile

        load = importlib.import_module("load")
        from geo.settings import Settings

        settings = Settings()
        with tempfile.TemporaryDirectory() as tmp:
            db_url, secret = load.prepare_database(settings, Path(tmp))
            env = load.server_env(settings, db_url)
            with load.live_server(env, Path(tmp) / "server.log") as srv:
                r = load.run_load(srv.url, srv.pid, secret, seconds=seconds, clients=12)
        lines = [
            f"`benchmarks/load.py --seconds {seconds:.0f}`: {r['clients']} async httpx clients, "
            f"one uvicorn worker, mixed map reads, item queries and action writes (SQLite); "
            f"one run. Latencies after the {r['warmup_s']:.0f} s warm-up.",
            "",
            "| kind | requests | p50 ms | p99 ms | statuses |",
            "|---|---:|---:|---:|---|",
        ]
        for kind, k in r["kinds"].items():
            statuses = ", ".join(f"{s}: {n}" for s, n in k["statuses"].items())
            lines.append(
                f"| {kind} | {k['requests']} | {k['p50_ms']:.1f} | {k['p99_ms']:.1f} | {statuses} |"
            )
        lines += [
            f"| **all** | {r['requests']} | {r['all_p50_ms']:.1f} | {r['all_p99_ms']:.1f} | "
            f"{r['rps']:.0f} req/s |",
            "",
            f"- errors {r['errors']} (412 races, expected: {r['races_412']}): target 0: "
            f"{_met(r['errors'] == 0)}",
            f"- server RSS {r['rss_warm_mb']:.0f} MiB after warm-up, {r['rss_end_mb']:.0f} MiB "
            f"at the end: growth {r['rss_growth']:+.1%}, target < 10 %: "
            f"{_met(r['rss_growth'] < 0.10)}",
        ]
        return lines

    return section


def main() -> int:
    """Run the benchmarks and write the report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per figure, median (3)")
    parser.add_argument("--quick", action="store_true", help="skip the 64x indicator scaling")
    parser.add_argument("--load-seconds", type=float, default=60, help="load run (60; 0 skips)")
    parser.add_argument(
        "--only", nargs="*", default=None, help="run only these (build indicators api ...)"
    )
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args()

    sections: dict[str, tuple[str, Callable[[int, bool], list[str]]]] = {
        "build": ("Build", section_build),
        "indicators": ("Indicators and scaling", section_indicators),
        "uncertainty": ("Rank uncertainty", section_uncertainty),
        "impact": ("Impact analysis", section_impact),
        "api": ("API: OGC items against pygeoapi and the bytes limit", section_api),
        "scale": ("Scale-out: workers, nginx, tipg and pygeoapi side by side", section_scale),
        "page": ("Map page weight", section_page),
        "workspace": ("Planner workspace: map paint, tracker, ranking", section_workspace),
        "replay": ("Flood replay: redraw per hour step", section_replay),
        "export": ("GeoJSON export against geopandas", section_export),
        "report": ("PDF report of a kelurahan", section_report),
    }
    if args.load_seconds > 0:
        sections["load"] = ("Load and soak", section_load(args.load_seconds))
    chosen = args.only or list(sections)

    started = datetime.now(UTC)
    load_before = _load()
    info = machine()
    command = "`.venv/bin/python benchmarks/run_all.py" + (" --quick" if args.quick else "")
    command += (f" --runs {args.runs}" if args.runs != 3 else "") + "`"

    def write(parts: list[str], *, done: bool) -> None:
        state = "finished" if done else "partial, still running at"
        head = [
            "# Benchmark results",
            "",
            f"Written by {command} on {started:%Y-%m-%d %H:%M} UTC ({state} "
            f"{datetime.now(UTC):%H:%M} UTC). Each benchmark also runs alone "
            "(`benchmarks/bench_*.py`, `benchmarks/load.py`).",
            "",
            "| machine | |",
            "|---|---|",
            *(f"| {k} | {v} |" for k, v in info.items()),
            f"| load average (1/5/15 min) | before {load_before}; after {_load()} |",
            "",
            "Figures on a shared or busy machine are noisy; compare ratios (against the limit on "
            "the same machine) rather than absolute times.",
            "",
        ]
        if args.quick:
            head += ["*Quick run: the 64x indicator scaling was skipped.*", ""]
        args.out.write_text("\n".join(head + parts).rstrip() + "\n", encoding="utf-8")

    parts: list[str] = []
    failed = []
    for key in chosen:
        title, section = sections[key]
        print(f"== {key} ...", flush=True)
        t0 = time.perf_counter()
        try:
            body = section(args.runs, args.quick)
        except Exception as exc:  # a failed benchmark is reported, not fatal
            traceback.print_exc()
            failed.append(key)
            body = [f"**Failed**: `{type(exc).__name__}: {exc}`"]
        took = time.perf_counter() - t0
        print(f"   {key}: {took:.0f} s", flush=True)
        parts += [f"## {title}", "", *body, "", f"*({took:.0f} s to run)*", ""]
        write(parts, done=False)
    write(parts, done=True)
    print(f"wrote {args.out}" + (f"; failed: {', '.join(failed)}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
