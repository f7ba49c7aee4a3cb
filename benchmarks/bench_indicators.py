"""Benchmark: all indicators for Jakarta, and scaling on synthetic tilings.

Run: ``python benchmarks/bench_indicators.py [--tiles 1 8 64]``. Prints the time to compute
every indicator and score for the real build inputs (target <= 10 s), then for tilings of the
inputs (kelurahan and every thematic layer copied and shifted in space, the depth grid tiled to
match) the time, the peak traced memory and the growth ratio per copy (1.0 = linear).
"""

from __future__ import annotations

import argparse
import math
import time
import tracemalloc
from types import SimpleNamespace
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from affine import Affine

from geo.build import build_layers
from geo.indicators import compute_indicators
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


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tiles", type=int, nargs="*", default=[1, 8, 64])
    args = parser.parse_args()
    built = build_layers(Settings(), verify=False)
    layers = {k: v for k, v in built.layers.items() if k in NEEDED}
    grids = {"flood_depth_current": built.grids["flood_depth_current"]}
    t0 = time.perf_counter()
    compute_indicators(layers, grids, None)
    print(f"Jakarta, all indicators and scores: {time.perf_counter() - t0:.2f} s (target <= 10 s)")
    base: tuple[float, float] | None = None
    print(f"{'copies':>7} {'kelurahan':>10} {'seconds':>9} {'peak MiB':>9} {'time/copy ratio':>16}")
    for copies in args.tiles:
        tl, tg = tile(layers, grids["flood_depth_current"], copies)
        seconds, peak = run(tl, tg)
        if base is None:
            base = (seconds / copies, peak / copies)
        ratio = (seconds / copies) / base[0]
        print(f"{copies:>7} {len(tl['kelurahan']):>10} {seconds:>9.2f} {peak:>9.0f} {ratio:>16.2f}")


if __name__ == "__main__":
    main()
