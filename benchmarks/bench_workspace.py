"""Benchmark the planner workspace in headless Chromium: the map, the tracker, the ranking.

The app runs in uvicorn on 127.0.0.1 with the current build and a fresh SQLite store that
this script fills with 2,000 real-looking actions (spread over the three pillars, four
statuses, 30 lead agencies and the 267 kelurahan: half as points, half by unit code). Every
browser run is cold: a fresh context, cache off, only 127.0.0.1 reachable.

* ``/peta`` first choropleth paint: navigation start to the first animation frame after the
  267 kelurahan are drawn, and the bytes transferred until then (encoded sizes Chromium
  reports). Targets <= 1 s and <= 1 MB.
* ``/aksi`` with 2,000 actions: navigation start to the first page of rows drawn (target
  <= 1 s), and a filter change (choosing a pillar) to the new rows drawn (target <= 300 ms).
* ``/peringkat`` for the 267 kelurahan: the page's server time, request to last byte (target
  <= 500 ms), and its cold load in the browser until the table is there.

    .venv/bin/python benchmarks/bench_workspace.py [--runs 5]

Needs a build (``ketahanan build``) and ``/usr/bin/chromium``. Prints each figure (the
median of the runs) and its ratio to the target, and the load average.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from geo.settings import PROJECT_ROOT, Settings, get_settings

sys.path.insert(0, str(PROJECT_ROOT / "tests"))
from serverkit import served_app, settings_env

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ACTIONS = 2_000
TARGETS = {
    "peta_s": 1.0,
    "peta_mb": 1.0,
    "aksi_first_s": 1.0,
    "aksi_filter_s": 0.3,
    "peringkat_s": 0.5,
}
STATUSES = ("planned", "in_progress", "done", "cancelled")
PILLARS = ("siap", "sehat", "terhubung")


def fill_store(settings: Settings, count: int = ACTIONS) -> str:
    """Put ``count`` actions in the store of ``settings``; return a planner token."""
    import pyogrio

    from geo.actions.auth import create_token
    from geo.actions.store import ActionStore

    store = ActionStore.from_settings(settings)
    store.migrate()
    secret, _ = create_token(store, "bench-planner", "planner")
    kel = pyogrio.read_dataframe(settings.build_path, layer="kelurahan", columns=["kode"])
    points = kel.geometry.representative_point()
    features = []
    for i in range(count):
        row = i % len(kel)
        props = {
            "title": f"Aksi ketahanan {i:04d}: {('drainase', 'air bersih', 'halte')[i % 3]}",
            "description": "Aksi untuk pengukuran kinerja halaman pelacak.",
            "pillar": PILLARS[i % 3],
            "status": STATUSES[(i // 3) % 4],
            "progress": (i * 7) % 101,
            "lead_agency": f"Dinas {i % 30:02d}",
            "partners": ["BPBD DKI", "BAPPEDA"],
        }
        if i % 2:
            props["unit_codes"] = [str(kel["kode"].iloc[row])]
            geometry = None
        else:
            p = points.iloc[row]
            geometry = {"type": "Point", "coordinates": [p.x, p.y]}
        features.append({"type": "Feature", "geometry": geometry, "properties": props})
    for start in range(0, count, 500):
        batch = {"type": "FeatureCollection", "features": features[start : start + 500]}
        store.import_features(batch, "bench-planner")
    store.engine.dispose()
    return secret


@contextmanager
def browser_contexts() -> Iterator[Any]:
    """A factory of fresh, cold browser contexts (only 127.0.0.1 reachable, cache off)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)

        def fresh() -> tuple[Any, Any, dict[str, float]]:
            context = browser.new_context(viewport={"width": 1280, "height": 860})
            page = context.new_page()
            page.route(
                "**/*",
                lambda r: (
                    r.continue_() if urlsplit(r.request.url).hostname == "127.0.0.1" else r.abort()
                ),
            )
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
            sizes: dict[str, float] = {}
            cdp.on(
                "Network.loadingFinished",
                lambda e: sizes.__setitem__(e["requestId"], float(e["encodedDataLength"])),
            )
            return context, page, sizes

        try:
            yield fresh
        finally:
            browser.close()


def _until(page: Any, expression: str, timeout_s: float = 60) -> float:
    """Poll ``expression`` each animation frame; its value (e.g. performance.now()) when true."""
    value = page.wait_for_function(expression, polling="raf", timeout=timeout_s * 1000)
    return float(value.json_value())


def peta_once(fresh: Any, base: str) -> tuple[float, float]:
    """Cold /peta: seconds to the first paint of the choropleth, MB transferred by then."""
    context, page, sizes = fresh()
    page.goto(f"{base}/peta", wait_until="commit")
    ms = _until(
        page,
        "() => document.body?.getAttribute('data-choropleth') === 'ready' && "
        "document.querySelectorAll('path.ketahanan-unit').length === 267 && "
        "new Promise(r => requestAnimationFrame(() => r(performance.now())))",
    )
    mb = sum(sizes.values()) / 2**20
    context.close()
    return ms / 1000, mb


def aksi_once(fresh: Any, base: str) -> tuple[float, float]:
    """Cold /aksi: seconds to the first rows drawn, then to the rows after a filter change."""
    context, page, _ = fresh()
    page.goto(f"{base}/aksi", wait_until="commit")
    first = _until(
        page,
        "() => Number(document.body?.getAttribute('data-rows')) > 0 && "
        "Number(document.body.getAttribute('data-total')) >= 2000 && performance.now()",
    )
    changed = page.evaluate(
        """() => new Promise((resolve) => {
            const body = document.body;
            const select = document.querySelector('#tracker-filters [name=pillar]');
            const t0 = performance.now();
            const seen = new MutationObserver(() => {
                const rows = body.getAttribute('data-rows');
                if (rows !== 'loading' && body.getAttribute('data-total') !== '2000') {
                    seen.disconnect();
                    requestAnimationFrame(() => resolve(performance.now() - t0));
                }
            });
            seen.observe(body, {attributes: true});
            select.value = select.options[1].value;
            select.dispatchEvent(new Event('input', {bubbles: true}));
        })"""
    )
    context.close()
    return first / 1000, float(changed) / 1000


def peringkat_once(fresh: Any, base: str) -> tuple[float, float]:
    """/peringkat of the 267 kelurahan: server seconds (request to last byte), cold page load."""
    url = f"{base}/peringkat?pilar=siap&tingkat=kelurahan"
    t0 = time.perf_counter()
    response = httpx.get(url, timeout=30)
    server_s = time.perf_counter() - t0
    assert response.status_code == 200 and response.text.count('<tr data-kode="') == 267
    context, page, _ = fresh()
    page.goto(url, wait_until="commit")
    ms = _until(
        page,
        "() => document.body?.getAttribute('data-ready') && "
        "document.querySelectorAll('#ranking-table tbody tr').length === 267 && "
        "performance.now()",
    )
    context.close()
    return server_s, ms / 1000


def measure(runs: int = 5, *, verbose: bool = False) -> dict[str, Any]:
    """Run every figure ``runs`` times; return the medians, targets and ratios."""
    settings = get_settings()
    if not settings.build_path.exists():
        raise RuntimeError(f"no build at {settings.build_path}: run `ketahanan build` first")
    with tempfile.TemporaryDirectory() as tmp:
        db = f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        bench_settings = settings.model_copy(update={"database_url": db})
        fill_store(bench_settings)
        env = settings_env(bench_settings, KETAHANAN_BASEMAP_URL="none")
        with served_app(env, Path(tmp) / "server.log", "/health") as base:
            for path in ("/peta", "/aksi", "/peringkat"):  # warm the server once
                httpx.get(f"{base}{path}", timeout=60)
            found: dict[str, list[float]] = {k: [] for k in (*TARGETS, "peringkat_page_s")}
            with browser_contexts() as fresh:
                for i in range(runs):
                    peta_s, peta_mb = peta_once(fresh, base)
                    first, change = aksi_once(fresh, base)
                    server_s, page_s = peringkat_once(fresh, base)
                    for key, value in (
                        ("peta_s", peta_s),
                        ("peta_mb", peta_mb),
                        ("aksi_first_s", first),
                        ("aksi_filter_s", change),
                        ("peringkat_s", server_s),
                        ("peringkat_page_s", page_s),
                    ):
                        found[key].append(value)
                    if verbose:
                        print(
                            f"run {i + 1}: /peta {peta_s:.3f} s {peta_mb:.3f} MB | /aksi "
                            f"{first:.3f} s, filter {change:.3f} s | /peringkat server "
                            f"{server_s:.3f} s, page {page_s:.3f} s",
                            flush=True,
                        )
    medians = {k: statistics.median(v) for k, v in found.items()}
    return {
        "runs": runs,
        "medians": medians,
        "targets": TARGETS,
        "ratios": {k: medians[k] / t for k, t in TARGETS.items()},
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


LABELS = {
    "peta_s": ("/peta first choropleth paint, cold", "s"),
    "peta_mb": ("/peta transferred until then", "MB"),
    "aksi_first_s": ("/aksi (2,000 actions) first rows drawn, cold", "s"),
    "aksi_filter_s": ("/aksi filter change to new rows drawn", "s"),
    "peringkat_s": ("/peringkat (267 kelurahan) server time", "s"),
}


def main() -> int:
    """Run the benchmark and print each figure with its target and ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    try:
        r = measure(args.runs, verbose=True)
    except RuntimeError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(f"\nmedian of {args.runs} runs; load average before {before}, after {r['load']}")
    print(f"{'figure':<48}{'median':>10}{'target':>10}{'ratio':>8}")
    ok = True
    for key, (label, unit) in LABELS.items():
        value, target, ratio = r["medians"][key], r["targets"][key], r["ratios"][key]
        ok &= ratio <= 1
        print(f"{label:<48}{value:>8.3f} {unit:<2}{target:>7.2f} {unit:<2}{ratio:>7.2f}")
    print(
        f"{'/peringkat cold page load (no target)':<48}{r['medians']['peringkat_page_s']:>8.3f} s"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
