"""Bring your own layer: a planner's real table or polygons as an indicator.

A layer is read and checked like a built-in source (through :mod:`geo.ingest`: CRS known,
Jakarta extent, swapped lat/lon), its values are matched to kelurahan and checked, and it is
registered in ``Settings.user_layers_path`` (a JSON list). The next build
(:func:`geo.indicators.compute.compute_indicators`) reads every registered layer again and
uses it in the scores.

* A **table** (CSV) is keyed by kelurahan code (dotted ``31.71.01.1001`` or plain
  ``3171011001``) or by kelurahan name (matched with :func:`geo.names.match_names`, within a
  kecamatan when the table has a ``kecamatan`` column).
* A **polygon layer** (GeoJSON, GeoPackage, Shapefile) is area-weighted onto kelurahan in
  METRIC_CRS: ``value(kel) = sum(v_i * area(p_i ∩ kel)) / sum(area(p_i ∩ kel))`` over the
  polygons with a value (an area-weighted mean: right for shares, rates and densities);
  kelurahan no polygon touches stay null.

Kecamatan and kota values are the ``weight_column``-weighted mean of kelurahan values
(households for the built-in clean-water slot, population by default).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.crs import METRIC_CRS
from geo.errors import (
    ChecksumError,
    DataError,
    InvalidParameterError,
    MissingFileError,
    NoBuildError,
    NotFoundError,
    SchemaError,
)
from geo.indicators.definitions import INDICATORS, USER_SLOTS, IndicatorDef
from geo.ingest import read_table, read_vector
from geo.names import match_names, to_dotted_code
from geo.params import shown
from geo.registry import read_entries, sha256_of, write_entries
from geo.settings import Settings
from geo.tables import require_regular_file
from geo.vocabulary import Direction, Level, Pillar, Text

TABLE_SUFFIXES = (".csv", ".txt")
VECTOR_SUFFIXES = (".geojson", ".json", ".gpkg", ".shp")
KEY_CANDIDATES = (
    "kode",
    "kode_kelurahan",
    "kode_kemendagri",
    "kode_kel",
    "kelurahan",
    "nama_kelurahan",
    "nama",
)
AGGREGATION_WEIGHTS = ("population", "households", "area_km2")
_ID = re.compile(r"^[a-z][a-z0-9_]{2,62}$")
_CODE = re.compile(r"^\s*\d{2}\.?\d{2}\.?\d{2}\.?\d{4}\s*$")
_MAX_NAMED = 20


def _require_regular_file(path: Path) -> None:
    """A planner layer is one regular file (:func:`geo.tables.require_regular_file`)."""
    require_regular_file(path, "user layer", "a CSV, GeoJSON, GeoPackage or Shapefile")


def list_user_layers(settings: Settings) -> list[dict[str, Any]]:
    """The registered planner layers (empty when none is registered).

    Raises
    ------
    DataError
        When the registry file exists but is not a JSON list.
    """
    return read_entries(settings.user_layers_path, "layers")


def _write_registry(settings: Settings, entries: list[dict[str, Any]]) -> None:
    write_entries(settings.user_layers_path, entries)


def remove_user_layer(settings: Settings, indicator_id: str) -> dict[str, Any]:
    """Unregister the layer of ``indicator_id`` and return its entry.

    Raises
    ------
    NotFoundError
        When no layer is registered for that id.
    """
    entries = list_user_layers(settings)
    kept = [e for e in entries if e.get("indicator_id") != indicator_id]
    if len(kept) == len(entries):
        raise NotFoundError(f"no planner layer is registered for indicator '{indicator_id}'")
    _write_registry(settings, kept)
    return next(e for e in entries if e.get("indicator_id") == indicator_id)


def definition_of(entry: dict[str, Any], builtin: IndicatorDef | None = None) -> IndicatorDef:
    """The indicator definition of a registered layer (a built-in slot keeps its own text)."""
    source = f"user layer {Path(entry['path']).name} (sha256 {entry['sha256'][:12]})"
    how = (
        f"value column '{entry['value_column']}' of {Path(entry['path']).name}, keyed by "
        f"'{entry['key']}'"
        if entry["kind"] == "table"
        else f"value column '{entry['value_column']}' of {Path(entry['path']).name}, "
        "area-weighted onto kelurahan: sum(v * area(p ∩ kel)) / sum(area(p ∩ kel)), METRIC_CRS"
    )
    if builtin is not None:
        return replace(
            builtin,
            sources=(source,),
            formula=f"{builtin.formula}; loaded: {how}",
            formula_id=f"{builtin.formula_id}; dimuat: {how}" if builtin.formula_id else "",
            coverage="kelurahan with a value in the loaded layer",
            user_layer=True,
            data_note=_loaded_note(entry),
        )
    return IndicatorDef(
        id=entry["indicator_id"],
        pillar=Pillar(entry["pillar"]),
        name=Text(entry["name_id"], entry["name_en"]),
        unit=entry["unit"],
        direction=Direction(entry["direction"]),
        sources=(source,),
        native_level=Level.kelurahan,
        formula=how,
        aggregation="mean",
        weight_column=entry.get("weight_column", "population"),
        default_weight=1.0,
        valid_range=(None, None),
        coverage="kelurahan with a value in the loaded layer",
        user_layer=True,
        data_note=_loaded_note(entry),
    )


def _loaded_note(entry: dict[str, Any]) -> str:
    """The date note of a planner's layer: when it was loaded (its data states no date)."""
    loaded = str(entry.get("added_at") or "")[:10]
    when = f" on {loaded}" if loaded else ""
    return f"Loaded by a planner{when}; the date of its data is not stated."


def _row_list(rows: pd.Index | list[Any], what: pd.Series | None = None) -> str:
    labels = [int(r) + 2 for r in list(rows)[:_MAX_NAMED]]  # +1 header, +1 one-based
    parts = [
        f"line {line}" + (f" ({what.loc[row]!r})" if what is not None else "")
        for line, row in zip(labels, list(rows)[:_MAX_NAMED], strict=False)
    ]
    more = len(rows) - _MAX_NAMED
    return ", ".join(parts) + (f" and {more} more" if more > 0 else "")


def _feature_list(rows: pd.Index | list[Any], what: pd.Series | None = None) -> str:
    parts = [
        f"feature {int(r) + 1}" + (f" ({what.loc[r]!r})" if what is not None else "")
        for r in list(rows)[:_MAX_NAMED]
    ]
    more = len(rows) - _MAX_NAMED
    return ", ".join(parts) + (f" and {more} more" if more > 0 else "")


def _bad_places(values: pd.Series, bad: pd.Series, table: bool) -> str:
    """Where the bad values are: table lines, or features of a layer."""
    rows = values.index[bad]
    return _row_list(rows, values) if table else _feature_list(rows, values)


def _numeric(values: pd.Series, path: Path, column: str, *, table: bool) -> pd.Series:
    text = values.astype("string").str.strip()
    blank = text.isna() | (text == "")
    # accept a decimal comma ("0,85") as planners' spreadsheets often write it
    numbers = pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce")
    bad = numbers.isna() & ~blank
    if bad.any():
        where = _bad_places(values, bad, table)
        raise SchemaError(
            f"{path.name}: column '{column}' is not a number at {where}",
            details={"rows": [int(r) for r in values.index[bad]]},
        )
    return numbers.astype(float)


def _check_range(values: pd.Series, d: IndicatorDef | None, path: Path, table: bool) -> None:
    if d is None:
        return
    lo, hi = d.valid_range
    bad = pd.Series(False, index=values.index)
    if lo is not None:
        bad |= values < lo
    if hi is not None:
        bad |= values > hi
    if bad.any():
        where = _bad_places(values, bad, table)
        raise SchemaError(
            f"{path.name}: {d.id} must lie in [{lo}, {hi if hi is not None else 'inf'}] "
            f"({d.unit}); out of range at {where}"
        )


def _kelurahan_reference(
    settings: Settings, kelurahan: gpd.GeoDataFrame | None
) -> gpd.GeoDataFrame:
    if kelurahan is not None:
        return kelurahan
    path = settings.build_path
    if not path.exists():
        raise NoBuildError(
            f"no build output at {path}: run `ketahanan build` once so planner layers can be "
            "matched to kelurahan"
        )
    return gpd.read_file(path, layer=Level.kelurahan)


def _table_values(
    path: Path, kel: gpd.GeoDataFrame, key: str | None, value_column: str | None, indicator_id: str
) -> tuple[pd.Series, str, str]:
    table, _ = read_table(path, source=f"user layer {path.name}", dtype=str, keep_default_na=False)
    columns = list(table.columns)
    lower = {c.strip().lower(): c for c in columns}
    if key is None:
        key = next((lower[c] for c in KEY_CANDIDATES if c in lower), None)
        if key is None:
            raise SchemaError(
                f"{path.name}: no key column found (looked for {', '.join(KEY_CANDIDATES)}); "
                "name it with --key-column"
            )
    elif key not in columns:
        raise SchemaError(
            f"{path.name}: key column '{key}' not found; columns: {', '.join(columns)}"
        )
    if value_column is None:
        others = [
            c
            for c in columns
            if c != key
            and c.strip().lower()
            not in ("kecamatan", "nama_kecamatan", "nama", "kelurahan", "nama_kelurahan")
        ]
        if indicator_id in columns:
            value_column = indicator_id
        elif "value" in lower:
            value_column = lower["value"]
        elif len(others) == 1:
            value_column = others[0]
        else:
            raise SchemaError(
                f"{path.name}: cannot tell which column holds the values ({', '.join(others)}); "
                "name it with --value-column"
            )
    elif value_column not in columns:
        raise SchemaError(
            f"{path.name}: value column '{value_column}' not found; columns: {', '.join(columns)}"
        )
    keys = table[key].astype(str).str.strip()
    values = _numeric(table[value_column], path, value_column, table=True)
    _check_range(values, INDICATORS.get(indicator_id), path, True)
    known = set(kel["kode"].astype(str))
    if bool(keys.str.match(_CODE).all()):
        codes = keys.map(lambda k: to_dotted_code(k.strip()))
        unknown = ~codes.isin(known)
        if unknown.any():
            raise SchemaError(
                f"{path.name}: unknown kelurahan code at {_row_list(keys.index[unknown], keys)}",
                details={"rows": [int(r) for r in keys.index[unknown]]},
            )
    else:
        kec_col = next((lower[c] for c in ("kecamatan", "nama_kecamatan") if c in lower), None)
        if kec_col is not None and "nama_kecamatan" in kel.columns:
            result = match_names(
                keys.tolist(),
                kel,
                name_col="nama",
                code_col="kode",
                within=table[kec_col].tolist(),
                within_col="nama_kecamatan",
            )
        else:
            result = match_names(keys.tolist(), kel, name_col="nama", code_col="kode")
        codes = pd.Series(result.codes, index=keys.index, dtype=object)
        unknown = codes.isna()
        if unknown.any():
            raise SchemaError(
                f"{path.name}: kelurahan name not found or ambiguous at "
                f"{_row_list(keys.index[unknown], keys)}",
                details={"rows": [int(r) for r in keys.index[unknown]]},
            )
    duplicated = codes.duplicated(keep=False)
    if duplicated.any():
        raise SchemaError(
            f"{path.name}: the same kelurahan appears more than once at "
            f"{_row_list(keys.index[duplicated], keys)}"
        )
    per_code = pd.Series(values.to_numpy(), index=codes.to_numpy())
    return per_code, key, value_column


def _vector_values(
    path: Path, kel: gpd.GeoDataFrame, value_column: str | None, indicator_id: str
) -> tuple[pd.Series, str]:
    gdf, _ = read_vector(path, source=f"user layer {path.name}")
    columns = [c for c in gdf.columns if c != gdf.geometry.name]
    if value_column is None:
        if indicator_id in columns:
            value_column = indicator_id
        elif "value" in columns:
            value_column = "value"
        elif len(columns) == 1:
            value_column = columns[0]
        else:
            raise SchemaError(
                f"{path.name}: cannot tell which attribute holds the values "
                f"({', '.join(map(str, columns))}); name it with --value-column"
            )
    elif value_column not in columns:
        raise SchemaError(
            f"{path.name}: value column '{value_column}' not found; "
            f"attributes: {', '.join(map(str, columns))}"
        )
    values = _numeric(gdf[value_column], path, value_column, table=False)
    _check_range(values, INDICATORS.get(indicator_id), path, False)
    geoms = gdf.geometry.to_crs(METRIC_CRS).to_numpy()
    not_polygon = ~np.isin(shapely.get_type_id(geoms), [3, 6]) & ~shapely.is_empty(geoms)
    if not_polygon.any():
        raise SchemaError(
            f"{path.name}: polygons expected; not a polygon at "
            f"{_feature_list(gdf.index[not_polygon])}"
        )
    ok = values.notna().to_numpy() & ~shapely.is_empty(geoms)
    geoms, vals = geoms[ok], values.to_numpy()[ok]
    kel_geoms = kel.geometry.to_crs(METRIC_CRS).to_numpy()
    tree = shapely.STRtree(geoms)
    k_idx, p_idx = tree.query(kel_geoms, predicate="intersects")
    area = shapely.area(shapely.intersection(kel_geoms[k_idx], geoms[p_idx]))
    num = np.bincount(k_idx, weights=area * vals[p_idx], minlength=len(kel_geoms))
    den = np.bincount(k_idx, weights=area, minlength=len(kel_geoms))
    with np.errstate(invalid="ignore", divide="ignore"):
        result = np.where(den > 0, num / den, np.nan)
    if not (den > 0).any():
        raise DataError(f"{path.name}: no polygon overlaps any kelurahan")
    return pd.Series(result, index=kel["kode"].astype(str).to_numpy()), value_column


def _read_values(
    path: Path,
    kel: gpd.GeoDataFrame,
    key: str | None,
    value_column: str | None,
    indicator_id: str,
) -> tuple[pd.Series, str, str, str]:
    suffix = path.suffix.lower()
    if suffix in TABLE_SUFFIXES:
        values, key_used, value_used = _table_values(path, kel, key, value_column, indicator_id)
        return values, "table", key_used, value_used
    if suffix in VECTOR_SUFFIXES:
        values, value_used = _vector_values(path, kel, value_column, indicator_id)
        return values, "polygons", "geometry", value_used
    raise InvalidParameterError(
        f"{path.name}: unsupported file type '{suffix}'; use CSV, GeoJSON, GeoPackage or Shapefile"
    )


def add_user_layer(
    path: str | Path,
    indicator_id: str,
    settings: Settings,
    *,
    key: str | None = None,
    value_column: str | None = None,
    pillar: str | None = None,
    name_id: str | None = None,
    name_en: str | None = None,
    unit: str | None = None,
    direction: str | None = None,
    weight_column: str | None = None,
    kelurahan: gpd.GeoDataFrame | None = None,
) -> dict[str, Any]:
    """Check a planner's layer and register it as an indicator for the next build.

    Parameters
    ----------
    path : str or Path
        CSV keyed by kelurahan code or name, or a polygon layer (GeoJSON, GeoPackage,
        Shapefile).
    indicator_id : str
        A built-in slot (``sehat_clean_water_access``) or a new id ``<pillar>_<what>``.
    settings : Settings
        ``user_layers_path`` is updated; ``build_path`` provides the kelurahan when
        ``kelurahan`` is not given.
    key, value_column : str, optional
        Key and value columns (guessed when omitted; an error asks for them when ambiguous).
    pillar, name_id, name_en, unit, direction : str, optional
        For a new id (pillar defaults to the id's prefix, direction to
        ``higher_more_exposed``); a built-in slot keeps its own.
    weight_column : str, optional
        Weight of the kecamatan / kota mean: population (default), households or area_km2.
    kelurahan : GeoDataFrame, optional
        The kelurahan layer to match against (default: the build output's).

    Returns
    -------
    dict
        The registry entry written.

    Raises
    ------
    InvalidParameterError
        Bad id, pillar, direction or file type.
    SchemaError
        Unknown codes or names, non-numeric or out-of-range values (the rows are named).
    DataError
        The file is unreadable, or its CRS is missing or wrong (via :mod:`geo.ingest`).
    """
    path = Path(path).expanduser().resolve()
    _require_regular_file(path)
    if not _ID.fullmatch(indicator_id):
        raise InvalidParameterError(
            f"indicator id {shown(indicator_id)} must be lower-case letters, digits and '_' "
            "(e.g. sehat_clean_water_access)"
        )
    builtin = INDICATORS.get(indicator_id)
    if builtin is not None and indicator_id not in USER_SLOTS:
        raise InvalidParameterError(
            f"'{indicator_id}' is a built-in indicator computed by the build; load a layer "
            f"into a slot ({', '.join(USER_SLOTS)}) or under a new id"
        )
    if builtin is None:
        pillar = pillar or indicator_id.split("_", 1)[0]
        if pillar not in set(Pillar):
            raise InvalidParameterError(
                f"pillar '{pillar}' unknown; give one of {', '.join(Pillar)} "
                "(or start the id with it)"
            )
        direction = direction or Direction.higher_more_exposed
        if direction not in set(Direction):
            raise InvalidParameterError(
                f"direction '{direction}' unknown; use " + " or ".join(Direction)
            )
    else:
        pillar, direction = builtin.pillar, builtin.direction
    weight = weight_column or (builtin.weight_column if builtin else None) or "population"
    if weight not in AGGREGATION_WEIGHTS:
        raise InvalidParameterError(
            f"weight column '{weight}' unknown; use one of {', '.join(AGGREGATION_WEIGHTS)}"
        )
    kel = _kelurahan_reference(settings, kelurahan)
    values, kind, key_used, value_used = _read_values(path, kel, key, value_column, indicator_id)
    entry = {
        "path": str(path),
        "indicator_id": indicator_id,
        "pillar": str(pillar),
        "name_id": name_id or (builtin.name.id if builtin else indicator_id),
        "name_en": name_en or (builtin.name.en if builtin else indicator_id),
        "unit": unit or (builtin.unit if builtin else ""),
        "direction": str(direction),
        "kind": kind,
        "key": key_used,
        "value_column": value_used,
        "weight_column": weight,
        "sha256": sha256_of(path),
        "kelurahan_with_value": int(values.notna().sum()),
        "added_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    entries = [e for e in list_user_layers(settings) if e.get("indicator_id") != indicator_id]
    _write_registry(settings, [*entries, entry])
    return entry


def user_layer_values(entry: dict[str, Any], kelurahan: gpd.GeoDataFrame) -> pd.Series:
    """Read a registered layer again and return its value per kelurahan row.

    Parameters
    ----------
    entry : dict
        A registry entry from :func:`list_user_layers`.
    kelurahan : GeoDataFrame
        The kelurahan layer of the build.

    Returns
    -------
    Series of float aligned with ``kelurahan`` (null where the layer has no value).

    Raises
    ------
    ChecksumError
        The file changed since it was registered (register it again).
    DataError, SchemaError
        As :func:`add_user_layer`.
    """
    path = Path(entry["path"])
    if not path.exists():
        raise MissingFileError(
            f"planner layer for '{entry['indicator_id']}' not found at {path}; "
            f"remove it with `ketahanan layer remove {entry['indicator_id']}` or restore it"
        )
    _require_regular_file(path)
    if sha256_of(path) != entry["sha256"]:
        raise ChecksumError(
            f"planner layer {path.name} changed since it was registered for "
            f"'{entry['indicator_id']}'; register it again with `ketahanan layer add`"
        )
    key = entry["key"] if entry["kind"] == "table" else None
    values, _, _, _ = _read_values(
        path, kelurahan, key, entry["value_column"], entry["indicator_id"]
    )
    return pd.Series(
        kelurahan["kode"].astype(str).map(values).to_numpy(dtype=float), index=kelurahan.index
    )
