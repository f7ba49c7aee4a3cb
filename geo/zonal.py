"""Zonal statistics of a raster grid over polygon units.

Rule used everywhere in this module
-----------------------------------
A cell belongs to a unit when the cell **centre** lies inside the unit polygon (rasterio's
default rasterisation rule, ``all_touched=False``). Cells holding no data (NaN) are left out of
every statistic: they are neither zero nor "dry". A unit with no data cell gets null.

Every cell counts with the same weight. The depth grids are lon/lat grids (about 50 m cells);
at Jakarta's latitude (about 6 degrees S) the cell area changes by less than 0.1 % across the
grid, so equal weights are area weights to that precision.

The units are assumed not to overlap (an admin tiling): all of them are burnt into one label
raster, so each cell goes to at most one unit.
"""

from __future__ import annotations

from typing import Any, Protocol

import geopandas as gpd
import numpy as np
import pandas as pd
from rasterio import features


class GridLike(Protocol):
    """What zonal statistics need from a grid (``geo.ingest.Grid`` has these)."""

    array: np.ndarray
    transform: Any
    crs: Any


def unit_labels(units: gpd.GeoDataFrame, grid: GridLike) -> np.ndarray | None:
    """The unit of each grid cell: a label raster of the grid's shape.

    Parameters
    ----------
    units : GeoDataFrame
        Non-overlapping polygons in any known CRS (reprojected to the grid's CRS).
    grid : Grid
        ``array`` (its shape is used), ``transform`` and ``crs``.

    Returns
    -------
    numpy.ndarray of int32 or None
        ``i + 1`` where the cell centre lies in the unit at position ``i`` of ``units``, 0
        where it lies in none; None when no unit has a geometry.
    """
    geoms = units.geometry.to_crs(grid.crs) if units.crs is not None else units.geometry
    valid = ~(geoms.is_empty | geoms.isna()).to_numpy()
    if not valid.any():
        return None
    labels = np.arange(1, len(units) + 1, dtype="int32")
    shapes = zip(geoms.to_numpy()[valid], labels[valid], strict=True)
    raster: np.ndarray = features.rasterize(
        shapes,
        out_shape=np.shape(grid.array),
        transform=grid.transform,
        fill=0,
        all_touched=False,
        dtype="int32",
    )
    return raster


def zonal_stats(units: gpd.GeoDataFrame, grid: GridLike, *, threshold: float = 0.5) -> pd.DataFrame:
    """Mean value and share of cells above a threshold, per unit.

    Parameters
    ----------
    units : GeoDataFrame
        Non-overlapping polygons, in any known CRS (reprojected to the grid's CRS).
    grid : Grid
        ``array`` (2-D float, NaN = no data), ``transform`` (affine) and ``crs``.
    threshold : float
        Value above which a cell counts in ``share_above`` (strictly greater).

    Returns
    -------
    DataFrame
        Indexed like ``units`` with columns ``mean`` (sum of values / cells with data),
        ``share_above`` (cells with value > threshold / cells with data), ``n_cells`` (cells
        with data whose centre is in the unit) and ``n_nodata`` (cells without data in the
        unit). ``mean`` and ``share_above`` are NaN where ``n_cells`` is 0.
    """
    n = len(units)
    out = pd.DataFrame(
        {
            "mean": np.full(n, np.nan),
            "share_above": np.full(n, np.nan),
            "n_cells": np.zeros(n, dtype="int64"),
            "n_nodata": np.zeros(n, dtype="int64"),
        },
        index=units.index,
    )
    if n == 0:
        return out
    array = np.asarray(grid.array, dtype="float64")
    label_raster = unit_labels(units, grid)
    if label_raster is None:
        return out
    has_data = ~np.isnan(array)
    lab = label_raster.ravel()
    data = has_data.ravel()
    values = np.where(has_data, array, 0.0).ravel()
    size = n + 1
    n_cells = np.bincount(lab, weights=data.astype("float64"), minlength=size)
    n_all = np.bincount(lab, minlength=size).astype("float64")
    total = np.bincount(lab, weights=values, minlength=size)
    above = np.bincount(
        lab, weights=(data & (values > threshold)).astype("float64"), minlength=size
    )
    n_cells = n_cells[1:]
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(n_cells > 0, total[1:] / n_cells, np.nan)
        share = np.where(n_cells > 0, above[1:] / n_cells, np.nan)
    out["mean"] = mean
    out["share_above"] = share
    out["n_cells"] = n_cells.astype("int64")
    out["n_nodata"] = (n_all[1:] - n_cells).astype("int64")
    return out
