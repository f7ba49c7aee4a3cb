"""Readers for the input files: read, check, repair, normalise the CRS, and report.

Every reader checks what it reads and says what it did in a :class:`ReadReport`:

- a file that is missing, unreadable or lacks a needed column raises a clear error naming it
  (:mod:`geo.errors`);
- a layer must have a known CRS and is reprojected to :data:`geo.crs.STORAGE_CRS`;
- coordinates must fall in :data:`geo.crs.CHECK_EXTENT`; swapped lat/lon and wrongly labelled
  projections are detected and raised, never silently fixed;
- empty geometries and rows beyond the extent are set aside and listed in the report;
- invalid geometries are repaired with ``shapely.make_valid`` and counted.

Row numbers in reports are the frame's index labels: :func:`read_vector` and
:func:`read_table` give a 0-based index in file order, and returned frames keep those labels
(so a set-aside row can be found in the source file).
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import rasterio
import shapely
from affine import Affine
from pyproj import CRS
from rasterio.coords import BoundingBox
from rasterio.warp import transform_bounds

from geo.crs import CHECK_EXTENT, JAKARTA_EXTENT, STORAGE_CRS, Extent
from geo.errors import (
    CRSError,
    DataError,
    ExtentError,
    SchemaError,
    SwappedCoordinatesError,
)
from geo.tables import (  # re-exported: the readers of tables live in the light module
    ReadReport,
    _report_for,
    _require_file,
    read_table,
    require_columns,
)

__all__ = [
    "GTFS_REQUIRED",
    "GTFSFeed",
    "Grid",
    "ReadReport",
    "check_geometries",
    "parse_gtfs_time",
    "parse_gtfs_times",
    "read_ascii_grid",
    "read_gtfs",
    "read_table",
    "read_vector",
    "require_columns",
    "set_aside_rows",
]


def read_vector(
    path: str | Path,
    *,
    source: str,
    layer: str | None = None,
    report: ReadReport | None = None,
    keep_outside: bool = False,
) -> tuple[gpd.GeoDataFrame, ReadReport]:
    """Read a vector layer (GeoJSON, shapefile, GeoPackage ...) with pyogrio and check it.

    Parameters
    ----------
    path : str or Path
        The file.
    source : str
        The source id used in messages and the report.
    layer : str, optional
        Layer name for multi-layer files (GeoPackage).
    report : ReadReport, optional
        A report to add to; a new one is made when omitted.
    keep_outside : bool, default False
        Keep rows beyond ``CHECK_EXTENT`` (they are still counted in ``outside_dki``).

    Returns
    -------
    (GeoDataFrame, ReadReport)
        The layer in ``STORAGE_CRS`` with a 0-based index in file order (labels of rows set
        aside are missing), and the report.

    Raises
    ------
    MissingFileError
        The file does not exist.
    DataError
        The file cannot be read as a vector layer.
    CRSError
        The layer has no CRS, or it cannot be transformed to ``STORAGE_CRS``.
    SwappedCoordinatesError, ExtentError
        See :func:`check_geometries`.
    """
    path = Path(path)
    _require_file(path, source)
    report = _report_for(report, source, path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            gdf = gpd.read_file(path, layer=layer, engine="pyogrio")
        except Exception as exc:
            raise DataError(
                f"{source}: cannot read {path} as a vector layer (expected a GeoJSON, "
                f"shapefile or GeoPackage with geometries): {exc}",
                details={"source": source, "path": str(path)},
            ) from exc
    report.warnings.extend(f"{path.name}: {w.message}" for w in caught)
    if not isinstance(gdf, gpd.GeoDataFrame) or gdf.geometry.name not in gdf.columns:
        raise DataError(f"{source}: {path} has no geometry column; a vector layer was expected")
    if gdf.crs is None:
        hint = (
            "add the .prj file beside the .shp"
            if path.suffix.lower() == ".shp"
            else "write the layer with its CRS"
        )
        raise CRSError(
            f"{source}: {path} has no coordinate reference system; {hint} "
            f"(or convert it to {STORAGE_CRS} lon/lat) and read it again",
            details={"source": source, "path": str(path)},
        )
    if not CRS.from_user_input(gdf.crs).equals(STORAGE_CRS, ignore_axis_order=True):
        original = gdf.crs.to_string()
        try:
            gdf = gdf.to_crs(STORAGE_CRS)
        except Exception as exc:
            raise CRSError(
                f"{source}: cannot transform {path} from {original} to {STORAGE_CRS}: {exc}"
            ) from exc
        report.warnings.append(f"{path.name}: reprojected from {original} to {STORAGE_CRS}")
    gdf = gdf.reset_index(drop=True)
    report.rows_read += len(gdf)
    report.rows_kept += len(gdf)
    gdf = _check(gdf, path=str(path), report=report, keep_outside=keep_outside)
    return gdf, report


def _outside(bounds: np.ndarray, extent: Extent) -> np.ndarray:
    """Rows whose bounding box lies entirely outside ``extent`` (no overlap)."""
    return (
        (bounds[:, 2] < extent.minx)
        | (bounds[:, 0] > extent.maxx)
        | (bounds[:, 3] < extent.miny)
        | (bounds[:, 1] > extent.maxy)
    )


def _fmt_bounds(b: Sequence[float]) -> str:
    return "(" + ", ".join(f"{v:.4f}" for v in b) + ")"


def _check_swapped(total: Sequence[float], path: str, what: str = "layer") -> None:
    minx, miny, maxx, maxy = total
    if CHECK_EXTENT.contains(minx, miny, maxx, maxy):
        return
    if CHECK_EXTENT.contains(miny, minx, maxy, maxx):
        raise SwappedCoordinatesError(
            f"{path}: coordinates look like lat/lon in the wrong order: the {what} bounds "
            f"{_fmt_bounds(total)} fall in the Jakarta extent {_fmt_bounds(CHECK_EXTENT)} only "
            "with x and y swapped. Write the file with longitude first (x) and latitude second "
            "(y); the build does not swap them for you.",
            details={"path": path, "bounds": list(map(float, total))},
        )


def _name_of(gdf: pd.DataFrame, name_column: str | None) -> list[Any]:
    if name_column is not None and name_column in gdf.columns:
        return list(gdf[name_column])
    return [None] * len(gdf)


def _record(
    report: ReadReport, rows: pd.DataFrame, reason: str, name_column: str | None, **per_row: Any
) -> None:
    names = _name_of(rows, name_column)
    for i, (label, name) in enumerate(zip(rows.index, names, strict=True)):
        extra = {k: v[i] for k, v in per_row.items()}
        report.add_set_aside(reason, label, name, **extra)


def _guess_name_column(gdf: pd.DataFrame) -> str | None:
    """A text column that names the rows, for reports (kelurahan names first)."""
    text_cols = [
        str(c)
        for c in gdf.columns
        if c != gdf.geometry.name and not pd.api.types.is_numeric_dtype(gdf[c])
    ]
    for pattern in (r"kel", r"desa", r"^(nama|name)$", r"nama|name"):
        for col in text_cols:
            if re.search(pattern, col, re.IGNORECASE):
                return col
    return None


def check_geometries(
    gdf: gpd.GeoDataFrame,
    *,
    path: str | Path,
    report: ReadReport,
    keep_outside: bool = False,
) -> gpd.GeoDataFrame:
    """Check and repair the geometries of a lon/lat layer.

    In order: (a) empty or missing geometries are set aside; (b) swapped lat/lon raises;
    (c) a layer whose rows mostly (>50%) lie outside ``CHECK_EXTENT`` raises (a wrong CRS
    label, e.g. UTM metres marked as degrees); (d) rows entirely outside ``CHECK_EXTENT`` are
    set aside (unless ``keep_outside``) and kept rows reaching beyond ``JAKARTA_EXTENT`` are
    counted in ``report.outside_dki``; (e) invalid geometries are repaired with
    ``shapely.make_valid`` (polygon layers keep only the polygonal parts, line layers the
    lineal parts) and counted in ``report.repaired``.

    Parameters
    ----------
    gdf : GeoDataFrame
        The layer, already in ``STORAGE_CRS`` (lon/lat degrees).
    path : str or Path
        The file it came from, for messages.
    report : ReadReport
        The report to add to. Where ``rows_read`` or ``rows_kept`` is still 0, it starts from
        ``len(gdf)`` (a frame built in memory).
    keep_outside : bool, default False
        Keep rows beyond ``CHECK_EXTENT``.

    Returns
    -------
    GeoDataFrame
        The rows kept, with repaired geometries and the original index labels.

    Raises
    ------
    SwappedCoordinatesError
        The layer's bounds fit the Jakarta extent only with x and y swapped.
    ExtentError
        More than half of the rows lie outside ``CHECK_EXTENT``.
    """
    return _check(gdf, path=str(path), report=report, keep_outside=keep_outside, fresh=True)


def _check(
    gdf: gpd.GeoDataFrame,
    *,
    path: str,
    report: ReadReport,
    keep_outside: bool,
    fresh: bool = False,
) -> gpd.GeoDataFrame:
    if fresh:  # a frame built in memory: count its rows unless the caller already did
        if report.rows_read == 0:
            report.rows_read = len(gdf)
        if report.rows_kept == 0:
            report.rows_kept = len(gdf)
    name_column = _guess_name_column(gdf)

    geoms = np.asarray(gdf.geometry.array, dtype=object)
    empty = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    if empty.any():
        gdf = set_aside_rows(
            gdf, empty, reason="empty geometry", report=report, name_column=name_column
        )
        geoms = geoms[~empty]
    if len(gdf) == 0:
        if fresh or report.rows_read:
            report.warnings.append(f"{Path(path).name}: no rows with a geometry")
        return gdf

    bounds = shapely.bounds(geoms)
    total = (
        float(bounds[:, 0].min()),
        float(bounds[:, 1].min()),
        float(bounds[:, 2].max()),
        float(bounds[:, 3].max()),
    )
    _check_swapped(total, path)

    outside = _outside(bounds, CHECK_EXTENT)
    n_out = int(outside.sum())
    if n_out * 2 > len(gdf):
        raise ExtentError(
            f"{path}: {n_out} of {len(gdf)} features lie outside the Jakarta extent: the layer "
            f"bounds are {_fmt_bounds(total)}, expected lon/lat within "
            f"{_fmt_bounds(CHECK_EXTENT)}. Is the CRS right? (a layer in metres labelled as "
            "degrees looks like this)",
            details={
                "path": path,
                "bounds": list(total),
                "expected": list(CHECK_EXTENT),
                "outside": n_out,
                "rows": len(gdf),
            },
        )
    if n_out and not keep_outside:
        out_rows = gdf[outside]
        _record(
            report,
            out_rows,
            "outside Jakarta extent",
            name_column,
            bounds=[list(map(float, b)) for b in bounds[outside]],
        )
        report.rows_kept -= n_out
        gdf = gdf[~outside]
        geoms = geoms[~outside]
        bounds = bounds[~outside]
    inside_dki = (
        (bounds[:, 0] >= JAKARTA_EXTENT.minx)
        & (bounds[:, 1] >= JAKARTA_EXTENT.miny)
        & (bounds[:, 2] <= JAKARTA_EXTENT.maxx)
        & (bounds[:, 3] <= JAKARTA_EXTENT.maxy)
    )
    report.outside_dki += int((~inside_dki).sum())

    invalid = ~shapely.is_valid(geoms)
    if invalid.any():
        fixed = _repair(geoms, invalid)
        lost = shapely.is_missing(fixed)
        geoms = geoms.copy()
        geoms[invalid] = fixed
        report.repaired += int(invalid.sum()) - int(lost.sum())
        gdf = gdf.copy()
        gdf[gdf.geometry.name] = gpd.GeoSeries(geoms, index=gdf.index, crs=gdf.crs)
        if lost.any():
            lost_mask = np.zeros(len(gdf), dtype=bool)
            lost_mask[np.flatnonzero(invalid)[lost]] = True
            gdf = set_aside_rows(
                gdf,
                lost_mask,
                reason="invalid geometry with nothing of the layer's type left after repair",
                report=report,
                name_column=name_column,
            )
    return gdf


def _repair(geoms: np.ndarray, invalid: np.ndarray) -> np.ndarray:
    """Repair ``geoms[invalid]`` with make_valid, keeping only parts of the layer's dimension.

    Returns one geometry per invalid input; None where nothing of that dimension is left.
    """
    repaired = shapely.make_valid(geoms[invalid])
    dims = shapely.get_dimensions(geoms[~shapely.is_empty(geoms)])
    if len(dims) == 0 or dims.min() != dims.max() or dims[0] == 0:
        return repaired  # mixed or point layers: keep the make_valid result as it is
    dim = int(dims[0])
    # flatten collections two levels (GeometryCollection -> Multi* -> single parts)
    parts1, idx1 = shapely.get_parts(repaired, return_index=True)
    parts2, idx2 = shapely.get_parts(parts1, return_index=True)
    owner = idx1[idx2]
    keep = shapely.get_dimensions(parts2) == dim
    parts, owner = parts2[keep], owner[keep]
    n = len(repaired)
    counts = np.bincount(owner, minlength=n)
    out = np.empty(n, dtype=object)
    if len(parts):
        build = shapely.multipolygons if dim == 2 else shapely.multilinestrings
        build(parts, indices=owner, out=out)
    single = counts == 1
    out[single] = parts[np.searchsorted(owner, np.flatnonzero(single))]
    out[counts == 0] = None
    return out


def set_aside_rows(
    gdf: pd.DataFrame,
    mask: Any,
    *,
    reason: str,
    report: ReadReport,
    name_column: str | None = None,
) -> Any:
    """Remove rows (e.g. pseudo-units such as lake polygons) and record each in the report.

    Parameters
    ----------
    gdf : DataFrame or GeoDataFrame
        The rows.
    mask : array-like of bool
        True for the rows to remove (a boolean Series is aligned on the index).
    reason : str
        Why, e.g. "lake pseudo-row (KODE_DESA 31888888)".
    report : ReadReport
        Receives one ``set_aside`` entry per row; ``rows_kept`` goes down by their number.
    name_column : str, optional
        Column whose value names each row in the report.

    Returns
    -------
    DataFrame or GeoDataFrame
        The remaining rows (same type as ``gdf``, index labels kept).
    """
    if isinstance(mask, pd.Series):
        flags = mask.reindex(gdf.index).fillna(False).astype(bool).to_numpy()
    else:
        flags = np.asarray(mask, dtype=bool)
    if len(flags) != len(gdf):
        raise DataError(f"set_aside_rows: mask has {len(flags)} values for {len(gdf)} rows")
    if flags.any():
        _record(report, gdf[flags], reason, name_column)
        report.rows_kept -= int(flags.sum())
    return gdf[~flags]


# --- tables -------------------------------------------------------------------------------------


# --- GTFS ---------------------------------------------------------------------------------------

GTFS_REQUIRED = ("stops", "routes", "trips", "stop_times")
"""GTFS tables a feed must have; the others are optional."""

_GTFS_NUMERIC = {
    "stops": ("stop_lat", "stop_lon", "location_type", "wheelchair_boarding"),
    "routes": ("route_type",),
    "trips": ("direction_id",),
    "stop_times": ("stop_sequence", "pickup_type", "drop_off_type", "shape_dist_traveled"),
    "calendar": (
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ),
    "frequencies": ("headway_secs", "exact_times"),
    "shapes": ("shape_pt_lat", "shape_pt_lon", "shape_pt_sequence", "shape_dist_traveled"),
}


@dataclass
class GTFSFeed:
    """A GTFS feed as DataFrames: ids and times are strings, known numeric fields numbers.

    Attributes
    ----------
    source : str
        The source id.
    path : str
        The folder or zip read.
    tables : dict[str, DataFrame]
        Table name (file name without ``.txt``) to table; optional tables may be absent.
    report : ReadReport
        Rows read per feed, and warnings (e.g. missing optional tables).
    """

    source: str
    path: str
    tables: dict[str, pd.DataFrame]
    report: ReadReport

    def __getitem__(self, name: str) -> pd.DataFrame:
        """The table ``name``; SchemaError naming the feed when it is absent."""
        if name not in self.tables:
            raise SchemaError(f"{self.path}: GTFS table {name}.txt is not in the feed")
        return self.tables[name]

    def __contains__(self, name: object) -> bool:
        """True when the feed has the table."""
        return name in self.tables

    def stops_gdf(self, report: ReadReport | None = None) -> gpd.GeoDataFrame:
        """The stops as points in ``STORAGE_CRS``, checked with ``keep_outside=True``.

        Stops in Bodetabek are kept and counted in ``report.outside_dki``; stops without
        coordinates are set aside.

        Parameters
        ----------
        report : ReadReport, optional
            The report to add to; a new one for ``<path>/stops.txt`` when omitted.

        Returns
        -------
        GeoDataFrame
            The stops table with a point geometry.
        """
        stops = self["stops"]
        require_columns(stops, ("stop_id", "stop_lat", "stop_lon"), path=f"{self.path}/stops.txt")
        if report is None:
            report = ReadReport(source=self.source, path=f"{self.path}/stops.txt")
        lon = stops["stop_lon"].to_numpy(dtype=float)
        lat = stops["stop_lat"].to_numpy(dtype=float)
        points = np.asarray(shapely.points(lon, lat), dtype=object)
        points[np.isnan(lon) | np.isnan(lat)] = None
        gdf = gpd.GeoDataFrame(stops.copy(), geometry=points, crs=STORAGE_CRS)
        return check_geometries(
            gdf, path=f"{self.path}/stops.txt", report=report, keep_outside=True
        )


def _read_gtfs_csv(handle: Any, table: str, where: str) -> pd.DataFrame:
    try:
        df = pd.read_csv(
            handle,
            dtype=str,
            keep_default_na=False,
            na_values=[""],
            encoding="utf-8-sig",
            skipinitialspace=True,
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise DataError(f"{where}: cannot parse GTFS table {table}.txt as CSV: {exc}") from exc
    df.columns = [str(c).strip() for c in df.columns]
    for col in _GTFS_NUMERIC.get(table, ()):
        if col in df.columns:
            values = pd.to_numeric(df[col], errors="coerce")
            bad = values.isna() & df[col].notna()
            if bad.any():
                raise SchemaError(
                    f"{where}: {table}.txt column {col} has values that are not numbers, "
                    f"e.g. {df.loc[bad, col].iloc[0]!r} (row {int(np.flatnonzero(bad)[0]) + 2})"
                )
            df[col] = values
    return df


def read_gtfs(
    path: str | Path,
    *,
    source: str,
    tables: Sequence[str] = ("stops", "routes", "trips", "stop_times", "calendar", "frequencies"),
) -> GTFSFeed:
    """Read a GTFS feed from a folder or a .zip (members may sit in a subfolder).

    Parameters
    ----------
    path : str or Path
        The feed folder or zip file.
    source : str
        The source id.
    tables : sequence of str
        Tables to read (names without ``.txt``). Missing optional tables are noted in the
        report; missing ``stops``, ``routes``, ``trips`` or ``stop_times`` raise.

    Returns
    -------
    GTFSFeed

    Raises
    ------
    MissingFileError
        The folder or zip does not exist.
    DataError
        The zip is corrupt or a table is not a parseable CSV.
    SchemaError
        A required table is missing, or a numeric field does not parse.
    """
    path = Path(path)
    _require_file(path, source)
    report = ReadReport(source=source, path=str(path))
    found: dict[str, pd.DataFrame] = {}
    if path.is_dir():
        for table in tables:
            candidates = sorted(path.rglob(f"{table}.txt"), key=lambda p: len(p.parts))
            if candidates:
                found[table] = _read_gtfs_csv(candidates[0], table, str(path))
    else:
        try:
            with zipfile.ZipFile(path) as zf:
                members = [m for m in zf.namelist() if not m.endswith("/")]
                for table in tables:
                    in_zip = sorted(
                        (m for m in members if m.rsplit("/", 1)[-1] == f"{table}.txt"),
                        key=lambda m: m.count("/"),
                    )
                    if in_zip:
                        with zf.open(in_zip[0]) as raw:
                            found[table] = _read_gtfs_csv(io.BytesIO(raw.read()), table, str(path))
        except zipfile.BadZipFile as exc:
            raise DataError(
                f"{source}: {path} is not a readable zip file (a GTFS folder or .zip expected): "
                f"{exc}"
            ) from exc
    missing_required = [t for t in GTFS_REQUIRED if t in tables and t not in found]
    if missing_required:
        raise SchemaError(
            f"{source}: GTFS feed {path} lacks required table(s) "
            f"{', '.join(t + '.txt' for t in missing_required)}",
            details={"path": str(path), "missing": missing_required},
        )
    for table in tables:
        if table not in found:
            report.warnings.append(f"{path.name}: optional GTFS table {table}.txt not in feed")
    report.rows_read = report.rows_kept = int(sum(len(df) for df in found.values()))
    return GTFSFeed(source=source, path=str(path), tables=found, report=report)


_GTFS_TIME = re.compile(r"^\s*(\d+):([0-5]\d):([0-5]\d)\s*$")


def parse_gtfs_time(value: str) -> int:
    """Seconds after midnight of a GTFS time; hours may exceed 24 ("25:10:00" -> 90600).

    Parameters
    ----------
    value : str
        "H:MM:SS" or "HH:MM:SS".

    Returns
    -------
    int
        Seconds since the start of the service day.

    Raises
    ------
    SchemaError
        When the value is not a GTFS time.
    """
    found = _GTFS_TIME.match(str(value))
    if found is None:
        raise SchemaError(f"not a GTFS time (HH:MM:SS expected, hours may exceed 24): {value!r}")
    h, m, s = (int(x) for x in found.groups())
    return h * 3600 + m * 60 + s


def parse_gtfs_times(values: pd.Series) -> pd.Series:
    """Vectorised :func:`parse_gtfs_time`: seconds as floats, NaN where blank.

    Parameters
    ----------
    values : Series of str
        GTFS times (e.g. ``stop_times.arrival_time``).

    Returns
    -------
    Series of float

    Raises
    ------
    SchemaError
        When a non-blank value is not a GTFS time.
    """
    parts = values.astype("string").str.extract(_GTFS_TIME)
    bad = parts[0].isna() & values.notna() & values.astype("string").str.strip().ne("")
    if bad.any():
        raise SchemaError(
            f"not a GTFS time (HH:MM:SS expected): {values[bad].iloc[0]!r} "
            f"({int(bad.sum())} such values)"
        )
    nums = parts.astype(float)
    return nums[0] * 3600 + nums[1] * 60 + nums[2]


# --- grids --------------------------------------------------------------------------------------


@dataclass
class Grid:
    """A single-band raster read into memory.

    Attributes
    ----------
    array : numpy.ndarray
        Values as float64, nodata cells as NaN; row 0 is the northern edge.
    transform : affine.Affine
        Pixel to CRS coordinates.
    crs : pyproj.CRS
        The grid's CRS (from its .prj).
    bounds : rasterio.coords.BoundingBox
        (left, bottom, right, top) in the grid's CRS.
    path : str
        The file read.
    dtype : str
        The data type the file stores its values in (``float32`` for ESRI ASCII grids read by
        GDAL). A value compared with a threshold is compared at this precision, so a depth
        written as ``0.1`` in the file equals a threshold of 0.1.
    """

    array: np.ndarray
    transform: Affine
    crs: CRS
    bounds: BoundingBox
    path: str
    dtype: str = "float64"


def read_ascii_grid(path: str | Path, *, source: str) -> Grid:
    """Read an ESRI ASCII grid (.asc with its .prj) with rasterio and check its extent.

    Parameters
    ----------
    path : str or Path
        The .asc file; its CRS comes from the .prj of the same name.
    source : str
        The source id.

    Returns
    -------
    Grid

    Raises
    ------
    MissingFileError
        The file does not exist.
    DataError
        The file cannot be read as a raster.
    CRSError
        The grid has no CRS (no .prj).
    SwappedCoordinatesError
        The bounds fit the Jakarta extent only with x and y swapped.
    ExtentError
        More than half of the grid lies outside ``CHECK_EXTENT``.
    """
    path = Path(path)
    _require_file(path, source)
    try:
        with rasterio.open(path) as src:
            if src.crs is None:
                raise CRSError(
                    f"{source}: {path} has no coordinate reference system; put the .prj file "
                    f"({path.with_suffix('.prj').name}) beside it and read it again",
                    details={"source": source, "path": str(path)},
                )
            dtype = str(src.dtypes[0])
            array = src.read(1, masked=True).astype("float64").filled(np.nan)
            transform = src.transform
            src_crs = src.crs
            crs = CRS.from_user_input(src_crs.to_wkt())
            bounds = src.bounds
    except CRSError:
        raise
    except Exception as exc:
        raise DataError(
            f"{source}: cannot read {path} as a raster grid (ESRI ASCII grid or GeoTIFF "
            f"expected): {exc}",
            details={"source": source, "path": str(path)},
        ) from exc
    lonlat = tuple(bounds)
    if not crs.equals(STORAGE_CRS, ignore_axis_order=True):
        try:
            lonlat = transform_bounds(src_crs, STORAGE_CRS, *bounds)
        except Exception as exc:
            raise CRSError(f"{source}: cannot transform {path} bounds to {STORAGE_CRS}") from exc
    _check_swapped(lonlat, str(path), what="grid")
    _check_grid_extent(lonlat, str(path))
    return Grid(
        array=array, transform=transform, crs=crs, bounds=bounds, path=str(path), dtype=dtype
    )


def _check_grid_extent(b: Sequence[float], path: str) -> None:
    minx, miny, maxx, maxy = b
    area = max(maxx - minx, 0.0) * max(maxy - miny, 0.0)
    ix = max(0.0, min(maxx, CHECK_EXTENT.maxx) - max(minx, CHECK_EXTENT.minx))
    iy = max(0.0, min(maxy, CHECK_EXTENT.maxy) - max(miny, CHECK_EXTENT.miny))
    inside = ix * iy
    if (area > 0 and inside * 2 < area) or (area == 0 and inside == 0):
        raise ExtentError(
            f"{path}: the grid lies mostly outside the Jakarta extent: its bounds are "
            f"{_fmt_bounds(b)}, expected lon/lat within {_fmt_bounds(CHECK_EXTENT)}. "
            "Is the CRS in the .prj right?",
            details={"path": path, "bounds": list(map(float, b)), "expected": list(CHECK_EXTENT)},
        )
