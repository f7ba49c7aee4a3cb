"""Coverage gaps: kelurahan in the highest class of a pillar's score with no active action.

"Highest class" is the top quintile: the kelurahan scores of a pillar (nulls left out) are
split into five classes by quantiles (:func:`geo.classify.classify`, mapclassify's Quantiles
with k=5) and the last class is kept. "No active action" means no action of that pillar with
status ``planned`` or ``in_progress`` touches the kelurahan (spatially or by code).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np

from geo.actions.model import Pillar
from geo.build import load_layer
from geo.classify import classify
from geo.errors import InvalidParameterError, ServiceUnavailableError
from geo.params import shown

TOP_CLASSES = 5
"""Number of quantile classes; the gaps are in the highest one."""


@dataclass
class CoverageGaps:
    """The result of :func:`coverage_gaps`.

    Attributes
    ----------
    pillar : str
        The pillar.
    gaps : GeoDataFrame
        The kelurahan in the top class with no active action of the pillar.
    breaks : list of float
        Upper bounds of the quantile classes (the top class is above ``breaks[-2]``).
    top_class_count : int
        How many kelurahan are in the top class, covered or not.
    """

    pillar: str
    gaps: gpd.GeoDataFrame
    breaks: list[float]
    top_class_count: int

    def summary(self) -> dict[str, Any]:
        """JSON-ready facts about the classes."""
        return {
            "pillar": self.pillar,
            "method": "quantiles",
            "k": TOP_CLASSES,
            "breaks": self.breaks,
            "top_class_min_exclusive": self.breaks[-2] if len(self.breaks) > 1 else None,
            "top_class_count": self.top_class_count,
            "gap_count": len(self.gaps),
        }


def parse_pillar(value: str) -> Pillar:
    """Return the pillar named by ``value`` (400 when unknown)."""
    try:
        return Pillar(value.strip().lower())
    except ValueError:
        raise InvalidParameterError(
            f"unknown pillar {shown(value)}; use siap, sehat or terhubung",
            details=[{"field": "pilar", "message": "siap, sehat or terhubung"}],
        ) from None


def coverage_gaps(
    kelurahan: gpd.GeoDataFrame, pillar: Pillar | str, covered: set[str]
) -> CoverageGaps:
    """Find the kelurahan of a pillar's top score class that no active action touches.

    Parameters
    ----------
    kelurahan : GeoDataFrame
        The build's kelurahan with ``kode`` and ``score_<pillar>`` (0-1, null without data).
    pillar : Pillar or str
        ``siap``, ``sehat`` or ``terhubung``.
    covered : set of str
        Kelurahan codes touched by a planned or in-progress action of the pillar.

    Returns
    -------
    CoverageGaps

    Raises
    ------
    ServiceUnavailableError
        When the build has no score column for the pillar yet.
    """
    pillar = parse_pillar(str(pillar))
    column = f"score_{pillar}"
    if column not in kelurahan.columns:
        raise ServiceUnavailableError(
            f"the build has no {column} yet; run `ketahanan build` with the indicators"
        )
    scores = kelurahan[column].astype(float)
    distinct = int(scores.dropna().nunique())
    if distinct < 2:  # nothing to rank: no class is higher than another
        return CoverageGaps(str(pillar), kelurahan.iloc[0:0], [], 0)
    classes = classify(scores, "quantiles", k=min(TOP_CLASSES, distinct))
    bins = np.array([-1 if b is None else b for b in classes.bins])
    top = bins == (classes.k - 1)
    gaps_mask = top & ~kelurahan["kode"].isin(sorted(covered)).to_numpy()
    gaps = kelurahan.loc[gaps_mask].sort_values(column, ascending=False)
    return CoverageGaps(str(pillar), gaps, list(classes.breaks), int(top.sum()))


_frames: dict[tuple[str, float], gpd.GeoDataFrame] = {}
_lock = threading.Lock()


def kelurahan_with_scores(build_path: Path) -> gpd.GeoDataFrame:
    """The build's kelurahan layer (read once per build file version).

    Parameters
    ----------
    build_path : Path
        The build GeoPackage.

    Returns
    -------
    GeoDataFrame
    """
    if not build_path.exists():
        raise ServiceUnavailableError(f"no build output at {build_path}: run `ketahanan build`")
    key = (str(build_path.resolve()), build_path.stat().st_mtime)
    with _lock:
        if key not in _frames:
            _frames.clear()
            frame = load_layer(build_path, "kelurahan")
            assert isinstance(frame, gpd.GeoDataFrame)
            _frames[key] = frame
        return _frames[key]
