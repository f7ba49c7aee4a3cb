"""The indicator definitions: one :class:`IndicatorDef` per indicator, as data.

Each indicator is declared once in :data:`INDICATORS`: id, names in Bahasa Indonesia and
English, unit, direction, source layers, native level, the formula (as computed in
:mod:`geo.indicators.measures`) and how it is aggregated to kecamatan and kota. The list is the
data dictionary that the build writes, the API serves and the exports carry.

This module holds data only: it imports nothing of the project but :mod:`geo.vocabulary`, so
the scores, the planner layers, the OGC core and the computation all depend on it and on
nothing else (no import cycle, and the serving path never loads the computation stack).

Aggregation rules (``aggregation`` of each definition)
------------------------------------------------------
``sum`` sums the kelurahan values (null when no kelurahan has a value);
``mean`` is a weighted mean of the kelurahan values over those with a value, weighted by
``weight_column`` (``area_km2`` for shares of area, ``population`` for values a resident
experiences, ``households`` for shares of households);
``ratio`` recomputes the ratio from summed numerator and denominator;
``max`` takes the largest kelurahan value;
``recompute`` computes the formula again on the kecamatan / kota polygon (counts within a
distance are not additive);
an indicator native at kecamatan is null at kelurahan and summed to kota.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from geo.vocabulary import Direction, Level, Pillar, Text

SLUM_COVERAGE_KOTA = ("31.71", "31.72", "31.74")
"""Kota the KOTAKU slum-RW list covers (Jakarta Pusat, Utara, Selatan); null elsewhere."""

NO_DATA_LOADED = "no data loaded"
"""The no-data reason of a planner slot no layer was loaded into."""


@dataclass(frozen=True)
class IndicatorDef:
    """One indicator of the data dictionary.

    Attributes
    ----------
    id : str
        Column name in the admin layers, ``<pillar>_<what>``.
    pillar : Pillar
    name : Text
        Names in Bahasa Indonesia and English.
    unit : str
    direction : Direction
    sources : tuple of str
        Build layers (or grids) the value comes from.
    native_level : Level
        The finest level the data really describes (kelurahan or kecamatan).
    formula : str
        How the value is computed (also the docstring of the computation).
    aggregation : {"sum", "mean", "ratio", "max", "recompute"}
        How kecamatan and kota values are made; see the module docstring.
    weight_column : str or None
        Weight of a ``mean`` aggregation.
    ratio_of : tuple (numerator, denominator, factor) or None
        Columns of a ``ratio`` aggregation.
    default_weight : float
        Weight in the pillar score unless changed by settings or request (0 = not scored).
    valid_range : tuple (min, max or None)
    estimate : bool
        The value is a modelled estimate, not a measurement.
    coverage : str
        Where the source has data; elsewhere the value is null.
    user_layer : bool
        Loaded by a planner (``geo.user_layers``) rather than built in.
    """

    id: str
    pillar: Pillar
    name: Text
    unit: str
    direction: Direction
    sources: tuple[str, ...]
    native_level: Level
    formula: str
    aggregation: str
    weight_column: str | None = None
    ratio_of: tuple[str, str, float] | None = None
    default_weight: float = 1.0
    valid_range: tuple[float | None, float | None] = (0.0, None)
    estimate: bool = False
    coverage: str = ""
    user_layer: bool = False

    @property
    def aggregation_text(self) -> str:
        """The aggregation rule in words."""
        if self.native_level == Level.kecamatan:
            return "null at kelurahan (native at kecamatan); kota = sum of kecamatan values"
        if self.aggregation == "sum":
            return "sum of kelurahan values (null when no kelurahan has a value)"
        if self.aggregation == "mean":
            return f"{self.weight_column}-weighted mean of kelurahan values that are not null"
        if self.aggregation == "ratio" and self.ratio_of:
            num, den, factor = self.ratio_of
            scale = "" if factor == 1 else f" x {factor:g}"
            return f"sum({num}) / sum({den}){scale} over the kelurahan of the unit"
        if self.aggregation == "max":
            return "maximum of kelurahan values"
        return "formula computed again on the kecamatan / kota polygon"

    def to_dict(self) -> dict[str, Any]:
        """The definition as a JSON-ready dict (names as ``name_id`` / ``name_en``)."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "name":
                out["name_id"], out["name_en"] = value.id, value.en
            elif isinstance(value, tuple):
                out[f.name] = list(value)
            else:
                out[f.name] = str(value) if f.name in _ENUM_FIELDS else value
        out["aggregation_text"] = self.aggregation_text
        return out

    @classmethod
    def from_dict(cls, entry: dict[str, Any]) -> IndicatorDef:
        """A definition from a data-dictionary entry (extra members are ignored).

        The inverse of :meth:`to_dict`: a build's stored dictionary gives back the exact
        definitions that build scored with.
        """
        known = {f.name for f in fields(cls)} - {"name"}
        data = {k: v for k, v in entry.items() if k in known and v is not None}
        for name in ("sources", "valid_range", "ratio_of"):
            if isinstance(data.get(name), list):
                data[name] = tuple(data[name])
        data["pillar"] = Pillar(data["pillar"])
        data["direction"] = Direction(data["direction"])
        data["native_level"] = Level(data["native_level"])
        name_id = entry.get("name_id") or entry["id"]
        return cls(name=Text(name_id, entry.get("name_en") or name_id), **data)


_ENUM_FIELDS = frozenset({"pillar", "direction", "native_level"})

_MORE = Direction.higher_more_exposed
_LESS = Direction.higher_less_exposed
_MAINLAND = "mainland kelurahan with RW 2014 polygons (not Kepulauan Seribu)"
_TRANSIT = "units inside the TransJakarta/rail network hull + 1 km (not Kepulauan Seribu)"

_DEFS: tuple[IndicatorDef, ...] = (
    IndicatorDef(
        "siap_flood_share_2007",
        Pillar.siap,
        Text("Pangsa luas tergenang banjir 2007", "Share of area flooded in 2007"),
        "share (0-1)",
        _MORE,
        ("flood_rw_2007",),
        Level.kelurahan,
        "area(unit ∩ union of RW polygons flooded in 2007) / area(unit), areas in METRIC_CRS",
        "mean",
        weight_column="area_km2",
        valid_range=(0.0, 1.0),
        coverage=_MAINLAND,
    ),
    IndicatorDef(
        "siap_rw_flooded_2017_count",
        Pillar.siap,
        Text("Jumlah RW tergenang Feb 2017", "RWs flooded in Feb 2017"),
        "RW",
        _MORE,
        ("flood_2017_rw_max",),
        Level.kelurahan,
        "number of Feb-2017 flooded RW polygons whose representative point is in the unit",
        "sum",
        default_weight=0.0,
        coverage=_MAINLAND,
    ),
    IndicatorDef(
        "siap_rw_flooded_2017_share",
        Pillar.siap,
        Text("Pangsa RW tergenang Feb 2017", "Share of RWs flooded in Feb 2017"),
        "share (0-1)",
        _MORE,
        ("flood_2017_rw_max", "rw"),
        Level.kelurahan,
        "min(1, siap_rw_flooded_2017_count / number of RW 2014 polygons whose representative "
        "point is in the unit); the 2017 and 2014 RW polygons differ, hence the cap at 1",
        "ratio",
        ratio_of=("siap_rw_flooded_2017_count", "_rw_count", 1.0),
        valid_range=(0.0, 1.0),
        coverage=_MAINLAND,
    ),
    IndicatorDef(
        "siap_depth_class_2017_max",
        Pillar.siap,
        Text("Kelas kedalaman terburuk Feb 2017", "Worst depth class, Feb 2017"),
        "class 0-4",
        _MORE,
        ("flood_2017_rw_max",),
        Level.kelurahan,
        "max(max_state) over the unit's Feb-2017 flooded RWs: 1 depth unknown, 2 = 10-70 cm, "
        "3 = 71-150 cm, 4 = > 150 cm; 0 when no RW of the unit was flooded",
        "max",
        default_weight=0.5,
        valid_range=(0.0, 4.0),
        coverage=_MAINLAND,
    ),
    IndicatorDef(
        "siap_depth_mean",
        Pillar.siap,
        Text("Rata-rata kedalaman banjir model", "Mean modelled flood depth"),
        "m",
        _MORE,
        ("flood_depth_current",),
        Level.kelurahan,
        "mean of the current-conditions depth grid over cells whose centre is in the unit and "
        "which hold data (cells equal-area at this latitude; no-data cells left out)",
        "mean",
        weight_column="area_km2",
        coverage="cells of the HKV depth grid (mainland)",
    ),
    IndicatorDef(
        "siap_depth_share_gt_0_5m",
        Pillar.siap,
        Text("Pangsa luas kedalaman > 0,5 m", "Share of area deeper than 0.5 m"),
        "share (0-1)",
        _MORE,
        ("flood_depth_current",),
        Level.kelurahan,
        "cells with depth > 0.5 m / cells with data, cell centre in the unit",
        "mean",
        weight_column="area_km2",
        valid_range=(0.0, 1.0),
        coverage="cells of the HKV depth grid (mainland)",
    ),
    IndicatorDef(
        "siap_people_exposed_2007",
        Pillar.siap,
        Text("Perkiraan penduduk terdampak (2007)", "People exposed, estimate (2007 extent)"),
        "persons (estimate)",
        _MORE,
        ("flood_rw_2007", "kelurahan"),
        Level.kelurahan,
        "ESTIMATE: population x siap_flood_share_2007 (assumes residents spread evenly over "
        "the kelurahan); not in the default score since it repeats the flood share",
        "sum",
        default_weight=0.0,
        estimate=True,
        coverage=_MAINLAND,
    ),
    IndicatorDef(
        "siap_pumps_1km",
        Pillar.siap,
        Text("Pompa banjir dalam 1 km", "Flood pumps within 1 km"),
        "pumps",
        _LESS,
        ("pumps",),
        Level.kelurahan,
        "number of flood pumps at a distance <= 1000 m from the unit polygon (inside included)",
        "recompute",
        default_weight=0.5,
        coverage=_MAINLAND,
    ),
    IndicatorDef(
        "siap_floodgates_1km",
        Pillar.siap,
        Text("Pintu air dalam 1 km", "Floodgates within 1 km"),
        "gates",
        _LESS,
        ("floodgates",),
        Level.kelurahan,
        "number of floodgates at a distance <= 1000 m from the unit polygon (inside included)",
        "recompute",
        default_weight=0.5,
        coverage=_MAINLAND,
    ),
    IndicatorDef(
        "sehat_slum_rw_count",
        Pillar.sehat,
        Text("Jumlah RW kumuh", "Slum RWs"),
        "RW",
        _MORE,
        ("slum_rw",),
        Level.kelurahan,
        "number of KOTAKU slum RWs whose representative point is in the unit",
        "sum",
        default_weight=0.0,
        coverage="kota 31.71, 31.72, 31.74 (source coverage)",
    ),
    IndicatorDef(
        "sehat_slum_rw_share",
        Pillar.sehat,
        Text("Pangsa RW kumuh", "Share of RWs that are slums"),
        "share (0-1)",
        _MORE,
        ("slum_rw", "rw"),
        Level.kelurahan,
        "min(1, sehat_slum_rw_count / number of RW 2014 representative points in the unit)",
        "ratio",
        ratio_of=("sehat_slum_rw_count", "_rw_count", 1.0),
        valid_range=(0.0, 1.0),
        coverage="kota 31.71, 31.72, 31.74 (source coverage)",
    ),
    IndicatorDef(
        "sehat_waste_banks_count",
        Pillar.sehat,
        Text("Jumlah bank sampah / 3R", "Waste banks / 3R sites"),
        "sites",
        _LESS,
        ("waste_banks",),
        Level.kelurahan,
        "rows of the 3R / bank-sampah list matched to the kelurahan, status not 'Tidak Aktif'",
        "sum",
        default_weight=0.0,
        coverage="all kota (rows whose name did not match are dropped)",
    ),
    IndicatorDef(
        "sehat_waste_banks_per_10k",
        Pillar.sehat,
        Text("Bank sampah per 10.000 penduduk", "Waste banks per 10,000 people"),
        "per 10,000 people",
        _LESS,
        ("waste_banks", "kelurahan"),
        Level.kelurahan,
        "sehat_waste_banks_count / population x 10,000 (null where population is 0 or null)",
        "ratio",
        ratio_of=("sehat_waste_banks_count", "population", 10_000.0),
        coverage="all kota",
    ),
    IndicatorDef(
        "sehat_river_waste_t_day",
        Pillar.sehat,
        Text("Sampah sungai per hari", "River waste collected per day"),
        "t/day",
        _MORE,
        ("river_waste",),
        Level.kecamatan,
        "median over the months (Jan 2024 - Apr 2025) of rata_rata (tonnes per day) of the "
        "kecamatan; the median, not the mean, because of known entry errors in the source",
        "sum",
        coverage="42 mainland kecamatan",
    ),
    IndicatorDef(
        "sehat_clean_water_access",
        Pillar.sehat,
        Text("Akses air bersih", "Clean-water access"),
        "share of households (0-1)",
        _LESS,
        ("user layer",),
        Level.kelurahan,
        "share of households with piped / clean water, from a layer loaded with "
        "`ketahanan layer add`; null until one is loaded",
        "mean",
        weight_column="households",
        valid_range=(0.0, 1.0),
        coverage="none until a planner loads a layer",
    ),
    IndicatorDef(
        "terhubung_tj_stops",
        Pillar.terhubung,
        Text("Jumlah halte TransJakarta", "TransJakarta stops"),
        "stops",
        _LESS,
        ("tj_stops",),
        Level.kelurahan,
        "number of TransJakarta boarding stops (GTFS location_type 0) in the unit",
        "sum",
        default_weight=0.0,
        coverage=_TRANSIT,
    ),
    IndicatorDef(
        "terhubung_tj_stops_per_km2",
        Pillar.terhubung,
        Text("Halte TransJakarta per km²", "TransJakarta stops per km²"),
        "stops/km²",
        _LESS,
        ("tj_stops",),
        Level.kelurahan,
        "terhubung_tj_stops / area_km2",
        "ratio",
        ratio_of=("terhubung_tj_stops", "area_km2", 1.0),
        coverage=_TRANSIT,
    ),
    IndicatorDef(
        "terhubung_tj_500m_share",
        Pillar.terhubung,
        Text("Pangsa luas dalam 500 m dari halte TJ", "Share of area within 500 m of a TJ stop"),
        "share (0-1)",
        _LESS,
        ("tj_stops",),
        Level.kelurahan,
        "area(unit ∩ union of 500 m buffers of TJ boarding stops) / area(unit), METRIC_CRS",
        "mean",
        weight_column="area_km2",
        valid_range=(0.0, 1.0),
        coverage=_TRANSIT,
    ),
    IndicatorDef(
        "terhubung_rail_1km_share",
        Pillar.terhubung,
        Text("Pangsa luas dalam 1 km dari stasiun", "Share of area within 1 km of a rail station"),
        "share (0-1)",
        _LESS,
        ("rail_stations",),
        Level.kelurahan,
        "area(unit ∩ union of 1 km buffers of KRL/MRT/LRT stations) / area(unit), METRIC_CRS",
        "mean",
        weight_column="area_km2",
        valid_range=(0.0, 1.0),
        coverage=_TRANSIT,
    ),
    IndicatorDef(
        "terhubung_tj_departures_500m",
        Pillar.terhubung,
        Text("Keberangkatan TJ per jam dalam 500 m", "TJ weekday departures per hour within 500 m"),
        "departures/hour",
        _LESS,
        ("tj_stops",),
        Level.kelurahan,
        "sum of weekday_departures_per_hour over TJ boarding stops at a distance <= 500 m from "
        "the unit polygon (stops with unknown service left out; null if all are unknown)",
        "recompute",
        coverage=_TRANSIT,
    ),
    IndicatorDef(
        "terhubung_rail_distance_km",
        Pillar.terhubung,
        Text("Jarak ke stasiun terdekat", "Distance to the nearest rail station"),
        "km",
        _MORE,
        ("rail_stations",),
        Level.kelurahan,
        "distance from the kelurahan centroid (no finer population data: centroid, not a "
        "population-weighted centre) to the nearest rail station, METRIC_CRS",
        "mean",
        weight_column="population",
        coverage=_TRANSIT,
    ),
)
INDICATORS: dict[str, IndicatorDef] = {d.id: d for d in _DEFS}
"""The built-in indicators by id, in dictionary order."""

USER_SLOTS = ("sehat_clean_water_access",)
"""Built-in indicators that exist only as slots for a planner's layer."""
