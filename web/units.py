"""The admin units of the served build, as the profile, comparison and report pages read them.

One :class:`AdminUnits` wraps the build snapshot the API serves
(:class:`geo.snapshot.BuildSnapshot`): its kelurahan, kecamatan and kota collections
(attributes, full-resolution geometry), the data dictionary, and from the build report the date
the build finished and the sources it read. Nothing here reads the build file: the pages and the
API show the same build. Codes are the dotted Kemendagri codes: a kota ``31.71``, a kecamatan
``31.71.01``, a kelurahan ``31.71.01.1001``; the level of a unit follows from its code.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import shapely

from geo.snapshot import BuildSnapshot
from geo.vocabulary import Level, Pillar, score_column
from web.impact import ImpactTables

LEVELS = tuple(str(level) for level in Level)
"""The three levels, smallest first."""
PARTS = {"kota": 2, "kecamatan": 3, "kelurahan": 4}
"""How many dot-separated parts a code of each level has."""
CHILD = {"kota": "kecamatan", "kecamatan": "kelurahan"}
"""The level of the units inside a unit."""
PARENT_NAMES = {"kelurahan": ("nama_kecamatan", "nama_kota"), "kecamatan": ("nama_kota",)}
"""Columns naming a unit's parents."""
SCORE_PILLARS = tuple(str(p) for p in Pillar)
"""The pillars, in the vocabulary's order."""
__all__ = ["LEVELS", "SCORE_PILLARS", "AdminUnits", "level_of_code", "score_column"]


def level_of_code(kode: str) -> str | None:
    """The level a dotted code names (None for anything else)."""
    parts = kode.split(".")
    if not all(p.isascii() and p.isdigit() for p in parts):
        return None
    return next((level for level, n in PARTS.items() if n == len(parts)), None)


def _report_facts(report: Mapping[str, Any] | None) -> tuple[str | None, tuple[str, ...]]:
    """When the build finished and the sources it read (from its report)."""
    if not report:
        return None, ()
    finished = report.get("finished")
    sources = dict.fromkeys(str(r["source"]) for r in report.get("reads", []) if "source" in r)
    return (str(finished) if finished else None), tuple(sources)


@dataclass(frozen=True)
class AdminUnits:
    """The kelurahan, kecamatan and kota of one build.

    Attributes
    ----------
    frames : dict of level to DataFrame
        Attributes of each level (``kode``, ``nama``, indicators, scores), in feature order.
    geoms : dict of level to ndarray
        Full-resolution lon/lat geometry of each level, aligned with ``frames``.
    dictionary : list of dict
        The build's data dictionary (one entry per indicator).
    built : str or None
        When the build finished (ISO 8601), None when the report is absent.
    sources : tuple of str
        The catalogue ids of the sources the build read.
    impact : ImpactTables or None
        The build's impact analysis (None for a build without one).
    """

    frames: dict[str, pd.DataFrame]
    geoms: dict[str, np.ndarray]
    dictionary: list[dict[str, Any]]
    built: str | None
    sources: tuple[str, ...] = ()
    impact: ImpactTables | None = field(default=None, repr=False, compare=False)
    _trees: dict[str, shapely.STRtree] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def of(cls, build: BuildSnapshot) -> AdminUnits:
        """The admin units of the served build snapshot."""
        colls = {level: build.get(level) for level in LEVELS}
        built, sources = _report_facts(build.report)
        return cls(
            frames={level: c.frame for level, c in colls.items()},
            geoms={
                level: c.geometry if c.geometry is not None else np.array([], dtype=object)
                for level, c in colls.items()
            },
            dictionary=list(build.dictionary),
            built=built,
            sources=sources,
            impact=ImpactTables.of(build),
        )

    def position(self, level: str, kode: str) -> int | None:
        """Row of ``kode`` in ``frames[level]`` (None when there is no such unit)."""
        hits = np.flatnonzero(self.frames[level]["kode"].astype(str).to_numpy() == kode)
        return int(hits[0]) if len(hits) else None

    def row(self, level: str, kode: str) -> pd.Series | None:
        """The attributes of one unit, or None."""
        pos = self.position(level, kode)
        return None if pos is None else self.frames[level].iloc[pos]

    def ranks(self, level: str, column: str) -> pd.Series:
        """Rank of each unit of ``level`` on a score (1 = most exposed; nulls get none)."""
        frame = self.frames[level]
        if column not in frame:
            return pd.Series(np.nan, index=frame.index)
        return frame[column].rank(ascending=False, method="min")

    def peers(self, level: str, column: str) -> int:
        """How many units of ``level`` have a value of ``column`` (the rank's 'of n')."""
        frame = self.frames[level]
        return int(frame[column].notna().sum()) if column in frame else 0

    def children(self, level: str, kode: str) -> pd.DataFrame:
        """The units one level down inside ``kode`` (empty for a kelurahan)."""
        child = CHILD.get(level)
        if child is None:
            return self.frames["kelurahan"].iloc[0:0]
        frame = self.frames[child]
        return frame[frame["kode"].astype(str).str.startswith(f"{kode}.")]

    def neighbours(self, level: str, kode: str) -> list[int]:
        """Rows of the units of ``level`` whose polygon touches or overlaps ``kode``'s."""
        pos = self.position(level, kode)
        geoms = self.geoms[level]
        if pos is None or geoms[pos] is None:
            return []
        tree = self._trees.get(level)
        if tree is None:
            tree = shapely.STRtree(geoms)
            self._trees[level] = tree
        hits = tree.query(geoms[pos], predicate="intersects")
        return sorted(int(i) for i in hits if int(i) != pos)

    def median(self, level: str, column: str) -> float | None:
        """The median of ``column`` over the units of ``level`` with a value (None if none)."""
        frame = self.frames[level]
        if column not in frame:
            return None
        values = pd.to_numeric(frame[column], errors="coerce").dropna()
        return None if values.empty else float(values.median())


_latest: list[tuple[int, Any, AdminUnits]] = []
_latest_lock = threading.Lock()


def admin_units(build: BuildSnapshot) -> AdminUnits:
    """The :class:`AdminUnits` of a snapshot, made once per build (only the newest is kept)."""
    with _latest_lock:
        if _latest and _latest[0][1] is build:
            return _latest[0][2]
        units = AdminUnits.of(build)
        _latest[:] = [(id(build), build, units)]
        return units
