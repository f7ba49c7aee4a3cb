"""Running an items query on a collection held in memory: filter, re-score, classify, sort,
page.

Scores with the request's weights are computed over every unit of the level (scaling is
relative to the level) before filtering, starting from the weights the build scored with;
classes are computed over the matched features (so every page shares one set of breaks), or
over the whole collection with ``classify_scope=collection`` (so a filtered download keeps the
whole map's classes). ``sortby`` orders the matched features before paging (stable, empty
values last in either direction; a computed score sorts by its request value).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from geo.classify import classify
from geo.errors import NotFoundError
from geo.ogc.collection import Collection
from geo.ogc.cql_frame import filter_mask
from geo.ogc.query import ItemsQuery, Queryables, queryables_of_frame
from geo.ogc.temporal import time_mask
from geo.ogc.values import column_values
from geo.scores import resolve_weights, score_units
from geo.vocabulary import (
    CONTRIBUTION_PREFIX,
    RANK_STATS,
    Pillar,
    rank_column,
    top_class_column,
)

CLASS_RULE = (
    "class i holds values in (breaks[i-1], breaks[i]]; class 0 values <= breaks[0]; "
    "null values have class null"
)


def queryables(collection: Collection) -> Queryables:
    """What the items of ``collection`` can be asked for (every column filters)."""
    return queryables_of_frame(
        collection.frame,
        geometry=collection.geometry is not None,
        generalised=collection.geometry is not None and not collection.is_points,
        time=collection.time_column,
        scored=collection.admin_level is not None,
        classified=collection.classified,
        indicators=frozenset(collection.definitions),
    )


@dataclass
class QueryResult:
    """Features a query matched, the page of them to return and computed properties."""

    matched: np.ndarray
    page: np.ndarray
    overrides: dict[str, list[Any]] = field(default_factory=dict)
    """Computed properties (scores with custom weights, ``class``) by name, for every feature."""
    classification: dict[str, Any] | None = None


def run_query(
    collection: Collection, query: ItemsQuery, *, feature_id: str | None = None
) -> QueryResult:
    """Filter, score, classify and page a collection.

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
    mask = _mask(collection, query, feature_id)
    overrides: dict[str, list[Any]] = {}
    if query.weights and collection.admin_level is not None:
        overrides.update(_custom_scores(collection, dict(query.weights)))
    matched = np.flatnonzero(mask)
    classification: dict[str, Any] | None = None
    if query.classify is not None and query.classify_by is not None:
        over = matched if query.classify_scope == "matched" else np.arange(collection.size)
        classes, classification = _classes(collection, query, over, overrides)
        if query.classify_scope != "matched":
            classification["scope"] = query.classify_scope
        overrides["class"] = classes
    if query.sortby:
        matched = _sorted(collection, matched, query.sortby, overrides)
    page = matched[query.offset : query.offset + query.limit]
    return QueryResult(matched, page, overrides, classification)


def _sorted(
    collection: Collection,
    positions: np.ndarray,
    keys: tuple[tuple[str, bool], ...],
    overrides: Mapping[str, list[Any]],
) -> np.ndarray:
    """``positions`` ordered by ``keys`` (most significant first), empty values last; ties
    in feature id order, so pages never overlap nor skip a feature."""
    ids = pd.Series([str(collection.feature_ids[p]) for p in positions.tolist()])
    numeric = pd.to_numeric(ids, errors="coerce")
    by_id = numeric.argsort(kind="stable") if numeric.notna().all() else ids.argsort(kind="stable")
    order = positions[by_id.to_numpy()]
    for name, descending in reversed(keys):  # stable sorts, least significant key first
        column = overrides.get(name)
        series = pd.Series(column) if column is not None else collection.frame[name]
        chosen = series.iloc[order].reset_index(drop=True)
        ranked = chosen.sort_values(ascending=not descending, kind="stable", na_position="last")
        order = order[ranked.index.to_numpy()]
    return order


def _mask(collection: Collection, query: ItemsQuery, feature_id: str | None) -> np.ndarray:
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
        mask &= _filter_mask(collection.frame[name], value)
    if query.cql is not None:
        mask &= filter_mask(collection.frame, collection.geometry, query.cql)
    if query.datetime is not None and collection.times is not None:
        mask &= time_mask(
            collection.times,
            query.datetime,
            instant=query.datetime_instant,
            snapshots=collection.snapshots,
        )
    return mask


def _filter_mask(series: pd.Series, value: str) -> np.ndarray:
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        wanted = value.strip().lower() in ("true", "1")
        return (series.astype(object) == wanted).to_numpy(dtype=bool)
    if pd.api.types.is_numeric_dtype(dtype):
        num = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        return np.asarray(num == float(value), dtype=bool)
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return np.array([t == value for t in column_values(series)], dtype=bool)
    return (series.astype(object) == value).to_numpy(dtype=bool)


def _custom_scores(collection: Collection, weights: Mapping[str, float]) -> dict[str, list[Any]]:
    """Scores with the request's weights on top of the weights the build scored with.

    The rank intervals and top-class shares of the build's Monte Carlo belong to the build's
    weights: under other weights they are null (run a build with those weights to get them),
    as is the contribution of an indicator the request weighs 0.
    """
    assert collection.admin_level is not None
    effective = resolve_weights(collection.definitions, collection.weights, dict(weights))
    scores = score_units(
        collection.frame, collection.admin_level, effective, definitions=collection.definitions
    )
    out = {str(c): column_values(scores[c]) for c in scores.columns}
    stale = [c for c in collection.frame.columns if str(c).startswith(CONTRIBUTION_PREFIX)]
    for pillar in Pillar:
        stale += [*(rank_column(pillar, s) for s in RANK_STATS), top_class_column(pillar)]
    for column in stale:
        if column in collection.frame.columns and str(column) not in out:
            out[str(column)] = [None] * len(scores)
    return out


def _classes(
    collection: Collection,
    query: ItemsQuery,
    matched: np.ndarray,
    overrides: Mapping[str, list[Any]],
) -> tuple[list[Any], dict[str, Any]]:
    """The class of every feature (None where not matched) and the classification member."""
    assert query.classify is not None and query.classify_by is not None
    by = query.classify_by
    column = overrides.get(by)
    source = (
        pd.Series(column, dtype=float)
        if column is not None
        else pd.to_numeric(collection.frame[by], errors="coerce").astype(float)
    )
    values = source.iloc[matched].reset_index(drop=True)
    result = classify(values, query.classify, k=query.k, breaks=query.breaks)
    classes: list[Any] = [None] * collection.size
    for pos, b in zip(matched.tolist(), result.bins, strict=True):
        classes[pos] = b
    member = {
        "property": by,
        "method": result.method,
        "k": result.k,
        "breaks": result.breaks,
        "counts": result.counts,
        "rule": CLASS_RULE,
    }
    return classes, member
