"""Impact scenarios and every impact indicator of one scenario, per kelurahan, kecamatan, kota.

A scenario is a hazard: a flood depth grid (the two HKV grids shipped with the data, or a
planner's grid loaded with ``ketahanan layer add --scenario``), or the February 2017 RW flood
states. :func:`scenario_impact` computes the people in each class, the displaced, who they
are and what they need per kelurahan; :func:`by_level` sums kelurahan into kecamatan and kota
(every count is a sum; the shares of area are recomputed from the summed areas).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.admin import KELURAHAN_COLUMNS
from geo.impact.exposure import displaced, group_columns, people_by_class, who
from geo.impact.hazard import CLASS_AREA_COLUMNS
from geo.impact.needs import NEED_COLUMNS, minimum_needs

UNIT_COLUMNS = ("tingkat", *KELURAHAN_COLUMNS[:6])
"""Identity of a unit in an impact layer (``tingkat`` = level; parents empty above their level)."""

BASE_SCENARIO = "kini"
"""The scenario the others are compared with: the HKV flood like 2007, today."""


@dataclass(frozen=True)
class Scenario:
    """One hazard scenario of the impact analysis.

    Attributes
    ----------
    id : str
        Short id used in collection names and URLs (``dampak_<id>``, ``skenario=<id>``).
    name_id, name_en : str
    kind : {"grid", "rw_states"}
    source : str
        Catalogue source id, or ``planner`` for a planner's grid.
    hazard : str
        Build grid name (``flood_depth_current``), build layer (``flood_2017_rw_max``) or the
        path of a planner's grid.
    hazard_date : str
        When the hazard data describes.
    event_id, event_en : str
        The hazard in the report's question ("a flood like 2007 ...").
    caveats : tuple of str
        Scenario-specific limits (English; shown with the data dictionary).
    compare_with : str or None
        Scenario id this one is compared with (difference layer), or None.
    """

    id: str
    name_id: str
    name_en: str
    kind: str
    source: str
    hazard: str
    hazard_date: str
    event_id: str
    event_en: str
    caveats: tuple[str, ...] = ()
    compare_with: str | None = None
    user: bool = False

    def question(self, lang: str = "id") -> str:
        """The report's question, InaSAFE style."""
        if lang == "en":
            return (
                f"In the event of {self.event_en}, how many people might be affected in each "
                "kelurahan, who are they, and what do the displaced need?"
            )
        return (
            f"Jika terjadi {self.event_id}, berapa penduduk yang mungkin terdampak di setiap "
            "kelurahan, siapa mereka, dan apa kebutuhan para pengungsi?"
        )

    def to_record(self) -> dict[str, Any]:
        """A row of the scenario table (``dampak_skenario``)."""
        return {
            "id": self.id,
            "name_id": self.name_id,
            "name_en": self.name_en,
            "kind": self.kind,
            "source": self.source,
            "hazard": self.hazard,
            "hazard_date": self.hazard_date,
            "question_id": self.question("id"),
            "question_en": self.question("en"),
            "caveats": list(self.caveats),
            "compare_with": self.compare_with,
            "user": self.user,
        }


_HKV_CAVEATS = (
    "A modelled flood (HKV consultants, about 2012, for 'a flood like 2007'), not an observed "
    "one; depths on a grid of about 50 m.",
    "Published with HKV's permission; no open licence is named.",
)

BUILTIN_SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        "kini",
        "Banjir seperti 2007, kondisi saat ini (model HKV)",
        "A flood like 2007, today (HKV model)",
        "grid",
        "flood_depth_hkv",
        "flood_depth_current",
        "about 2012 (HKV model run)",
        "banjir seperti tahun 2007 dengan kondisi saat ini",
        "a flood like 2007 with today's conditions",
        _HKV_CAVEATS,
    ),
    Scenario(
        "rencana",
        "Banjir seperti 2007, dengan pekerjaan terencana (model HKV)",
        "A flood like 2007, with the planned works (HKV model)",
        "grid",
        "flood_depth_hkv",
        "flood_depth_design",
        "about 2012 (HKV model run)",
        "banjir seperti tahun 2007 setelah pekerjaan struktural terencana",
        "a flood like 2007 after the planned structural works",
        (
            *_HKV_CAVEATS,
            "'With structural improvements' as HKV modelled them about 2012; which works, and "
            "whether they were built since, the source does not say.",
        ),
        compare_with="kini",
    ),
    Scenario(
        "feb2017",
        "Banjir 20-23 Februari 2017 (RW tergenang, BPBD)",
        "The flood of 20-23 February 2017 (flooded RWs, BPBD)",
        "rw_states",
        "petabencana_2017_02",
        "flood_2017_rw_max",
        "2017-02-20/2017-02-23",
        "banjir seperti 20-23 Februari 2017",
        "a flood like that of 20-23 February 2017",
        (
            "Observed: the RWs BPBD DKI marked flooded, each in its worst state over the event; "
            "a whole RW counts in its class, the RWs not marked as not affected.",
            "State 1 (depth unknown) counts as not affected, as InaSAFE's 'use caution' class.",
            "Covers the mainland RW area; Kepulauan Seribu has no data.",
        ),
    ),
)
"""The scenarios every build computes (planner grids are added to them)."""


@dataclass
class ScenarioImpact:
    """One scenario's impact: the indicator frame per level, and the kelurahan class codes."""

    scenario: Scenario
    levels: dict[str, gpd.GeoDataFrame]
    classes: np.ndarray | None = None
    """The classified grid (grid scenarios), for cell-by-cell comparison."""
    grid_key: Any = None
    """(shape, transform, crs) of the grid: two scenarios compare cell by cell when equal."""
    extras: dict[str, Any] = field(default_factory=dict)


COUNT_COLUMNS: tuple[str, ...] = (
    "population_assessed",
    *(f"people_{c}" for c in CLASS_AREA_COLUMNS),
    "affected",
    "displaced_low",
    "displaced_medium",
    "displaced",
    "displaced_high",
    *group_columns("affected"),
    *group_columns("displaced"),
    *(f"area_{c}_km2" for c in CLASS_AREA_COLUMNS),
    *NEED_COLUMNS,
)
"""Columns that are sums at kecamatan and kota (all but the unit's identity and shares)."""

IMPACT_COLUMNS: tuple[str, ...] = (
    "skenario",
    "population",
    "population_assessed",
    "area_km2",
    "covered_share",
    *(f"people_{c}" for c in CLASS_AREA_COLUMNS),
    "affected",
    "affected_share",
    "displaced_low",
    "displaced_medium",
    "displaced_high",
    "displaced",
    *group_columns("affected"),
    *group_columns("displaced"),
    *(f"area_{c}_km2" for c in CLASS_AREA_COLUMNS),
    *NEED_COLUMNS,
)
"""Every column of an impact layer after the unit's identity, in order."""


def scenario_impact(
    kelurahan: gpd.GeoDataFrame,
    register: pd.DataFrame,
    class_areas: pd.DataFrame,
    scenario: Scenario,
    settings: Any,
) -> gpd.GeoDataFrame:
    """Every impact indicator of one scenario per kelurahan.

    Parameters
    ----------
    kelurahan : GeoDataFrame
        ``kode``, names, ``population``, ``area_km2`` and geometry.
    register : DataFrame
        :class:`geo.impact.exposure.Register` ``frame`` (indexed by ``kode``).
    class_areas : DataFrame
        From :func:`geo.impact.hazard.grid_class_areas` or ``rw_state_class_areas``,
        aligned with ``kelurahan``.
    scenario : Scenario
    settings : ImpactSettings
        Displacement rates and the needs' quantities.

    Returns
    -------
    GeoDataFrame
        :data:`UNIT_COLUMNS`, :data:`IMPACT_COLUMNS` and geometry, one row per kelurahan.
    """
    shares = class_areas.set_axis(kelurahan.index)
    has_data = shares["share_unaffected"].notna().to_numpy()
    population = kelurahan["population"].to_numpy(dtype="float64")
    people = people_by_class(population, shares)
    rates = {
        "low": settings.impact_displacement_low,
        "medium": settings.impact_displacement_medium,
        "high": settings.impact_displacement_high,
    }
    moved = displaced(people, rates)
    reg = register.reindex(kelurahan["kode"].astype(str)).set_axis(kelurahan.index)
    out = kelurahan[list(UNIT_COLUMNS[1:])]
    out = out.assign(tingkat="kelurahan", skenario=scenario.id)
    out["population"] = population
    out["population_assessed"] = np.where(has_data, population, np.nan)
    out["area_km2"] = kelurahan["area_km2"].to_numpy()
    out["covered_share"] = np.where(has_data, 1.0 - shares["share_nodata"].to_numpy(), 0.0)
    out = pd.concat(
        [
            out,
            people,
            moved,
            who(people["affected"], reg, "affected"),
            who(moved["displaced"], reg, "displaced"),
        ],
        axis=1,
    )
    for key in CLASS_AREA_COLUMNS:
        out[f"area_{key}_km2"] = shares[f"area_{key}_m2"].to_numpy() / 1e6
    out = pd.concat([out, minimum_needs(out["displaced"], settings)], axis=1)
    out["affected_share"] = _share(out["affected"], out["population_assessed"])
    frame = gpd.GeoDataFrame(
        out[[*UNIT_COLUMNS, *IMPACT_COLUMNS]], geometry=kelurahan.geometry, crs=kelurahan.crs
    )
    return frame.reset_index(drop=True)


def _share(part: pd.Series, whole: pd.Series) -> pd.Series:
    with np.errstate(invalid="ignore", divide="ignore"):
        values = np.where(whole.to_numpy() > 0, part.to_numpy() / whole.to_numpy(), np.nan)
    return pd.Series(values, index=part.index)


def by_level(
    kelurahan_impact: gpd.GeoDataFrame, units: gpd.GeoDataFrame, level: str
) -> gpd.GeoDataFrame:
    """Sum a scenario's kelurahan indicators into kecamatan or kota.

    Parameters
    ----------
    kelurahan_impact : GeoDataFrame
        From :func:`scenario_impact`.
    units : GeoDataFrame
        The kecamatan or kota layer (``kode``, ``nama``, geometry; kecamatan also the kota).
    level : {"kecamatan", "kota"}

    Returns
    -------
    GeoDataFrame
        Same columns as ``kelurahan_impact``: every count is the sum over the unit's
        kelurahan (null when none has data); ``population`` and ``area_km2`` are sums over
        all of them; ``covered_share`` is the area-weighted mean; ``affected_share`` is
        ``affected / population_assessed``.
    """
    key = "kode_kecamatan" if level == "kecamatan" else "kode_kota"
    frame = pd.DataFrame(kelurahan_impact.drop(columns="geometry"))
    groups = frame.groupby(key, sort=True)
    sums = groups[list(COUNT_COLUMNS)].sum(min_count=1)
    sums["population"] = groups["population"].sum()
    sums["area_km2"] = groups["area_km2"].sum()
    covered = (frame["covered_share"] * frame["area_km2"]).groupby(frame[key]).sum()
    sums["covered_share"] = covered / sums["area_km2"]
    sums["affected_share"] = _share(sums["affected"], sums["population_assessed"])
    meta = pd.DataFrame(units.drop(columns="geometry")).set_index("kode")
    out = pd.DataFrame(index=sums.index)
    out["tingkat"] = level
    out["kode"] = sums.index
    out["nama"] = meta["nama"].reindex(sums.index).to_numpy()
    for col in ("kode_kecamatan", "nama_kecamatan"):
        out[col] = sums.index if col == "kode_kecamatan" and level == "kecamatan" else None
    if level == "kecamatan":
        out["nama_kecamatan"] = out["nama"]
        out["kode_kota"] = meta["kode_kota"].reindex(sums.index).to_numpy()
        out["nama_kota"] = meta["nama_kota"].reindex(sums.index).to_numpy()
    else:
        out["kode_kota"] = sums.index
        out["nama_kota"] = out["nama"]
    out["skenario"] = frame["skenario"].iloc[0] if len(frame) else None
    for col in IMPACT_COLUMNS:
        if col != "skenario":
            out[col] = sums[col].to_numpy()
    geometry = units.set_index("kode").geometry.reindex(sums.index)
    result = gpd.GeoDataFrame(
        out[[*UNIT_COLUMNS, *IMPACT_COLUMNS]].reset_index(drop=True),
        geometry=geometry.to_numpy(),
        crs=units.crs,
    )
    return result


def all_levels(
    kelurahan_impact: gpd.GeoDataFrame, kecamatan: gpd.GeoDataFrame, kota: gpd.GeoDataFrame
) -> gpd.GeoDataFrame:
    """One layer with the kelurahan, kecamatan and kota rows of a scenario (``tingkat``)."""
    parts = [
        kelurahan_impact,
        by_level(kelurahan_impact, kecamatan, "kecamatan"),
        by_level(kelurahan_impact, kota, "kota"),
    ]
    merged = pd.concat(parts, ignore_index=True)
    return gpd.GeoDataFrame(merged, geometry="geometry", crs=kelurahan_impact.crs)
