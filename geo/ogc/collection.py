"""One collection held in memory: a build layer's properties, geometry and serialisations.

A :class:`Collection` keeps, per feature, its properties as JSON-safe records and as orjson
bytes, its id, and its geometry at full resolution; the GeoJSON bytes of each generalisation
level (:mod:`geo.generalise`) are made on first use and kept. Feature ids: ``kode`` for
kelurahan, kecamatan and kota, the GeoPackage ``fid`` (row number, stable for builds of the
same data) for the other layers. Tables without geometry are collections whose features have
a null geometry and no spatial extent.

GeoJSON follows RFC 7946: longitude/latitude (CRS84), exterior rings counter-clockwise, no
``crs`` member, at most 7 decimals.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import orjson
import pandas as pd
import pyogrio
import shapely

from geo import generalise
from geo.crs import STORAGE_CRS
from geo.errors import InvalidParameterError
from geo.impact.names import is_unit_layer
from geo.indicators.definitions import IndicatorDef
from geo.ogc import temporal
from geo.ogc.prose import LayerProse, layer_prose
from geo.ogc.values import json_records
from geo.vocabulary import SNAPSHOT_LAYERS, Level, Text

EXCLUDED_TABLES = frozenset({"build_info"})
"""Tables of the build output that are not collections (the build report is at /health)."""

POINT_TYPES = ("Point", "MultiPoint")

SOURCE = Text("Sumber", "Source")

_TYPE_NAMES = {
    0: "Point",
    1: "LineString",
    3: "Polygon",
    4: "MultiPoint",
    5: "MultiLineString",
    6: "MultiPolygon",
}


@dataclass
class GeometryLevel:
    """Geometries of a collection at one generalisation level."""

    geoms: np.ndarray
    """Shapely geometries in STORAGE_CRS (rounded, RFC 7946 orientation); None when absent."""
    json: list[bytes]
    """GeoJSON bytes of each geometry (``null`` when absent)."""

    def subset(self, positions: np.ndarray) -> GeometryLevel:
        """The geometries at ``positions``, in that order."""
        return GeometryLevel(self.geoms[positions], [self.json[p] for p in positions.tolist()])


_LONG_FLOAT = re.compile(r"-?\d+\.\d{8,}(?:[eE][-+]?\d+)?")


def geometry_json(geoms: np.ndarray, decimals: int) -> list[bytes]:
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
    prose: LayerProse
    frame: pd.DataFrame
    """Properties (no geometry column), in feature order."""
    geometry: np.ndarray | None
    """Full-resolution geometries in STORAGE_CRS as stored; None for a table."""
    geometry_type: str | None
    feature_ids: list[str | int]
    admin_level: Level | None = None
    classified: bool = False
    """Map classes (``classify``) apply: the admin layers and the per-level impact layers."""
    id_property: str = "fid"
    """What a feature id is: ``kode`` (admin and impact layers) or the GeoPackage ``fid``."""
    dictionary: list[dict[str, Any]] = field(default_factory=list)
    definitions: Mapping[str, IndicatorDef] = field(default_factory=dict)
    weights: Mapping[str, float] = field(default_factory=dict)
    """The weights the build scored this level with (admin levels only)."""
    source: dict[str, Any] | None = None
    view_of: tuple[Collection, np.ndarray] | None = None
    """A collection this one is a subset of, and the positions taken (geometry is shared)."""
    records: list[dict[str, Any]] = field(default_factory=list)
    properties_json: list[bytes] = field(default_factory=list)
    id_json: list[bytes] = field(default_factory=list)
    index_of: dict[str, int] = field(default_factory=dict)
    bbox: tuple[float, float, float, float] | None = None
    time_column: str | None = None
    """The time property ``datetime`` selects on (a datetime column, or a snapshot layer's)."""
    interval: tuple[str | None, str | None] | None = None
    times: pd.Series | None = field(default=None, repr=False)
    """The time of each feature in UTC (from :attr:`time_column`)."""
    snapshots: bool = False
    """The features are snapshots of a state (:data:`geo.vocabulary.SNAPSHOT_LAYERS`)."""
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
        snapshot_column = SNAPSHOT_LAYERS.get(self.id)
        for col in self.frame.columns:
            if str(col) == snapshot_column or (
                snapshot_column is None and pd.api.types.is_datetime64_any_dtype(self.frame[col])
            ):
                self.time_column = str(col)
                self.snapshots = snapshot_column is not None
                self.times = temporal.utc_times(self.frame[col]).reset_index(drop=True)
                self.interval = temporal.extent(self.times)
                break

    @property
    def size(self) -> int:
        """Number of features."""
        return len(self.frame)

    @property
    def columns(self) -> list[str]:
        """Property names, in order."""
        return [str(c) for c in self.frame.columns]

    @property
    def is_points(self) -> bool:
        """True for a point layer (never generalised)."""
        return self.geometry_type in POINT_TYPES

    def title(self, lang: str) -> str:
        """Title in ``lang``."""
        return self.prose.title(lang)

    def description(self, lang: str) -> str:
        """Description in ``lang``, with the catalogue source when known."""
        text = self.prose.description(lang)
        if self.source:
            title = self.source.get("title", {})
            text += (
                f" {SOURCE(lang)}: {title.get(lang) or title.get('en') or self.source.get('id')}"
            )
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
        if self.is_points:
            level = None
        cached = self._levels.get(level)
        if cached is not None:
            return cached
        with self._lock:
            cached = self._levels.get(level)
            if cached is None:
                cached = self._make_level(level)
                self._levels[level] = cached
            return cached

    def _make_level(self, level: int | None) -> GeometryLevel:
        if self.view_of is not None:
            parent, positions = self.view_of
            return parent.level(level).subset(positions)
        assert self.geometry is not None
        if level is None:
            geoms = generalise.finish(self.geometry, generalise.FULL_DECIMALS)
        else:
            if self._metric is None:
                self._metric = generalise.prepare_coverage(self.geometry)
            metric, coverage = self._metric
            geoms = generalise.simplify(metric, coverage, level)
        return GeometryLevel(geoms, geometry_json(geoms, generalise.decimals_of(level)))

    def query_bbox(self, bbox: tuple[float, float, float, float]) -> np.ndarray:
        """Positions of features whose full-resolution geometry intersects ``bbox``."""
        if self._tree is None:
            return np.zeros(0, dtype=np.int64)
        hits = self._tree.query(shapely.box(*bbox), predicate="intersects")
        return np.sort(np.asarray(hits, dtype=np.int64))

    def subset(
        self, collection_id: str, prose: LayerProse, positions: np.ndarray, frame: pd.DataFrame
    ) -> Collection:
        """A collection of the features at ``positions`` with properties ``frame``.

        The geometry (and every generalisation level already made) is shared with this
        collection, so a subset costs no serialisation of its own.
        """
        geometry = None if self.geometry is None else self.geometry[positions]
        return Collection(
            id=collection_id,
            prose=prose,
            frame=frame.reset_index(drop=True),
            geometry=geometry,
            geometry_type=self.geometry_type,
            feature_ids=[self.feature_ids[p] for p in positions.tolist()],
            view_of=(self, positions),
        )


def _geometry_type(geometry: np.ndarray, declared: str | None) -> str:
    if declared not in (None, "Unknown") and declared in _TYPE_NAMES.values():
        return str(declared)
    present = geometry[~shapely.is_missing(geometry)]
    kinds = sorted(set(shapely.get_type_id(present).tolist())) if len(present) else []
    if kinds and set(kinds) <= {3, 6}:
        return "MultiPolygon" if 6 in kinds else "Polygon"
    return _TYPE_NAMES.get(kinds[0], "Geometry") if len(kinds) == 1 else "Geometry"


def read_collection(
    path: Path,
    name: str,
    declared_type: str | None,
    *,
    sources: Mapping[str, dict[str, Any]],
    dictionary: list[dict[str, Any]],
    definitions: Mapping[str, IndicatorDef],
    weights: Mapping[str, float],
    impact_dictionary: Mapping[str, list[dict[str, Any]]] | None = None,
) -> Collection:
    """Read layer ``name`` of a build GeoPackage into a :class:`Collection`.

    Parameters
    ----------
    path : Path
        The build output.
    name : str
        Layer (or table) name.
    declared_type : str or None
        The geometry type the GeoPackage declares (None for a table).
    sources : mapping
        Catalogue sources by id (for the collection's licence and provenance).
    dictionary, definitions, weights
        The build's data dictionary, indicator definitions and effective weights (kept on
        the admin collections only).
    impact_dictionary : mapping, optional
        The impact layers' dictionary entries by collection (:mod:`geo.impact.names`); a
        per-level impact layer keeps its own, is keyed by ``kode`` and can be classified.

    Returns
    -------
    Collection
    """
    frame = pyogrio.read_dataframe(path, layer=name, fid_as_index=True)
    prose = layer_prose(name)
    geometry: np.ndarray | None = None
    gtype: str | None = None
    if isinstance(frame, gpd.GeoDataFrame):
        if frame.crs is not None and not frame.crs.equals(STORAGE_CRS):
            frame = frame.to_crs(STORAGE_CRS)
        geometry = np.asarray(frame.geometry.array, dtype=object)
        props = pd.DataFrame(frame.drop(columns=frame.geometry.name))
        gtype = _geometry_type(geometry, declared_type)
    else:
        props = pd.DataFrame(frame)
    admin = Level(name) if name in set(Level) else None
    impact = is_unit_layer(name)
    keyed = (admin is not None or impact) and "kode" in props.columns and props["kode"].is_unique
    if keyed:
        ids: list[str | int] = [str(k) for k in props["kode"].tolist()]
    else:
        ids = [int(i) for i in frame.index.tolist()]
    own = (impact_dictionary or {}).get(name, []) if impact else []
    return Collection(
        id=name,
        prose=prose,
        frame=props.reset_index(drop=True),
        geometry=geometry,
        geometry_type=gtype,
        feature_ids=ids,
        admin_level=admin,
        classified=admin is not None or impact,
        id_property="kode" if keyed else "fid",
        dictionary=dictionary if admin is not None else list(own),
        definitions=definitions if admin is not None else {},
        weights=weights if admin is not None else {},
        source=sources.get(prose.source) if prose.source else None,
    )
