"""GeoPackage downloads: one layer named after the collection, with its tables beside it.

A :class:`GpkgTable` says what to write (the features as a frame, the layer's identifier and
description, metadata, extra tables such as the data dictionary and the classification);
:func:`gpkg_bytes` writes it with pyogrio to a temporary file and returns the bytes.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyogrio

from geo.crs import STORAGE_CRS
from geo.ogc.collection import Collection
from geo.ogc.engine import QueryResult
from geo.ogc.query import ItemsQuery


@dataclass
class GpkgTable:
    """What a GeoPackage download holds."""

    frame: gpd.GeoDataFrame | pd.DataFrame
    """The features (a GeoDataFrame in STORAGE_CRS, or a table without geometry)."""
    layer: str
    title: str
    description: str
    metadata: dict[str, str] = field(default_factory=dict)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    """Tables written beside the layer (``data_dictionary``, ``classification``)."""
    promote_to_multi: bool = False
    geometry_type: str | None = None
    """Declared geometry type (``Unknown`` for mixed geometries); None to let GDAL tell."""


def gpkg_bytes(table: GpkgTable, tmp_dir: Path | None = None) -> bytes:
    """The GeoPackage of ``table`` as bytes."""
    options = {"IDENTIFIER": table.title, "DESCRIPTION": table.description}
    extra: dict[str, Any] = {}
    if isinstance(table.frame, gpd.GeoDataFrame):
        extra["promote_to_multi"] = table.promote_to_multi
        if table.geometry_type is not None:
            extra["geometry_type"] = table.geometry_type
    with tempfile.TemporaryDirectory(dir=tmp_dir) as tmp:
        out = Path(tmp) / f"{table.layer}.gpkg"
        pyogrio.write_dataframe(
            table.frame,
            out,
            layer=table.layer,
            driver="GPKG",
            layer_options=options,
            layer_metadata={"source": table.description, **table.metadata},
            **extra,
        )
        for name, frame in table.tables.items():
            pyogrio.write_dataframe(frame, out, layer=name, driver="GPKG")
        return out.read_bytes()


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


def _json_cells(rows: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {k: json.dumps(v) if isinstance(v, list | dict) else v for k, v in r.items()}
            for r in rows
        ]
    )


def collection_table(
    collection: Collection, query: ItemsQuery, result: QueryResult, lang: str
) -> GpkgTable:
    """The GeoPackage of a page of a build layer, with its data dictionary and classes.

    The layer is named after the collection, with the collection's title as identifier and
    its description as description; the admin collections add a ``data_dictionary`` table,
    and the classification (when asked for) travels in the layer metadata and a table.
    """
    metadata: dict[str, str] = {}
    tables: dict[str, pd.DataFrame] = {}
    if collection.dictionary:
        metadata["data_dictionary"] = json.dumps(collection.dictionary, ensure_ascii=False)
        tables["data_dictionary"] = _json_cells(collection.dictionary)
    c = result.classification
    if c is not None:
        metadata["classification"] = json.dumps(c)
        tables["classification"] = pd.DataFrame(
            {
                "class": list(range(len(c["breaks"]))),
                "upper_bound": c["breaks"],
                "count": c["counts"],
                "property": c["property"],
                "method": c["method"],
            }
        )
    return GpkgTable(
        frame=selected_frame(collection, query, result),
        layer=collection.id,
        title=collection.title(lang),
        description=collection.description(lang),
        metadata=metadata,
        tables=tables,
        promote_to_multi=collection.geometry_type == "MultiPolygon",
    )
