"""What the build can say today about each target of the strategy (``strategy/targets.csv``).

Each target gets one :class:`TargetReading`, of one of four kinds:

- ``proxy``: an indicator of the build that approximates the target's measure, with its formula.
  The Siap vulnerability target (80 % of area at low and 20 % at medium vulnerability by 2030)
  is read against the **relative** Siap score: the share of the area of the kelurahan that
  have a Siap score lying in its lowest third (score < 1/3) or middle third (1/3 to 2/3). The
  score ranks kelurahan against each other (min-max scaled, 1 = most exposed); it is not an
  absolute measure of vulnerability, so this is an approximation, and kelurahan without a
  score are left out of the area. The clean-water target is read against
  ``sehat_clean_water_access`` (population-weighted mean) once a planner loads that layer;
  until then there is no data.
- ``reported``: a figure reported by a source the build holds, not computed by it (the
  province's piped-water coverage from press reports, for the piped-water context target).
- ``none``: no indicator of the build measures it ("tidak ada data").

Nothing here is a forecast or an invented figure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from geo.strategy import Target

LOW, HIGH = 1 / 3, 2 / 3
"""Bounds of the thirds of the 0-1 Siap score (equal intervals)."""
CLEAN_WATER = "sehat_clean_water_access"
PIPED = "piped_coverage_percent"


@dataclass(frozen=True)
class TargetReading:
    """What the build says about one target.

    Attributes
    ----------
    kind : str
        ``proxy``, ``reported`` or ``none``.
    value : float or None
        The reading in the target's unit (a percent), None without data.
    formula : str or None
        How the value is computed (proxies) or where it comes from (reported).
    basis : str or None
        What the value rests on: units counted, dates, the indicator read.
    """

    kind: str
    value: float | None = None
    formula: str | None = None
    basis: str | None = None


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    """A column as numbers (all null when the frame lacks it)."""
    if name not in frame.columns:
        return pd.Series(float("nan"), index=frame.index)
    return pd.to_numeric(frame[name], errors="coerce")


def _score_thirds(kelurahan: pd.DataFrame, band: str) -> TargetReading:
    scores = _column(kelurahan, "score_siap")
    area = _column(kelurahan, "area_km2")
    scored = scores.notna() & area.notna()
    lo, hi = (0.0, LOW) if band == "low" else (LOW, HIGH)
    inside = scored & (scores >= lo) & (scores < hi)
    formula = (
        f"Σ area_km2 of kelurahan with {lo:.2f} ≤ score_siap < {hi:.2f} ÷ Σ area_km2 of kelurahan "
        "with a score_siap × 100 (the score is relative: min-max over the kelurahan)"
    )
    if not scored.any():
        return TargetReading("none", None, formula, "no kelurahan has a Siap score")
    value = float(area[inside].sum() / area[scored].sum() * 100)
    left_out = int((~scored).sum())
    basis = (
        f"{int(scored.sum())} kelurahan with a Siap score ({area[scored].sum():.1f} km²); "
        f"{left_out} without one left out"
    )
    return TargetReading("proxy", value, formula, basis)


def _clean_water(kelurahan: pd.DataFrame) -> TargetReading:
    formula = f"Σ ({CLEAN_WATER} × population) ÷ Σ population over kelurahan with a value × 100"
    values, population = _column(kelurahan, CLEAN_WATER), _column(kelurahan, "population")
    known = values.notna() & population.notna()
    if not known.any():
        basis = (
            f"{CLEAN_WATER} has no data until a planner loads a layer "
            f"(ketahanan layer add PATH --indicator {CLEAN_WATER})"
        )
        return TargetReading("none", None, formula, basis)
    value = float((values[known] * population[known]).sum() / population[known].sum() * 100)
    return TargetReading("proxy", value, formula, f"{int(known.sum())} kelurahan with a value")


def _piped(reports: pd.DataFrame | None) -> TargetReading:
    if reports is None or "indicator" not in reports:
        return TargetReading("none")
    rows = reports[(reports["indicator"] == PIPED) & (reports["unit_level"] == "province")]
    if rows.empty:
        return TargetReading("none")
    last = rows.iloc[-1]  # the table lists the reports oldest first
    formula = f"piped_water_reports: {PIPED} (province), as reported; not computed by the build"
    basis = f"{last['period']}; {last.get('source_url') or ''}".strip("; ")
    return TargetReading("reported", float(last["value"]), formula, basis)


def read_target(
    target: Target, kelurahan: pd.DataFrame, piped_reports: pd.DataFrame | None = None
) -> TargetReading:
    """What the build says about one target.

    Parameters
    ----------
    target : Target
        From :func:`geo.strategy.load_strategy`.
    kelurahan : DataFrame
        The build's kelurahan (``area_km2``, ``population``, scores and indicators).
    piped_reports : DataFrame, optional
        The build's ``piped_water_reports`` table.

    Returns
    -------
    TargetReading
    """
    unit = (target.unit or "").lower()
    if target.pilar == "siap" and "low vulnerability" in unit:
        return _score_thirds(kelurahan, "low")
    if target.pilar == "siap" and "medium vulnerability" in unit:
        return _score_thirds(kelurahan, "medium")
    if (
        target.pilar == "sehat"
        and target.from_strategy
        and target.target_en == "Access to clean water"
    ):
        return _clean_water(kelurahan)
    if target.pilar == "sehat" and "piped" in target.target_en.lower():
        return _piped(piped_reports)
    return TargetReading("none")


def read_targets(
    targets: Sequence[Target], kelurahan: pd.DataFrame, piped_reports: pd.DataFrame | None = None
) -> list[tuple[Target, TargetReading]]:
    """:func:`read_target` of each target, in order."""
    return [(t, read_target(t, kelurahan, piped_reports)) for t in targets]
