"""The impact step of the build: every scenario, its differences, a summary, the dictionary.

:func:`compute_impact` turns the build's kelurahan, kecamatan, kota, RW and 2017 flood layers
and its depth grids (plus planners' grids) into these build layers:

* ``dampak_<scenario>``: every impact indicator per kelurahan, kecamatan and kota
  (``tingkat``), one per scenario;
* ``dampak_selisih_<scenario>``: the difference against the base scenario (``kini``) for each
  scenario compared with it;
* ``dampak_ringkasan``: DKI-wide people, displaced and area per class and scenario (InaSAFE's
  summary per class);
* ``dampak_skenario``: the scenarios (names, hazard, date, question, caveats);
* ``dampak_kamus``: the data dictionary of every impact column (:mod:`geo.impact.dictionary`).

Before returning, every total is checked (:func:`reconcile`); a build whose numbers do not
add up stops with a :class:`geo.errors.DataError` instead of writing them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import CRS

from geo.errors import DataError
from geo.impact.compare import class_transitions, difference
from geo.impact.dictionary import impact_dictionary
from geo.impact.exposure import group_columns
from geo.impact.hazard import (
    CLASS_AREA_COLUMNS,
    CellIndex,
    Thresholds,
    cell_index,
    classify_depth,
    grid_class_areas,
    rw_state_class_areas,
)
from geo.impact.names import (
    DICTIONARY_TABLE,
    SCENARIO_TABLE,
    SUMMARY_TABLE,
    difference_layer,
    scenario_layer,
)
from geo.impact.needs import NEED_COLUMNS, NEEDS
from geo.impact.scenarios import (
    BASE_SCENARIO,
    BUILTIN_SCENARIOS,
    Scenario,
    ScenarioImpact,
    all_levels,
    scenario_impact,
)


@dataclass
class ImpactResult:
    """What the impact step adds to a build."""

    layers: dict[str, gpd.GeoDataFrame | pd.DataFrame]
    impacts: dict[str, ScenarioImpact]
    differences: dict[str, gpd.GeoDataFrame]
    dictionary: list[dict[str, Any]]
    checks: dict[str, Any] = field(default_factory=dict)


def _grid_key(grid: Any) -> tuple[Any, ...]:
    """Shape, transform and CRS of a grid: equal keys mean the same cells."""
    crs = CRS.from_user_input(grid.crs)
    return (np.shape(grid.array), tuple(grid.transform), crs.to_epsg() or crs.to_wkt())


class _Lattices:
    """The kelurahan's :class:`CellIndex` per grid lattice, computed once per lattice."""

    def __init__(self, kelurahan: gpd.GeoDataFrame) -> None:
        self.kelurahan = kelurahan
        self.known: dict[tuple[Any, ...], CellIndex] = {}

    def of(self, grid: Any) -> CellIndex:
        key = _grid_key(grid)
        if key not in self.known:
            self.known[key] = cell_index(self.kelurahan, grid)
        return self.known[key]


def _impact_of(
    scenario: Scenario,
    layers: Mapping[str, Any],
    grid: Any,
    register: pd.DataFrame,
    settings: Any,
    lattices: _Lattices,
) -> ScenarioImpact:
    kel = layers["kelurahan"]
    classes = None
    if scenario.kind == "grid":
        classes = classify_depth(
            grid.array, Thresholds.from_settings(settings), dtype=getattr(grid, "dtype", "float64")
        )
        areas = grid_class_areas(kel, grid, classes, lattices.of(grid))
    else:
        rw = layers["rw"]
        covered = kel["kode"].isin(set(rw["kode_kelurahan"].dropna())).to_numpy()
        areas = rw_state_class_areas(kel, layers[scenario.hazard], covered)
    kel_impact = scenario_impact(kel, register, areas, scenario, settings)
    levels = {"all": all_levels(kel_impact, layers["kecamatan"], layers["kota"])}
    key = _grid_key(grid) if grid is not None else None
    return ScenarioImpact(scenario, levels, classes=classes, grid_key=key)


def compute_impact(
    layers: Mapping[str, Any],
    grids: Mapping[str, Any],
    register: pd.DataFrame,
    settings: Any,
    planner: Sequence[tuple[Scenario, Any]] = (),
) -> ImpactResult:
    """Every impact layer of the build.

    Parameters
    ----------
    layers : mapping
        The build layers: ``kelurahan``, ``kecamatan``, ``kota``, ``rw`` and
        ``flood_2017_rw_max``.
    grids : mapping
        The build grids (``flood_depth_current``, ``flood_depth_design``).
    register : DataFrame
        :class:`geo.impact.exposure.Register` ``frame``.
    settings : ImpactSettings
    planner : sequence of (Scenario, Grid)
        Planners' depth grids (:mod:`geo.impact.user_scenarios`).

    Returns
    -------
    ImpactResult

    Raises
    ------
    DataError
        When a total does not reconcile (see :func:`reconcile`).
    """
    impacts: dict[str, ScenarioImpact] = {}
    lattices = _Lattices(layers["kelurahan"])
    for scenario in BUILTIN_SCENARIOS:
        grid = grids[scenario.hazard] if scenario.kind == "grid" else None
        impacts[scenario.id] = _impact_of(scenario, layers, grid, register, settings, lattices)
    for scenario, grid in planner:
        impacts[scenario.id] = _impact_of(scenario, layers, grid, register, settings, lattices)
    differences = {}
    base = impacts[BASE_SCENARIO]
    base_cells = lattices.of(grids[base.scenario.hazard])
    for sid, impact in impacts.items():
        if impact.scenario.compare_with == BASE_SCENARIO:
            moves = class_transitions(layers["kelurahan"], base, impact, base_cells)
            differences[sid] = difference(base, impact, moves)
    scenarios = [impact.scenario for impact in impacts.values()]
    out: dict[str, gpd.GeoDataFrame | pd.DataFrame] = {}
    for sid, impact in impacts.items():
        out[scenario_layer(sid)] = impact.levels["all"]
    for sid, diff in differences.items():
        out[difference_layer(sid)] = diff
    out[SUMMARY_TABLE] = summary(impacts)
    used = json.dumps(parameters(settings))
    out[SCENARIO_TABLE] = pd.DataFrame(
        [
            {
                **s.to_record(),
                "caveats": json.dumps(list(s.caveats), ensure_ascii=False),
                "parameters": used,
            }
            for s in scenarios
        ]
    )
    dictionary = impact_dictionary(scenarios, settings)
    out[DICTIONARY_TABLE] = pd.DataFrame(
        [{**row, "caveats": json.dumps(row["caveats"], ensure_ascii=False)} for row in dictionary]
    )
    checks = {sid: reconcile(impact.levels["all"]) for sid, impact in impacts.items()}
    return ImpactResult(out, impacts, differences, dictionary, checks)


def parameters(settings: Any) -> dict[str, float]:
    """The thresholds, rates and per-person quantities a build used, by setting name."""
    names = (
        "impact_low_min_m",
        "impact_medium_min_m",
        "impact_high_min_m",
        "impact_displacement_low",
        "impact_displacement_medium",
        "impact_displacement_high",
        *(need.setting for need in NEEDS),
    )
    return {name: float(getattr(settings, name)) for name in names}


def summary(impacts: Mapping[str, ScenarioImpact]) -> pd.DataFrame:
    """DKI-wide figures per scenario and class (the sum of the kota rows).

    Returns
    -------
    DataFrame
        One row per (scenario, class) with ``people``, ``displaced`` (null for classes no one
        is displaced from), ``area_km2``; plus an ``affected`` row per scenario (low + medium
        + high) and the ``population_assessed`` and ``kelurahan_with_data`` of the scenario.
    """
    rows = []
    for sid, impact in impacts.items():
        frame = impact.levels["all"]
        kota = frame[frame["tingkat"] == "kota"]
        kel = frame[frame["tingkat"] == "kelurahan"]
        assessed = float(kota["population_assessed"].sum())
        with_data = int(kel["population_assessed"].notna().sum())
        for key in (*CLASS_AREA_COLUMNS, "affected"):
            people = kota["affected" if key == "affected" else f"people_{key}"].sum(min_count=1)
            moved = None
            if key in ("low", "medium", "high"):
                moved = kota[f"displaced_{key}"].sum(min_count=1)
            elif key == "affected":
                moved = kota["displaced"].sum(min_count=1)
            area = (
                sum(kota[f"area_{k}_km2"].sum() for k in ("low", "medium", "high"))
                if key == "affected"
                else kota[f"area_{key}_km2"].sum(min_count=1)
            )
            rows.append(
                {
                    "skenario": sid,
                    "kelas": key,
                    "people": people,
                    "displaced": moved,
                    "area_km2": area,
                    "population_assessed": assessed,
                    "kelurahan_with_data": with_data,
                }
            )
    return pd.DataFrame(rows)


def reconcile(frame: pd.DataFrame) -> dict[str, Any]:
    """Check every total of an all-levels impact layer; return the DKI-wide figures.

    Checks, on every row with data: the five class counts sum to ``population_assessed``;
    ``affected`` = low + medium + high <= ``population_assessed``; ``displaced`` = the sum
    of its classes <= ``affected``; the sex groups and the age groups each sum to
    ``affected`` (and to ``displaced`` for the displaced); every count of a kecamatan or kota
    is the sum of its kelurahan's.

    Raises
    ------
    DataError
        Naming the first unit and check that fails.
    """
    data = frame[frame["population_assessed"].notna()]
    people = data[[f"people_{c}" for c in CLASS_AREA_COLUMNS]].sum(axis=1)
    _check(data, people == data["population_assessed"], "classes do not sum to the population")
    low_to_high = data[["people_low", "people_medium", "people_high"]].sum(axis=1)
    _check(data, low_to_high == data["affected"], "affected is not low + medium + high")
    _check(data, data["affected"] <= data["population_assessed"], "affected > population")
    moved = data[["displaced_low", "displaced_medium", "displaced_high"]].sum(axis=1)
    _check(data, moved == data["displaced"], "displaced is not the sum of its classes")
    _check(data, data["displaced"] <= data["affected"], "displaced > affected")
    for prefix in ("affected", "displaced"):
        cols = group_columns(prefix)
        sex, age = cols[:2], cols[2:]
        _check(data, data[sex].sum(axis=1) == data[prefix], f"{prefix} by sex does not add up")
        _check(data, data[age].sum(axis=1) == data[prefix], f"{prefix} by age does not add up")
    _check_levels(frame)
    kota = frame[frame["tingkat"] == "kota"]
    totals = {
        col: float(kota[col].sum())
        for col in (
            "population_assessed",
            "affected",
            "people_low",
            "people_medium",
            "people_high",
            "displaced",
            *NEED_COLUMNS,
        )
    }
    totals["kelurahan_without_data"] = int(
        frame[(frame["tingkat"] == "kelurahan")]["population_assessed"].isna().sum()
    )
    return totals


def _check(rows: pd.DataFrame, ok: pd.Series, what: str) -> None:
    if not bool(ok.all()):
        first = rows.loc[~ok].iloc[0]
        raise DataError(
            f"impact totals do not reconcile: {first['tingkat']} {first['kode']}: {what}"
        )


def _check_levels(frame: pd.DataFrame) -> None:
    counts = [
        c
        for c in frame.columns
        if c.startswith(("people_", "displaced", "affected_", "need_", "area_"))
        and c != "affected_share"
    ] + ["affected", "population_assessed"]
    kel = frame[frame["tingkat"] == "kelurahan"]
    for level, key in (("kecamatan", "kode_kecamatan"), ("kota", "kode_kota")):
        summed = kel.groupby(key)[counts].sum(min_count=1)
        rows = frame[frame["tingkat"] == level].set_index("kode")[counts]
        expected = summed.reindex(rows.index)
        same = np.isclose(
            rows.to_numpy(float), expected.to_numpy(float), rtol=1e-9, atol=1e-6, equal_nan=True
        )
        if not same.all():
            bad = rows.index[~same.all(axis=1)][0]
            raise DataError(
                f"impact totals do not reconcile: {level} {bad} is not the sum of its kelurahan"
            )
