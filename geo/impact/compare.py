"""What a scenario changes against the base scenario, per unit, and which units gain most.

For a scenario ``alt`` compared with ``base`` (the planned works against today):

* ``no_longer_affected = affected(base) - affected(alt)`` (negative: more people affected),
* ``moved_out_of_high = people_high(base) - people_high(alt)`` (negative: more in high),
* ``displaced_avoided = displaced(base) - displaced(alt)``,
* ``area_class_lower_km2`` / ``area_class_higher_km2``: where both grids share one lattice,
  the area (METRIC_CRS) of the cells whose class is lower / higher in ``alt``; null when the
  grids' cells differ (a planner's grid on another lattice),
* ``change``: ``gain`` when something is better and nothing worse, ``loss`` when something
  is worse and nothing better, ``mixed`` when both, ``none`` when neither (of the three
  people counts above and the two areas) though people are affected in one of the two,
  ``unaffected`` when neither and nobody is affected in either,
* ``gain_rank``: 1 for the unit of its level that gains most, ordered by
  ``no_longer_affected``, then ``moved_out_of_high``, then ``displaced_avoided`` (largest
  first), then the code; the last ranks are the units that lose most.

Every count is an exact difference of the two scenarios' whole-person counts, so the
differences of a kecamatan are the sums of its kelurahan's.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.impact.hazard import CellIndex
from geo.impact.scenarios import UNIT_COLUMNS, ScenarioImpact

DIFFERENCE_COLUMNS = (
    "skenario",
    "dibanding",
    "population",
    "affected_base",
    "affected_alt",
    "no_longer_affected",
    "people_high_base",
    "people_high_alt",
    "moved_out_of_high",
    "displaced_base",
    "displaced_alt",
    "displaced_avoided",
    "area_class_lower_km2",
    "area_class_higher_km2",
    "change",
    "gain_rank",
)
"""Columns of a difference layer after the unit's identity."""

CHANGES = ("gain", "mixed", "none", "loss", "unaffected")
"""Values of ``change``."""


def class_transitions(
    kelurahan: gpd.GeoDataFrame, base: ScenarioImpact, alt: ScenarioImpact, cells: CellIndex
) -> pd.DataFrame | None:
    """Area of the cells whose class falls / rises from ``base`` to ``alt``, per kelurahan.

    Returns None when the two scenarios are not grids on the same lattice. ``cells`` is the
    :class:`geo.impact.hazard.CellIndex` of the kelurahan on the base grid.
    """
    if base.classes is None or alt.classes is None or base.grid_key != alt.grid_key:
        return None
    both = (base.classes >= 0) & (alt.classes >= 0)
    delta = np.where(both, alt.classes.astype("int16") - base.classes.astype("int16"), 0).ravel()
    size = cells.n_units + 1
    lower = np.bincount(cells.labels, weights=np.where(delta < 0, cells.areas, 0.0), minlength=size)
    higher = np.bincount(
        cells.labels, weights=np.where(delta > 0, cells.areas, 0.0), minlength=size
    )
    return pd.DataFrame(
        {"area_class_lower_km2": lower[1:] / 1e6, "area_class_higher_km2": higher[1:] / 1e6},
        index=kelurahan["kode"].astype(str).to_numpy(),
    )


def _transitions_by_level(transitions: pd.DataFrame, frame: pd.DataFrame) -> pd.DataFrame:
    """Transition areas of every row of an all-levels frame (sums of its kelurahan)."""
    kel = frame[frame["tingkat"] == "kelurahan"][["kode", "kode_kecamatan", "kode_kota"]]
    kel = kel.join(transitions, on="kode")
    out = []
    for level, key in (
        ("kelurahan", "kode"),
        ("kecamatan", "kode_kecamatan"),
        ("kota", "kode_kota"),
    ):
        summed = kel.groupby(key)[["area_class_lower_km2", "area_class_higher_km2"]].sum()
        summed.index = pd.MultiIndex.from_product([[level], summed.index])
        out.append(summed)
    return pd.concat(out)


def difference(
    base: ScenarioImpact, alt: ScenarioImpact, transitions: pd.DataFrame | None
) -> gpd.GeoDataFrame:
    """The difference layer of ``alt`` against ``base``, at every level (``tingkat``).

    Parameters
    ----------
    base, alt : ScenarioImpact
        Their ``levels["all"]`` frames (same units, same order).
    transitions : DataFrame or None
        From :func:`class_transitions` (None: the area columns are null).

    Returns
    -------
    GeoDataFrame
        :data:`UNIT_COLUMNS`, :data:`DIFFERENCE_COLUMNS` and geometry.
    """
    b, a = base.levels["all"], alt.levels["all"]
    if not (b["kode"].to_numpy() == a["kode"].to_numpy()).all():
        raise ValueError("the two scenarios' layers do not hold the same units in one order")
    out = pd.DataFrame(b[list(UNIT_COLUMNS)])
    out["skenario"] = alt.scenario.id
    out["dibanding"] = base.scenario.id
    out["population"] = b["population"].to_numpy()
    pairs = {
        "affected": "no_longer_affected",
        "people_high": "moved_out_of_high",
        "displaced": "displaced_avoided",
    }
    for column, gain in pairs.items():
        out[f"{column}_base"] = b[column].to_numpy()
        out[f"{column}_alt"] = a[column].to_numpy()
        out[gain] = out[f"{column}_base"] - out[f"{column}_alt"]
    if transitions is not None:
        by_level = _transitions_by_level(transitions, out)
        index = pd.MultiIndex.from_arrays([out["tingkat"], out["kode"]])
        for col in ("area_class_lower_km2", "area_class_higher_km2"):
            out[col] = by_level[col].reindex(index).to_numpy()
    else:
        out["area_class_lower_km2"] = np.nan
        out["area_class_higher_km2"] = np.nan
    out["change"] = _change(out, transitions is not None)
    out["gain_rank"] = _gain_rank(out)
    return gpd.GeoDataFrame(
        out[[*UNIT_COLUMNS, *DIFFERENCE_COLUMNS]], geometry=b.geometry.to_numpy(), crs=b.crs
    )


def _change(out: pd.DataFrame, with_areas: bool) -> pd.Series:
    people = out[["no_longer_affected", "moved_out_of_high", "displaced_avoided"]]
    better = (people > 0).any(axis=1)
    worse = (people < 0).any(axis=1)
    if with_areas:
        lower = out["area_class_lower_km2"].fillna(0) > 0
        higher = out["area_class_higher_km2"].fillna(0) > 0
        better, worse = better | lower, worse | higher
    flooded = (out["affected_base"].fillna(0) > 0) | (out["affected_alt"].fillna(0) > 0)
    change = np.select(
        [better & ~worse, better & worse, worse & ~better, flooded],
        ["gain", "mixed", "loss", "none"],
        "unaffected",
    )
    result = pd.Series(change, index=out.index, dtype=object)
    return result.where(people.notna().all(axis=1), None)


def _gain_rank(out: pd.DataFrame) -> pd.Series:
    rank = pd.Series(np.nan, index=out.index)
    keys = ["no_longer_affected", "moved_out_of_high", "displaced_avoided"]
    for _, rows in out[out[keys].notna().all(axis=1)].groupby("tingkat"):
        ordered = rows.sort_values([*keys, "kode"], ascending=[False, False, False, True])
        rank.loc[ordered.index] = np.arange(1, len(ordered) + 1)
    return rank


def ranked(diff: pd.DataFrame, level: str = "kelurahan") -> dict[str, pd.DataFrame]:
    """The units of a level that gain most, and those that gain nothing or lose.

    Returns
    -------
    dict
        ``gain``: units whose change is gain or mixed, by ``gain_rank``; ``none_or_loss``:
        units with people affected whose change is none or loss, those that lose most
        first (by ``gain_rank`` from the end). Units nobody is affected in are in neither.
    """
    rows = diff[(diff["tingkat"] == level) & diff["change"].notna()]
    gain = rows[rows["change"].isin(("gain", "mixed"))].sort_values("gain_rank")
    rest = rows[rows["change"].isin(("none", "loss"))].sort_values("gain_rank", ascending=False)
    return {"gain": gain, "none_or_loss": rest}
