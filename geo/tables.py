"""Readers of plain tables (CSV) and the report every reader fills in.

Kept apart from :mod:`geo.ingest` (vectors, rasters, GTFS) so that what only reads tables,
such as the strategy folder served by ``/strategi``, does not import rasterio and the
geometry readers: the serving path never loads the computation stack
(``tests/api/test_one_shape.py``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from geo.errors import DataError, MissingFileError, SchemaError

__all__ = ["ReadReport", "read_table", "require_columns"]


def _json_safe(value: Any) -> Any:
    """Turn numpy scalars, arrays, tuples and paths into plain JSON types."""
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | np.ndarray):
        return [_json_safe(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    if isinstance(value, Path):
        return str(value)
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def require_regular_file(path: Path, what: str, give: str) -> None:
    """Refuse at once a path that is missing, unreadable or not one regular file.

    Reading a named pipe or ``/dev/zero`` would block or never end, a folder fails deep inside
    the reader, and a name longer than the file system allows raises ``OSError`` even from
    ``Path.exists`` (Python 3.11).

    Parameters
    ----------
    path
        The file given by the planner.
    what
        What the file is, for the message (e.g. ``"user layer"``, ``"depth grid"``).
    give
        What to give instead, for the message (e.g. ``"a CSV, GeoJSON, GeoPackage or Shapefile"``).

    Raises
    ------
    MissingFileError
        No such file.
    DataError
        The path cannot be read, or is a folder, a pipe or a device.
    """
    try:
        exists, regular = path.exists(), path.is_file()
    except OSError as exc:
        raise DataError(
            f"{what}: cannot read the path {str(path)[:120]!r}: {exc.strerror}; give the path of "
            f"{give}"
        ) from exc
    if not exists:
        raise MissingFileError(f"{what} {path.name}: file not found: {path}")
    if not regular:
        raise DataError(
            f"{path} is not a regular file (a folder, a pipe or a device); give the path of {give}"
        )


@dataclass
class ReadReport:
    """What a reader did with one source: counts, rows set aside, repairs, warnings.

    Attributes
    ----------
    source : str
        The source id (as in the data catalogue).
    path : str
        The file read.
    rows_read : int
        Rows (features) in the file.
    rows_kept : int
        Rows returned after setting rows aside.
    repaired : int
        Invalid geometries fixed with ``shapely.make_valid``.
    set_aside : list[dict]
        One entry per row removed: ``{"reason", "row", "name", ...}``.
    unmatched : list[str]
        Names that did not match a unit code.
    warnings : list[str]
        Messages from the driver and the checks that did not stop the read.
    outside_dki : int
        Rows kept that reach beyond DKI Jakarta proper (``JAKARTA_EXTENT``), e.g.
        Bodetabek transit stops.
    findings : list[dict]
        Defects found by the source checks (:mod:`geo.source_checks`), each with its rows.
    """

    source: str
    path: str
    rows_read: int = 0
    rows_kept: int = 0
    repaired: int = 0
    set_aside: list[dict[str, Any]] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    outside_dki: int = 0
    findings: list[dict[str, Any]] = field(default_factory=list)

    def add_set_aside(self, reason: str, row: Any, name: Any = None, **extra: Any) -> None:
        """Record one row removed from the data, with the reason and its name if known.

        Parameters
        ----------
        reason : str
            Why the row was removed, e.g. "empty geometry".
        row : int
            The row's index label (its 0-based position in the file for files read here).
        name : str, optional
            A human name for the row (e.g. the kelurahan name).
        **extra
            More JSON-safe details (bounds, codes ...).
        """
        entry: dict[str, Any] = {
            "reason": reason,
            "row": _json_safe(row),
            "name": None
            if name is None or (isinstance(name, float) and name != name)
            else str(name),
        }
        entry.update({k: _json_safe(v) for k, v in extra.items()})
        self.set_aside.append(entry)

    def to_dict(self) -> dict[str, Any]:
        """Return the report as plain JSON-safe types."""
        result: dict[str, Any] = _json_safe(asdict(self))
        return result


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def _report_for(report: ReadReport | None, source: str, path: Path | str) -> ReadReport:
    return report if report is not None else ReadReport(source=source, path=str(path))


def _require_file(path: Path, source: str) -> None:
    if not path.exists():
        raise MissingFileError(
            f"{source}: file not found: {path}", details={"source": source, "path": str(path)}
        )


# --- vector layers ------------------------------------------------------------------------------


def read_table(
    path: str | Path,
    *,
    source: str,
    report: ReadReport | None = None,
    **read_csv_kwargs: Any,
) -> tuple[pd.DataFrame, ReadReport]:
    """Read a CSV table with :func:`pandas.read_csv`.

    Parameters
    ----------
    path : str or Path
        The CSV file.
    source : str
        The source id.
    report : ReadReport, optional
        A report to add to.
    **read_csv_kwargs
        Passed to :func:`pandas.read_csv` (e.g. ``dtype={"kode": str}``).

    Returns
    -------
    (DataFrame, ReadReport)

    Raises
    ------
    MissingFileError
        The file does not exist.
    DataError
        The file is empty or not a parseable CSV.
    """
    path = Path(path)
    _require_file(path, source)
    report = _report_for(report, source, path)
    try:
        df = pd.read_csv(path, **read_csv_kwargs)
    except (
        pd.errors.ParserError,
        pd.errors.EmptyDataError,
        UnicodeDecodeError,
        ValueError,
        OSError,  # a folder, or a file that cannot be opened
    ) as exc:
        raise DataError(
            f"{source}: cannot parse {path} as a CSV table (comma-separated with a header row "
            f"expected): {exc}",
            details={"source": source, "path": str(path)},
        ) from exc
    report.rows_read += len(df)
    report.rows_kept += len(df)
    return df, report


def require_columns(df: pd.DataFrame, columns: Iterable[str], *, path: str | Path) -> None:
    """Raise SchemaError when ``df`` lacks any of ``columns``.

    Parameters
    ----------
    df : DataFrame
        The table or layer.
    columns : iterable of str
        The columns the caller needs.
    path : str or Path
        The file, for the message.

    Raises
    ------
    SchemaError
        Naming the file, the missing columns and the columns found.
    """
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise SchemaError(
            f"{path}: missing column(s) {', '.join(missing)}; "
            f"found: {', '.join(map(str, df.columns))}",
            details={"path": str(path), "missing": missing},
        )
