"""Aggregation of kelurahan indicator values to kecamatan and kota, by each definition's rule.

The rules (``sum``, ``mean``, ``ratio``, ``max``; ``recompute`` indicators are computed again on
the parent polygon instead) are described in :mod:`geo.indicators.definitions`.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from geo.indicators.definitions import IndicatorDef
from geo.vocabulary import Level


def aggregate(
    children: pd.DataFrame,
    parent_key: pd.Series,
    parents: pd.DataFrame,
    definitions: Mapping[str, IndicatorDef],
    *,
    skip: tuple[str, ...] = (),
) -> pd.DataFrame:
    """Aggregate indicator columns of child units to their parents by each definition's rule.

    Parameters
    ----------
    children : DataFrame
        Child units with indicator columns and ``area_km2``, ``population``, ``households``
        and any ``_`` helper columns used by ratios.
    parent_key : Series
        Parent code per child row (aligned with ``children``).
    parents : DataFrame
        Parent units with a ``kode`` column; the result is aligned with it.
    definitions : mapping of id to IndicatorDef
    skip : tuple of str
        Ids not aggregated (``recompute`` ones, computed on the parent geometry instead).

    Returns
    -------
    DataFrame indexed like ``parents`` with one column per aggregated indicator.
    """
    key = parent_key.astype(str).to_numpy()
    out = pd.DataFrame(index=parents.index)
    codes = parents["kode"].astype(str)

    def by_parent(series: pd.Series, how: str) -> pd.Series:
        grouped = pd.Series(series.to_numpy(dtype=float)).groupby(key)
        result = grouped.sum(min_count=1) if how == "sum" else grouped.max()
        return codes.map(result)

    for ind, d in definitions.items():
        if ind in skip or ind not in children.columns:
            continue
        values = pd.to_numeric(children[ind], errors="coerce").astype(float)
        if d.aggregation == "sum" or d.native_level != Level.kelurahan:
            out[ind] = by_parent(values, "sum").to_numpy()
        elif d.aggregation == "max":
            out[ind] = by_parent(values, "max").to_numpy()
        elif d.aggregation == "mean":
            w = pd.to_numeric(children[d.weight_column or "area_km2"], errors="coerce").astype(
                float
            )
            w = w.where(values.notna())
            num = by_parent(values * w, "sum")
            den = by_parent(w, "sum")
            out[ind] = (num / den.where(den > 0)).to_numpy()
        elif d.aggregation == "ratio" and d.ratio_of:
            num_col, den_col, factor = d.ratio_of
            num_v = pd.to_numeric(children[num_col], errors="coerce").astype(float)
            den_v = pd.to_numeric(children[den_col], errors="coerce").astype(float)
            den_v = den_v.where(num_v.notna())
            num = by_parent(num_v, "sum")
            den = by_parent(den_v, "sum")
            ratio = num / den.where(den > 0) * factor
            upper = d.valid_range[1]
            if upper is not None:
                ratio = ratio.clip(upper=upper)
            out[ind] = ratio.to_numpy()
    return out
