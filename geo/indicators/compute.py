"""Pillar indicators and scores of every kelurahan, kecamatan and kota: the computation.

:func:`compute_indicators` runs the formulas of :mod:`geo.indicators.measures` at kelurahan,
adds the planner layers (:mod:`geo.user_layers`), aggregates to kecamatan and kota by each
definition's rule (:mod:`geo.indicators.aggregate`), computes the distance-based indicators
again on the parent polygons, and scores every level (:mod:`geo.scores`). The definitions it
follows are data (:mod:`geo.indicators.definitions`); the data dictionary it returns is
:func:`geo.indicators.dictionary.data_dictionary`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.admin import dissolve_units
from geo.errors import DataError
from geo.indicators.aggregate import aggregate
from geo.indicators.definitions import INDICATORS, IndicatorDef
from geo.indicators.dictionary import data_dictionary
from geo.indicators.measures import (
    Context,
    Frame,
    Progress,
    buffer_indicators,
    coverage_helpers,
    kelurahan_indicators,
    river_waste_kecamatan,
)
from geo.indicators.spatial import to_metric
from geo.scores import resolve_weights, score_units
from geo.settings import Settings
from geo.user_layers import definition_of, list_user_layers, user_layer_values
from geo.vocabulary import Level, is_score_column
from geo.zonal import GridLike

BASE_COLUMNS = ("kode", "area_km2", "population", "households", "kode_kecamatan", "kode_kota")
"""Columns of the admin layers the aggregation rules read (weights, ratio denominators)."""


def all_definitions(settings: Settings | None = None) -> dict[str, IndicatorDef]:
    """Built-in definitions plus those of the planner layers registered in ``settings``.

    Parameters
    ----------
    settings : Settings, optional
        When given, layers registered at ``settings.user_layers_path`` are included (a layer
        registered for a built-in slot replaces the slot's coverage and source).

    Returns
    -------
    dict of str to IndicatorDef
    """
    defs = dict(INDICATORS)
    if settings is None:
        return defs
    for entry in list_user_layers(settings):
        defs[entry["indicator_id"]] = definition_of(entry, defs.get(entry["indicator_id"]))
    return defs


@dataclass
class IndicatorResult:
    """Admin layers with indicator and score columns, and the data dictionary."""

    kelurahan: gpd.GeoDataFrame
    kecamatan: gpd.GeoDataFrame
    kota: gpd.GeoDataFrame
    dictionary: list[dict[str, Any]]

    def layer(self, level: Level | str) -> gpd.GeoDataFrame:
        """The layer of ``level`` (kelurahan, kecamatan or kota)."""
        layer: gpd.GeoDataFrame = getattr(self, Level(level).value)
        return layer


def _admin_levels(
    layers: Mapping[str, Frame],
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, gpd.GeoDataFrame]:
    kel = layers.get(Level.kelurahan)
    if not isinstance(kel, gpd.GeoDataFrame):
        raise DataError("compute_indicators needs a 'kelurahan' GeoDataFrame")
    kec = layers.get(Level.kecamatan)
    kota = layers.get(Level.kota)
    if not isinstance(kec, gpd.GeoDataFrame) or not isinstance(kota, gpd.GeoDataFrame):
        kec = dissolve_units(kel, Level.kecamatan)
        kota = dissolve_units(kel, Level.kota)
    return kel, kec, kota


def _parent_helpers(parents: gpd.GeoDataFrame, kel_h: pd.DataFrame, key: pd.Series) -> pd.DataFrame:
    """Coverage helpers of parent units from their kelurahan's (RW count summed, transit any)."""
    out = pd.DataFrame(index=parents.index)
    by_parent = key.to_numpy()
    rw = kel_h["_rw_count"].groupby(by_parent).sum()
    transit = kel_h["_transit"].groupby(by_parent).any()
    out["_rw_count"] = parents["kode"].map(rw).fillna(0).to_numpy()
    out["_transit"] = parents["kode"].map(transit).fillna(False).to_numpy(dtype=bool)
    return out


def _with_base(frame: gpd.GeoDataFrame, *parts: pd.DataFrame) -> pd.DataFrame:
    return pd.concat([frame[[c for c in BASE_COLUMNS if c in frame.columns]], *parts], axis=1)


def _level_values(
    layers: Mapping[str, Frame],
    grids: Mapping[str, GridLike],
    settings: Settings | None,
    definitions: Mapping[str, IndicatorDef],
    step: Progress,
) -> tuple[dict[Level, pd.DataFrame], dict[str, str], tuple[gpd.GeoDataFrame, ...]]:
    """Indicator values per level (one column per indicator) and the no-data reasons."""
    ctx = Context(layers, grids)
    kel, kec, kota = _admin_levels(layers)
    kel_m, kec_m, kota_m = to_metric(kel), to_metric(kec), to_metric(kota)

    step("coverage")
    kel_h = coverage_helpers(kel_m, ctx)
    kel_values = kelurahan_indicators(kel_m, kel_h, ctx, step)
    step("buffers: kelurahan")
    kel_values = kel_values.join(buffer_indicators(kel_m, kel_h, ctx))
    step("planner layers")
    if settings is not None:
        for entry in list_user_layers(settings):
            kel_values[entry["indicator_id"]] = user_layer_values(entry, kel).to_numpy()
            ctx.reasons.pop(entry["indicator_id"], None)

    recompute = tuple(i for i, d in definitions.items() if d.aggregation == "recompute")
    kel_full = _with_base(kel, kel_h, kel_values)
    step("aggregate: kecamatan")
    kec_h = _parent_helpers(kec, kel_h, kel["kode_kecamatan"])
    kec_values = aggregate(kel_full, kel["kode_kecamatan"], kec, definitions, skip=recompute)
    kec_values["sehat_river_waste_t_day"] = river_waste_kecamatan(kec, ctx)
    kec_values = kec_values.join(buffer_indicators(kec_m, kec_h, ctx))
    kec_full = _with_base(kec, kec_h, kec_values)

    step("aggregate: kota")
    kota_h = _parent_helpers(kota, kel_h, kel["kode_kota"])
    # kota sums kecamatan values (river waste is native at kecamatan), others come from kelurahan
    kota_values = aggregate(kel_full, kel["kode_kota"], kota, definitions, skip=recompute)
    kota_values["sehat_river_waste_t_day"] = aggregate(
        kec_full,
        kec["kode_kota"],
        kota,
        {"sehat_river_waste_t_day": definitions["sehat_river_waste_t_day"]},
    )["sehat_river_waste_t_day"]
    kota_values = kota_values.join(buffer_indicators(kota_m, kota_h, ctx))
    values = {Level.kelurahan: kel_values, Level.kecamatan: kec_values, Level.kota: kota_values}
    return values, ctx.reasons, (kel, kec, kota)


def compute_indicators(
    layers: Mapping[str, Frame],
    grids: Mapping[str, GridLike],
    settings: Settings | None = None,
    *,
    progress: Progress | None = None,
    weights: Mapping[str, float] | None = None,
) -> IndicatorResult:
    """Compute every indicator and pillar score for kelurahan, kecamatan and kota.

    Parameters
    ----------
    layers : mapping of str to (Geo)DataFrame
        Build layers by name (see the input contract of :mod:`geo.indicators.measures`):
        kelurahan, kecamatan, kota, rw, flood_rw_2007, flood_2017_rw_max, pumps, floodgates,
        slum_rw, waste_banks, river_waste, tj_stops, rail_stations. A missing layer leaves its
        indicators null with the reason in the dictionary.
    grids : mapping of str to Grid
        ``flood_depth_current``.
    settings : Settings, optional
        Source of ``score_weights`` and of registered planner layers (``user_layers_path``).
    progress : callable, optional
        Called with a short step description before each step.
    weights : mapping, optional
        Weights overriding the defaults and the settings (as from :func:`geo.scores.parse_weights`).

    Returns
    -------
    IndicatorResult
        The three admin layers (STORAGE_CRS, input columns kept) with one column per
        indicator, ``score_<pillar>`` and ``score_<pillar>_missing``; and the data dictionary.
    """
    step: Progress = progress or (lambda _msg: None)
    definitions = all_definitions(settings)
    values, reasons, admins = _level_values(layers, grids, settings, definitions, step)

    step("scores")
    base = settings.score_weights if settings is not None else None
    effective = resolve_weights(definitions, base, weights)
    results: dict[str, gpd.GeoDataFrame] = {}
    for (level, level_values), admin in zip(values.items(), admins, strict=True):
        stale = [c for c in admin.columns if c in definitions or is_score_column(str(c))]
        layer = admin.drop(columns=stale)
        for ind in definitions:
            layer[ind] = (
                pd.to_numeric(level_values[ind], errors="coerce").astype(float).to_numpy()
                if ind in level_values.columns
                else np.nan
            )
        scores = score_units(layer, level, effective, definitions=definitions)
        results[str(level)] = gpd.GeoDataFrame(
            pd.concat([layer, scores], axis=1), geometry="geometry", crs=admin.crs
        )

    dictionary = data_dictionary(definitions, effective, reasons=reasons, layers=results)
    kel, kec, kota = (results[str(level)] for level in Level)
    return IndicatorResult(kel, kec, kota, dictionary)
