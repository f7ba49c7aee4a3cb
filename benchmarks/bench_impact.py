"""Benchmark: every impact indicator for both HKV scenarios (today, with the planned works).

Run: ``python benchmarks/bench_impact.py [--runs 3]``. Reads the real build inputs once (not
timed), then times :func:`geo.impact.compute.compute_impact`: hazard classes of both depth
grids, people per class, displaced, sex and age groups, minimum needs per kelurahan,
kecamatan and kota, the difference of the works against today with its ranking, the
February 2017 scenario, the DKI summary, the data dictionary and the reconciliation checks.
That is more than the target asks (both HKV scenarios), so the figure is an upper bound. It
prints the median seconds, the ratio to the target (<= 5 s) and the load average before and
after, since this machine is shared.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from typing import Any

from geo.build import build_layers
from geo.impact.compute import compute_impact
from geo.impact.exposure import REGISTER_FILE, read_register
from geo.settings import Settings

TARGET_S = 5.0


def _inputs() -> dict[str, Any]:
    settings = Settings()
    built = build_layers(settings, verify=False)
    kel = built.layers["kelurahan"]
    register = read_register(
        settings.data_dir / "population" / REGISTER_FILE,
        dict(zip(kel["kode"], kel["population"], strict=True)),
    )
    return {"layers": built.layers, "grids": built.grids, "register": register.frame}


def measure(runs: int = 3, *, verbose: bool = False) -> dict[str, Any]:
    """Median seconds of ``runs`` impact computations, the ratio to the target, the load.

    Returns
    -------
    dict
        ``seconds`` (median), ``runs``, ``target_s``, ``ratio`` (seconds / target),
        ``load_before`` and ``load_after`` (1, 5, 15 minute load averages), ``affected`` (DKI
        total per scenario, a check that the work was done).
    """
    inputs = _inputs()
    settings = Settings()
    load_before = os.getloadavg()
    times = []
    result = None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = compute_impact(inputs["layers"], inputs["grids"], inputs["register"], settings)
        times.append(time.perf_counter() - t0)
    load_after = os.getloadavg()
    seconds = statistics.median(times)
    assert result is not None
    affected = {sid: checks["affected"] for sid, checks in result.checks.items()}
    out = {
        "seconds": seconds,
        "runs": runs,
        "target_s": TARGET_S,
        "ratio": seconds / TARGET_S,
        "load_before": load_before,
        "load_after": load_after,
        "affected": affected,
    }
    if verbose:
        verdict = "met" if seconds <= TARGET_S else "NOT met"
        print(
            f"all impact indicators, both HKV scenarios (+ Feb 2017, difference, checks): "
            f"{seconds:.2f} s median of {runs} (runs: {', '.join(f'{t:.2f}' for t in times)})"
        )
        print(f"target <= {TARGET_S:.0f} s; ratio {out['ratio']:.2f} ({verdict})")
        print(
            "load average (1/5/15 min): before "
            + " / ".join(f"{v:.2f}" for v in load_before)
            + "; after "
            + " / ".join(f"{v:.2f}" for v in load_after)
            + f" on {os.cpu_count()} cores"
        )
        print("affected (DKI): " + ", ".join(f"{k} {v:,.0f}" for k, v in affected.items()))
    return out


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    measure(args.runs, verbose=True)


if __name__ == "__main__":
    main()
