"""Benchmark GeoJSON export: the API's ``f=geojson`` path against geopandas ``to_file``.

For each layer (kelurahan: 267 polygons; rw: 2,724 polygons; tj_stops: 8,650 points) the same
features are written as a GeoJSON file two ways, from data already in memory:

* **ketahanan**: what ``/collections/{id}/items?f=geojson`` does for an uncached request
  (``geo.ogc``: parse the query, run it, render the FeatureCollection bytes), written to
  a file; and, as *cold*, the same after loading the layer from the build GeoPackage (reading
  it and serialising its geometry once, as the app does at start-up or on a rebuild);
* **geopandas**: ``GeoDataFrame.to_file(path, driver="GeoJSON", COORDINATE_PRECISION=7)`` of
  the layer's GeoDataFrame (already read; 7 decimals as the API writes, so both files hold the
  same coordinates); *cold* adds ``geopandas.read_file`` of the layer.

    .venv/bin/python benchmarks/bench_export.py [--runs 5]

Target: the API path at least as fast as geopandas ``to_file`` (ratio >= 1).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd

from geo.ogc.collection import Collection
from geo.ogc.engine import queryables, run_query
from geo.ogc.query import parse_items_query
from geo.ogc.render.geojson import feature_bytes, feature_collection
from geo.settings import Settings
from geo.snapshot import load_snapshot

LAYERS = ("kelurahan", "rw", "tj_stops")
GDAL_OPTIONS = {"COORDINATE_PRECISION": 7}
"""GDAL GeoJSON layer option: 7 decimals, as the API writes (like for like output)."""
TARGET_RATIO = 1.0


def _timed(fn: Callable[[], Any], runs: int) -> tuple[float, Any]:
    """Median seconds of ``runs`` calls of ``fn`` and the last result."""
    times = []
    out = None
    for _ in range(runs):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def _load_collection(path: Path, name: str, settings: Settings) -> Collection:
    """One layer of the build as the app's snapshot loads it (geometry JSON made)."""
    snapshot = load_snapshot(path, catalogue_path=settings.catalogue_path, layers=(name,))
    coll = snapshot.get(name)
    coll.level(None)
    return coll


def _api_export(coll: Collection, settings: Settings, out: Path) -> int:
    """The ``f=geojson`` download path of the API, written to ``out``; returns its bytes."""
    query = parse_items_query(
        queryables(coll),
        [("f", "geojson")],
        limit_default=settings.items_limit_default,
        limit_max=settings.items_limit_max,
    )
    result = run_query(coll, query)
    features = feature_bytes(coll, query, result, result.page.tolist())
    body = feature_collection(
        features, matched=len(result.matched), links=[], timestamp="2019-01-01T00:00:00Z"
    )
    out.write_bytes(body)
    return len(body)


def measure(runs: int = 5, settings: Settings | None = None) -> dict[str, Any]:
    """Time both export paths for every layer; medians of ``runs`` (one warm-up run first).

    Returns
    -------
    dict
        ``{"layers": {name: {"features", "ketahanan_s", "geopandas_s", "ratio",
        "ketahanan_cold_s", "geopandas_cold_s", "cold_ratio", "ketahanan_mb",
        "geopandas_mb"}}, "runs": runs, "target_ratio": 1.0}``; ratio is geopandas time over
        ketahanan time (above 1: the API path is faster).
    """
    settings = settings or Settings()
    path = settings.build_path
    if not path.exists():
        raise FileNotFoundError(f"no build at {path}: run `ketahanan build` first")
    layers: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        for name in LAYERS:
            k_out, g_out = tmp / f"{name}.k.geojson", tmp / f"{name}.g.geojson"
            coll = _load_collection(path, name, settings)
            frame = gpd.read_file(path, layer=name)

            def to_file(frame: gpd.GeoDataFrame = frame, g_out: Path = g_out) -> None:
                g_out.unlink(missing_ok=True)
                frame.to_file(g_out, driver="GeoJSON", **GDAL_OPTIONS)

            def api(coll: Collection = coll, k_out: Path = k_out) -> int:
                return _api_export(coll, settings, k_out)

            def api_cold(name: str = name, k_out: Path = k_out) -> int:
                return _api_export(_load_collection(path, name, settings), settings, k_out)

            def gpd_cold(name: str = name, g_out: Path = g_out) -> None:
                g_out.unlink(missing_ok=True)
                gpd.read_file(path, layer=name).to_file(g_out, driver="GeoJSON", **GDAL_OPTIONS)

            api()  # warm-up: imports, page cache
            to_file()
            k_s, _ = _timed(api, runs)
            g_s, _ = _timed(to_file, runs)
            kc_s, _ = _timed(api_cold, runs)
            gc_s, _ = _timed(gpd_cold, runs)
            layers[name] = {
                "features": len(frame),
                "ketahanan_s": k_s,
                "geopandas_s": g_s,
                "ratio": g_s / k_s,
                "ketahanan_cold_s": kc_s,
                "geopandas_cold_s": gc_s,
                "cold_ratio": gc_s / kc_s,
                "ketahanan_mb": k_out.stat().st_size / 2**20,
                "geopandas_mb": g_out.stat().st_size / 2**20,
            }
    return {"layers": layers, "runs": runs, "target_ratio": TARGET_RATIO}


def main() -> int:
    """Run the benchmark and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    try:
        result = measure(args.runs)
    except FileNotFoundError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(f"GeoJSON export, median of {args.runs} runs (seconds; ratio = geopandas / ketahanan)")
    print(
        f"{'layer':<10}{'features':>9}{'ketahanan':>11}{'geopandas':>11}{'ratio':>7}"
        f"{'k cold':>9}{'gpd cold':>10}{'ratio':>7}{'k MB':>7}{'gpd MB':>8}"
    )
    ok = True
    for name, r in result["layers"].items():
        print(
            f"{name:<10}{r['features']:>9}{r['ketahanan_s']:>11.4f}{r['geopandas_s']:>11.4f}"
            f"{r['ratio']:>6.1f}x{r['ketahanan_cold_s']:>9.3f}{r['geopandas_cold_s']:>10.3f}"
            f"{r['cold_ratio']:>6.1f}x{r['ketahanan_mb']:>7.2f}{r['geopandas_mb']:>8.2f}"
        )
        ok &= r["ratio"] >= TARGET_RATIO
    print(f"target: ketahanan at least as fast as geopandas to_file: {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
