"""A checked CQL2 filter (:mod:`geo.ogc.cql`) evaluated on a collection held in memory.

Every node becomes a vectorised pandas mask in SQL's three-valued logic (pandas' nullable
``boolean``: a comparison with an empty value is unknown, ``NOT`` unknown is unknown) and a
feature is selected when the whole filter is true. Spatial functions are shapely 2's
vectorised predicates on the features' CRS84 geometries (a feature without geometry is
unknown).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np
import orjson
import pandas as pd
import shapely

from geo.ogc.cql import literal_geometry, timestamp

_SPATIAL: dict[str, Callable[[Any, Any], np.ndarray]] = {
    "s_intersects": shapely.intersects,
    "s_within": shapely.within,
    "s_contains": shapely.contains,
    "s_disjoint": shapely.disjoint,
    "s_equals": shapely.equals,
    "s_touches": shapely.touches,
    "s_overlaps": shapely.overlaps,
    "s_crosses": shapely.crosses,
}


def filter_mask(frame: pd.DataFrame, geometry: np.ndarray | None, tree_json: str) -> np.ndarray:
    """The features (rows of ``frame``) the filter selects, as a boolean array.

    Parameters
    ----------
    frame : DataFrame
        The properties, one row per feature.
    geometry : ndarray of shapely geometries, optional
        The features' geometries in CRS84 (None: a table).
    tree_json : str
        The canonical CQL2 JSON of :func:`geo.ogc.cql.parse_filter`.
    """
    result = _eval(orjson.loads(tree_json), frame, geometry)
    return result.fillna(False).to_numpy(dtype=bool)


def _bool(values: Any, missing: Any) -> pd.Series:
    """A nullable boolean series: ``values`` where known, NA where ``missing``."""
    out = pd.Series(np.asarray(values, dtype=bool), dtype="boolean")
    out[np.asarray(missing, dtype=bool)] = pd.NA
    return out


def _eval(node: Any, frame: pd.DataFrame, geometry: np.ndarray | None) -> pd.Series:
    if isinstance(node, bool):
        return pd.Series(np.full(len(frame), node), dtype="boolean")
    op, args = node["op"], node["args"]
    if op == "and":
        out = _eval(args[0], frame, geometry)
        for arg in args[1:]:
            out = out & _eval(arg, frame, geometry)
        return out
    if op == "or":
        out = _eval(args[0], frame, geometry)
        for arg in args[1:]:
            out = out | _eval(arg, frame, geometry)
        return out
    if op == "not":
        return ~_eval(args[0], frame, geometry)
    if op in _SPATIAL:
        geoms = geometry if geometry is not None else np.full(len(frame), None, dtype=object)
        hits = _SPATIAL[op](geoms, literal_geometry(args[1]))
        return _bool(hits, shapely.is_missing(geoms))
    series = frame[args[0]["property"]].reset_index(drop=True)
    missing = series.isna().to_numpy()
    if op == "isNull":
        return pd.Series(missing, dtype="boolean")
    values = _comparable(series)
    if op == "like":
        pattern = _like_regex(str(args[1]))
        texts = series.astype(object).where(~missing, "").astype(str)
        return _bool(texts.str.fullmatch(pattern).to_numpy(dtype=bool), missing)
    if op == "in":
        wanted = args[1] if isinstance(args[1], list) else args[1:]
        hits = np.zeros(len(series), dtype=bool)
        for value in wanted:
            hits |= _compare(values, "=", _literal(series, value))
        return _bool(hits, missing)
    if op == "between":
        lo, hi = _literal(series, args[1]), _literal(series, args[2])
        hits = _compare(values, ">=", lo) & _compare(values, "<=", hi)
        return _bool(hits, missing)
    return _bool(_compare(values, op, _literal(series, args[1])), missing)


def _comparable(series: pd.Series) -> pd.Series:
    dtype = series.dtype
    if pd.api.types.is_datetime64_any_dtype(dtype):
        times = pd.to_datetime(series)
        return times.dt.tz_localize("UTC") if times.dt.tz is None else times
    if pd.api.types.is_bool_dtype(dtype):
        return series.astype(object)
    if pd.api.types.is_numeric_dtype(dtype):
        return pd.to_numeric(series, errors="coerce").astype(float)
    return series.astype(object)


def _literal(series: pd.Series, value: Any) -> Any:
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        return timestamp(value)
    return value


def _compare(values: pd.Series, op: str, literal: Any) -> np.ndarray:
    present = values.notna().to_numpy()
    out = np.zeros(len(values), dtype=bool)
    if not present.any():
        return out
    known = values[present]
    if op == "=":
        hit = known == literal
    elif op == "<>":
        hit = known != literal
    else:
        try:
            hit = {
                "<": known < literal,
                "<=": known <= literal,
                ">": known > literal,
                ">=": known >= literal,
            }[op]
        except TypeError:  # text ordered against a number: nothing matches
            return out
    out[present] = np.asarray(hit, dtype=bool)
    return out


def _like_regex(pattern: str) -> str:
    """A CQL2 ``LIKE`` pattern (``%`` any run, ``_`` one character, ``\\`` escapes) as a regex."""
    out: list[str] = []
    chars = iter(pattern)
    for ch in chars:
        if ch == "\\":
            out.append(re.escape(next(chars, "\\")))
        elif ch == "%":
            out.append(".*")
        elif ch == "_":
            out.append(".")
        else:
            out.append(re.escape(ch))
    return "".join(out)
