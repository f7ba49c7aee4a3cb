"""Hazard classes from a flood depth grid or from the February 2017 RW flood states.

Classes
-------
Four classes, InaSAFE's ``flood_petabencana_hazard_classes`` (after PetaBencana.id):

======================  ==========================  =======================================
class                   depth d (defaults)          from the 2017 RW states (PetaBencana)
======================  ==========================  =======================================
``unaffected``          d <= 0.1 m (or no flood)    not marked, or state 1 (depth unknown)
``low``                 0.1 m < d <= 0.7 m          state 2 (10-70 cm)
``medium``              0.7 m < d <= 1.5 m          state 3 (71-150 cm)
``high``                d > 1.5 m                   state 4 (over 150 cm)
======================  ==========================  =======================================

The thresholds are settings (:class:`geo.settings.ImpactSettings`). A depth exactly at a
threshold belongs to the class **below** it: InaSAFE's rule for every continuous hazard is
``minimum < value <= maximum`` (its ``thresholds`` concept, and ``safe/gis/raster/reclassify.py``).
A depth is compared with a threshold at the precision the file stores it in (float32 for ESRI
ASCII grids), so a cell written ``0.1`` in the file is exactly at the 0.1 m threshold and is
not affected. Depths below zero count as no flood. A cell without a value is ``no data``.

The RW states are classes already (BPBD's depth bands); they map to the classes by their
definitions, whatever the thresholds. State 1 ("use caution", depth unknown) is InaSAFE's
``use_caution`` class, which is not affected. Where a kelurahan has flooded RWs of several
states overlapping (polygons of 2017 and kelurahan of 2017/2019 differ), the deeper state wins.

Areas
-----
Every area is measured in :data:`geo.crs.METRIC_CRS`: a grid cell's area is the area of its
four corners projected there (so a lon/lat grid's cells are measured exactly, not as
degrees); a polygon's area is its area there. A cell belongs to the unit holding its centre
(:func:`geo.zonal.unit_labels`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

from geo.crs import METRIC_CRS
from geo.zonal import GridLike, unit_labels


class HazardClass(IntEnum):
    """The hazard classes, coded as in a classified grid (``NO_DATA`` is -1)."""

    NO_DATA = -1
    UNAFFECTED = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3


AFFECTED_CLASSES = (HazardClass.LOW, HazardClass.MEDIUM, HazardClass.HIGH)
"""The classes whose people are affected (InaSAFE: ``affected: True``)."""

CLASS_KEYS = {
    HazardClass.UNAFFECTED: "unaffected",
    HazardClass.LOW: "low",
    HazardClass.MEDIUM: "medium",
    HazardClass.HIGH: "high",
    HazardClass.NO_DATA: "nodata",
}
"""Column suffix of each class (``people_low``, ``area_high_km2``, ...)."""

RW_STATE_CLASSES = {
    1: HazardClass.UNAFFECTED,
    2: HazardClass.LOW,
    3: HazardClass.MEDIUM,
    4: HazardClass.HIGH,
}
"""PetaBencana / BPBD RW flood state -> class (1 = depth unknown, InaSAFE's 'use caution')."""


@dataclass(frozen=True)
class Thresholds:
    """Depth thresholds (m): a class starts above its threshold (low, medium, high)."""

    low: float
    medium: float
    high: float

    def __post_init__(self) -> None:
        if not 0 <= self.low < self.medium < self.high:
            raise ValueError(
                f"depth thresholds must rise: 0 <= low < medium < high; got {self.low}, "
                f"{self.medium}, {self.high}"
            )

    @classmethod
    def from_settings(cls, settings: Any) -> Thresholds:
        """The thresholds of :class:`geo.settings.ImpactSettings`."""
        return cls(
            settings.impact_low_min_m, settings.impact_medium_min_m, settings.impact_high_min_m
        )


def classify_depth(
    depth: np.ndarray, thresholds: Thresholds, *, dtype: str | np.dtype[Any] = "float64"
) -> np.ndarray:
    """Class of every cell of a depth grid.

    Parameters
    ----------
    depth : numpy.ndarray
        Depths in metres, NaN where the grid has no value.
    thresholds : Thresholds
    dtype : str or numpy dtype
        The precision the source stores depths in; each threshold is rounded to it before the
        comparison (``float32`` for an ESRI ASCII grid), so a depth written as the threshold
        is at the threshold.

    Returns
    -------
    numpy.ndarray of int8
        :class:`HazardClass` codes: ``NO_DATA`` where depth is NaN, else ``UNAFFECTED`` for
        d <= low, ``LOW`` for low < d <= medium, ``MEDIUM`` for medium < d <= high, ``HIGH``
        for d > high.
    """
    values = np.asarray(depth, dtype="float64")
    kind = np.dtype(dtype)
    cast = kind if np.issubdtype(kind, np.floating) else np.dtype("float64")
    low, medium, high = (
        float(np.asarray(t, dtype=cast))
        for t in (thresholds.low, thresholds.medium, thresholds.high)
    )
    out = np.full(values.shape, HazardClass.UNAFFECTED, dtype="int8")
    with np.errstate(invalid="ignore"):
        out[values > low] = HazardClass.LOW
        out[values > medium] = HazardClass.MEDIUM
        out[values > high] = HazardClass.HIGH
    out[np.isnan(values)] = HazardClass.NO_DATA
    return out


def cell_areas_m2(grid: GridLike) -> np.ndarray:
    """Area of every cell of a grid in square metres, measured in METRIC_CRS.

    The corners of every cell are projected to METRIC_CRS and the area of the quadrilateral
    they make is taken (shoelace formula), so grids in degrees are measured correctly.

    Returns
    -------
    numpy.ndarray of float64, the grid's shape.
    """
    rows, cols = np.shape(grid.array)
    t = grid.transform
    jj, ii = np.meshgrid(np.arange(cols + 1), np.arange(rows + 1))
    x = t.c + jj * t.a + ii * t.b
    y = t.f + jj * t.d + ii * t.e
    mx, my = Transformer.from_crs(grid.crs, METRIC_CRS, always_xy=True).transform(x, y)
    mx, my = np.asarray(mx), np.asarray(my)
    # corners in order: (i, j), (i, j+1), (i+1, j+1), (i+1, j)
    xs = (mx[:-1, :-1], mx[:-1, 1:], mx[1:, 1:], mx[1:, :-1])
    ys = (my[:-1, :-1], my[:-1, 1:], my[1:, 1:], my[1:, :-1])
    twice = sum(xs[k] * ys[(k + 1) % 4] - xs[(k + 1) % 4] * ys[k] for k in range(4))
    return np.abs(np.asarray(twice, dtype="float64")) / 2.0


def grid_footprint(grid: GridLike) -> shapely.Geometry:
    """The grid's outline as a polygon in METRIC_CRS (edges densified before projecting)."""
    rows, cols = np.shape(grid.array)
    t = grid.transform
    corners = [
        (t.c + j * t.a + i * t.b, t.f + j * t.d + i * t.e)
        for j, i in ((0, 0), (cols, 0), (cols, rows), (0, rows))
    ]
    outline = shapely.segmentize(shapely.Polygon(corners), max(abs(t.a), abs(t.e)) * 10)
    return gpd.GeoSeries([outline], crs=grid.crs).to_crs(METRIC_CRS).iloc[0]


CLASS_AREA_COLUMNS = ("unaffected", "low", "medium", "high", "nodata")
"""The classes of a class-area frame, in order (see :func:`grid_class_areas`)."""


@dataclass(frozen=True)
class CellIndex:
    """Which unit each cell of a grid belongs to, each cell's area, each unit's part inside.

    Computed once per (units, grid lattice) by :func:`cell_index` and shared by every grid on
    that lattice (the two HKV grids share one).
    """

    labels: np.ndarray
    """Flat int32: ``i + 1`` for a cell whose centre is in unit ``i``, 0 for none."""
    areas: np.ndarray
    """Flat float64: each cell's area in m² (METRIC_CRS)."""
    inside_share: np.ndarray
    """Per unit: the share of its area (METRIC_CRS) inside the grid's outline."""
    n_units: int


def cell_index(units: gpd.GeoDataFrame, grid: GridLike) -> CellIndex:
    """The :class:`CellIndex` of ``units`` on ``grid``'s lattice."""
    labels = unit_labels(units, grid)
    areas = cell_areas_m2(grid)
    flat = labels.ravel() if labels is not None else np.zeros(areas.size, dtype="int32")
    metric = units.geometry.to_crs(METRIC_CRS)
    unit_area = metric.area.to_numpy()
    inside = metric.intersection(grid_footprint(grid)).area.to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(unit_area > 0, np.clip(inside / unit_area, 0.0, 1.0), 0.0)
    return CellIndex(flat, areas.ravel(), share, len(units))


def grid_class_areas(
    units: gpd.GeoDataFrame,
    grid: GridLike,
    classes: np.ndarray,
    cells: CellIndex | None = None,
) -> pd.DataFrame:
    """Area of each hazard class in each unit, and the share of the unit each class covers.

    Parameters
    ----------
    units : GeoDataFrame
        Non-overlapping polygons (kelurahan) in any known CRS.
    grid : Grid
        The depth grid the classes come from (its transform and CRS).
    classes : numpy.ndarray
        :func:`classify_depth` of the grid.
    cells : CellIndex, optional
        :func:`cell_index` of ``units`` on the grid (computed when not given).

    Returns
    -------
    DataFrame
        Indexed like ``units``: ``area_<class>_m2`` for each class of
        :data:`CLASS_AREA_COLUMNS` (cells whose centre lies in the unit) and ``share_<class>``,
        where, with C_c the class's cell area, C the area of all the unit's cells, A the unit's
        area and A_in the part of it inside the grid's outline:

        * ``share_c = C_c / C * A_in / A`` for the classes with data,
        * ``share_nodata = C_nodata / C * A_in / A + (1 - A_in / A)``

        so the shares sum to 1 and the part of a unit outside the grid is no data. A unit
        holding no cell centre has null shares.
    """
    cells = cells if cells is not None else cell_index(units, grid)
    size = cells.n_units + 1
    cls = classes.ravel()
    by_class = {}
    for code in HazardClass:
        weights = np.where(cls == code, cells.areas, 0.0)
        by_class[CLASS_KEYS[code]] = np.bincount(cells.labels, weights=weights, minlength=size)[1:]
    total = sum(by_class.values())
    out = pd.DataFrame(index=units.index)
    for key in CLASS_AREA_COLUMNS:
        out[f"area_{key}_m2"] = by_class[key]
    with np.errstate(invalid="ignore", divide="ignore"):
        for key in CLASS_AREA_COLUMNS[:-1]:
            share = by_class[key] / total * cells.inside_share
            out[f"share_{key}"] = np.where(total > 0, share, np.nan)
    data_share = out[[f"share_{k}" for k in CLASS_AREA_COLUMNS[:-1]]].sum(axis=1, min_count=1)
    out["share_nodata"] = (1.0 - data_share).clip(lower=0.0)
    return out


def rw_state_class_areas(
    units: gpd.GeoDataFrame, rw_states: gpd.GeoDataFrame, covered: np.ndarray
) -> pd.DataFrame:
    """Area of each hazard class in each unit from RW polygons with a flood state.

    Parameters
    ----------
    units : GeoDataFrame
        Non-overlapping polygons (kelurahan).
    rw_states : GeoDataFrame
        RW polygons with ``max_state`` (PetaBencana states 1-4).
    covered : numpy.ndarray of bool
        Units the RW source covers (the mainland RW area); the others get null shares.

    Returns
    -------
    DataFrame
        As :func:`grid_class_areas`: ``area_<class>_m2`` and ``share_<class>``. With A the
        unit's area and U_c the union of RW polygons of class c (a deeper class taking any
        overlap): ``share_c = area(unit ∩ U_c) / A`` for low, medium, high;
        ``share_unaffected = 1 - (their sum)``; ``share_nodata = 0``.
    """
    metric_units = units.geometry.to_crs(METRIC_CRS)
    states = rw_states.to_crs(METRIC_CRS)
    codes = states["max_state"].map(RW_STATE_CLASSES)
    unit_area = metric_units.area.to_numpy()
    out = pd.DataFrame(index=units.index)
    deeper: shapely.Geometry = shapely.Polygon()
    shares = {}
    for code in (HazardClass.HIGH, HazardClass.MEDIUM, HazardClass.LOW):
        union = shapely.union_all(states.geometry[codes == code].to_numpy())
        zone = shapely.difference(union, deeper)
        deeper = shapely.union(deeper, union)
        key = CLASS_KEYS[code]
        area = shapely.area(shapely.intersection(metric_units.to_numpy(), zone))
        out[f"area_{key}_m2"] = np.where(covered, area, np.nan)
        with np.errstate(invalid="ignore", divide="ignore"):
            shares[key] = np.where(covered & (unit_area > 0), area / unit_area, np.nan)
    affected = np.clip(shares["low"] + shares["medium"] + shares["high"], 0.0, 1.0)
    out["area_unaffected_m2"] = np.where(
        covered, np.clip(unit_area - affected * unit_area, 0, None), np.nan
    )
    out["area_nodata_m2"] = np.where(covered, 0.0, np.nan)
    out["share_unaffected"] = 1.0 - affected
    for key in ("low", "medium", "high"):
        out[f"share_{key}"] = shares[key]
    out["share_nodata"] = np.where(covered, 0.0, np.nan)
    return out[
        [*(f"area_{k}_m2" for k in CLASS_AREA_COLUMNS), *(f"share_{k}" for k in CLASS_AREA_COLUMNS)]
    ]
