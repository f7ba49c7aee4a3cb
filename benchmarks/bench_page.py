"""Benchmark the planner map page in headless Chromium against a naive folium page.

Both pages are loaded cold (a fresh browser context per run) in Debian's Chromium driven by
Playwright, with every request outside 127.0.0.1 aborted:

* ``/peta``, served by the app (uvicorn on 127.0.0.1): a light folium page whose kelurahan
  choropleth loads from the OGC API items route at the zoom's generalisation;
* a naive folium page: ``folium.GeoJson`` of the full-resolution kelurahan GeoDataFrame, saved
  to HTML and served statically (same local Leaflet files, so only the data handling differs).

Measured: bytes transferred at first load (the encoded sizes Chromium reports) and the time
from navigation start until the 267 kelurahan shapes are drawn.

    .venv/bin/python benchmarks/bench_page.py [--runs 3]

Needs a build (``ketahanan build``) and ``/usr/bin/chromium``.
Targets: /peta <= 1.5 MB and <= 1.5 s, and at least 5x lighter than the naive page.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import geopandas as gpd
import httpx

from geo.settings import PROJECT_ROOT, get_settings
from web.assets import STATIC_DIR, LocalMap

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TARGET_MB = 1.5
TARGET_S = 1.5
TARGET_RATIO = 5.0
UNITS = 267


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def naive_page(folder: Path, build_path: Path) -> Path:
    """Write the naive page: the full-resolution kelurahan layer embedded with folium.GeoJson."""
    import folium

    kel = gpd.read_file(build_path, layer="kelurahan")
    fmap = LocalMap(location=(-6.2, 106.83), zoom_start=11, tiles=None)
    folium.GeoJson(
        kel[["kode", "nama", "score_siap", "geometry"]],
        style_function=lambda f: {"color": "#5d4037", "weight": 0.6, "fillOpacity": 0.7},
        tooltip=folium.GeoJsonTooltip(fields=["nama", "kode", "score_siap"]),
    ).add_to(fmap)
    path = folder / "naive.html"
    fmap.save(str(path))
    (folder / "static").symlink_to(STATIC_DIR)
    return path


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def load_once(context_factory: Any, url: str, selector: str) -> tuple[float, float]:
    """Cold-load ``url``; return (MB transferred, seconds until ``selector`` count is 267)."""
    context = context_factory()
    page = context.new_page()
    page.route(
        "**/*",
        lambda r: r.continue_() if urlsplit(r.request.url).hostname == "127.0.0.1" else r.abort(),
    )
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    sizes: dict[str, float] = {}
    cdp.on(
        "Network.loadingFinished",
        lambda e: sizes.__setitem__(e["requestId"], float(e["encodedDataLength"])),
    )
    page.goto(url, wait_until="commit")
    drawn_ms = page.wait_for_function(
        f"() => document.querySelectorAll({selector!r}).length === {UNITS} && performance.now()",
        polling="raf",
        timeout=60_000,
    ).json_value()
    page.wait_for_load_state("networkidle")
    context.close()
    return sum(sizes.values()) / 2**20, float(drawn_ms) / 1000


def measure(runs: int = 3, *, verbose: bool = False) -> dict[str, Any]:
    """Cold-load /peta and the naive page ``runs`` times each; return the medians.

    Returns
    -------
    dict
        ``peta_mb``, ``peta_s``, ``naive_mb``, ``naive_s``, ``ratio`` (naive MB over /peta MB),
        ``runs`` and the targets ``target_mb``, ``target_s``, ``target_ratio``.
    """

    def say(text: str) -> None:
        if verbose:
            print(text)

    from playwright.sync_api import sync_playwright

    settings = get_settings()
    if not settings.build_path.exists():
        raise RuntimeError(f"no build at {settings.build_path}: run `ketahanan build` first")
    port = free_port()
    env = {**os.environ, "KETAHANAN_BASEMAP_URL": "none"}
    with tempfile.TemporaryDirectory() as tmp:
        env["KETAHANAN_DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        server = subprocess.Popen(
            [
                *(sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory"),
                *("--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"),
            ],
            env=env,
            cwd=PROJECT_ROOT,
        )
        static_port = free_port()
        naive_dir = Path(tmp) / "naive"
        naive_dir.mkdir()
        naive_page(naive_dir, settings.build_path)
        handler = functools.partial(_Quiet, directory=str(naive_dir))
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", static_port), handler)
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        try:
            deadline = time.monotonic() + 90
            while True:
                try:
                    if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("the app did not start")
                time.sleep(0.2)
            # Warm the server's caches once (a planner's page is rarely the first request).
            httpx.get(f"http://127.0.0.1:{port}/peta", timeout=30)
            results: dict[str, list[tuple[float, float]]] = {"peta": [], "naive": []}
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)

                def factory() -> Any:
                    return browser.new_context(viewport={"width": 1280, "height": 860})

                for i in range(runs):
                    peta = load_once(
                        factory, f"http://127.0.0.1:{port}/peta", "path.ketahanan-unit"
                    )
                    naive = load_once(
                        factory,
                        f"http://127.0.0.1:{static_port}/naive.html",
                        "path.leaflet-interactive",
                    )
                    results["peta"].append(peta)
                    results["naive"].append(naive)
                    say(
                        f"run {i + 1}: /peta {peta[0]:.2f} MB {peta[1]:.2f} s | "
                        f"naive {naive[0]:.2f} MB {naive[1]:.2f} s"
                    )
                browser.close()
        finally:
            httpd.shutdown()
            server.terminate()
            server.wait(timeout=10)

    def med(name: str, i: int) -> float:
        return statistics.median(r[i] for r in results[name])

    peta_mb, peta_s = med("peta", 0), med("peta", 1)
    naive_mb, naive_s = med("naive", 0), med("naive", 1)
    ratio = naive_mb / peta_mb
    return {
        "runs": runs,
        "peta_mb": peta_mb,
        "peta_s": peta_s,
        "naive_mb": naive_mb,
        "naive_s": naive_s,
        "ratio": ratio,
        "target_mb": TARGET_MB,
        "target_s": TARGET_S,
        "target_ratio": TARGET_RATIO,
    }


def main() -> int:
    """Run the benchmark and print both pages side by side."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    try:
        r = measure(args.runs, verbose=True)
    except RuntimeError as exc:
        print(exc, file=sys.stderr)
        return 2
    peta_mb, peta_s, naive_mb, naive_s, ratio = (
        r["peta_mb"],
        r["peta_s"],
        r["naive_mb"],
        r["naive_s"],
        r["ratio"],
    )
    print(f"\nmedian of {args.runs} cold loads in headless Chromium (1280x860):")
    print(f"{'page':<8}{'transferred':>14}{'choropleth drawn':>20}")
    print(f"{'/peta':<8}{peta_mb:>11.2f} MB{peta_s:>18.2f} s")
    print(f"{'naive':<8}{naive_mb:>11.2f} MB{naive_s:>18.2f} s")
    print(
        f"/peta is {ratio:.1f}x lighter and {naive_s / peta_s:.1f}x faster than the naive page; "
        f"targets: <= {TARGET_MB} MB (ratio {peta_mb / TARGET_MB:.2f}), <= {TARGET_S} s "
        f"(ratio {peta_s / TARGET_S:.2f}), >= {TARGET_RATIO:.0f}x lighter"
    )
    ok = peta_mb <= TARGET_MB and peta_s <= TARGET_S and ratio >= TARGET_RATIO
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
