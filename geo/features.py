"""OGC API - Features core: collections of the build output, queries, paging and serialisation.

No web framework here: :class:`FeatureStore` loads the build GeoPackage once into memory and
precomputes, per collection, the GeoJSON bytes of every feature's geometry (per generalisation
level, see :mod:`geo.generalise`) and properties (orjson). A request is parsed into an
immutable, hashable :class:`ItemsQuery` (the normalised cache key of the API), run with
:func:`run_query` and rendered with :func:`render_items` / :func:`render_feature` /
:func:`render_gpkg`.

Collections
-----------
Every vector layer and table of the build output is a collection, except ``build_info`` (the
build report, served at ``/health``). Tables without geometry (``river_waste``,
``waste_banks``, ``data_dictionary``, ...) are collections whose features have a null
geometry and no spatial extent. Feature ids: ``kode`` for kelurahan, kecamatan and kota, the
GeoPackage ``fid`` (row number, stable for builds of the same data) for the others.

GeoJSON follows RFC 7946: longitude/latitude (CRS84), exterior rings counter-clockwise, no
``crs`` member, at most 7 decimals.
"""

from __future__ import annotations

import json
import math
import re
import tempfile
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import orjson
import pandas as pd
import pyogrio
import shapely

from geo import generalise
from geo.classify import MAX_CLASSES, Classification, classify
from geo.crs import STORAGE_CRS
from geo.errors import DataError, InvalidParameterError, NotFoundError
from geo.indicators import INDICATORS, LEVELS, IndicatorDef
from geo.params import (
    MAX_OFFSET,
    parse_bbox,
    parse_datetime,
    parse_int,
    parse_number,
    shown,
    single_values,
)
from geo.settings import Settings

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
"""The only CRS features are served in (WGS 84 longitude/latitude, RFC 7946)."""

CONFORMANCE = (
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
)
"""OGC API - Features Part 1 conformance classes implemented."""

EXCLUDED_TABLES = frozenset({"build_info"})
"""Tables of the build output that are not collections (the build report is at /health)."""

LANGUAGES = ("id", "en")
"""Response languages: Bahasa Indonesia (default) and English."""

RESERVED_PARAMETERS = frozenset(
    {
        "bbox",
        "bbox-crs",
        "datetime",
        "limit",
        "offset",
        "properties",
        "lang",
        "zoom",
        "weights",
        "classify",
        "classify_by",
        "k",
        "breaks",
        "f",
    }
)
"""Query parameters of ``items`` that are not property filters."""

FORMATS = {"json": "json", "geojson": "geojson", "gpkg": "gpkg", "geopackage": "gpkg"}
"""Accepted values of ``f`` on items and their canonical format: ``json`` (the default) is a
page of GeoJSON; ``geojson`` and ``gpkg`` are file downloads (with a file name) holding every
matched feature unless ``limit`` is given."""

DOWNLOAD_FORMATS = frozenset({"geojson", "gpkg"})

DEFAULT_CLASSIFY_BY = "score_siap"
"""Property classified when ``classify`` is given without ``classify_by``."""

BASE_PROPERTIES: dict[str, tuple[str, str]] = {
    "kode": ("Kode Kemendagri", "Kemendagri code (31.71.01.1001 style)"),
    "nama": ("Nama wilayah", "Name of the unit"),
    "kode_kecamatan": ("Kode kecamatan", "Kecamatan code"),
    "nama_kecamatan": ("Nama kecamatan", "Kecamatan name"),
    "kode_kota": ("Kode kota", "Kota code"),
    "nama_kota": ("Nama kota", "Kota name"),
    "population": ("Penduduk (Dukcapil 30 Juni 2019)", "Population (Dukcapil, 30 June 2019)"),
    "households": ("Kepala keluarga (Dukcapil 2019)", "Households (Dukcapil, 2019)"),
    "kelurahan_count": ("Jumlah kelurahan", "Number of kelurahan"),
    "area_km2": ("Luas (km², METRIC_CRS)", "Area (km², measured in METRIC_CRS)"),
}
"""Names of the non-indicator properties of the admin layers (Bahasa Indonesia, English)."""


@dataclass(frozen=True)
class LayerInfo:
    """Title and description of a build layer in both languages, and its catalogue source."""

    title_id: str
    title_en: str
    description_id: str
    description_en: str
    source: str | None = None


def _info(tid: str, ten: str, did: str, den: str, source: str | None = None) -> LayerInfo:
    return LayerInfo(tid, ten, did, den, source)


LAYER_INFO: dict[str, LayerInfo] = {
    "kelurahan": _info(
        "Kelurahan dengan indikator dan skor pilar",
        "Kelurahan with indicators and pillar scores",
        "267 kelurahan DKI Jakarta (kode Kemendagri) dengan indikator Siap, Sehat, Terhubung "
        "dan skor pilar 0-1 (lebih tinggi = lebih rentan).",
        "The 267 kelurahan of DKI Jakarta (Kemendagri codes) with the Siap, Sehat and "
        "Terhubung indicators and 0-1 pillar scores (higher = more exposed).",
        "kelurahan_kemendagri_2025",
    ),
    "kecamatan": _info(
        "Kecamatan dengan indikator dan skor pilar",
        "Kecamatan with indicators and pillar scores",
        "44 kecamatan DKI Jakarta (gabungan kelurahan) dengan indikator dan skor pilar.",
        "The 44 kecamatan of DKI Jakarta (dissolved kelurahan) with indicators and scores.",
        "kelurahan_kemendagri_2025",
    ),
    "kota": _info(
        "Kota/kabupaten dengan indikator dan skor pilar",
        "Kota with indicators and pillar scores",
        "5 kota dan Kabupaten Kepulauan Seribu dengan indikator dan skor pilar.",
        "The 5 kota and Kepulauan Seribu regency with indicators and pillar scores.",
        "kelurahan_kemendagri_2025",
    ),
    "rw": _info(
        "Batas RW 2014",
        "RW boundaries 2014",
        "Batas RW (rukun warga) daratan DKI Jakarta 2014, ditautkan ke kode kelurahan.",
        "Mainland RW (rukun warga) boundaries 2014, linked to kelurahan codes.",
        "rw_2014",
    ),
    "flood_rw_2007": _info(
        "RW tergenang banjir 2007",
        "RWs flooded in 2007",
        "RW yang tergenang pada banjir Februari 2007.",
        "RWs flooded in the February 2007 flood.",
        "flood_rw_2007",
    ),
    "rw_2007_floodprone": _info(
        "RW rawan banjir (2007)",
        "Flood-prone RWs (2007)",
        "Semua RW daratan dengan penanda rawan banjir (data 2007).",
        "All mainland RWs with a flood-prone flag (2007 data).",
        "flood_rw_2007",
    ),
    "flood_2017_rw_max": _info(
        "RW tergenang Feb 2017 (kedalaman terburuk)",
        "RWs flooded Feb 2017 (worst depth)",
        "RW tergenang pada banjir Februari 2017 menurut BPBD DKI, dengan kelas kedalaman terburuk.",
        "RWs flooded in February 2017 according to BPBD DKI, with their worst depth class.",
        "petabencana_2017_02",
    ),
    "flood_2017_hourly": _info(
        "RW tergenang Feb 2017 per jam",
        "RWs flooded Feb 2017, hourly",
        "Status genangan RW per jam selama banjir Februari 2017.",
        "Hourly flood state of RWs during the February 2017 flood.",
        "petabencana_2017_02",
    ),
    "flood_2017_reports": _info(
        "Laporan warga banjir Feb 2017",
        "Citizen flood reports Feb 2017",
        "Laporan banjir warga (PetaBencana.id) selama banjir Februari 2017.",
        "Citizens' flood reports (PetaBencana.id) during the February 2017 flood.",
        "petabencana_2017_02",
    ),
    "floodgates": _info(
        "Pintu air (2016)",
        "Floodgates (2016)",
        "Pintu air Jakarta, 2016.",
        "Jakarta floodgates, 2016.",
        "hydro_infrastructure_2016",
    ),
    "pumps": _info(
        "Pompa banjir (2016)",
        "Flood pumps (2016)",
        "Pompa banjir Jakarta, 2016.",
        "Jakarta flood pumps, 2016.",
        "hydro_infrastructure_2016",
    ),
    "waterways": _info(
        "Saluran air (2016)",
        "Waterways (2016)",
        "Sungai dan saluran Jakarta, 2016.",
        "Jakarta rivers and canals, 2016.",
        "hydro_infrastructure_2016",
    ),
    "pb_sluice_gates": _info(
        "Pintu air Pantau Banjir",
        "Pantau Banjir sluice gates",
        "Pintu air dengan tinggi muka air (Dinas SDA DKI, Mei 2024).",
        "Sluice gates with water levels (DKI water agency, May 2024).",
        "pantau_banjir_2024",
    ),
    "pb_pump_houses": _info(
        "Rumah pompa Pantau Banjir",
        "Pantau Banjir pump houses",
        "Rumah pompa dan jumlah pompa (Dinas SDA DKI, Mei 2024).",
        "Pump houses and their pumps (DKI water agency, May 2024).",
        "pantau_banjir_2024",
    ),
    "pb_observation_posts": _info(
        "Pos pantau tinggi muka air",
        "River gauge posts",
        "Pos pengamatan tinggi muka air (Dinas SDA DKI, Mei 2024).",
        "River water-level observation posts (DKI water agency, May 2024).",
        "pantau_banjir_2024",
    ),
    "pb_rainfall_posts": _info(
        "Pos curah hujan",
        "Rainfall posts",
        "Pos pengamatan curah hujan (Dinas SDA DKI, Mei 2024).",
        "Rainfall observation posts (DKI water agency, May 2024).",
        "pantau_banjir_2024",
    ),
    "pb_flood_posts": _info(
        "Pos banjir",
        "Flood posts",
        "Pos banjir (Dinas SDA DKI, Mei 2024).",
        "Flood posts (DKI water agency, May 2024).",
        "pantau_banjir_2024",
    ),
    "pb_reservoirs": _info(
        "Waduk dan situ",
        "Reservoirs and ponds",
        "Waduk dan situ dengan luas dan volume (Dinas SDA DKI, Mei 2024).",
        "Reservoirs and ponds with area and volume (DKI water agency, May 2024).",
        "pantau_banjir_2024",
    ),
    "tj_stops": _info(
        "Halte TransJakarta (GTFS Sep 2025)",
        "TransJakarta stops (GTFS Sep 2025)",
        "Halte TransJakarta dengan keberangkatan per jam pada hari kerja (GTFS).",
        "TransJakarta stops with weekday departures per hour (GTFS).",
        "transjakarta_gtfs_2025_09",
    ),
    "tj_routes": _info(
        "Rute TransJakarta (GTFS Sep 2025)",
        "TransJakarta routes (GTFS Sep 2025)",
        "Garis rute TransJakarta.",
        "TransJakarta route lines.",
        "transjakarta_gtfs_2025_09",
    ),
    "tj_stops_2026": _info(
        "Halte TransJakarta (GTFS Apr 2026)",
        "TransJakarta stops (GTFS Apr 2026)",
        "Halte TransJakarta dari GTFS April 2026.",
        "TransJakarta stops, April 2026 GTFS.",
        "transjakarta_gtfs_2026_04",
    ),
    "tj_route_lines_2026": _info(
        "Rute TransJakarta (GTFS Apr 2026)",
        "TransJakarta routes (GTFS Apr 2026)",
        "Garis rute TransJakarta dari GTFS April 2026.",
        "TransJakarta route lines, April 2026 GTFS.",
        "transjakarta_gtfs_2026_04",
    ),
    "tj_shapes_2021": _info(
        "Bentuk rute TransJakarta 2021",
        "TransJakarta route shapes 2021",
        "Bentuk rute resolusi penuh dari GTFS komunitas 2021.",
        "Full-resolution route shapes from the 2021 community GTFS.",
        "transjakarta_gtfs_2021",
    ),
    "rail_stations": _info(
        "Stasiun KRL, MRT, LRT",
        "Rail stations (KRL, MRT, LRT)",
        "Stasiun KRL Commuter Line, MRT, LRT dan kereta bandara (2021).",
        "KRL Commuter Line, MRT, LRT and airport rail stations (2021).",
        "rail_2021",
    ),
    "rail_lines": _info(
        "Jalur kereta",
        "Rail lines",
        "Jalur KRL, MRT, LRT dan kereta bandara (2021).",
        "KRL, MRT, LRT and airport rail lines (2021).",
        "rail_2021",
    ),
    "slum_rw": _info(
        "RW kumuh (KOTAKU)",
        "Slum RWs (KOTAKU)",
        "RW kumuh program KOTAKU di Jakarta Pusat, Utara dan Selatan.",
        "Slum RWs of the KOTAKU programme in Central, North and South Jakarta.",
        "rw_kumuh_kotaku",
    ),
    "osm2012_kelurahan": _info(
        "Kelurahan OSM 2012 (pembanding)",
        "OSM 2012 kelurahan (cross-check)",
        "Batas kelurahan OpenStreetMap 2012, untuk pemeriksaan silang.",
        "OpenStreetMap 2012 kelurahan boundaries, for cross-checks.",
        "admin_osm_2012",
    ),
    "osm2012_kecamatan": _info(
        "Kecamatan OSM 2012 (pembanding)",
        "OSM 2012 kecamatan (cross-check)",
        "Batas kecamatan OpenStreetMap 2012, untuk pemeriksaan silang.",
        "OpenStreetMap 2012 kecamatan boundaries, for cross-checks.",
        "admin_osm_2012",
    ),
    "osm2012_kota": _info(
        "Kota OSM 2012 (pembanding)",
        "OSM 2012 kota (cross-check)",
        "Batas kota OpenStreetMap 2012, untuk pemeriksaan silang.",
        "OpenStreetMap 2012 kota boundaries, for cross-checks.",
        "admin_osm_2012",
    ),
    "river_waste": _info(
        "Sampah sungai per kecamatan per bulan",
        "River waste per kecamatan and month",
        "Tabel tanpa geometri: sampah sungai per kecamatan per bulan (Jan 2024 - Apr 2025).",
        "Table without geometry: river waste per kecamatan and month (Jan 2024 - Apr 2025).",
        "river_waste_2024_25",
    ),
    "waste_banks": _info(
        "Bank sampah dan 3R",
        "Waste banks and 3R sites",
        "Tabel tanpa geometri: bank sampah / TPS 3R dicocokkan ke kelurahan.",
        "Table without geometry: waste banks / 3R sites matched to kelurahan.",
        "bank_sampah_3r",
    ),
    "piped_water_reports": _info(
        "Air perpipaan (laporan media)",
        "Piped water (press reports)",
        "Tabel tanpa geometri: fakta air perpipaan PAM Jaya dari laporan media.",
        "Table without geometry: PAM Jaya piped-water facts from press reports.",
        "piped_water_press_reports",
    ),
    "groundwater_ban_zones": _info(
        "Zona bebas air tanah (Pergub 93/2021)",
        "Groundwater-free zones (reg. 93/2021)",
        "Tabel tanpa geometri: zona bebas air tanah menurut Pergub DKI 93/2021.",
        "Table without geometry: groundwater-free zones under governor regulation 93/2021.",
        "groundwater_ban_zones_2021",
    ),
    "data_dictionary": _info(
        "Kamus data indikator",
        "Indicator data dictionary",
        "Tabel tanpa geometri: nama, satuan, rumus, sumber dan bobot setiap indikator.",
        "Table without geometry: name, unit, formula, sources and weight of every indicator.",
    ),
}
"""Titles and descriptions of the known build layers (others fall back to their name)."""


# ---------------------------------------------------------------------------------------------
# values


def _column_values(series: pd.Series) -> list[Any]:
    """JSON-safe Python values of a column (nulls as None, times as ISO 8601 text)."""
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        return [None if pd.isna(v) else pd.Timestamp(v).isoformat() for v in series]
    if pd.api.types.is_bool_dtype(series.dtype):
        return [None if pd.isna(v) else bool(v) for v in series.astype(object)]
    if pd.api.types.is_integer_dtype(series.dtype):
        return [None if pd.isna(v) else int(v) for v in series.astype(object)]
    if pd.api.types.is_float_dtype(series.dtype):
        arr = series.to_numpy(dtype=float, na_value=np.nan)
        return [None if not math.isfinite(v) else v for v in arr.tolist()]
    out: list[Any] = []
    for v in series.astype(object).tolist():
        if v is None or v is pd.NA or (isinstance(v, float) and not math.isfinite(v)):
            out.append(None)
        elif isinstance(v, str | bool | int | float):
            out.append(v)
        elif isinstance(v, np.generic):
            out.append(v.item())
        else:
            out.append(str(v))
    return out


def json_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows of ``frame`` as JSON-safe dicts (None for nulls, ISO text for times).

    Parameters
    ----------
    frame : DataFrame
        Without a geometry column.

    Returns
    -------
    list of dict
    """
    columns = [str(c) for c in frame.columns]
    values = [_column_values(frame[c]) for c in frame.columns]
    return (
        [dict(zip(columns, row, strict=True)) for row in zip(*values, strict=True)]
        if (columns)
        else [{} for _ in range(len(frame))]
    )


def _parse_json_cell(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


# ---------------------------------------------------------------------------------------------
# collections


@dataclass
class GeometryLevel:
    """Geometries of a collection at one generalisation level."""

    geoms: np.ndarray
    """Shapely geometries in STORAGE_CRS (rounded, RFC 7946 orientation); None when absent."""
    json: list[bytes]
    """GeoJSON bytes of each geometry (``null`` when absent)."""


_LONG_FLOAT = re.compile(r"-?\d+\.\d{8,}(?:[eE][-+]?\d+)?")


def _geometry_json(geoms: np.ndarray, decimals: int) -> list[bytes]:
    """GeoJSON bytes of each geometry with at most ``decimals`` decimals.

    GEOS writes 17 significant digits, so a rounded 106.5345084 can come out as
    106.53450840000001; such numbers are written again with ``decimals`` decimals.
    """

    def short(match: re.Match[str]) -> str:
        text = f"{float(match.group()):.{decimals}f}".rstrip("0").rstrip(".")
        return "0" if text in ("-0", "") else text

    text = shapely.to_geojson(geoms)
    return [b"null" if t is None else _LONG_FLOAT.sub(short, t).encode() for t in text.tolist()]


@dataclass
class Collection:
    """One collection: a build layer held in memory with its precomputed serialisations."""

    id: str
    info: LayerInfo
    frame: pd.DataFrame
    """Properties (no geometry column), in feature order."""
    geometry: np.ndarray | None
    """Full-resolution geometries in STORAGE_CRS as stored; None for a table."""
    geometry_type: str | None
    feature_ids: list[str | int]
    admin_level: str | None = None
    dictionary: list[dict[str, Any]] = field(default_factory=list)
    definitions: dict[str, IndicatorDef] = field(default_factory=dict)
    source: dict[str, Any] | None = None
    records: list[dict[str, Any]] = field(default_factory=list)
    properties_json: list[bytes] = field(default_factory=list)
    id_json: list[bytes] = field(default_factory=list)
    index_of: dict[str, int] = field(default_factory=dict)
    bbox: tuple[float, float, float, float] | None = None
    time_column: str | None = None
    interval: tuple[str | None, str | None] | None = None
    _levels: dict[int | None, GeometryLevel] = field(default_factory=dict, repr=False)
    _metric: tuple[np.ndarray, bool] | None = field(default=None, repr=False)
    _tree: shapely.STRtree | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        self.records = json_records(self.frame)
        self.properties_json = [orjson.dumps(r) for r in self.records]
        self.id_json = [orjson.dumps(i) for i in self.feature_ids]
        self.index_of = {str(i): pos for pos, i in enumerate(self.feature_ids)}
        if self.geometry is not None:
            present = self.geometry[~shapely.is_missing(self.geometry)]
            if len(present):
                b = shapely.total_bounds(present)
                self.bbox = (float(b[0]), float(b[1]), float(b[2]), float(b[3]))
            self._tree = shapely.STRtree(self.geometry)
        for col in self.frame.columns:
            if pd.api.types.is_datetime64_any_dtype(self.frame[col].dtype):
                self.time_column = str(col)
                times = self.frame[col].dropna()
                if len(times):
                    self.interval = (_iso(times.min()), _iso(times.max()))
                break

    @property
    def size(self) -> int:
        """Number of features."""
        return len(self.frame)

    @property
    def columns(self) -> list[str]:
        """Property names, in order."""
        return [str(c) for c in self.frame.columns]

    def title(self, lang: str) -> str:
        """Title in ``lang``."""
        return self.info.title_id if lang == "id" else self.info.title_en

    def description(self, lang: str) -> str:
        """Description in ``lang``, with the catalogue source when known."""
        text = self.info.description_id if lang == "id" else self.info.description_en
        if self.source:
            title = self.source.get("title", {})
            label = "Sumber" if lang == "id" else "Source"
            text += f" {label}: {title.get(lang) or title.get('en') or self.source.get('id')}"
            if self.source.get("date"):
                text += f" ({self.source['date']})"
            text += "."
        return text

    def level(self, level: int | None) -> GeometryLevel:
        """Geometries at a generalisation level (None = full resolution), computed once.

        Raises
        ------
        InvalidParameterError
            When the collection has no geometry.
        """
        if self.geometry is None:
            raise InvalidParameterError(f"collection '{self.id}' has no geometry")
        if self.geometry_type in ("Point", "MultiPoint"):
            level = None
        cached = self._levels.get(level)
        if cached is not None:
            return cached
        with self._lock:
            cached = self._levels.get(level)
            if cached is not None:
                return cached
            if level is None:
                geoms = generalise.finish(self.geometry, generalise.FULL_DECIMALS)
            else:
                if self._metric is None:
                    self._metric = generalise.prepare_coverage(self.geometry)
                metric, coverage = self._metric
                geoms = generalise.simplify(metric, coverage, level)
            made = GeometryLevel(geoms, _geometry_json(geoms, generalise.decimals_of(level)))
            self._levels[level] = made
            return made

    def query_bbox(self, bbox: tuple[float, float, float, float]) -> np.ndarray:
        """Positions of features whose full-resolution geometry intersects ``bbox``."""
        if self._tree is None:
            return np.zeros(0, dtype=np.int64)
        hits = self._tree.query(shapely.box(*bbox), predicate="intersects")
        return np.sort(np.asarray(hits, dtype=np.int64))


def _iso(value: Any) -> str:
    ts = pd.Timestamp(value)
    if ts.tzinfo is None:
        ts = ts.tz_localize(UTC)
    return ts.tz_convert(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _definitions(settings: Settings | None) -> dict[str, IndicatorDef]:
    try:
        from geo.indicators import all_definitions
    except ImportError:  # pragma: no cover - the definitions module is always there
        return dict(INDICATORS)
    try:
        return all_definitions(settings)
    except ImportError:  # pragma: no cover - only while geo.user_layers is absent
        return dict(INDICATORS)


def _catalogue_sources(path: Path) -> dict[str, dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {s["id"]: s for s in data.get("sources", []) if isinstance(s, dict) and "id" in s}


def _dictionary(path: Path, layer_names: set[str]) -> list[dict[str, Any]]:
    if "data_dictionary" not in layer_names:
        from geo.indicators import data_dictionary

        return data_dictionary()
    frame = pyogrio.read_dataframe(path, layer="data_dictionary")
    return [{k: _parse_json_cell(v) for k, v in r.items()} for r in json_records(frame)]


@dataclass
class FeatureStore:
    """Every collection of one build output, held in memory (load with :meth:`load`)."""

    path: Path
    collections: dict[str, Collection]
    settings: Settings | None
    mtime: float
    loaded_at: str

    @classmethod
    def load(cls, settings: Settings, *, warm_zooms: Iterable[int] = ()) -> FeatureStore:
        """Read the build output at ``settings.build_path`` into memory.

        Parameters
        ----------
        settings : Settings
        warm_zooms : iterable of int
            Zooms whose generalised geometry is computed now for the admin layers (the
            others are computed on first use and then kept).

        Returns
        -------
        FeatureStore

        Raises
        ------
        DataError
            When there is no build output (status 503, code ``no_build``).
        """
        path = settings.build_path
        if not path.exists():
            raise NoBuildError(f"no build output at {path}: run `ketahanan build` first")
        mtime = path.stat().st_mtime
        names = {str(n): (None if g is None else str(g)) for n, g in pyogrio.list_layers(path)}
        sources = _catalogue_sources(settings.catalogue_path)
        definitions = _definitions(settings)
        dictionary = _dictionary(path, set(names))
        collections: dict[str, Collection] = {}
        for name, gtype in names.items():
            if name in EXCLUDED_TABLES:
                continue
            collections[name] = _load_collection(
                path, name, gtype, sources, definitions, dictionary
            )
        store = cls(
            path=path,
            collections=collections,
            settings=settings,
            mtime=mtime,
            loaded_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        )
        levels = {generalise.level_of(z) for z in warm_zooms}
        for coll in collections.values():
            if coll.admin_level is not None:
                for lvl in levels | {None}:
                    coll.level(lvl)
        return store

    def get(self, collection_id: str) -> Collection:
        """The collection ``collection_id``.

        Raises
        ------
        NotFoundError
            For an unknown id (the message lists the known ones).
        """
        coll = self.collections.get(collection_id)
        if coll is None:
            raise NotFoundError(
                f"unknown collection '{collection_id}'",
                details={"collections": sorted(self.collections)},
            )
        return coll


class NoBuildError(DataError):
    """The build output the API serves does not exist yet."""

    status = 503
    code = "no_build"


def _load_collection(
    path: Path,
    name: str,
    gtype: str | None,
    sources: Mapping[str, dict[str, Any]],
    definitions: dict[str, IndicatorDef],
    dictionary: list[dict[str, Any]],
) -> Collection:
    frame = pyogrio.read_dataframe(path, layer=name, fid_as_index=True)
    info = LAYER_INFO.get(name) or LayerInfo(name, name, name, name)
    geometry: np.ndarray | None = None
    if isinstance(frame, gpd.GeoDataFrame):
        if frame.crs is not None and not frame.crs.equals(STORAGE_CRS):
            frame = frame.to_crs(STORAGE_CRS)
        geometry = np.asarray(frame.geometry.array, dtype=object)
        props = pd.DataFrame(frame.drop(columns=frame.geometry.name))
        present = geometry[~shapely.is_missing(geometry)]
        kinds = sorted(set(shapely.get_type_id(present).tolist())) if len(present) else []
        names_of = {
            0: "Point",
            1: "LineString",
            3: "Polygon",
            4: "MultiPoint",
            5: "MultiLineString",
            6: "MultiPolygon",
        }
        if gtype in (None, "Unknown") or gtype not in names_of.values():
            gtype = names_of.get(kinds[0], "Geometry") if len(kinds) == 1 else "Geometry"
            if set(kinds) <= {3, 6} and kinds:
                gtype = "MultiPolygon" if 6 in kinds else "Polygon"
    else:
        props = pd.DataFrame(frame)
        gtype = None
    admin = name if name in LEVELS else None
    if admin is not None and "kode" in props.columns and props["kode"].is_unique:
        ids: list[str | int] = [str(k) for k in props["kode"].tolist()]
    else:
        ids = [int(i) for i in frame.index.tolist()]
    coll_dictionary = dictionary if admin is not None else []
    return Collection(
        id=name,
        info=info,
        frame=props.reset_index(drop=True),
        geometry=geometry,
        geometry_type=gtype,
        feature_ids=ids,
        admin_level=admin,
        dictionary=coll_dictionary,
        definitions=definitions if admin is not None else {},
        source=sources.get(info.source) if info.source else None,
    )


# ---------------------------------------------------------------------------------------------
# queries


@dataclass(frozen=True)
class ItemsQuery:
    """A parsed, checked ``items`` request; hashable, so it is the normalised cache key."""

    bbox: tuple[float, float, float, float] | None = None
    datetime: tuple[str | None, str | None] | None = None
    limit: int = 100
    offset: int = 0
    filters: tuple[tuple[str, str], ...] = ()
    properties: tuple[str, ...] | None = None
    zoom: int | None = None
    weights: tuple[tuple[str, float], ...] = ()
    classify: str | None = None
    classify_by: str | None = None
    k: int = 5
    breaks: tuple[float, ...] | None = None
    fmt: str = "json"

    @property
    def level(self) -> int | None:
        """The generalisation level serving :attr:`zoom`."""
        return generalise.level_of(self.zoom)


def _names(text: str, what: str) -> tuple[str, ...]:
    names = tuple(n.strip() for n in text.split(",") if n.strip())
    if not names:
        raise InvalidParameterError(f"{what} needs at least one name")
    return names


def parse_items_query(
    collection: Collection,
    params: Sequence[tuple[str, str]],
    *,
    limit_default: int,
    limit_max: int,
    single_feature: bool = False,
) -> ItemsQuery:
    """Parse and check the query parameters of an ``items`` (or single item) request.

    Parameters
    ----------
    collection : Collection
    params : sequence of (name, value)
        The raw query string items (``lang`` is read by the caller and ignored here).
    limit_default, limit_max : int
        Page size when ``limit`` is absent; a larger ``limit`` is lowered to ``limit_max``
        (OGC API - Features: a limit above the maximum is not an error).
    single_feature : bool
        For ``items/{featureId}``: no paging, bbox or property filters.

    Returns
    -------
    ItemsQuery

    Raises
    ------
    InvalidParameterError
        Naming the parameter and what was wrong: bad bbox, limit, offset, zoom, datetime,
        unknown property (in a filter, ``properties`` or ``classify_by``), bad weights or
        classification, unknown format.
    """
    raw = single_values(params)
    columns = set(collection.columns)
    admin = collection.admin_level is not None
    values: dict[str, Any] = {}

    unknown = [k for k in raw if k not in RESERVED_PARAMETERS and k not in columns]
    if unknown:
        raise InvalidParameterError(
            "unknown parameter or property: " + ", ".join(sorted(unknown)),
            details={"unknown": sorted(unknown), "properties": collection.columns},
        )
    filters = tuple(sorted((k, v) for k, v in raw.items() if k not in RESERVED_PARAMETERS))
    if single_feature:
        extra = [k for k in raw if k in ("bbox", "datetime", "limit", "offset")] + [
            k for k, _ in filters
        ]
        if extra:
            raise InvalidParameterError(
                "a single feature takes no paging, bbox, datetime or property filters: "
                + ", ".join(extra)
            )
    for name, value in filters:
        _check_filter(collection, name, value)
    values["filters"] = filters

    if "bbox" in raw:
        values["bbox"] = parse_bbox(raw["bbox"])
    if "bbox-crs" in raw and raw["bbox-crs"].strip() not in (CRS84, ""):
        raise InvalidParameterError(f"bbox-crs must be {CRS84} (the only CRS served)")
    if "datetime" in raw:
        values["datetime"] = parse_datetime(raw["datetime"])
    if "f" in raw:
        fmt = FORMATS.get(raw["f"].strip().lower())
        if fmt is None:
            raise InvalidParameterError(f"f must be one of json, geojson, gpkg; got {raw['f']!r}")
        values["fmt"] = fmt
    values["limit"] = limit_max if values.get("fmt") in DOWNLOAD_FORMATS else limit_default
    if "limit" in raw:
        values["limit"] = min(parse_int("limit", raw["limit"], lo=1), limit_max)
    if "offset" in raw:
        values["offset"] = parse_int("offset", raw["offset"], lo=0, hi=MAX_OFFSET)
    if "zoom" in raw:
        values["zoom"] = parse_int("zoom", raw["zoom"], lo=0, hi=generalise.MAX_ZOOM)
        if collection.geometry is None:
            raise InvalidParameterError(f"zoom: collection '{collection.id}' has no geometry")

    if "weights" in raw:
        if not admin:
            raise InvalidParameterError(
                "weights apply only to the kelurahan, kecamatan and kota collections"
            )
        from geo.scores import parse_weights

        parsed = parse_weights(raw["weights"], known=collection.definitions)
        values["weights"] = tuple(sorted(parsed.items()))

    wants_class = any(k in raw for k in ("classify", "classify_by", "k", "breaks"))
    if wants_class:
        if not admin:
            raise InvalidParameterError(
                "classify applies only to the kelurahan, kecamatan and kota collections"
            )
        method = raw.get("classify", "user_defined" if "breaks" in raw else "")
        if not method.strip():
            raise InvalidParameterError(
                "classify needs a method: quantiles, fisher_jenks, equal_interval or user"
            )
        from geo.classify import METHODS

        canonical = METHODS.get(method.strip().lower())
        if canonical is None:
            raise InvalidParameterError(
                f"unknown classification method {method!r}; use one of "
                "quantiles, fisher_jenks, equal_interval, user"
            )
        values["classify"] = canonical
        by = raw.get("classify_by", DEFAULT_CLASSIFY_BY).strip()
        if by not in columns:
            raise InvalidParameterError(
                f"classify_by: unknown property {by!r}",
                details={"properties": collection.columns},
            )
        if not pd.api.types.is_numeric_dtype(collection.frame[by].dtype):
            raise InvalidParameterError(f"classify_by: property {by!r} is not numeric")
        values["classify_by"] = by
        if "k" in raw:
            if canonical == "user_defined":
                raise InvalidParameterError("k does not apply to user-defined breaks")
            values["k"] = parse_int("k", raw["k"], lo=2, hi=MAX_CLASSES)
        if "breaks" in raw:
            if canonical != "user_defined":
                raise InvalidParameterError("breaks apply only to classify=user")
            parts = [b for b in raw["breaks"].split(",") if b.strip()]
            if len(parts) > MAX_CLASSES:
                raise InvalidParameterError(
                    f"breaks holds {len(parts):,} numbers; at most {MAX_CLASSES} are accepted"
                )
            values["breaks"] = tuple(parse_number("breaks", b) for b in parts)
            if not values["breaks"]:
                raise InvalidParameterError("breaks needs at least one number")
        elif canonical == "user_defined":
            raise InvalidParameterError("classify=user needs breaks, e.g. breaks=0.2,0.4,0.6")

    if "properties" in raw:
        names = _names(raw["properties"], "properties")
        allowed = columns | ({"class"} if wants_class else set())
        bad = [n for n in names if n not in allowed]
        if bad:
            raise InvalidParameterError(
                "properties: unknown property " + ", ".join(bad),
                details={"unknown": bad, "properties": collection.columns},
            )
        values["properties"] = names
    return ItemsQuery(**values)


def _check_filter(collection: Collection, name: str, value: str) -> None:
    dtype = collection.frame[name].dtype
    if pd.api.types.is_bool_dtype(dtype):
        if value.strip().lower() not in ("true", "false", "1", "0"):
            raise InvalidParameterError(
                f"filter {name}: expected true or false, got {shown(value)}"
            )
    elif pd.api.types.is_numeric_dtype(dtype):
        parse_number(f"filter {name} (a numeric property)", value)


def _filter_mask(collection: Collection, name: str, value: str) -> np.ndarray:
    series = collection.frame[name]
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        wanted = value.strip().lower() in ("true", "1")
        return (series.astype(object) == wanted).to_numpy(dtype=bool)
    if pd.api.types.is_numeric_dtype(dtype):
        num = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        return np.asarray(num == float(value), dtype=bool)
    if pd.api.types.is_datetime64_any_dtype(dtype):
        texts = _column_values(series)
        return np.array([t == value for t in texts], dtype=bool)
    return (series.astype(object) == value).to_numpy(dtype=bool)


# ---------------------------------------------------------------------------------------------
# running a query


@dataclass
class QueryResult:
    """Features a query matched, the page of them to return and computed properties."""

    matched: np.ndarray
    page: np.ndarray
    overrides: dict[str, list[Any]] = field(default_factory=dict)
    """Computed properties (scores with custom weights, ``class``) by name, for every feature."""
    classification: dict[str, Any] | None = None


def run_query(
    collection: Collection,
    query: ItemsQuery,
    settings: Settings | None = None,
    *,
    feature_id: str | None = None,
) -> QueryResult:
    """Filter, score, classify and page a collection.

    Scores with custom weights are computed over every unit of the level (scaling is
    relative to the level) before filtering; classes are computed over the matched
    features (so that every page shares one set of breaks).

    Parameters
    ----------
    collection : Collection
    query : ItemsQuery
    settings : Settings, optional
        Source of ``score_weights`` (under the request's weights).
    feature_id : str, optional
        Select this one feature (404 when unknown).

    Returns
    -------
    QueryResult

    Raises
    ------
    NotFoundError
        Unknown ``feature_id``.
    InvalidParameterError
        A classification that cannot be made (e.g. more classes than distinct values).
    """
    n = collection.size
    mask = np.ones(n, dtype=bool)
    if feature_id is not None:
        pos = collection.index_of.get(feature_id)
        if pos is None:
            raise NotFoundError(f"no feature '{feature_id}' in collection '{collection.id}'")
        mask[:] = False
        mask[pos] = True
    if query.bbox is not None:
        hits = np.zeros(n, dtype=bool)
        hits[collection.query_bbox(query.bbox)] = True
        mask &= hits
    for name, value in query.filters:
        mask &= _filter_mask(collection, name, value)
    if query.datetime is not None and collection.time_column is not None:
        mask &= _time_mask(collection, query.datetime)

    overrides: dict[str, list[Any]] = {}
    if query.weights and collection.admin_level is not None:
        overrides.update(_custom_scores(collection, dict(query.weights), settings))

    matched = np.flatnonzero(mask)
    classification: dict[str, Any] | None = None
    if query.classify is not None and query.classify_by is not None:
        by = query.classify_by
        column = overrides.get(by)
        source = (
            pd.Series(column, dtype=float)
            if column is not None
            else pd.to_numeric(collection.frame[by], errors="coerce").astype(float)
        )
        values = source.iloc[matched].reset_index(drop=True)
        result: Classification = classify(values, query.classify, k=query.k, breaks=query.breaks)
        classes: list[Any] = [None] * n
        for pos, b in zip(matched.tolist(), result.bins, strict=True):
            classes[pos] = b
        overrides["class"] = classes
        classification = {
            "property": by,
            "method": result.method,
            "k": result.k,
            "breaks": result.breaks,
            "counts": result.counts,
            "rule": "class i holds values in (breaks[i-1], breaks[i]]; class 0 values <= "
            "breaks[0]; null values have class null",
        }
    page = matched[query.offset : query.offset + query.limit]
    return QueryResult(matched, page, overrides, classification)


def _time_mask(collection: Collection, interval: tuple[str | None, str | None]) -> np.ndarray:
    assert collection.time_column is not None
    times = pd.to_datetime(collection.frame[collection.time_column])
    if times.dt.tz is None:
        times = times.dt.tz_localize(UTC)
    mask = times.notna().to_numpy().copy()
    start, end = interval
    if start is not None:
        mask &= (times >= pd.Timestamp(start)).to_numpy(dtype=bool)
    if end is not None:
        mask &= (times <= pd.Timestamp(end)).to_numpy(dtype=bool)
    return mask


def _custom_scores(
    collection: Collection, weights: Mapping[str, float], settings: Settings | None
) -> dict[str, list[Any]]:
    from geo.scores import resolve_weights, score_units

    assert collection.admin_level is not None
    effective = resolve_weights(collection.definitions, settings, dict(weights))
    scores = score_units(
        collection.frame, collection.admin_level, effective, definitions=collection.definitions
    )
    return {str(c): _column_values(scores[c]) for c in scores.columns}


# ---------------------------------------------------------------------------------------------
# rendering


def _properties_bytes(
    collection: Collection, query: ItemsQuery, result: QueryResult, pos: int
) -> bytes:
    if query.properties is None and not result.overrides:
        return collection.properties_json[pos]
    record = collection.records[pos]
    if result.overrides:
        record = {**record, **{k: v[pos] for k, v in result.overrides.items()}}
    if query.properties is not None:
        record = {k: record.get(k) for k in query.properties}
    return orjson.dumps(record)


def feature_bytes(
    collection: Collection, query: ItemsQuery, result: QueryResult, positions: Iterable[int]
) -> list[bytes]:
    """GeoJSON Feature bytes of the features at ``positions``.

    Parameters
    ----------
    collection : Collection
    query : ItemsQuery
        Its generalisation level and property selection apply.
    result : QueryResult
        Computed properties (custom scores, classes) are merged in.
    positions : iterable of int

    Returns
    -------
    list of bytes
    """
    geoms = collection.level(query.level).json if collection.geometry is not None else None
    out = []
    for pos in positions:
        g = b"null" if geoms is None else geoms[pos]
        out.append(
            b'{"type":"Feature","id":'
            + collection.id_json[pos]
            + b',"geometry":'
            + g
            + b',"properties":'
            + _properties_bytes(collection, query, result, pos)
            + b"}"
        )
    return out


def render_items(
    collection: Collection,
    query: ItemsQuery,
    result: QueryResult,
    *,
    links: list[dict[str, Any]],
    timestamp: str,
) -> bytes:
    """A GeoJSON FeatureCollection with the OGC members (links, numberMatched, ...).

    Returns
    -------
    bytes
        ``{"type": "FeatureCollection", "features": [...], "numberMatched": ...,
        "numberReturned": ..., "timeStamp": ..., "links": [...]}`` plus ``classification``
        when classes were asked for.
    """
    features = feature_bytes(collection, query, result, result.page.tolist())
    tail: dict[str, Any] = {
        "numberMatched": len(result.matched),
        "numberReturned": len(features),
        "timeStamp": timestamp,
        "links": links,
    }
    if result.classification is not None:
        tail["classification"] = result.classification
    return (
        b'{"type":"FeatureCollection","features":['
        + b",".join(features)
        + b"],"
        + orjson.dumps(tail)[1:]
    )


def render_feature(
    collection: Collection,
    query: ItemsQuery,
    result: QueryResult,
    *,
    links: list[dict[str, Any]],
) -> bytes:
    """One GeoJSON Feature (the single page position of ``result``) with ``links``."""
    (feature,) = feature_bytes(collection, query, result, result.page.tolist())
    return feature[:-1] + b',"links":' + orjson.dumps(links) + b"}"


def selected_frame(
    collection: Collection, query: ItemsQuery, result: QueryResult
) -> gpd.GeoDataFrame | pd.DataFrame:
    """The page of ``result`` as a (Geo)DataFrame with the query's properties and level."""
    positions = result.page
    records = [collection.records[p] for p in positions.tolist()]
    frame = pd.DataFrame.from_records(records, columns=collection.columns)
    for name, values in result.overrides.items():
        frame[name] = [values[p] for p in positions.tolist()]
    if query.properties is not None:
        frame = frame[list(query.properties)]
    if collection.geometry is None:
        return frame
    geoms = collection.level(query.level).geoms[positions]
    return gpd.GeoDataFrame(frame, geometry=list(geoms), crs=STORAGE_CRS)


def render_gpkg(
    collection: Collection,
    query: ItemsQuery,
    result: QueryResult,
    *,
    lang: str,
    tmp_dir: Path | None = None,
) -> bytes:
    """A GeoPackage of the page of ``result``, with the data dictionary, as bytes.

    The layer is named after the collection, with the collection's title as identifier and
    its description as description; the admin collections add a ``data_dictionary`` table,
    and the classification (when asked for) travels in the layer metadata.

    Returns
    -------
    bytes
    """
    frame = selected_frame(collection, query, result)
    metadata: dict[str, str] = {"source": collection.description(lang)}
    if collection.dictionary:
        metadata["data_dictionary"] = json.dumps(collection.dictionary, ensure_ascii=False)
    if result.classification is not None:
        metadata["classification"] = json.dumps(result.classification)
    options = {"IDENTIFIER": collection.title(lang), "DESCRIPTION": collection.description(lang)}
    with tempfile.TemporaryDirectory(dir=tmp_dir) as tmp:
        out = Path(tmp) / f"{collection.id}.gpkg"
        if isinstance(frame, gpd.GeoDataFrame):
            pyogrio.write_dataframe(
                frame,
                out,
                layer=collection.id,
                driver="GPKG",
                promote_to_multi=collection.geometry_type == "MultiPolygon",
                layer_options=options,
                layer_metadata=metadata,
            )
        else:
            pyogrio.write_dataframe(
                frame,
                out,
                layer=collection.id,
                driver="GPKG",
                layer_options=options,
                layer_metadata=metadata,
            )
        if collection.dictionary:
            table = pd.DataFrame(
                [
                    {k: json.dumps(v) if isinstance(v, list | dict) else v for k, v in e.items()}
                    for e in collection.dictionary
                ]
            )
            pyogrio.write_dataframe(table, out, layer="data_dictionary", driver="GPKG")
        if result.classification is not None:
            c = result.classification
            table = pd.DataFrame(
                {
                    "class": list(range(len(c["breaks"]))),
                    "upper_bound": c["breaks"],
                    "count": c["counts"],
                    "property": c["property"],
                    "method": c["method"],
                }
            )
            pyogrio.write_dataframe(table, out, layer="classification", driver="GPKG")
        return out.read_bytes()


# ---------------------------------------------------------------------------------------------
# metadata


def dictionary_for(collection: Collection, lang: str) -> list[dict[str, Any]]:
    """The data dictionary of an admin collection, with ``title`` in ``lang``.

    Covers the indicators (names, units, formulas, sources, weights) and the base
    properties (codes, names, population, area).
    """
    if collection.admin_level is None:
        return []
    out: list[dict[str, Any]] = []
    for name in collection.columns:
        if name in BASE_PROPERTIES:
            tid, ten = BASE_PROPERTIES[name]
            out.append({"id": name, "title": tid if lang == "id" else ten, "kind": "base"})
    for entry in collection.dictionary:
        title = entry.get("name_id") if lang == "id" else entry.get("name_en")
        out.append({"title": title, "kind": "indicator", **entry})
    for pillar in ("siap", "sehat", "terhubung"):
        if f"score_{pillar}" in collection.columns:
            out.append(
                {
                    "id": f"score_{pillar}",
                    "title": (
                        f"Skor pilar {pillar} (0-1, lebih tinggi = lebih rentan)"
                        if lang == "id"
                        else f"{pillar} pillar score (0-1, higher = more exposed)"
                    ),
                    "kind": "score",
                    "formula": "sum(w_i * scaled_i) / sum(w_i) over the inputs the unit has; "
                    "null when the weight present is below half the weight available; "
                    "change the weights with ?weights=id:w,...",
                }
            )
    return out


def extent_of(collection: Collection) -> dict[str, Any] | None:
    """The OGC ``extent`` member (spatial bbox in CRS84, temporal interval where known)."""
    extent: dict[str, Any] = {}
    if collection.bbox is not None:
        extent["spatial"] = {"bbox": [list(collection.bbox)], "crs": CRS84}
    if collection.interval is not None:
        extent["temporal"] = {"interval": [list(collection.interval)]}
    return extent or None


def query_params(query: ItemsQuery, *, lang: str | None = None) -> list[tuple[str, str]]:
    """The normalised query string items of ``query`` (for self, next and prev links).

    Parameters
    ----------
    query : ItemsQuery
    lang : str, optional
        Added as ``lang`` when given.

    Returns
    -------
    list of (name, value)
    """
    out: list[tuple[str, str]] = []
    if query.bbox is not None:
        out.append(("bbox", ",".join(f"{v:g}" for v in query.bbox)))
    if query.datetime is not None:
        start, end = query.datetime
        out.append(
            ("datetime", start if start == end and start else f"{start or '..'}/{end or '..'}")
        )
    out.extend(query.filters)
    if query.properties is not None:
        out.append(("properties", ",".join(query.properties)))
    if query.zoom is not None:
        out.append(("zoom", str(query.zoom)))
    if query.weights:
        out.append(("weights", ",".join(f"{k}:{w:g}" for k, w in query.weights)))
    if query.classify is not None:
        out.append(("classify", query.classify))
        out.append(("classify_by", query.classify_by or DEFAULT_CLASSIFY_BY))
        if query.breaks is not None:
            out.append(("breaks", ",".join(f"{b:g}" for b in query.breaks)))
        else:
            out.append(("k", str(query.k)))
    if query.fmt != "json":
        out.append(("f", query.fmt))
    if lang is not None:
        out.append(("lang", lang))
    out.append(("limit", str(query.limit)))
    out.append(("offset", str(query.offset)))
    return out


def items_links(
    items_url: str,
    query: ItemsQuery,
    matched: int,
    returned: int,
    *,
    lang: str | None = None,
) -> list[dict[str, Any]]:
    """``self``, ``alternate`` (other formats), ``next`` and ``prev`` links of an items page.

    Parameters
    ----------
    items_url : str
        Absolute URL of the items resource, without a query string.
    query : ItemsQuery
    matched, returned : int
        numberMatched and numberReturned of the page.
    lang : str, optional
        Kept in the links when the request named it.

    Returns
    -------
    list of dict
    """
    from dataclasses import replace
    from urllib.parse import urlencode

    def href(q: ItemsQuery) -> str:
        return f"{items_url}?{urlencode(query_params(q, lang=lang))}"

    kinds = {
        "json": ("application/geo+json", "GeoJSON"),
        "geojson": ("application/geo+json", "GeoJSON download"),
        "gpkg": ("application/geopackage+sqlite3", "GeoPackage download"),
    }
    media, title = kinds[query.fmt]
    out: list[dict[str, Any]] = [
        {"href": href(query), "rel": "self", "type": media, "title": title}
    ]
    for fmt in ("json", "geojson", "gpkg"):
        if fmt != query.fmt:
            media, title = kinds[fmt]
            out.append(
                {
                    "href": href(replace(query, fmt=fmt)),
                    "rel": "alternate",
                    "type": media,
                    "title": title,
                }
            )
    if query.offset + returned < matched:
        out.append(
            {
                "href": href(replace(query, offset=query.offset + returned)),
                "rel": "next",
                "type": kinds[query.fmt][0],
                "title": "next page",
            }
        )
    if query.offset > 0:
        prev = replace(query, offset=max(0, query.offset - query.limit))
        out.append(
            {
                "href": href(prev),
                "rel": "prev",
                "type": kinds[query.fmt][0],
                "title": "previous page",
            }
        )
    return out


def collection_document(
    collection: Collection, base_url: str, lang: str, *, limit_max: int
) -> dict[str, Any]:
    """The OGC ``/collections/{id}`` document of a collection.

    Parameters
    ----------
    collection : Collection
    base_url : str
        Absolute URL of the service root, without a trailing slash.
    lang : {"id", "en"}
    limit_max : int
        Largest page (stated in the document).

    Returns
    -------
    dict
        id, title, description, links, extent, itemType, crs, storageCrs and the
        Ketahanan members (geometryType, numberOfFeatures, properties, licence, source,
        dataDictionary for the admin collections, parameters).
    """
    url = f"{base_url}/collections/{collection.id}"
    suffix = f"?lang={lang}"
    doc: dict[str, Any] = {
        "id": collection.id,
        "title": collection.title(lang),
        "description": collection.description(lang),
        "links": [
            {
                "href": url + suffix,
                "rel": "self",
                "type": "application/json",
                "title": "this collection" if lang == "en" else "koleksi ini",
            },
            {
                "href": f"{url}/items{suffix}",
                "rel": "items",
                "type": "application/geo+json",
                "title": "features (GeoJSON)" if lang == "en" else "fitur (GeoJSON)",
            },
            {
                "href": f"{url}/items?f=geojson&lang={lang}",
                "rel": "enclosure",
                "type": "application/geo+json",
                "title": f"download {collection.id}.geojson",
            },
            {
                "href": f"{url}/items?f=gpkg&lang={lang}",
                "rel": "enclosure",
                "type": "application/geopackage+sqlite3",
                "title": f"download {collection.id}.gpkg",
            },
        ],
        "itemType": "feature",
        "crs": [CRS84],
        "storageCrs": CRS84,
    }
    extent = extent_of(collection)
    if extent is not None:
        doc["extent"] = extent
    doc["geometryType"] = collection.geometry_type
    doc["numberOfFeatures"] = collection.size
    doc["featureId"] = "kode" if collection.admin_level is not None else "fid"
    doc["properties"] = collection.columns
    if collection.source is not None:
        origin = collection.source.get("origin") or {}
        doc["licence"] = collection.source.get("licence")
        doc["source"] = {
            "id": collection.source.get("id"),
            "title": (collection.source.get("title") or {}).get(lang),
            "date": collection.source.get("date"),
            "repository": origin.get("repository"),
            "commit": origin.get("commit"),
        }
        if origin.get("repository"):
            doc["links"].append(
                {
                    "href": origin["repository"],
                    "rel": "via",
                    "type": "text/html",
                    "title": "original public source",
                }
            )
    params: dict[str, str] = {
        "limit": f"page size, 1..{limit_max} (larger values are lowered to {limit_max})",
        "offset": f"features to skip, 0..{MAX_OFFSET} (next/prev links page through)",
        "bbox": "minx,miny,maxx,maxy in CRS84",
        "properties": "comma-separated property names to return",
        "<property>=<value>": "equality filter on any property",
        "f": "json (page), geojson or gpkg (file download of every matched feature)",
        "lang": "id or en (also Accept-Language)",
    }
    if collection.geometry is not None and collection.geometry_type not in ("Point", "MultiPoint"):
        params["zoom"] = (
            f"0..{generalise.MAX_ZOOM}: geometry generalised for a web map at that zoom "
            f"(topology kept for polygon coverages; full resolution from "
            f"{generalise.FULL_RESOLUTION_ZOOM})"
        )
    if collection.time_column is not None:
        params["datetime"] = (
            f"RFC 3339 instant or interval on '{collection.time_column}' "
            "(0001-01-01T00:00:00Z..9999-12-31T23:59:59Z)"
        )
    if collection.admin_level is not None:
        params["weights"] = (
            "indicator_id:weight,... (each 0 or 0.001..1000) to recompute "
            "score_siap/sehat/terhubung"
        )
        params["classify"] = "quantiles | fisher_jenks | equal_interval | user (with breaks)"
        params["classify_by"] = f"numeric property to classify (default {DEFAULT_CLASSIFY_BY})"
        params["k"] = f"number of classes, 2..{MAX_CLASSES} (default 5)"
        params["breaks"] = f"up to {MAX_CLASSES} upper bounds for classify=user, e.g. 0.2,0.4,0.6"
        doc["dataDictionary"] = dictionary_for(collection, lang)
    doc["parameters"] = params
    return doc
