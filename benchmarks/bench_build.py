"""Benchmark the full build: wall time, peak memory and the time of each step.

Runs the build in a fresh subprocess per repetition (so peak RSS is the build's own), into a
temporary folder, and prints the median of the runs.

    .venv/bin/python benchmarks/bench_build.py [--runs 3]

Target on the 2-core reference machine: <= 30 s and <= 1.5 GB.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from typing import Any

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from geo.settings import Settings
from geo.build import run_build
out = Path(sys.argv[1])
settings = Settings(build_path=out / "ketahanan.gpkg", user_layers_path=out / "none.json")
t = time.perf_counter()
report = run_build(settings)
wall = time.perf_counter() - t
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"wall_s": wall, "peak_rss_mb": peak_mb, "steps": report.timings_s,
                  "output_mb": settings.build_path.stat().st_size / 2**20}))
"""

TARGET_S = 30.0
TARGET_MB = 1536.0


def measure(runs: int = 3, *, verbose: bool = False) -> dict[str, Any]:
    """Build ``runs`` times, each in a fresh subprocess; return the medians.

    Returns
    -------
    dict
        ``runs``, ``wall_s``, ``peak_rss_mb``, ``output_mb``, ``steps`` (median seconds of each
        step), ``target_s`` and ``target_mb``.
    """
    results = []
    for i in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            proc = subprocess.run(
                [sys.executable, "-c", CHILD, tmp], capture_output=True, text=True, check=True
            )
            results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
            last = results[-1]
            if verbose:
                print(f"run {i + 1}: {last['wall_s']:.2f} s, peak RSS {last['peak_rss_mb']:.0f} MB")
    return {
        "runs": runs,
        "wall_s": statistics.median(r["wall_s"] for r in results),
        "peak_rss_mb": statistics.median(r["peak_rss_mb"] for r in results),
        "output_mb": results[0]["output_mb"],
        "steps": {
            step: statistics.median(r["steps"][step] for r in results)
            for step in results[0]["steps"]
        },
        "target_s": TARGET_S,
        "target_mb": TARGET_MB,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    r = measure(args.runs, verbose=True)
    wall, peak = r["wall_s"], r["peak_rss_mb"]
    print(
        f"\nfull build, median of {r['runs']}: {wall:.2f} s (target <= {TARGET_S:.0f} s, "
        f"ratio {wall / TARGET_S:.2f}), peak RSS {peak:.0f} MB (target <= {TARGET_MB:.0f} MB, "
        f"ratio {peak / TARGET_MB:.2f}), output {r['output_mb']:.1f} MB"
    )
    print("steps (median s):")
    for step, seconds in r["steps"].items():
        print(f"  {step:<22} {seconds:7.2f}")


if __name__ == "__main__":
    main()
