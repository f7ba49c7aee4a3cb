"""What the map and ranking pages ask of the OGC engine: weights, class plans, unit values.

The pages never work a number out themselves: values, weighted scores and classes come from
the same engine the items API runs (:func:`geo.ogc.engine.run_query`), so a page, its table and
its exports agree with ``/collections/{level}/items`` for the same parameters.

A class plan says what to ask the items API for so that the map is never blank: when the
values allow fewer classes than asked (few distinct values) the plan lowers ``k`` and says
so; with one distinct value it is one class; with none the map is all "no data".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from geo.errors import InvalidParameterError
from geo.ogc.collection import Collection
from geo.ogc.engine import run_query
from geo.ogc.query import ItemsQuery
from geo.scores import parse_weights
from geo.snapshot import BuildSnapshot
from geo.vocabulary import ClassMethod
from web.params import MapParams, PageParameterError


@dataclass(frozen=True)
class ClassPlan:
    """The classification a map asks the items API for.

    Attributes
    ----------
    method : str or None
        ``quantiles``, ``fisher_jenks``, ``equal_interval``, ``user_defined`` (one distinct
        value: one class at that value), or None when no unit has a value.
    k : int
        Classes asked for (0 without a method).
    requested_k : int
        What the page's ``k`` asked for.
    breaks : tuple of float or None
        The break of a ``user_defined`` plan.
    distinct : int
        Distinct non-null values.
    """

    method: str | None
    k: int
    requested_k: int
    breaks: tuple[float, ...] | None
    distinct: int

    @property
    def fewer(self) -> bool:
        """True when the data allow fewer classes than asked."""
        return self.method is not None and self.k < self.requested_k

    def query(self, column: str) -> dict[str, str]:
        """The items-route parameters that ask for these classes of ``column``."""
        if self.method is None:
            return {}
        if self.method == ClassMethod.user_defined:
            breaks = ",".join(repr(b) for b in self.breaks or ())
            return {"classify": "user", "breaks": breaks, "classify_by": column}
        return {"classify": self.method, "k": str(self.k), "classify_by": column}

    def to_dict(self, column: str) -> dict[str, Any]:
        """JSON-ready (for the page config), with the items query of ``column``."""
        return {
            "query": self.query(column),
            "method": self.method,
            "k": self.k,
            "requestedK": self.requested_k,
            "breaks": list(self.breaks) if self.breaks else None,
            "distinct": self.distinct,
            "fewer": self.fewer,
        }


def weights_checker(snapshot: BuildSnapshot) -> Any:
    """``check(level, text)``: the weights normalised (sorted ``id:w``), as the API parses them.

    Raises
    ------
    PageParameterError
        Any weight the API would refuse.
    """

    def check(level: str, text: str) -> str:
        collection = snapshot.get(level)
        try:
            parsed = parse_weights(text, known=collection.definitions)
        except InvalidParameterError:
            raise PageParameterError("weights", "param.bad_weights", text) from None
        return ",".join(f"{k}:{_weight_text(v)}" for k, v in sorted(parsed.items()))

    return check


def _weight_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def weights_tuple(text: str) -> tuple[tuple[str, float], ...]:
    """The ``ItemsQuery.weights`` of normalised weights text."""
    pairs = (item.split(":", 1) for item in text.split(",") if item)
    return tuple(sorted((k, float(v)) for k, v in pairs))


def unit_values(
    collection: Collection, params: MapParams
) -> tuple[pd.Series, dict[str, list[Any]]]:
    """The shown column of every unit of the level (weighted when weights are given).

    Returns
    -------
    (Series, dict)
        The values in the collection's order, and every computed column of the engine.
    """
    query = ItemsQuery(limit=collection.size, weights=weights_tuple(params.weights))
    result = run_query(collection, query)
    column = result.overrides.get(params.column)
    if column is not None:
        values = pd.Series(column, dtype=float)
    else:
        values = pd.to_numeric(collection.frame[params.column], errors="coerce").astype(float)
    return values.reset_index(drop=True), result.overrides


def shown_values(snapshot: BuildSnapshot, params: MapParams) -> pd.Series:
    """The shown column of every unit the map draws: the level's (weighted), or the impact
    layer's units of the level (no weights apply to the impact analysis)."""
    if not params.impact_layer:
        return unit_values(snapshot.get(params.level), params)[0]
    collection = snapshot.get(params.impact_layer)
    frame = collection.frame
    for field, value in params.filters.items():
        frame = frame[frame[field].astype(str) == value]
    return pd.to_numeric(frame[params.column], errors="coerce").astype(float).reset_index(drop=True)


def class_plan(values: pd.Series, params: MapParams) -> ClassPlan:
    """The classes a map of ``values`` can have, as close to ``params`` as the data allow."""
    present = values.to_numpy(dtype=float)
    present = present[np.isfinite(present)]
    distinct = int(np.unique(present).size)
    if distinct == 0:
        return ClassPlan(None, 0, params.k, None, 0)
    if distinct == 1:
        return ClassPlan(str(ClassMethod.user_defined), 1, params.k, (float(present[0]),), 1)
    return ClassPlan(params.classification, min(params.k, distinct), params.k, None, distinct)
