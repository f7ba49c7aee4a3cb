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
    formula_id : str
        The formula in Bahasa Indonesia, for the pages (``formula`` is the English one, as
        computed); empty for a planner layer, whose pages show the English text.
    proxy : bool
        The value stands in for something the data cannot measure (its formula says what).
    data_note : str
        What the date of the data means for the value: changes since that the data predates.
        (The date itself comes from the catalogue at build time: ``data_date`` in the data
        dictionary.)
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
    formula_id: str = ""
    proxy: bool = False
    data_note: str = ""

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

COAST_REACH_KM = 5.0
"""Distance inland at which the coastal-proximity proxy reaches 0."""

_FLOOD_2007 = (
    "The February 2007 flood: works since (river normalisation, pumps, dikes) are not in it."
)
_DEPTH_GRID = (
    "HKV model of about 2012 (a 2007-like flood): works since and land subsidence after "
    "2012 are not in it."
)
_HYDRO_2016 = (
    "Pumps and gates of 2016: later ones are not in it (Pantau Banjir 2024 lists 184 pump houses)."
)
_WASTE_BANKS = "The list states no date (repository of July 2022)."
_RAIL_2021 = (
    "Stations of August 2021: before LRT Jabodebek (opened August 2023) and later station changes."
)
_COAST = "Coast of the 2019 kelurahan boundaries; reclaimed islands are not in them."

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
        formula_id=(
            "luas(wilayah ∩ gabungan poligon RW yang tergenang pada 2007) / luas(wilayah); luas "
            "diukur dalam METRIC_CRS"
        ),
        data_note=_FLOOD_2007,
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
        formula_id=(
            "jumlah poligon RW yang tergenang pada Februari 2017 dan titik wakilnya berada di "
            "wilayah"
        ),
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
        formula_id=(
            "min(1, siap_rw_flooded_2017_count / jumlah poligon RW 2014 yang titik wakilnya "
            "berada di wilayah); poligon RW 2017 dan 2014 berbeda, karena itu dibatasi 1"
        ),
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
        formula_id=(
            "kelas kedalaman terburuk di antara RW wilayah yang tergenang pada Februari 2017: 1 "
            "kedalaman tidak diketahui, 2 = 10-70 cm, 3 = 71-150 cm, 4 = lebih dari 150 cm; 0 "
            "bila tidak ada RW wilayah yang tergenang"
        ),
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
        formula_id=(
            "rata-rata kedalaman pada grid kondisi saat ini, atas sel yang pusatnya di dalam "
            "wilayah dan berisi data (sel sama luas pada lintang ini; sel tanpa data tidak "
            "dihitung)"
        ),
        data_note=_DEPTH_GRID,
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
        formula_id=(
            "sel dengan kedalaman lebih dari 0,5 m / sel berisi data, pusat sel di dalam wilayah"
        ),
        data_note=_DEPTH_GRID,
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
        formula_id=(
            "PERKIRAAN: penduduk × siap_flood_share_2007 (menganggap penduduk tersebar merata di "
            "kelurahan); tidak masuk skor bawaan karena mengulang pangsa genangan"
        ),
        data_note=_FLOOD_2007 + " Population of 30 June 2019.",
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
        formula_id=(
            "jumlah pompa banjir yang berjarak paling jauh 1.000 m dari poligon wilayah (yang di "
            "dalamnya juga)"
        ),
        data_note=_HYDRO_2016,
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
        formula_id=(
            "jumlah pintu air yang berjarak paling jauh 1.000 m dari poligon wilayah (yang di "
            "dalamnya juga)"
        ),
        data_note=_HYDRO_2016,
    ),
    IndicatorDef(
        "siap_coast_distance_km",
        Pillar.siap,
        Text("Jarak ke garis pantai", "Distance to the coastline"),
        "km",
        _LESS,
        ("kelurahan",),
        Level.kelurahan,
        "mean over the unit's area (a 200 m grid of points, METRIC_CRS) of the distance to the "
        "mainland coastline derived from the kelurahan boundaries (geo.coast: the north arc of "
        "the mainland's outer ring between its north-west and north-east corners); not in the "
        "default score (siap_coast_proximity weighs it)",
        "mean",
        weight_column="area_km2",
        default_weight=0.0,
        coverage=_MAINLAND,
        formula_id=(
            "rata-rata, atas luas wilayah (titik grid 200 m, METRIC_CRS), jarak ke garis pantai "
            "daratan yang diturunkan dari batas kelurahan (geo.coast: busur utara cincin luar "
            "daratan di antara sudut barat laut dan timur lautnya); tidak masuk skor bawaan "
            "(siap_coast_proximity yang dibobot)"
        ),
        data_note=_COAST,
    ),
    IndicatorDef(
        "siap_coast_proximity",
        Pillar.siap,
        Text("Kedekatan ke pantai (proksi rob)", "Coastal proximity (tidal-flood proxy)"),
        "0-1 (proxy)",
        _MORE,
        ("kelurahan",),
        Level.kelurahan,
        "PROXY of exposure to tidal flooding (rob) and coastal subsidence: mean over the unit's "
        f"area (200 m grid) of max(0, 1 - d / {COAST_REACH_KM:g} km), d the distance to the "
        "coastline of siap_coast_distance_km; 1 on the coast, 0 from "
        f"{COAST_REACH_KM:g} km inland",
        "mean",
        weight_column="area_km2",
        valid_range=(0.0, 1.0),
        coverage=_MAINLAND,
        proxy=True,
        formula_id=(
            "PROKSI keterpaparan banjir rob dan penurunan tanah pesisir: rata-rata, atas luas "
            f"wilayah (grid 200 m), dari maks(0, 1 - d / {COAST_REACH_KM:g} km), d jarak ke garis "
            "pantai dari siap_coast_distance_km; 1 di pantai, 0 mulai "
            f"{COAST_REACH_KM:g} km ke darat"
        ),
        data_note=_COAST,
    ),
    IndicatorDef(
        "siap_groundwater_ban_zone",
        Pillar.siap,
        Text(
            "Zona bebas air tanah (proksi penurunan tanah)",
            "Groundwater-ban zone (land-subsidence proxy)",
        ),
        "0/1 (proxy)",
        _MORE,
        ("groundwater_ban_kelurahan",),
        Level.kelurahan,
        "PROXY of land-subsidence pressure: 1 when the kelurahan is named by a zone of Pergub "
        "93/2021 (groundwater extraction banned, geo.ban_zones): an area matched by name to the "
        "kelurahan (or to its kecamatan), or a road corridor matched through the TJ stops named "
        "after the road (kelurahan within 100 m of such a stop); else 0. At kecamatan and "
        "kota: the area-weighted share of such kelurahan",
        "mean",
        weight_column="area_km2",
        default_weight=0.5,
        valid_range=(0.0, 1.0),
        coverage=_MAINLAND,
        proxy=True,
        formula_id=(
            "PROKSI tekanan penurunan tanah: 1 bila kelurahan disebut oleh zona Pergub 93/2021 "
            "(pengambilan air tanah dilarang, geo.ban_zones): kawasan yang cocok namanya dengan "
            "kelurahan (atau kecamatannya), atau koridor jalan yang dicocokkan lewat halte TJ "
            "yang dinamai menurut jalan itu (kelurahan dalam 100 m dari halte tersebut); selain "
            "itu 0. Di kecamatan dan kota: pangsa berbobot luas dari kelurahan tersebut"
        ),
        data_note=(
            "Zones of Pergub 93/2021 (in force 1 Aug 2023) as the press lists them: 3 of the 12 "
            "roads were not read and areas or roads no name matches are left at 0 (the build "
            "report lists them)."
        ),
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
        formula_id=("jumlah RW kumuh KOTAKU yang titik wakilnya berada di wilayah"),
        data_note="The KOTAKU list states no date (about 2017); slum upgrading since is not in it.",
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
        formula_id=("min(1, sehat_slum_rw_count / jumlah titik wakil RW 2014 di wilayah)"),
        data_note="The KOTAKU list states no date (about 2017); slum upgrading since is not in it.",
    ),
    IndicatorDef(
        "sehat_waste_banks_count",
        Pillar.sehat,
        Text("Jumlah bank sampah / 3R", "Waste banks / 3R sites"),
        "sites",
        _LESS,
        ("waste_banks",),
        Level.kelurahan,
        "rows of the 3R / bank-sampah list matched to the kelurahan, status not 'Tidak Aktif', "
        "after the source checks (rows naming a unit of another kota rejected, a block "
        "repeated under another kota's label dropped); null in a kota the list does not cover",
        "sum",
        default_weight=0.0,
        coverage="kota with at least one row left after the source checks (rows whose name "
        "did not match are not counted)",
        formula_id=(
            "baris daftar bank sampah dan TPS 3R yang cocok dengan kelurahan, kecuali yang "
            "berstatus «Tidak Aktif», setelah pemeriksaan sumber (baris yang menyebut wilayah kota "
            "lain ditolak, blok yang diulang di bawah label kota lain dibuang); kosong di kota "
            "yang tidak dicakup daftar"
        ),
        data_note=_WASTE_BANKS,
    ),
    IndicatorDef(
        "sehat_waste_banks_per_10k",
        Pillar.sehat,
        Text("Bank sampah per 10.000 penduduk", "Waste banks per 10,000 people"),
        "per 10,000 people",
        _LESS,
        ("waste_banks", "kelurahan"),
        Level.kelurahan,
        "sehat_waste_banks_count / population x 10,000 (null where population is 0 or null, "
        "or where the list does not cover the kota)",
        "ratio",
        ratio_of=("sehat_waste_banks_count", "population", 10_000.0),
        coverage="kota with at least one row left after the source checks",
        formula_id=(
            "sehat_waste_banks_count / penduduk × 10.000 (kosong bila penduduk 0 atau tidak ada, "
            "atau bila daftar tidak mencakup kota itu)"
        ),
        data_note=_WASTE_BANKS + " Population of 30 June 2019.",
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
        formula_id=(
            "median bulanan (Jan 2024 - Apr 2025) rata-rata sampah harian (ton per hari) "
            "kecamatan; median, bukan rata-rata, karena sumber memuat salah input yang diketahui"
        ),
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
        formula_id=(
            "pangsa rumah tangga dengan air perpipaan atau air bersih, dari lapisan yang dimuat "
            "dengan «ketahanan layer add»; kosong sampai ada lapisan yang dimuat"
        ),
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
        formula_id=("jumlah halte naik TransJakarta (GTFS, location_type 0) di dalam wilayah"),
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
        formula_id=("terhubung_tj_stops / luas wilayah (km²)"),
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
        formula_id=(
            "luas(wilayah ∩ gabungan penyangga 500 m di sekitar halte naik TransJakarta) / "
            "luas(wilayah); diukur dalam METRIC_CRS"
        ),
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
        formula_id=(
            "luas(wilayah ∩ gabungan penyangga 1 km di sekitar stasiun KRL, MRT dan LRT) / "
            "luas(wilayah); diukur dalam METRIC_CRS"
        ),
        data_note=_RAIL_2021,
    ),
    IndicatorDef(
        "terhubung_tj_stop_calls_500m",
        Pillar.terhubung,
        Text("Singgahan bus TJ per jam dalam 500 m", "TJ stop calls per hour within 500 m"),
        "stop calls/hour",
        _LESS,
        ("tj_stops",),
        Level.kelurahan,
        "sum of weekday_departures_per_hour over TJ boarding stops at a distance <= 500 m from "
        "the unit polygon (stops with unknown service left out; null if all are unknown): a "
        "bus counts once for every stop it serves within 500 m, so a long corridor counts "
        "many times (see terhubung_tj_trips_500m for distinct trips); not in the default score",
        "recompute",
        default_weight=0.0,
        coverage=_TRANSIT,
        formula_id=(
            "jumlah keberangkatan per jam pada hari kerja di halte naik TransJakarta yang "
            "berjarak paling jauh 500 m dari poligon wilayah (halte tanpa data layanan tidak "
            "dihitung; kosong bila semuanya tanpa data): satu bus dihitung sekali untuk setiap "
            "halte yang disinggahinya dalam 500 m, jadi koridor panjang terhitung berkali-kali "
            "(lihat terhubung_tj_trips_500m untuk perjalanan berbeda); tidak masuk skor bawaan"
        ),
    ),
    IndicatorDef(
        "terhubung_tj_trips_500m",
        Pillar.terhubung,
        Text("Perjalanan bus TJ per jam dalam 500 m", "Distinct TJ trips per hour within 500 m"),
        "trips/hour",
        _LESS,
        ("tj_stops", "tj_trip_stops"),
        Level.kelurahan,
        "weekday GTFS trips with at least one stop call at a TJ boarding stop at a distance <= "
        "500 m from the unit polygon, each trip counted once with its daily departures "
        "(frequencies.txt), / 24 hours",
        "recompute",
        coverage=_TRANSIT,
        formula_id=(
            "perjalanan GTFS hari kerja yang singgah sedikitnya sekali di halte naik TransJakarta "
            "yang berjarak paling jauh 500 m dari poligon wilayah, tiap perjalanan dihitung sekali "
            "dengan keberangkatan hariannya (frequencies.txt), / 24 jam"
        ),
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
        formula_id=(
            "jarak dari titik tengah kelurahan ke stasiun kereta terdekat (titik tengah, bukan "
            "pusat berbobot penduduk, karena tidak ada data penduduk yang lebih rinci); diukur "
            "dalam METRIC_CRS"
        ),
        data_note=_RAIL_2021,
    ),
)
INDICATORS: dict[str, IndicatorDef] = {d.id: d for d in _DEFS}
"""The built-in indicators by id, in dictionary order."""

USER_SLOTS = ("sehat_clean_water_access",)
"""Built-in indicators that exist only as slots for a planner's layer."""
