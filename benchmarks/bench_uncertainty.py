"""Benchmark: what the rank-uncertainty Monte Carlo adds to the build (target <= 5 s).

Run: ``python benchmarks/bench_uncertainty.py [--runs 3] [--draws 1000]``. Reads the indicator
columns of the build output (``KETAHANAN_BUILD_PATH``; ``ketahanan build`` first), rescores
every level with the build's weights and times :func:`geo.uncertainty.rank_uncertainty` for
all levels and pillars, as the build runs it. Prints the seconds (median of ``--runs``), the
ratio to the 5 s target, the time per 1,000 draws, and checks that a second run with the
same seed gives the same numbers.
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Any

import pandas as pd

from geo.build import load_layer
from geo.indicators.dictionary import definitions_of, weights_of
from geo.ogc.values import json_records, parse_json_cell
from geo.scores import score_units
from geo.settings import get_settings
from geo.uncertainty import UncertaintyParams, rank_uncertainty
from geo.vocabulary import Level, is_score_column

TARGET_S = 5.0


def _inputs() -> tuple[dict[Level, pd.DataFrame], dict[str, Any], dict[str, float]]:
    path = get_settings().build_path
    entries = [
        {k: parse_json_cell(v) for k, v in r.items()}
        for r in json_records(load_layer(path, "data_dictionary"))
    ]
    definitions = definitions_of(entries)
    weights = weights_of(entries, definitions)
    frames = {}
    for level in Level:
        frame = pd.DataFrame(load_layer(path, str(level)).drop(columns="geometry"))
        frame = frame[[c for c in frame.columns if not is_score_column(str(c))]]
        scores = score_units(frame, level, weights, definitions=definitions)
        frames[level] = pd.concat([frame, scores], axis=1)
    return frames, definitions, weights


def measure(runs: int = 3, draws: int = 1000) -> dict[str, Any]:
    """Median seconds of the Monte Carlo over all levels and pillars, and the reproducibility."""
    frames, definitions, weights = _inputs()
    params = UncertaintyParams(draws=draws)
    times, results = [], []
    for _ in range(runs):
        start = time.perf_counter()
        results.append(
            [rank_uncertainty(f, lvl, weights, definitions, params) for lvl, f in frames.items()]
        )
        times.append(time.perf_counter() - start)
    same = all(a.equals(b) for a, b in zip(results[0], results[-1], strict=True))
    seconds = statistics.median(times)
    units = sum(len(f) for f in frames.values())
    return {"seconds": seconds, "target_s": TARGET_S, "draws": draws, "units": units, "same": same}


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--draws", type=int, default=1000)
    args = parser.parse_args()
    r = measure(args.runs, args.draws)
    print(
        f"rank uncertainty, {r['draws']} draws x 3 pillars x 3 levels ({r['units']} units): "
        f"{r['seconds']:.2f} s (target <= {r['target_s']:.0f} s, ratio "
        f"{r['seconds'] / r['target_s']:.2f}); {r['seconds'] / r['draws'] * 1000:.2f} s per "
        f"1,000 draws; same seed, same numbers: {r['same']}"
    )


if __name__ == "__main__":
    main()
