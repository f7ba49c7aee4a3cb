"""Benchmark: all indicators for Jakarta, and scaling on synthetic tilings.

Run: ``python benchmarks/bench_indicators.py [--tiles 1 8 64] [--runs 1]``. Prints the time to
compute every indicator and score for the real build inputs (target <= 10 s), then for tilings
of the inputs (kelurahan and every thematic layer copied and shifted in space, the depth grid
tiled to match) the time, the peak traced memory and the growth ratio per copy (1.0 = linear).
"""

from __future__ import annotations

import argparse
import math
import statistics
import time
import tracemalloc
from types import SimpleNamespace
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from affine import Affine

from geo.build import build_layers
from geo.indicators.compute import compute_indicators
from geo.settings import Settings

CODE_COLUMNS = ("kode", "kode_kecamatan", "kode_kota", "kode_kelurahan")


def tile(layers: dict[str, Any], grid: Any, copies: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """Copy every layer ``copies`` times on a square layout, shifted by the grid's size."""
    side = math.ceil(math.sqrt(copies))
    rows, cols = grid.array.shape
    dx, dy = cols * grid.transform.a, rows * -grid.transform.e
    out: dict[str, Any] = {}
    for name, frame in layers.items():
        parts = []
        for i in range(copies):
            ox, oy = (i % side) * dx, -(i // side) * dy
            part = frame.copy()
            if isinstance(part, gpd.GeoDataFrame):
                part = part.set_geometry(part.geometry.translate(ox, oy))
            for c in CODE_COLUMNS:
                if c in part.columns and i:
                    part[c] = part[c].astype("string") + f"-{i}"
            parts.append(part)
        merged = pd.concat(parts, ignore_index=True)
        out[name] = (
            gpd.GeoDataFrame(merged, geometry="geometry", crs=frame.crs)
            if isinstance(frame, gpd.GeoDataFrame)
            else merged
        )
    big = np.full((rows * side, cols * side), np.nan)
    for i in range(copies):
        r, c = i // side, i % side
        big[r * rows : (r + 1) * rows, c * cols : (c + 1) * cols] = grid.array
    tiled = SimpleNamespace(array=big, transform=grid.transform * Affine.identity(), crs=grid.crs)
    return out, {"flood_depth_current": tiled}


NEEDED = (
    "kelurahan",
    "kecamatan",
    "kota",
    "rw",
    "flood_rw_2007",
    "flood_2017_rw_max",
    "pumps",
    "floodgates",
    "slum_rw",
    "waste_banks",
    "river_waste",
    "tj_stops",
    "rail_stations",
)


def run(layers: dict[str, Any], grids: dict[str, Any]) -> tuple[float, float]:
    """Seconds and peak traced MiB of one compute_indicators call."""
    tracemalloc.start()
    t0 = time.perf_counter()
    compute_indicators(layers, grids, None)
    seconds = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return seconds, peak


TARGET_S = 10.0
MANY_RUNS_UP_TO = 8
"""Tilings of at most this many copies are timed ``runs`` times; larger ones once."""


def measure(
    tiles: tuple[int, ...] = (1, 8, 64), runs: int = 1, *, verbose: bool = False
) -> dict[str, Any]:
    """Time every indicator for Jakarta, then for each tiling; medians of ``runs``.

    Tilings larger than :data:`MANY_RUNS_UP_TO` copies run once.

    Returns
    -------
    dict
        ``jakarta_s`` (all indicators and scores, median), ``target_s``, ``runs`` and
        ``scaling``: one row per tiling with ``copies``, ``kelurahan``, ``seconds``,
        ``peak_mib`` and ``ratio`` (time per copy over that of the first tiling; 1.0 = linear).
    """
    built = build_layers(Settings(), verify=False)
    layers = {k: v for k, v in built.layers.items() if k in NEEDED}
    grids = {"flood_depth_current": built.grids["flood_depth_current"]}
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        compute_indicators(layers, grids, None)
        times.append(time.perf_counter() - t0)
    jakarta = statistics.median(times)
    if verbose:
        print(f"Jakarta, all indicators and scores: {jakarta:.2f} s (target <= {TARGET_S:.0f} s)")
        print(f"{'copies':>7} {'kelurahan':>10} {'seconds':>9} {'peak MiB':>9} {'ratio':>6}")
    base: float | None = None
    rows = []
    for copies in tiles:
        tl, tg = tile(layers, grids["flood_depth_current"], copies)
        # a large tiling takes minutes (and tracemalloc slows it): one run
        measured = [run(tl, tg) for _ in range(runs if copies <= MANY_RUNS_UP_TO else 1)]
        seconds = statistics.median(m[0] for m in measured)
        peak = statistics.median(m[1] for m in measured)
        if base is None:
            base = seconds / copies
        ratio = (seconds / copies) / base
        rows.append(
            {
                "copies": copies,
                "kelurahan": len(tl["kelurahan"]),
                "seconds": seconds,
                "peak_mib": peak,
                "ratio": ratio,
            }
        )
        if verbose:
            n = len(tl["kelurahan"])
            print(f"{copies:>7} {n:>10} {seconds:>9.2f} {peak:>9.0f} {ratio:>6.2f}")
    return {"jakarta_s": jakarta, "target_s": TARGET_S, "runs": runs, "scaling": rows}


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tiles", type=int, nargs="*", default=[1, 8, 64])
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    measure(tuple(args.tiles), args.runs, verbose=True)


if __name__ == "__main__":
    main()
