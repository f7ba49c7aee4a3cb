"""Small read-only lookups on the served build for the pages (attributes only, no geometry).

Layers themselves reach the browser through the OGC API items routes; the pages only need the
kelurahan index (name and code, for search and the profile), the indicator values of one
kelurahan and the data dictionary, all taken from the build snapshot the API serves too
(:class:`geo.snapshot.BuildSnapshot`), so a page and the API never show different builds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from geo.snapshot import BuildSnapshot
from geo.vocabulary import Level
from web.impact import ImpactTables


@dataclass(frozen=True)
class BuildTables:
    """The attribute tables the pages use."""

    kelurahan: pd.DataFrame
    dictionary: list[dict[str, Any]]
    impact: ImpactTables | None = None
    """The impact analysis's layers (None for a build without one)."""

    @classmethod
    def of(cls, snapshot: BuildSnapshot) -> BuildTables:
        """The tables of a build snapshot (no copy: the snapshot's own frames)."""
        kelurahan = snapshot.get(Level.kelurahan).frame
        return cls(
            kelurahan=kelurahan,
            dictionary=list(snapshot.dictionary),
            impact=ImpactTables.of(snapshot),
        )

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

    def ranks(self, column: str) -> pd.Series:
        """Rank of each kelurahan on a score (1 = most exposed; nulls get no rank)."""
        return self.kelurahan[column].rank(ascending=False, method="min")
