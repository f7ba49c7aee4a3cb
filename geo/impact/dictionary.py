"""The data dictionary of the impact layers: every column's names, unit, formula, date, caveats.

One entry per (collection, column): the formulas quote the thresholds, rates and quantities the
build used, and the dates name the scenario's hazard and the register's population date, so a
dictionary read from a build says what that build computed.
"""

from __future__ import annotations

from typing import Any

from geo.impact.compare import DIFFERENCE_COLUMNS
from geo.impact.exposure import AGE_GROUPS, SEX_GROUPS
from geo.impact.names import difference_layer, scenario_layer
from geo.impact.needs import NEEDS
from geo.impact.scenarios import IMPACT_COLUMNS, Scenario

POPULATION_DATE = "2019-06-30"
"""The Dukcapil register's date (semester I 2019)."""

SPREAD = (
    "population spread evenly over the kelurahan's area (METRIC_CRS) and apportioned to "
    "whole persons by largest remainder"
)
SUM = "sum of the kelurahan values (null when no kelurahan of the unit has data)"
COMMON_CAVEATS = (
    "An estimate: the register counts people per kelurahan, not where in it they live.",
    "Register population (Dukcapil, 30 June 2019), which differs from BPS projections.",
)
GROUP_CAVEAT = (
    "Assumes the flooded part of a kelurahan has the kelurahan's own mix of sexes and ages."
)

_SEX_NAMES = {"male": ("laki-laki", "male"), "female": ("perempuan", "female")}
_AGE_NAMES = {
    "under5": ("balita (0-4 tahun)", "under 5 (0-4 years)"),
    "age_5_14": ("anak 5-14 tahun", "children 5-14"),
    "age_15_64": ("usia 15-64 tahun", "aged 15-64"),
    "age_65plus": ("lansia 65 tahun ke atas", "aged 65 and over"),
}
_CLASS_NAMES = {
    "unaffected": ("tidak terdampak", "not affected"),
    "low": ("kelas rendah", "low class"),
    "medium": ("kelas sedang", "medium class"),
    "high": ("kelas tinggi", "high class"),
    "nodata": ("tanpa data bahaya", "no hazard data"),
}


def _class_rule(key: str, settings: Any, kind: str) -> str:
    if kind == "rw_states":
        return {
            "unaffected": "RW not marked flooded, or state 1 (depth unknown)",
            "low": "RW state 2 (10-70 cm)",
            "medium": "RW state 3 (71-150 cm)",
            "high": "RW state 4 (over 150 cm)",
            "nodata": "no RW data (outside the mainland RW area)",
        }[key]
    low, medium, high = (
        settings.impact_low_min_m,
        settings.impact_medium_min_m,
        settings.impact_high_min_m,
    )
    return {
        "unaffected": f"depth <= {low:g} m (or no flood)",
        "low": f"{low:g} m < depth <= {medium:g} m",
        "medium": f"{medium:g} m < depth <= {high:g} m",
        "high": f"depth > {high:g} m",
        "nodata": "cells without a value, or outside the grid",
    }[key]


def _entry(
    name_id: str,
    name_en: str,
    unit: str,
    formula: str,
    aggregation: str = SUM,
    caveats: tuple[str, ...] = COMMON_CAVEATS,
) -> dict[str, Any]:
    return {
        "name_id": name_id,
        "name_en": name_en,
        "unit": unit,
        "formula": formula,
        "aggregation": aggregation,
        "caveats": list(caveats),
    }


def _scenario_entries(settings: Any, kind: str) -> dict[str, dict[str, Any]]:
    rates = {
        "low": settings.impact_displacement_low,
        "medium": settings.impact_displacement_medium,
        "high": settings.impact_displacement_high,
    }
    e: dict[str, dict[str, Any]] = {
        "skenario": _entry("Skenario", "Scenario", "", "scenario id", "", ()),
        "population": _entry(
            "Penduduk", "Population", "persons", "JUMLAH_PEN of the register", "sum", ()
        ),
        "population_assessed": _entry(
            "Penduduk yang dinilai",
            "Population assessed",
            "persons",
            "population of the kelurahan with hazard data (null without)",
        ),
        "area_km2": _entry("Luas", "Area", "km²", "area in METRIC_CRS", "sum", ()),
        "covered_share": _entry(
            "Pangsa luas dengan data bahaya",
            "Share of area with hazard data",
            "share (0-1)",
            "1 - share of the unit's area in no-data cells or outside the hazard's extent",
            "area-weighted mean of the kelurahan values",
            (),
        ),
        "affected": _entry(
            "Penduduk terdampak",
            "People affected",
            "persons",
            "people_low + people_medium + people_high",
        ),
        "affected_share": _entry(
            "Pangsa penduduk terdampak",
            "Share of people affected",
            "share (0-1)",
            "affected / population_assessed",
            "recomputed from the summed counts",
        ),
        "displaced": _entry(
            "Pengungsi",
            "Displaced people",
            "persons",
            "displaced_low + displaced_medium + displaced_high",
        ),
    }
    for key, (cid, cen) in _CLASS_NAMES.items():
        e[f"people_{key}"] = _entry(
            f"Penduduk {cid}",
            f"People, {cen}",
            "persons",
            f"{SPREAD}; class: {_class_rule(key, settings, kind)}",
        )
        e[f"area_{key}_km2"] = _entry(
            f"Luas {cid}",
            f"Area, {cen}",
            "km²",
            "area (METRIC_CRS) of the grid cells whose centre is in the unit, or of the "
            f"flooded RW polygons' part in it; class: {_class_rule(key, settings, kind)}",
            SUM,
            (),
        )
    for key, rate in rates.items():
        cid, cen = _CLASS_NAMES[key]
        e[f"displaced_{key}"] = _entry(
            f"Pengungsi {cid}",
            f"Displaced, {cen}",
            "persons",
            f"round(people_{key} x {rate:g}) (halves up); rate: InaSAFE's default",
        )
    for prefix, (pid, pen) in {
        "affected": ("Terdampak", "Affected"),
        "displaced": ("Pengungsi", "Displaced"),
    }.items():
        for group, column in SEX_GROUPS.items():
            gid, gen = _SEX_NAMES[group]
            e[f"{prefix}_{group}"] = _entry(
                f"{pid} {gid}",
                f"{pen}, {gen}",
                "persons",
                f"{prefix} x {column} / JUMLAH_PEN of the kelurahan, by largest remainder",
                SUM,
                (*COMMON_CAVEATS, GROUP_CAVEAT),
            )
        for group, bands in AGE_GROUPS.items():
            gid, gen = _AGE_NAMES[group]
            e[f"{prefix}_{group}"] = _entry(
                f"{pid} {gid}",
                f"{pen}, {gen}",
                "persons",
                f"{prefix} x ({' + '.join(bands)}) / JUMLAH_PEN of the kelurahan, by largest "
                "remainder (U<n> = aged n to n+4, U75 = 75 and over)",
                SUM,
                (*COMMON_CAVEATS, GROUP_CAVEAT),
            )
    for need in NEEDS:
        per = "a week" if need.frequency == "weekly" else "once"
        e[need.column] = _entry(
            f"Kebutuhan {need.name_id.lower()}",
            f"Need: {need.name_en.lower()}",
            f"{need.unit} {per}",
            f"displaced x {need.quantity(settings):g} {need.unit} per person {per} "
            f"(setting KETAHANAN_{need.setting.upper()}; BNPB Perka 7/2008 via InaSAFE's "
            "BNPB profile); pages round up",
            SUM,
            (*COMMON_CAVEATS, "See the setting's description for what is uncertain."),
        )
    return e


def _difference_entries() -> dict[str, dict[str, Any]]:
    def diff(name_id: str, name_en: str, formula: str, unit: str = "persons") -> dict[str, Any]:
        return _entry(name_id, name_en, unit, formula)

    return {
        "skenario": _entry("Skenario", "Scenario", "", "the scenario compared", "", ()),
        "dibanding": _entry("Dibanding", "Compared with", "", "the base scenario", "", ()),
        "population": _entry("Penduduk", "Population", "persons", "JUMLAH_PEN", "sum", ()),
        "affected_base": diff("Terdampak (dasar)", "Affected (base)", "affected of the base"),
        "affected_alt": diff("Terdampak (skenario)", "Affected (scenario)", "affected"),
        "no_longer_affected": diff(
            "Tidak lagi terdampak",
            "No longer affected",
            "affected_base - affected_alt (negative: more people affected)",
        ),
        "people_high_base": diff("Kelas tinggi (dasar)", "High class (base)", "people_high"),
        "people_high_alt": diff("Kelas tinggi (skenario)", "High class (scenario)", "people_high"),
        "moved_out_of_high": diff(
            "Keluar dari kelas tinggi",
            "Moved out of the high class",
            "people_high_base - people_high_alt (negative: more in the high class)",
        ),
        "displaced_base": diff("Pengungsi (dasar)", "Displaced (base)", "displaced"),
        "displaced_alt": diff("Pengungsi (skenario)", "Displaced (scenario)", "displaced"),
        "displaced_avoided": diff(
            "Pengungsi yang terhindar",
            "Displacement avoided",
            "displaced_base - displaced_alt",
        ),
        "area_class_lower_km2": diff(
            "Luas dengan kelas lebih rendah",
            "Area in a lower class",
            "area (METRIC_CRS) of the cells whose class is lower in the scenario; null when "
            "the two grids do not share their cells",
            "km²",
        ),
        "area_class_higher_km2": diff(
            "Luas dengan kelas lebih tinggi",
            "Area in a higher class",
            "area (METRIC_CRS) of the cells whose class is higher in the scenario; null when "
            "the two grids do not share their cells",
            "km²",
        ),
        "change": _entry(
            "Perubahan",
            "Change",
            "",
            "gain (better, nothing worse), loss (worse, nothing better), mixed, none (people "
            "affected, nothing changes) or unaffected (nobody affected in either)",
            "recomputed per unit",
            (),
        ),
        "gain_rank": _entry(
            "Peringkat manfaat",
            "Gain rank",
            "rank",
            "1 = the unit of its level that gains most: by no_longer_affected, then "
            "moved_out_of_high, then displaced_avoided (largest first), then code",
            "ranked within each level",
            (),
        ),
    }


def impact_dictionary(scenarios: list[Scenario], settings: Any) -> list[dict[str, Any]]:
    """Every (collection, column) of the impact layers with its names, formula, date, caveats.

    Parameters
    ----------
    scenarios : list of Scenario
        Those the build computed (a difference collection for each with ``compare_with``).
    settings : ImpactSettings
        The thresholds, rates and quantities quoted in the formulas.

    Returns
    -------
    list of dict
        Keys: ``collection``, ``id`` (the column), ``kind`` (``impact``), ``name_id``,
        ``name_en``, ``unit``, ``formula``, ``aggregation``, ``date``, ``source``, ``caveats``
        (list).
    """
    rows: list[dict[str, Any]] = []
    for scenario in scenarios:
        entries = _scenario_entries(settings, scenario.kind)
        date = f"hazard {scenario.hazard_date}; population {POPULATION_DATE}"
        source = f"{scenario.source}; population_dukcapil_2019"
        for column in IMPACT_COLUMNS:
            entry = entries[column]
            caveats = [*entry["caveats"], *scenario.caveats] if entry["caveats"] else []
            rows.append(
                {
                    "collection": scenario_layer(scenario.id),
                    "id": column,
                    "kind": "impact",
                    **entry,
                    "date": date,
                    "source": source,
                    "caveats": caveats,
                }
            )
        if scenario.compare_with:
            differences = _difference_entries()
            for column in DIFFERENCE_COLUMNS:
                rows.append(
                    {
                        "collection": difference_layer(scenario.id),
                        "id": column,
                        "kind": "impact",
                        **differences[column],
                        "date": date,
                        "source": source,
                    }
                )
    return rows
