"""The data dictionary: what a build wrote about each indicator, and how to read it back.

A build writes one entry per indicator (its definition, the weight it scored with, the scaling
rule, why it has no data, how many units have a value). The served app reads the definitions
and weights back from the build it serves (:func:`definitions_of`, :func:`weights_of`), so
request-time scoring starts from exactly what the build used.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from geo.indicators.definitions import INDICATORS, IndicatorDef
from geo.scores import SCALING_TEXT


def data_dictionary(
    definitions: Mapping[str, IndicatorDef] | None = None,
    weights: Mapping[str, float] | None = None,
    *,
    reasons: Mapping[str, str] | None = None,
    layers: Mapping[str, pd.DataFrame] | None = None,
) -> list[dict[str, Any]]:
    """The data dictionary: one JSON-ready dict per indicator.

    Parameters
    ----------
    definitions : mapping, optional
        Defaults to the built-in :data:`INDICATORS`.
    weights : mapping, optional
        Effective weights (defaults when omitted).
    reasons : mapping, optional
        Why an indicator has no data (e.g. ``"no data loaded"``).
    layers : mapping of level to DataFrame, optional
        When given, the number of non-null values per level is reported.

    Returns
    -------
    list of dict
        Definition fields plus ``weight``, ``scaling``, ``no_data_reason`` and ``non_null``.
    """
    definitions = definitions or INDICATORS
    out = []
    for ind, d in definitions.items():
        entry = d.to_dict()
        entry["weight"] = float((weights or {}).get(ind, d.default_weight))
        entry["scaling"] = SCALING_TEXT
        entry["no_data_reason"] = (reasons or {}).get(ind)
        if layers is not None:
            entry["non_null"] = {
                lvl: int(pd.to_numeric(frame[ind], errors="coerce").notna().sum())
                for lvl, frame in layers.items()
                if ind in frame.columns
            }
            if entry["no_data_reason"] is None and not any(entry["non_null"].values()):
                entry["no_data_reason"] = "no unit has data"
        out.append(entry)
    return out


def definitions_of(dictionary: Sequence[Mapping[str, Any]]) -> dict[str, IndicatorDef]:
    """The indicator definitions a build's data dictionary holds, in its order.

    An empty dictionary (a build output without one) gives the built-in definitions.
    """
    if not dictionary:
        return dict(INDICATORS)
    return {str(e["id"]): IndicatorDef.from_dict(dict(e)) for e in dictionary}


def weights_of(
    dictionary: Sequence[Mapping[str, Any]], definitions: Mapping[str, IndicatorDef]
) -> dict[str, float]:
    """The weight each indicator was scored with in the build (its default where not stated)."""
    stated = {str(e["id"]): e["weight"] for e in dictionary if e.get("weight") is not None}
    return {i: float(stated.get(i, d.default_weight)) for i, d in definitions.items()}
