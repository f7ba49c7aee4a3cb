"""The impact analysis on the pages: the Siap map's "Dampak" choice and the profile section.

Everything is read from the served build snapshot's impact layers (:mod:`geo.impact.names`):
``dampak_skenario`` (the scenarios), each scenario's per-level layer and its difference
against today, and their data dictionary. The map draws one measure of one scenario per unit
of the page's level (``/peta?pilar=siap&indikator=dampak&skenario=rencana&ukuran=affected``);
the profile section is an InaSAFE-style report of one unit: the question, the people per
class, who they are, what the displaced need, what the planned works change, the
assumptions and the provenance.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from geo.impact.names import (
    DICTIONARY_TABLE,
    LEVEL_COLUMN,
    SCENARIO_TABLE,
    difference_layer,
    scenario_layer,
)
from geo.ogc.collection import Collection
from geo.ogc.values import parse_json_cell
from geo.snapshot import BuildSnapshot
from geo.vocabulary import Text
from web.i18n import Translator

CHOICE = "dampak"
"""The Siap map's indicator value that shows the impact analysis."""

SCENARIO_MEASURES = ("affected", "affected_share", "people_high", "displaced")
"""Measures of a scenario's own layer the map offers."""

DIFFERENCE_MEASURES = ("no_longer_affected", "moved_out_of_high", "displaced_avoided")
"""Measures of a scenario's difference against today (scenarios compared with it only)."""

DEFAULT_MEASURE = "affected"

LEVEL_FIELD = LEVEL_COLUMN
"""The property naming a unit's level in an impact layer (every level is in one layer)."""

CLASSES = ("unaffected", "low", "medium", "high", "nodata")
GROUPS = ("male", "female", "under5", "age_5_14", "age_15_64", "age_65plus")
NEEDS = (
    ("need_rice_kg", "kg"),
    ("need_drinking_water_l", "l"),
    ("need_clean_water_l", "l"),
    ("need_family_kits", ""),
    ("need_toilets", ""),
)

Formatter = Callable[..., str]


class ImpactChoiceError(ValueError):
    """A map parameter of the impact choice is not valid (``field``: which one)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class ImpactTables:
    """The impact layers of one build snapshot, as the pages read them."""

    scenarios: list[dict[str, Any]]
    collections: Mapping[str, Collection]

    @classmethod
    def of(cls, snapshot: BuildSnapshot) -> ImpactTables | None:
        """The impact tables of a snapshot (None for a build without an impact analysis)."""
        table = snapshot.collections.get(SCENARIO_TABLE)
        if table is None:
            return None
        scenarios = [{k: parse_json_cell(v) for k, v in record.items()} for record in table.records]
        return cls(scenarios, snapshot.collections)

    def scenario(self, scenario_id: str) -> dict[str, Any] | None:
        """The scenario record of ``scenario_id`` (None when the build has none so named)."""
        return next((s for s in self.scenarios if s["id"] == scenario_id), None)

    def compared(self, scenario_id: str) -> bool:
        """Whether the scenario has a difference layer (it is compared with today)."""
        return difference_layer(scenario_id) in self.collections

    def layer_of(self, scenario_id: str, measure: str) -> str:
        """The layer holding ``measure`` of a scenario."""
        if measure in DIFFERENCE_MEASURES:
            return difference_layer(scenario_id)
        return scenario_layer(scenario_id)

    def entry(self, layer: str, column: str) -> dict[str, Any] | None:
        """The data dictionary entry of a column of an impact layer."""
        coll = self.collections.get(layer)
        if coll is None:
            return None
        return next((e for e in coll.dictionary if e.get("id") == column), None)

    def unit(self, layer: str, kode: str) -> dict[str, Any] | None:
        """A unit's properties in an impact layer (None when it is not there)."""
        coll = self.collections.get(layer)
        if coll is None:
            return None
        pos = coll.index_of.get(kode)
        return None if pos is None else coll.records[pos]

    def measures(self, scenario_id: str) -> tuple[str, ...]:
        """The measures the map offers for a scenario."""
        extra = DIFFERENCE_MEASURES if self.compared(scenario_id) else ()
        return (*SCENARIO_MEASURES, *extra)


def layer_name(impact: ImpactTables | None, scenario: str, measure: str) -> str | None:
    """The impact layer holding ``measure`` of ``scenario`` (None without an analysis)."""
    return None if impact is None else impact.layer_of(scenario, measure)


def parse_choice(
    impact: ImpactTables | None, skenario: str | None, ukuran: str | None
) -> tuple[str, str]:
    """Check the scenario and measure of the impact map; return them (defaults filled).

    Raises
    ------
    ImpactChoiceError
        No impact analysis in the build, an unknown scenario, or a measure the scenario has
        not (a difference measure of a scenario not compared with today).
    """
    if impact is None or not impact.scenarios:
        raise ImpactChoiceError("indikator", "this build has no impact analysis (dampak)")
    ids = [s["id"] for s in impact.scenarios]
    scenario = (skenario or ids[0]).strip().lower()
    if scenario not in ids:
        raise ImpactChoiceError("skenario", f"use one of {', '.join(ids)}")
    measure = (ukuran or DEFAULT_MEASURE).strip().lower()
    allowed = impact.measures(scenario)
    if measure not in allowed:
        raise ImpactChoiceError("ukuran", f"for {scenario} use one of {', '.join(allowed)}")
    return scenario, measure


def map_config(
    impact: ImpactTables, scenario: str, measure: str, level: str, t: Translator
) -> dict[str, Any]:
    """What the map page's config holds for the impact choice.

    ``source`` tells the choropleth which collection and filter to draw (the scenario's
    layer, or its difference, at the page's level); ``indicator`` is the measure's column,
    name and unit; ``impact`` lists the scenarios and measures for the panel's choosers.
    """
    layer = impact.layer_of(scenario, measure)
    entry = impact.entry(layer, measure) or {}
    record = impact.scenario(scenario) or {}
    name = Text.pick(entry, "name", t.lang) or measure
    return {
        "source": {"collection": layer, "filters": {LEVEL_FIELD: level}},
        "indicator": {
            "id": measure,
            "name": f"{name} · {Text.pick(record, 'name', t.lang)}",
            "unit": entry.get("unit") or "",
            "score": False,
            "about": about(entry, record, layer),
        },
        "impact": {
            "choice": CHOICE,
            "scenario": scenario,
            "measure": measure,
            "scenarios": [
                {"id": s["id"], "label": Text.pick(s, "name", t.lang)} for s in impact.scenarios
            ],
            "measures": [
                {"id": m, "label": t(f"impact.measure.{m}")} for m in impact.measures(scenario)
            ],
            "ranking": ranking(impact, scenario, level),
        },
    }


def about(entry: Mapping[str, Any], record: Mapping[str, Any], layer: str) -> dict[str, Any]:
    """How a measure is computed, from which data of which date, and its caveats.

    Read from the build's data dictionary entry of the measure (``entry``) and the
    scenario's record, so the map states what the served build computed.
    """
    caveats = [*(entry.get("caveats") or []), *(record.get("caveats") or [])]
    return {
        "formula": entry.get("formula") or "",
        "aggregation": entry.get("aggregation") or "",
        "date": entry.get("date") or "",
        "source": entry.get("source") or record.get("source") or "",
        "caveats": list(dict.fromkeys(caveats)),  # once each, in order
        "dictionary": f"/collections/{DICTIONARY_TABLE}/items?collection={layer}&f=json",
    }


RANKED = 10
"""How many of the units that gain most the map lists."""


def ranking(impact: ImpactTables, scenario: str, level: str) -> dict[str, Any] | None:
    """The units of a level that gain most from a scenario, and those that gain nothing or lose.

    Returns
    -------
    dict or None
        ``gain``: the first :data:`RANKED` units by ``gain_rank`` whose ``change`` is ``gain``
        or ``mixed``; ``nogain``: every unit whose ``change`` is ``none`` or ``loss``, the one
        that loses most first; ``ranked``: how many units have a rank. Each unit has
        ``kode``, ``nama``, ``rank``, ``change``, ``no_longer_affected`` and
        ``moved_out_of_high``; ``about``: the rank's and the count's formula, date and
        caveats (:func:`about`). None for a scenario not compared with today.
    """
    layer = impact.collections.get(difference_layer(scenario))
    if layer is None:
        return None
    rows = sorted(
        (r for r in layer.records if r.get("tingkat") == level and r.get("gain_rank") is not None),
        key=lambda r: int(r["gain_rank"]),
    )

    def unit(r: Mapping[str, Any]) -> dict[str, Any]:
        keys = ("kode", "nama", "change", "no_longer_affected", "moved_out_of_high")
        return {"rank": int(r["gain_rank"]), **{k: r.get(k) for k in keys}}

    gain = [unit(r) for r in rows if r.get("change") in ("gain", "mixed")][:RANKED]
    nogain = [unit(r) for r in reversed(rows) if r.get("change") in ("none", "loss")]
    entry = impact.entry(difference_layer(scenario), "gain_rank") or {}
    counted = impact.entry(difference_layer(scenario), "no_longer_affected") or {}
    shown = {**counted, "formula": f"{entry.get('formula', '')}; {counted.get('formula', '')}"}
    record = impact.scenario(scenario) or {}
    return {
        "gain": gain,
        "nogain": nogain,
        "ranked": len(rows),
        "about": about(shown, record, difference_layer(scenario)),
    }


def _number(fmt: Formatter, value: Any, lang: str, decimals: int = 0) -> str:
    return fmt(value, lang, decimals=decimals)


def _percent(fmt: Formatter, share: Any, lang: str) -> str:
    """A share (0-1) as a percentage with one decimal, '60,0 %' in Bahasa Indonesia."""
    if share is None:
        return fmt(None, lang)
    return f"{fmt(round(float(share) * 100, 1) + 0.0, lang, decimals=1)} %"


def _scenario_section(
    impact: ImpactTables, record: dict[str, Any], kode: str, t: Translator, fmt: Formatter
) -> dict[str, Any] | None:
    sid = record["id"]
    unit = impact.unit(scenario_layer(sid), kode)
    if unit is None:
        return None
    lang = t.lang
    has_data = unit.get("population_assessed") is not None
    classes = [
        {
            "key": c,
            "label": t(f"impact.class.{c}"),
            "people": _number(fmt, unit.get(f"people_{c}"), lang),
            "displaced": _number(fmt, unit.get(f"displaced_{c}"), lang)
            if c in ("low", "medium", "high")
            else "",
            "area": _number(fmt, unit.get(f"area_{c}_km2"), lang, decimals=2),
        }
        for c in CLASSES
    ]
    groups = [
        {
            "key": g,
            "label": t(f"impact.group.{g}"),
            "affected": _number(fmt, unit.get(f"affected_{g}"), lang),
            "displaced": _number(fmt, unit.get(f"displaced_{g}"), lang),
        }
        for g in GROUPS
    ]
    needs = []
    for column, unit_text in NEEDS:
        value = unit.get(column)
        whole = None if value is None else int(-(-float(value) // 1))  # rounded up
        needs.append(
            {
                "key": column,
                "label": t(f"impact.need.{column}"),
                "value": _number(fmt, whole, lang),
                "unit": unit_text,
                "per": t(f"impact.need_unit.{column}"),  # the dictionary's unit, translated
            }
        )
    return {
        "id": sid,
        "name": Text.pick(record, "name", lang),
        "question": Text.pick(record, "question", lang),
        "hazard_date": record.get("hazard_date"),
        "source": record.get("source"),
        "caveats": record.get("caveats") or [],
        "has_data": has_data,
        "population": _number(fmt, unit.get("population_assessed"), lang),
        "affected": _number(fmt, unit.get("affected"), lang),
        "affected_share": _percent(fmt, unit.get("affected_share"), lang),
        "displaced": _number(fmt, unit.get("displaced"), lang),
        "covered_share": _percent(fmt, unit.get("covered_share"), lang),
        "classes": classes,
        "groups": groups,
        "needs": needs,
        "difference": _difference(impact, sid, kode, t, fmt),
        "map_url": f"/peta?pilar=siap&indikator={CHOICE}&skenario={sid}&lang={lang}",
    }


def _difference(
    impact: ImpactTables, sid: str, kode: str, t: Translator, fmt: Formatter
) -> dict[str, Any] | None:
    row = impact.unit(difference_layer(sid), kode)
    if row is None:
        return None
    layer = impact.collections[difference_layer(sid)]
    ranked = sum(
        1
        for r in layer.records
        if r.get("tingkat") == row.get("tingkat") and r.get("gain_rank") is not None
    )
    lang = t.lang
    return {
        "compared_with": row.get("dibanding"),
        "no_longer_affected": _number(fmt, row.get("no_longer_affected"), lang),
        "moved_out_of_high": _number(fmt, row.get("moved_out_of_high"), lang),
        "displaced_avoided": _number(fmt, row.get("displaced_avoided"), lang),
        "change": row.get("change"),
        "change_label": t(f"impact.change.{row.get('change')}") if row.get("change") else "",
        "rank": None if row.get("gain_rank") is None else int(row["gain_rank"]),
        "of": ranked,
    }


def profile_section(
    impact: ImpactTables | None, kode: str, t: Translator, fmt: Formatter
) -> dict[str, Any] | None:
    """The impact section of a unit's profile (any level: its ``kode``), or None.

    Returns
    -------
    dict or None
        ``scenarios`` (one report each: question, classes, groups, needs, difference,
        caveats, map link), ``assumptions`` (the method in the page's language) and
        ``dictionary`` (the collection whose data dictionary documents every column).
    """
    if impact is None:
        return None
    scenarios = [
        section
        for record in impact.scenarios
        if (section := _scenario_section(impact, record, kode, t, fmt)) is not None
    ]
    if not scenarios:
        return None
    keys = ("spread", "classes", "rw_states", "displaced", "groups", "needs", "rounding")
    fill = _parameters(impact.scenarios[0].get("parameters") or {}, t.lang)
    return {
        "scenarios": scenarios,
        "assumptions": [t(f"impact.assumption.{k}").format(**fill) for k in keys],
        "dictionary": "/collections/dampak_kamus/items?f=json",
    }


_PARAMETERS = {
    "low": ("impact_low_min_m", 1),
    "medium": ("impact_medium_min_m", 1),
    "high": ("impact_high_min_m", 1),
    "rate_low": ("impact_displacement_low", 100),
    "rate_medium": ("impact_displacement_medium", 100),
    "rate_high": ("impact_displacement_high", 100),
    "rice": ("impact_need_rice_kg", 1),
    "drinking": ("impact_need_drinking_water_l", 1),
    "clean": ("impact_need_clean_water_l", 1),
    "kits": ("impact_need_family_kits", 1),
    "toilets": ("impact_need_toilets", 1),
}
"""Placeholder of the assumption texts -> (setting the build used, factor: 100 for %)."""


def _parameters(used: Mapping[str, Any], lang: str) -> dict[str, str]:
    """The values a build used, written short in the page's language (0,1 in Indonesian)."""
    out = {}
    for name, (setting, factor) in _PARAMETERS.items():
        value = used.get(setting)
        text = "?" if value is None else f"{float(value) * factor:g}"
        out[name] = text.replace(".", ",") if lang == "id" else text
    return out
