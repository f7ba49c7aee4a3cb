"""JSON-safe values of table columns: nulls as None, times as ISO 8601 text, numpy as Python."""

from __future__ import annotations

import json
import math
from datetime import UTC
from typing import Any

import numpy as np
import pandas as pd


def column_values(series: pd.Series) -> list[Any]:
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
    return [json_value(v) for v in series.astype(object).tolist()]


def json_value(v: Any) -> Any:
    """One value made JSON-safe (None for nulls and non-finite floats, text for the unknown)."""
    if v is None or v is pd.NA or (isinstance(v, float) and not math.isfinite(v)):
        return None
    if isinstance(v, str | bool | int | float):
        return v
    if isinstance(v, np.generic):
        return json_value(v.item())
    return str(v)


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
    values = [column_values(frame[c]) for c in frame.columns]
    if not columns:
        return [{} for _ in range(len(frame))]
    return [dict(zip(columns, row, strict=True)) for row in zip(*values, strict=True)]


def parse_json_cell(value: Any) -> Any:
    """A text cell holding a JSON list or object, decoded (anything else unchanged)."""
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def iso_utc(value: Any) -> str:
    """A time as ISO 8601 UTC text, ``2017-02-20T10:00:00Z`` (naive times are UTC)."""
    ts = pd.Timestamp(value)
    if ts.tzinfo is None:
        ts = ts.tz_localize(UTC)
    return ts.tz_convert(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
