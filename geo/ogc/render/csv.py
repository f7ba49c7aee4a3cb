"""CSV downloads: the same table a GeoPackage download holds, without the geometry.

One row per feature with the columns of the query (its properties, the scores with the
request's weights, the ``class`` when classes were asked for), lists and objects as JSON
text, numbers as written by Python (a dot for decimals), UTF-8 with a byte-order mark so
spreadsheet programs read the names right.
"""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd

from geo.ogc.render.gpkg import GpkgTable

BOM = "\ufeff"


def csv_bytes(table: GpkgTable) -> bytes:
    """The rows of ``table`` as CSV bytes (no geometry column)."""
    frame = table.frame
    if isinstance(frame, gpd.GeoDataFrame):
        frame = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    frame = frame.map(
        lambda v: json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else v
    )
    return (BOM + frame.to_csv(index=False, lineterminator="\n")).encode("utf-8")
