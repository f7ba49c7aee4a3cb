"""The ``items`` request of every collection: parsed, checked and normalised.

A request's query string is parsed against the collection's :class:`Queryables` (what it can
be filtered, selected, generalised, re-scored and classified by) into an immutable, hashable
:class:`ItemsQuery`, the normalised cache key of the API. Every collection (build layers,
actions, coverage gaps) takes the same parameters with the same rules; a parameter or filter
a collection does not know is a 400 naming it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from geo import generalise
from geo.crs import CRS84_URI
from geo.errors import InvalidParameterError
from geo.ogc.cql import parse_filter
from geo.ogc.reproject import bbox_in_crs84, parse_crs
from geo.params import (
    MAX_OFFSET,
    parse_bbox,
    parse_datetime,
    parse_int,
    parse_number,
    shown,
    single_values,
)
from geo.scores import parse_weights
from geo.vocabulary import (
    DEFAULT_CLASSIFY_BY,
    K_DEFAULT,
    K_MAX,
    K_MIN,
    ClassMethod,
)

CRS84 = CRS84_URI
"""The default CRS of features and bboxes (WGS 84 longitude/latitude, RFC 7946)."""

RESERVED_PARAMETERS = frozenset(
    {
        "bbox",
        "bbox-crs",
        "crs",
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
        "classify_scope",
        "sortby",
        "filter",
        "filter-lang",
        "filter-crs",
        "f",
    }
)
"""Query parameters of ``items`` that are not property filters."""

CLASS_PARAMETERS = ("classify", "classify_by", "k", "breaks", "classify_scope")

CLASS_SCOPES = ("matched", "collection")
"""Which features the classes are computed over: those the query matched (the default, so
every page shares one set of breaks), or every feature of the collection (so a filtered
download keeps the classes of the whole map)."""

FORMATS = {
    "json": "json",
    "geojson": "geojson",
    "gpkg": "gpkg",
    "geopackage": "gpkg",
    "csv": "csv",
    "zip": "zip",
}
"""Accepted values of ``f`` on items and their canonical format: ``json`` (the default) is a
page of GeoJSON; ``geojson``, ``gpkg`` and ``csv`` are file downloads (with a file name)
holding every matched feature unless ``limit`` is given; ``zip`` is the GeoPackage with its
map style for QGIS (``.qml``) and for other clients (SLD) and a README."""

DOWNLOAD_FORMATS = frozenset({"geojson", "gpkg", "csv", "zip"})

MEDIA_TYPES = {
    "json": "application/geo+json",
    "geojson": "application/geo+json",
    "gpkg": "application/geopackage+sqlite3",
    "csv": "text/csv; charset=utf-8",
    "zip": "application/zip",
}
"""Media type of each format."""

FILE_EXTENSIONS = {"geojson": "geojson", "gpkg": "gpkg", "csv": "csv", "zip": "zip"}
"""File name extension of each download format."""

MAX_SORT_KEYS = 3
"""Most properties one ``sortby`` names."""


@dataclass(frozen=True)
class Filter:
    """How a property filters: its kind and, for an ``enum``, the values it takes."""

    kind: str = "text"
    """``text``, ``number``, ``bool``, ``time`` or ``enum``."""
    choices: tuple[str, ...] = ()
    max_length: int | None = None
    """Longest value worth looking for (a longer one matches nothing: 400)."""


@dataclass(frozen=True)
class Queryables:
    """What the items of one collection can be asked for.

    Attributes
    ----------
    properties : tuple of str
        Property names (for ``properties=`` and as the feature's members).
    filters : mapping of name to Filter
        The property filters (``name=value``, equality) the collection takes.
    aliases : mapping of str to str
        Other names of a filter (e.g. ``agency`` for ``lead_agency``).
    geometry : bool
        The features have geometry (``bbox``).
    generalised : bool
        ``zoom`` applies (lines and polygons).
    time : str or None
        The time property ``datetime`` selects on (None: ``datetime`` is ignored).
    scored : bool
        ``weights`` and ``classify`` apply (the kelurahan, kecamatan and kota layers).
    classified : bool
        ``classify`` applies (the admin layers and the per-level impact layers).
    indicators : frozenset of str
        The indicators ``weights`` may name (those the build computed).
    numeric : frozenset of str
        The properties ``classify_by`` may name.
    sortable : frozenset of str or None
        The properties ``sortby`` may name (None: every property).
    """

    properties: tuple[str, ...]
    filters: Mapping[str, Filter] = field(default_factory=dict)
    aliases: Mapping[str, str] = field(default_factory=dict)
    geometry: bool = True
    generalised: bool = False
    time: str | None = None
    scored: bool = False
    indicators: frozenset[str] = frozenset()
    numeric: frozenset[str] = frozenset()
    sortable: frozenset[str] | None = None
    filterable: Mapping[str, str] | None = None
    """The properties a CQL2 ``filter`` may name and their kind (None: those of ``filters``)."""

    def filter_kinds(self) -> Mapping[str, str]:
        """The properties a CQL2 ``filter`` may name, with their kind."""
        if self.filterable is not None:
            return self.filterable
        return {name: spec.kind for name, spec in self.filters.items()}

    def can_sort_by(self, name: str) -> bool:
        """True when ``sortby`` may name ``name``."""
        return name in (self.sortable if self.sortable is not None else self.properties)

    classified: bool = False


@dataclass(frozen=True)
class ItemsQuery:
    """A parsed, checked ``items`` request; hashable, so it is the normalised cache key."""

    bbox: tuple[float, float, float, float] | None = None
    datetime: tuple[str | None, str | None] | None = None
    datetime_instant: bool = False
    """``datetime`` was an instant, not an interval (a snapshot layer reads it as the
    snapshot in force then, see :mod:`geo.ogc.temporal`)."""
    limit: int = 100
    offset: int = 0
    filters: tuple[tuple[str, str], ...] = ()
    properties: tuple[str, ...] | None = None
    zoom: int | None = None
    weights: tuple[tuple[str, float], ...] = ()
    classify: ClassMethod | None = None
    classify_by: str | None = None
    k: int = K_DEFAULT
    breaks: tuple[float, ...] | None = None
    classify_scope: str = CLASS_SCOPES[0]
    sortby: tuple[tuple[str, bool], ...] = ()
    """(property, descending) pairs, most significant first."""
    cql: str | None = None
    """The CQL2 ``filter``, checked, as canonical CQL2 JSON (:mod:`geo.ogc.cql`)."""
    fmt: str = "json"
    crs: str = CRS84
    """The CRS (OGC URI) features are answered in (Part 2); ``bbox`` is always CRS84 here."""

    @property
    def level(self) -> int | None:
        """The generalisation level serving :attr:`zoom`."""
        return generalise.level_of(self.zoom)

    def filter_value(self, name: str) -> str | None:
        """The value of filter ``name``, or None when it is not given."""
        return next((v for k, v in self.filters if k == name), None)


def queryables_of_frame(
    frame: pd.DataFrame,
    *,
    geometry: bool,
    generalised: bool,
    time: str | None,
    scored: bool = False,
    indicators: frozenset[str] = frozenset(),
    classified: bool = False,
) -> Queryables:
    """The queryables of a table held in memory: every column filters by its dtype."""
    filters: dict[str, Filter] = {}
    numeric: set[str] = set()
    for column in frame.columns:
        dtype = frame[column].dtype
        name = str(column)
        if pd.api.types.is_bool_dtype(dtype):
            filters[name] = Filter("bool")
        elif pd.api.types.is_numeric_dtype(dtype):
            filters[name] = Filter("number")
            numeric.add(name)
        elif pd.api.types.is_datetime64_any_dtype(dtype):
            filters[name] = Filter("time")
        else:
            filters[name] = Filter("text")
    return Queryables(
        properties=tuple(str(c) for c in frame.columns),
        filters=filters,
        geometry=geometry,
        generalised=generalised,
        time=time,
        scored=scored,
        indicators=indicators,
        numeric=frozenset(numeric),
        classified=scored or classified,
    )


def _names(text: str, what: str) -> tuple[str, ...]:
    names = tuple(n.strip() for n in text.split(",") if n.strip())
    if not names:
        raise InvalidParameterError(f"{what} needs at least one name")
    return names


def _check_filter(spec: Filter, name: str, value: str) -> None:
    if spec.kind == "bool" and value.strip().lower() not in ("true", "false", "1", "0"):
        raise InvalidParameterError(f"filter {name}: expected true or false, got {shown(value)}")
    if spec.kind == "number":
        parse_number(f"filter {name} (a numeric property)", value)
    if spec.kind == "enum" and value not in spec.choices:
        raise InvalidParameterError(
            f"{name} must be one of {', '.join(spec.choices)}, got {shown(value)}",
            details=[{"field": name, "message": "one of " + ", ".join(spec.choices)}],
        )
    if spec.max_length is not None and len(value) > spec.max_length:
        raise InvalidParameterError(
            f"{name} is longer than {spec.max_length} characters (no value of it is)",
            details=[{"field": name, "message": f"at most {spec.max_length} characters"}],
        )


def _filters(
    schema: Queryables, raw: dict[str, str], single_feature: bool
) -> tuple[tuple[str, str], ...]:
    names = [k for k in raw if k not in RESERVED_PARAMETERS]
    canonical = [schema.aliases.get(k, k) for k in names]
    unknown = sorted(k for k, c in zip(names, canonical, strict=True) if c not in schema.filters)
    if unknown:
        raise InvalidParameterError(
            "unknown parameter or property: " + ", ".join(shown(k) for k in unknown),
            details={"unknown": unknown, "properties": list(schema.filters)},
        )
    if len(set(canonical)) < len(canonical):
        raise InvalidParameterError("a filter is given twice, under two of its names")
    filters = tuple(sorted((c, raw[k]) for k, c in zip(names, canonical, strict=True)))
    if single_feature:
        extra = [k for k in raw if k in ("bbox", "datetime", "limit", "offset", "filter")]
        extra += [k for k, _ in filters]
        if extra:
            raise InvalidParameterError(
                "a single feature takes no paging, bbox, datetime or property filters: "
                + ", ".join(extra)
            )
    for name, value in filters:
        _check_filter(schema.filters[name], name, value)
    return filters


def _paging(raw: dict[str, str], values: dict[str, Any], default: int, maximum: int) -> None:
    if "f" in raw:
        fmt = FORMATS.get(raw["f"].strip().lower())
        if fmt is None:
            raise InvalidParameterError(
                f"f must be one of {', '.join(sorted(set(FORMATS.values())))}; "
                f"got {shown(raw['f'])}"
            )
        values["fmt"] = fmt
    values["limit"] = maximum if values.get("fmt") in DOWNLOAD_FORMATS else default
    if "limit" in raw:
        values["limit"] = min(parse_int("limit", raw["limit"], lo=1), maximum)
    if "offset" in raw:
        values["offset"] = parse_int("offset", raw["offset"], lo=0, hi=MAX_OFFSET)


def _where(schema: Queryables, raw: dict[str, str], values: dict[str, Any]) -> None:
    if "crs" in raw:
        values["crs"] = parse_crs("crs", raw["crs"])
    bbox_crs = parse_crs("bbox-crs", raw["bbox-crs"]) if "bbox-crs" in raw else CRS84
    if "bbox" in raw:
        text = raw["bbox"]
        values["bbox"] = parse_bbox(text) if bbox_crs == CRS84 else bbox_in_crs84(text, bbox_crs)
    if "datetime" in raw:
        values["datetime"] = parse_datetime(raw["datetime"])
        values["datetime_instant"] = "/" not in raw["datetime"]
    if "zoom" in raw:
        values["zoom"] = parse_int("zoom", raw["zoom"], lo=0, hi=generalise.MAX_ZOOM)
        if not schema.geometry:
            raise InvalidParameterError("zoom: this collection has no geometry")


def _classification(schema: Queryables, raw: dict[str, str], values: dict[str, Any]) -> None:
    method_text = raw.get("classify", "user_defined" if "breaks" in raw else "")
    if not method_text.strip():
        raise InvalidParameterError(
            "classify needs a method: quantiles, fisher_jenks, equal_interval or user"
        )
    method = ClassMethod.parse(method_text)
    if method is None:
        raise InvalidParameterError(
            f"unknown classification method {shown(method_text)}; use one of "
            "quantiles, fisher_jenks, equal_interval, user"
        )
    values["classify"] = method
    by = raw.get("classify_by", DEFAULT_CLASSIFY_BY).strip()
    if by not in schema.properties:
        raise InvalidParameterError(
            f"classify_by: unknown property {shown(by)}",
            details={"properties": list(schema.properties)},
        )
    if by not in schema.numeric:
        raise InvalidParameterError(f"classify_by: property {shown(by)} is not numeric")
    values["classify_by"] = by
    if "k" in raw:
        if method == ClassMethod.user_defined:
            raise InvalidParameterError("k does not apply to user-defined breaks")
        values["k"] = parse_int("k", raw["k"], lo=K_MIN, hi=K_MAX)
    if "breaks" in raw:
        if method != ClassMethod.user_defined:
            raise InvalidParameterError("breaks apply only to classify=user")
        parts = [b for b in raw["breaks"].split(",") if b.strip()]
        if len(parts) > K_MAX:
            raise InvalidParameterError(
                f"breaks holds {len(parts):,} numbers; at most {K_MAX} are accepted"
            )
        values["breaks"] = tuple(parse_number("breaks", b) for b in parts)
        if not values["breaks"]:
            raise InvalidParameterError("breaks needs at least one number")
    elif method == ClassMethod.user_defined:
        raise InvalidParameterError("classify=user needs breaks, e.g. breaks=0.2,0.4,0.6")
    if "classify_scope" in raw:
        scope = raw["classify_scope"].strip().lower()
        if scope not in CLASS_SCOPES:
            raise InvalidParameterError(
                f"classify_scope must be one of {', '.join(CLASS_SCOPES)}, got "
                f"{shown(raw['classify_scope'])}"
            )
        values["classify_scope"] = scope


def _sortby(schema: Queryables, text: str, wants_class: bool) -> tuple[tuple[str, bool], ...]:
    """``-score_siap,nama`` as ((score_siap, True), (nama, False)) (OGC API - Features Part 3)."""
    keys: list[tuple[str, bool]] = []
    for part in _names(text, "sortby"):
        descending = part.startswith("-")
        name = part[1:] if part[:1] in "+-" else part
        if not (schema.can_sort_by(name) or (wants_class and name == "class")):
            raise InvalidParameterError(
                f"sortby: unknown property {shown(name)}",
                details={"properties": sorted(schema.sortable or schema.properties)},
            )
        keys.append((name, descending))
    if len(keys) > MAX_SORT_KEYS:
        raise InvalidParameterError(f"sortby names at most {MAX_SORT_KEYS} properties")
    if len({k for k, _ in keys}) < len(keys):
        raise InvalidParameterError("sortby names a property twice")
    return tuple(keys)


def _cql(schema: Queryables, raw: dict[str, str]) -> str:
    """The checked CQL2 ``filter`` (OGC API - Features Part 3) as canonical CQL2 JSON."""
    crs = raw.get("filter-crs", CRS84).strip()
    if crs not in (CRS84, ""):
        raise InvalidParameterError(f"filter-crs must be {CRS84}, got {shown(crs)}")
    return parse_filter(
        raw["filter"], raw.get("filter-lang"), schema.filter_kinds(), schema.geometry
    )


def _scoring(schema: Queryables, raw: dict[str, str], values: dict[str, Any]) -> bool:
    """Weights and classes; returns whether classes were asked for."""
    wants_class = any(k in raw for k in CLASS_PARAMETERS)
    if "weights" in raw and not schema.scored:
        raise InvalidParameterError(
            "weights applies only to the kelurahan, kecamatan and kota collections"
        )
    if wants_class and not (schema.scored or schema.classified):
        raise InvalidParameterError(
            "classify applies only to the kelurahan, kecamatan and kota collections and the "
            "impact layers (dampak_*)"
        )
    if "weights" in raw:
        parsed = parse_weights(raw["weights"], known=schema.indicators)
        values["weights"] = tuple(sorted(parsed.items()))
    if wants_class:
        _classification(schema, raw, values)
    return wants_class


def parse_items_query(
    schema: Queryables,
    params: Sequence[tuple[str, str]],
    *,
    limit_default: int,
    limit_max: int,
    single_feature: bool = False,
) -> ItemsQuery:
    """Parse and check the query parameters of an ``items`` (or single item) request.

    Parameters
    ----------
    schema : Queryables
        What the collection accepts.
    params : sequence of (name, value)
        The raw query string items (``lang`` is read by the caller and ignored here).
    limit_default, limit_max : int
        Page size when ``limit`` is absent; a larger ``limit`` is lowered to ``limit_max``
        (OGC API - Features: a limit above the maximum is not an error). Downloads default
        to ``limit_max``.
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
    values: dict[str, Any] = {"filters": _filters(schema, raw, single_feature)}
    _where(schema, raw, values)
    _paging(raw, values, limit_default, limit_max)
    wants_class = _scoring(schema, raw, values)
    if "sortby" in raw:
        values["sortby"] = _sortby(schema, raw["sortby"], wants_class)
    if "filter" in raw:
        values["cql"] = _cql(schema, raw)
    if "properties" in raw:
        names = _names(raw["properties"], "properties")
        allowed = set(schema.properties) | ({"class"} if wants_class else set())
        bad = [n for n in names if n not in allowed]
        if bad:
            raise InvalidParameterError(
                "properties: unknown property " + ", ".join(shown(b) for b in bad),
                details={"unknown": bad, "properties": list(schema.properties)},
            )
        values["properties"] = names
    return ItemsQuery(**values)
