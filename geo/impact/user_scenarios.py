"""A planner's own flood depth grid as an impact scenario (``ketahanan layer add --scenario``).

The grid (GeoTIFF or ESRI ASCII with its .prj, depths in metres) is read and checked like the
HKV grids (:func:`geo.ingest.read_ascii_grid`: a CRS must be known, the grid must lie in the
Jakarta extent, swapped x/y is reported), its depths are checked to be plausible metres, and it
is registered in ``Settings.user_scenarios_path`` (a JSON list) with its sha256. The next build
reads every registered grid again (refusing one that changed) and computes it as a scenario
like the two shipped ones, compared with today (``dampak_<id>``, ``dampak_selisih_<id>``).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from geo.errors import (
    ChecksumError,
    DataError,
    InvalidParameterError,
    MissingFileError,
    NotFoundError,
)
from geo.impact.scenarios import BASE_SCENARIO, BUILTIN_SCENARIOS, Scenario
from geo.ingest import Grid, read_ascii_grid
from geo.params import shown
from geo.registry import read_entries, sha256_of, write_entries
from geo.tables import require_regular_file

GRID_SUFFIXES = (".tif", ".tiff", ".asc")
"""File types a planner's depth grid may have."""

MAX_DEPTH_M = 30.0
"""Deepest plausible flood depth in metres; a grid deeper than this is probably in cm."""

RESERVED_IDS = frozenset({"selisih", "ringkasan", "skenario", "kamus"})
"""Ids that would clash with the other impact layers' names (``dampak_<name>``)."""

_ID = re.compile(r"[a-z][a-z0-9_]{1,30}")


def list_user_scenarios(settings: Any) -> list[dict[str, Any]]:
    """The registered planner grids (empty when none is registered).

    Raises
    ------
    DataError
        The registry exists but is not a JSON list.
    """
    return read_entries(Path(settings.user_scenarios_path), "scenarios")


def _write(settings: Any, entries: list[dict[str, Any]]) -> None:
    write_entries(Path(settings.user_scenarios_path), entries)


def _check_id(scenario_id: str) -> None:
    builtin = {s.id for s in BUILTIN_SCENARIOS}
    if not _ID.fullmatch(scenario_id):
        raise InvalidParameterError(
            f"scenario id {shown(scenario_id)} must be 2-31 lower-case letters, digits and "
            "'_', starting with a letter (e.g. tanggul_2030)"
        )
    if scenario_id in builtin or scenario_id in RESERVED_IDS:
        taken = ", ".join(sorted(builtin | RESERVED_IDS))
        raise InvalidParameterError(
            f"scenario id '{scenario_id}' is taken ({taken} are); choose another"
        )


def read_depth_grid(path: Path, source: str) -> Grid:
    """Read a planner's depth grid and check it is a grid of flood depths in metres.

    Raises
    ------
    InvalidParameterError
        Not a .tif, .tiff or .asc file.
    DataError
        Unreadable; no CRS; outside Jakarta; no value at all; or deeper than
        :data:`MAX_DEPTH_M` (probably centimetres).
    """
    if path.suffix.lower() not in GRID_SUFFIXES:
        raise InvalidParameterError(
            f"{path.name}: a depth grid must be a GeoTIFF (.tif) or an ESRI ASCII grid (.asc "
            f"with its .prj); got {shown(path.suffix)}"
        )
    grid = read_ascii_grid(path, source=source)
    values = grid.array[np.isfinite(grid.array)]
    if values.size == 0:
        raise DataError(f"{path.name}: the grid holds no value (every cell is nodata)")
    deepest = float(values.max())
    if deepest > MAX_DEPTH_M:
        raise DataError(
            f"{path.name}: the deepest cell is {deepest:g}; depths must be in metres (at most "
            f"{MAX_DEPTH_M:g} m). Is the grid in centimetres? Divide it by 100 first."
        )
    return grid


def add_user_scenario(
    path: str | Path,
    scenario_id: str,
    settings: Any,
    *,
    name_id: str | None = None,
    name_en: str | None = None,
    hazard_date: str | None = None,
) -> dict[str, Any]:
    """Check a planner's depth grid and register it as a scenario for the next build.

    Parameters
    ----------
    path : str or Path
        A GeoTIFF or ESRI ASCII grid of flood depths in metres, with a CRS.
    scenario_id : str
        Its id (``dampak_<id>`` in the API, ``skenario=<id>`` on the map).
    settings : Settings
        ``user_scenarios_path`` is updated.
    name_id, name_en, hazard_date : str, optional
        Names and the date the grid describes (default: the id, and "not stated").

    Returns
    -------
    dict
        The registry entry written.
    """
    path = Path(path).expanduser().resolve()
    _check_id(scenario_id)
    require_regular_file(path, "depth grid", "a GeoTIFF or .asc grid")
    grid = read_depth_grid(path, f"scenario {scenario_id}")
    entry = {
        "scenario_id": scenario_id,
        "path": str(path),
        "name_id": name_id or scenario_id,
        "name_en": name_en or scenario_id,
        "hazard_date": hazard_date or "not stated",
        "crs": grid.crs.to_string(),
        "shape": list(np.shape(grid.array)),
        "deepest_m": round(float(np.nanmax(grid.array)), 3),
        "sha256": sha256_of(path),
        "added_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    kept = [e for e in list_user_scenarios(settings) if e.get("scenario_id") != scenario_id]
    _write(settings, [*kept, entry])
    return entry


def remove_user_scenario(settings: Any, scenario_id: str) -> dict[str, Any]:
    """Unregister a planner's scenario and return its entry (NotFoundError when unknown)."""
    entries = list_user_scenarios(settings)
    kept = [e for e in entries if e.get("scenario_id") != scenario_id]
    if len(kept) == len(entries):
        raise NotFoundError(f"no planner scenario is registered as '{scenario_id}'")
    _write(settings, kept)
    return next(e for e in entries if e.get("scenario_id") == scenario_id)


def scenario_of(entry: dict[str, Any]) -> Scenario:
    """The :class:`Scenario` of a registry entry (compared with today)."""
    return Scenario(
        id=entry["scenario_id"],
        name_id=entry["name_id"],
        name_en=entry["name_en"],
        kind="grid",
        source="planner",
        hazard=entry["path"],
        hazard_date=entry["hazard_date"],
        event_id=f"banjir menurut grid {entry['name_id']}",
        event_en=f"the flood of the grid {entry['name_en']}",
        caveats=(
            "A planner's depth grid, loaded with `ketahanan layer add --scenario`; its "
            "source and method are the planner's.",
            "Depths are read as metres.",
        ),
        compare_with=BASE_SCENARIO,
        user=True,
    )


def load_user_scenarios(settings: Any) -> list[tuple[Scenario, Grid]]:
    """Every registered planner scenario with its grid read again (for the build).

    Raises
    ------
    MissingFileError, ChecksumError
        A registered grid is gone or changed since it was registered (the message says how
        to register or remove it).
    """
    out = []
    for entry in list_user_scenarios(settings):
        path = Path(entry["path"])
        sid = entry["scenario_id"]
        if not path.is_file():
            raise MissingFileError(
                f"planner scenario '{sid}': grid not found at {path}; restore it or remove it "
                f"with `ketahanan layer remove {sid}`"
            )
        if sha256_of(path) != entry["sha256"]:
            raise ChecksumError(
                f"planner scenario '{sid}': {path.name} changed since it was registered; "
                "register it again with `ketahanan layer add --scenario`"
            )
        out.append((scenario_of(entry), read_depth_grid(path, f"scenario {sid}")))
    return out
