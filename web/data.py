"""Small read-only lookups on the build output for the pages.

Layers themselves reach the browser through the OGC API items routes; the pages only need the
unit index (code, name, parent and a representative point of every kelurahan, kecamatan and
kota: for search, place names and the marker of an action given by unit codes), the indicator
values of one kelurahan and the data dictionary. Each is read once per build file (keyed by
its mtime).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyogrio
import shapely

from geo.settings import Settings

PILLARS = ("siap", "sehat", "terhubung")
LEVELS = ("kelurahan", "kecamatan", "kota")
SCORE_COLUMNS = {p: f"score_{p}" for p in PILLARS}


@dataclass(frozen=True)
class BuildTables:
    """The attribute tables the pages use."""

    kelurahan: pd.DataFrame
    dictionary: list[dict[str, Any]]
    places: tuple[tuple[str, str, float, float, str], ...] = ()
    """``(kode, nama, lon, lat, parent kode)`` of every kota, kecamatan and kelurahan."""

    def indicators(self, pillar: str | None = None) -> list[dict[str, Any]]:
        """Dictionary entries, optionally of one pillar."""
        return [d for d in self.dictionary if pillar is None or d.get("pillar") == pillar]

    def entry(self, column: str) -> dict[str, Any] | None:
        """The dictionary entry of an indicator column (None for a score or unknown column)."""
        return next((d for d in self.dictionary if d.get("id") == column), None)

    def search_index(self) -> list[list[str]]:
        """``[code, name, kecamatan]`` of every kelurahan, sorted by name."""
        frame = self.kelurahan.sort_values("nama")
        return [
            [str(r.kode), str(r.nama), str(r.nama_kecamatan)]
            for r in frame[["kode", "nama", "nama_kecamatan"]].itertuples()
        ]

    def codes(self) -> dict[str, set[str]]:
        """The unit codes of each level."""
        by_dots = {0: "kota", 1: "kota", 2: "kecamatan", 3: "kelurahan"}
        found: dict[str, set[str]] = {level: set() for level in LEVELS}
        for kode, *_ in self.places:
            found[by_dots[kode.count(".")]].add(kode)
        return found

    def name_of(self, column: str, lang: str) -> str:
        """An indicator's name in ``lang`` (the column itself when the dictionary lacks it)."""
        entry = self.entry(column)
        if entry is None:
            return column
        return str(entry.get("name_en") if lang == "en" else entry.get("name_id"))

    def ranks(self, column: str) -> pd.Series:
        """Rank of each kelurahan on a score (1 = most exposed; nulls get no rank)."""
        return self.kelurahan[column].rank(ascending=False, method="min")


def _decode(value: Any) -> Any:
    if isinstance(value, float) and np.isnan(value):
        return None
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    if isinstance(value, np.generic):
        return value.item()
    return value


@lru_cache(maxsize=4)
def _read(path: str, mtime: float) -> BuildTables:
    kel = pyogrio.read_dataframe(path, layer="kelurahan", read_geometry=False)
    layers = {str(name) for name, _ in pyogrio.list_layers(path)}
    dictionary: list[dict[str, Any]] = []
    if "data_dictionary" in layers:
        frame = pyogrio.read_dataframe(path, layer="data_dictionary", read_geometry=False)
        dictionary = [
            {k: _decode(v) for k, v in row.items()} for row in frame.to_dict(orient="records")
        ]
    return BuildTables(
        kelurahan=pd.DataFrame(kel), dictionary=dictionary, places=_places(path, layers)
    )


def _places(path: str, layers: set[str]) -> tuple[tuple[str, str, float, float, str], ...]:
    rows: list[tuple[str, str, float, float, str]] = []
    parents = {"kota": None, "kecamatan": "kode_kota", "kelurahan": "kode_kecamatan"}
    for level, parent in parents.items():
        if level not in layers:
            continue
        columns = ["kode", "nama", *([parent] if parent else [])]
        frame = pyogrio.read_dataframe(path, layer=level, columns=columns)
        points = shapely.point_on_surface(np.asarray(frame.geometry.array))
        xs, ys = shapely.get_x(points), shapely.get_y(points)
        for i, row in enumerate(frame.itertuples()):
            up = str(getattr(row, parent)) if parent else ""
            rows.append(
                (str(row.kode), str(row.nama), round(float(xs[i]), 5), round(float(ys[i]), 5), up)
            )
    return tuple(rows)


def build_tables(settings: Settings) -> BuildTables:
    """The page tables of the current build output.

    Raises
    ------
    FileNotFoundError
        When no build output exists yet.
    """
    path: Path = settings.build_path
    return _read(str(path), path.stat().st_mtime)
