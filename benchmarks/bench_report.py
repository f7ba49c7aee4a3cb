"""Benchmark the PDF report of a kelurahan (``/laporan/kelurahan/{kode}.pdf``).

The app runs in process (FastAPI's TestClient, the real build, an empty SQLite actions store);
each request makes the report from scratch: the profile, the SVG map (matplotlib), the HTML
and the PDF (WeasyPrint). The first request also pays for importing WeasyPrint and loading
the fonts; the figure that counts is the median of the following ones, each for another
kelurahan. The time spent in each step is printed too.

    .venv/bin/python benchmarks/bench_report.py [--runs 10]

Needs a build (``ketahanan build``). Target: a kelurahan PDF in <= 2 s.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from api.app import create_app
from geo.settings import get_settings
from web.i18n import Translator
from web.profiles import unit_profile
from web.reports.maps import unit_map_svg
from web.reports.pdf import render_pdf, report_html
from web.units import AdminUnits

TARGET_S = 2.0


def _steps(units: AdminUnits, kode: str) -> dict[str, float]:
    """Seconds of each step of one report, timed on their own."""
    out: dict[str, float] = {}
    t0 = time.perf_counter()
    unit_profile(units, "kelurahan", kode, Translator("id"), [])
    out["profile"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    unit_map_svg(units, "kelurahan", kode)
    out["map (matplotlib SVG)"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    html = report_html(units, "kelurahan", kode, "id", [], catalogue=None, query="bench") or ""
    out["HTML (with map)"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    render_pdf(html)
    out["PDF (WeasyPrint)"] = time.perf_counter() - t0
    return out


def measure(runs: int) -> dict[str, object]:
    """Time ``runs`` kelurahan reports after a first one; the figures and the steps."""
    tmp = Path(tempfile.mkdtemp(prefix="bench-report-"))
    settings = get_settings().model_copy(
        update={"database_url": f"sqlite:///{tmp / 'a.sqlite'}", "basemap_url": "none"}
    )
    with TestClient(create_app(settings)) as client:
        from api.store import served_build
        from web.units import admin_units

        units = admin_units(served_build(client.app).current())  # type: ignore[arg-type]
        codes = units.frames["kelurahan"]["kode"].astype(str).tolist()
        t0 = time.perf_counter()
        first = client.get(f"/laporan/kelurahan/{codes[0]}.pdf")
        cold = time.perf_counter() - t0
        assert first.status_code == 200, first.text[:300]
        times = []
        step = max(1, len(codes) // runs)
        for kode in codes[step::step][:runs]:
            t0 = time.perf_counter()
            response = client.get(f"/laporan/kelurahan/{kode}.pdf")
            times.append(time.perf_counter() - t0)
            assert response.status_code == 200
        steps = _steps(units, codes[len(codes) // 2])
    return {
        "runs": len(times),
        "kib": len(first.content) / 1024,
        "cold_s": cold,
        "median_s": statistics.median(times),
        "min_s": min(times),
        "max_s": max(times),
        "steps": steps,
        "target_s": TARGET_S,
    }


def main() -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    r = measure(args.runs)
    median = float(r["median_s"])  # type: ignore[arg-type]
    print(f"kelurahan PDF report, {r['runs']} kelurahan, {r['kib']:.0f} KiB")
    print(f"  first request (imports WeasyPrint, loads fonts): {r['cold_s']:.2f} s")
    print(f"  median: {median:.2f} s  (min {r['min_s']:.2f} s, max {r['max_s']:.2f} s)")
    for name, seconds in r["steps"].items():  # type: ignore[attr-defined]
        print(f"    {name:<22} {seconds:.3f} s")
    verdict = "met" if median <= TARGET_S else "NOT met"
    print(f"  target <= {TARGET_S:.1f} s: {verdict} (ratio target/median {TARGET_S / median:.2f})")
    return 0 if median <= TARGET_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
