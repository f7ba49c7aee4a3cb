"""Small read-only lookups on the served build for the pages (attributes, and one point per unit).

Layers themselves reach the browser through the OGC API items routes; the pages only need the
unit index (code, name, parent and a representative point of every kelurahan, kecamatan and
kota: for search, place names and the marker of an action given by unit codes), the indicator
values of one kelurahan and the data dictionary, all taken from the build snapshot the API
serves too (:class:`geo.snapshot.BuildSnapshot`), so a page and the API never show different
builds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import shapely

from geo.snapshot import BuildSnapshot
from geo.vocabulary import Level, Text
from web.impact import ImpactTables

Place = tuple[str, str, float, float, str]
"""``(kode, nama, lon, lat, parent kode)`` of a unit."""

PARENT_COLUMN = {Level.kota: None, Level.kecamatan: "kode_kota", Level.kelurahan: "kode_kecamatan"}
"""The column naming a unit's parent, by level (kota have none)."""


@dataclass(frozen=True)
class BuildTables:
    """The attribute tables the pages use."""

    kelurahan: pd.DataFrame
    dictionary: list[dict[str, Any]]
    places: tuple[Place, ...] = ()
    """Every kota, kecamatan and kelurahan (in that order)."""
    impact: ImpactTables | None = None
    """The impact analysis's layers (None for a build without one)."""

    @classmethod
    def of(cls, snapshot: BuildSnapshot) -> BuildTables:
        """The tables of a build snapshot (no copy: the snapshot's own frames)."""
        kelurahan = snapshot.get(Level.kelurahan).frame
        return cls(
            kelurahan=kelurahan,
            dictionary=list(snapshot.dictionary),
            places=_places(snapshot),
            impact=ImpactTables.of(snapshot),
        )

    def indicators(self, pillar: str | None = None) -> list[dict[str, Any]]:
        """Dictionary entries, optionally of one pillar."""
        return [d for d in self.dictionary if pillar is None or d.get("pillar") == pillar]

    def entry(self, column: str) -> dict[str, Any] | None:
        """The dictionary entry of an indicator column (None for a score or unknown column)."""
        return next((d for d in self.dictionary if d.get("id") == column), None)

    def name_of(self, column: str, lang: str) -> str:
        """An indicator's name in ``lang`` (the column itself when the dictionary lacks it)."""
        entry = self.entry(column)
        return column if entry is None else str(Text.pick(entry, "name", lang) or column)

    def codes(self) -> dict[str, set[str]]:
        """The unit codes of each level (by the parts of the code: 2 kota, 3 kecamatan, 4
        kelurahan)."""
        by_parts = {2: Level.kota, 3: Level.kecamatan, 4: Level.kelurahan}
        found: dict[str, set[str]] = {str(level): set() for level in Level}
        for kode, *_ in self.places:
            level = by_parts.get(len(kode.split(".")))
            if level is not None:
                found[str(level)].add(kode)
        return found

    def search_index(self) -> list[list[str]]:
        """``[code, name, kecamatan]`` of every kelurahan, sorted by name."""
        frame = self.kelurahan.sort_values("nama")
        return [
            [str(r.kode), str(r.nama), str(r.nama_kecamatan)]
            for r in frame[["kode", "nama", "nama_kecamatan"]].itertuples()
        ]

    def ranks(self, column: str) -> pd.Series:
        """Rank of each kelurahan on a score (1 = most exposed; nulls get no rank)."""
        return self.kelurahan[column].rank(ascending=False, method="min")


_PLACES: dict[str, tuple[Place, ...]] = {}
"""The places of the builds seen lately, by build key (a handful: builds are few)."""
_KEEP = 4


def _places(snapshot: BuildSnapshot) -> tuple[Place, ...]:
    """The places of one build (computed once per build)."""
    found = _PLACES.get(snapshot.key)
    if found is None:
        found = _places_of(snapshot)
        while len(_PLACES) >= _KEEP:
            _PLACES.pop(next(iter(_PLACES)))
        _PLACES[snapshot.key] = found
    return found


def _places_of(snapshot: BuildSnapshot) -> tuple[Place, ...]:
    rows: list[Place] = []
    for level in (Level.kota, Level.kecamatan, Level.kelurahan):
        collection = snapshot.collections.get(level)
        if collection is None or collection.geometry is None:
            continue
        frame = collection.frame
        parent = PARENT_COLUMN[level]
        points = shapely.point_on_surface(np.asarray(collection.geometry))
        xs, ys = shapely.get_x(points), shapely.get_y(points)
        for i, (kode, nama) in enumerate(zip(frame["kode"], frame["nama"], strict=True)):
            up = str(frame[parent].iloc[i]) if parent else ""
            rows.append((str(kode), str(nama), round(float(xs[i]), 5), round(float(ys[i]), 5), up))
    return tuple(rows)
