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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import orjson
import pandas as pd
import pyogrio

from geo import generalise
from geo.classify import Classification, classify
from geo.crs import STORAGE_CRS
from geo.errors import InvalidParameterError, NotFoundError
from geo.ogc.collection import Collection
from geo.ogc.prose import property_title, score_title
from geo.ogc.values import column_values, iso_utc
from geo.scores import parse_weights, resolve_weights, score_units
from geo.vocabulary import Pillar, score_column

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
"""The only CRS features are served in (WGS 84 longitude/latitude, RFC 7946)."""

CONFORMANCE = (
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
)
"""OGC API - Features Part 1 conformance classes implemented."""

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


def _single(params: Sequence[tuple[str, str]]) -> dict[str, str]:
    seen: dict[str, str] = {}
    for key, value in params:
        if key in seen:
            raise InvalidParameterError(f"parameter '{key}' is given more than once")
        seen[key] = value
    return seen


def _int(name: str, text: str, lo: int | None = None, hi: int | None = None) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        raise InvalidParameterError(f"{name} must be an integer, got {text!r}") from None
    if lo is not None and value < lo:
        raise InvalidParameterError(f"{name} must be at least {lo}, got {value}")
    if hi is not None and value > hi:
        raise InvalidParameterError(f"{name} must be at most {hi}, got {value}")
    return value


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    """Parse and check a CRS84 ``bbox`` (4 numbers, or 6 with heights that are ignored).

    Parameters
    ----------
    text : str
        ``minx,miny,maxx,maxy`` in degrees.

    Returns
    -------
    tuple of 4 floats

    Raises
    ------
    InvalidParameterError
        Not 4 (or 6) numbers, a number not finite, min greater than max, or outside
        -180..180 / -90..90.
    """
    parts = [p.strip() for p in text.split(",")]
    if len(parts) not in (4, 6):
        raise InvalidParameterError(
            f"bbox must be 4 numbers minx,miny,maxx,maxy (CRS84), got {len(parts)} values"
        )
    try:
        nums = [float(p) for p in parts]
    except ValueError:
        raise InvalidParameterError(f"bbox values must be numbers, got {text!r}") from None
    if not all(math.isfinite(n) for n in nums):
        raise InvalidParameterError("bbox values must be finite numbers")
    if len(nums) == 6:
        nums = [nums[0], nums[1], nums[3], nums[4]]
    minx, miny, maxx, maxy = nums
    if minx > maxx or miny > maxy:
        raise InvalidParameterError(
            f"bbox must have minx <= maxx and miny <= maxy, got {minx},{miny},{maxx},{maxy}"
        )
    if not (
        -180 <= minx <= 180 and -180 <= maxx <= 180 and -90 <= miny <= 90 and -90 <= maxy <= 90
    ):
        raise InvalidParameterError(
            "bbox must lie within longitude -180..180 and latitude -90..90 (CRS84)"
        )
    return minx, miny, maxx, maxy


_DATE = re.compile(
    r"^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?)?$"
)


def _instant(text: str) -> str | None:
    text = text.strip()
    if text in ("", ".."):
        return None
    if not _DATE.match(text):
        raise InvalidParameterError(
            "datetime must be RFC 3339 (e.g. 2017-02-20T10:00:00Z) or an interval a/b, "
            f"got {text!r}"
        )
    try:
        return iso_utc(pd.Timestamp(text))
    except ValueError:
        raise InvalidParameterError(f"datetime {text!r} is not a valid date or time") from None


def parse_datetime(text: str) -> tuple[str | None, str | None]:
    """Parse an OGC ``datetime``: an instant or an interval ``start/end`` (``..`` = open).

    Returns
    -------
    (start, end) as ISO 8601 UTC text, None for an open end.

    Raises
    ------
    InvalidParameterError
    """
    if "/" in text:
        start_text, _, end_text = text.partition("/")
        start, end = _instant(start_text), _instant(end_text)
        if start is None and end is None:
            raise InvalidParameterError("datetime interval needs at least one end")
        if start is not None and end is not None and start > end:
            raise InvalidParameterError(f"datetime interval starts after it ends: {text!r}")
        return start, end
    instant = _instant(text)
    if instant is None:
        raise InvalidParameterError("datetime must not be empty")
    return instant, instant


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
    raw = _single(params)
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
        values["limit"] = min(_int("limit", raw["limit"], lo=1), limit_max)
    if "offset" in raw:
        values["offset"] = _int("offset", raw["offset"], lo=0)
    if "zoom" in raw:
        values["zoom"] = _int("zoom", raw["zoom"], lo=0, hi=generalise.MAX_ZOOM)
        if collection.geometry is None:
            raise InvalidParameterError(f"zoom: collection '{collection.id}' has no geometry")

    if "weights" in raw:
        if not admin:
            raise InvalidParameterError(
                "weights apply only to the kelurahan, kecamatan and kota collections"
            )
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
            values["k"] = _int("k", raw["k"], lo=2, hi=20)
        if "breaks" in raw:
            if canonical != "user_defined":
                raise InvalidParameterError("breaks apply only to classify=user")
            try:
                values["breaks"] = tuple(float(b) for b in raw["breaks"].split(",") if b.strip())
            except ValueError:
                raise InvalidParameterError(
                    f"breaks must be numbers separated by commas, got {raw['breaks']!r}"
                ) from None
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
            raise InvalidParameterError(f"filter {name}: expected true or false, got {value!r}")
    elif pd.api.types.is_numeric_dtype(dtype):
        try:
            float(value)
        except ValueError:
            raise InvalidParameterError(
                f"filter {name}: property is numeric, got {value!r}"
            ) from None


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
        texts = column_values(series)
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
        overrides.update(_custom_scores(collection, dict(query.weights)))

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


def _custom_scores(collection: Collection, weights: Mapping[str, float]) -> dict[str, list[Any]]:
    """Scores with the request's weights on top of the weights the build scored with."""
    assert collection.admin_level is not None
    effective = resolve_weights(collection.definitions, collection.weights, dict(weights))
    scores = score_units(
        collection.frame, collection.admin_level, effective, definitions=collection.definitions
    )
    return {str(c): column_values(scores[c]) for c in scores.columns}


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
        title = property_title(name)
        if title is not None:
            out.append({"id": name, "title": title(lang), "kind": "base"})
    for entry in collection.dictionary:
        title = entry.get("name_id") if lang == "id" else entry.get("name_en")
        out.append({"title": title, "kind": "indicator", **entry})
    for pillar in Pillar:
        if score_column(pillar) in collection.columns:
            out.append(
                {
                    "id": score_column(pillar),
                    "title": score_title(pillar)(lang),
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
        "offset": "features to skip (next/prev links page through)",
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
        params["datetime"] = f"RFC 3339 instant or interval on '{collection.time_column}'"
    if collection.admin_level is not None:
        params["weights"] = "indicator_id:weight,... to recompute score_siap/sehat/terhubung"
        params["classify"] = "quantiles | fisher_jenks | equal_interval | user (with breaks)"
        params["classify_by"] = f"numeric property to classify (default {DEFAULT_CLASSIFY_BY})"
        params["k"] = "number of classes (default 5)"
        params["breaks"] = "upper bounds for classify=user, e.g. 0.2,0.4,0.6"
        doc["dataDictionary"] = dictionary_for(collection, lang)
    doc["parameters"] = params
    return doc
