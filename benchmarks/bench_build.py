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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    runs = []
    for i in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            proc = subprocess.run(
                [sys.executable, "-c", CHILD, tmp], capture_output=True, text=True, check=True
            )
            runs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
            last = runs[-1]
            print(f"run {i + 1}: {last['wall_s']:.2f} s, peak RSS {last['peak_rss_mb']:.0f} MB")
    wall = statistics.median(r["wall_s"] for r in runs)
    peak = statistics.median(r["peak_rss_mb"] for r in runs)
    print(
        f"\nfull build, median of {len(runs)}: {wall:.2f} s (target <= {TARGET_S:.0f} s, "
        f"ratio {wall / TARGET_S:.2f}), peak RSS {peak:.0f} MB (target <= {TARGET_MB:.0f} MB, "
        f"ratio {peak / TARGET_MB:.2f}), output {runs[0]['output_mb']:.1f} MB"
    )
    print("steps (median s):")
    for step in runs[0]["steps"]:
        print(f"  {step:<22} {statistics.median(r['steps'][step] for r in runs):7.2f}")


if __name__ == "__main__":
    main()
