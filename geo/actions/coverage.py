"""Coverage gaps: kelurahan in the highest class of a pillar's score with no active action.

"Highest class" is the top quintile: the kelurahan scores of a pillar (nulls left out) are
split into five classes by quantiles (:func:`geo.classify.classify`, mapclassify's Quantiles
with k=5) and the last class is kept. "No active action" means no action of that pillar with
a status in :data:`geo.vocabulary.ACTIVE_STATUSES` (planned, in progress) touches the
kelurahan (spatially or by code). The scores come from the build snapshot being served.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from geo.classify import classify
from geo.errors import InvalidParameterError, ServiceUnavailableError
from geo.params import shown
from geo.vocabulary import ClassMethod, Pillar, score_column

TOP_CLASSES = 5
"""Number of quantile classes; the gaps are in the highest one."""


@dataclass
class CoverageGaps:
    """The result of :func:`coverage_gaps`.

    Attributes
    ----------
    pillar : Pillar
        The pillar.
    positions : ndarray of int
        Rows of the kelurahan table in the top class with no active action of the pillar,
        highest score first.
    breaks : list of float
        Upper bounds of the quantile classes (the top class is above ``breaks[-2]``).
    top_class_count : int
        How many kelurahan are in the top class, covered or not.
    """

    pillar: Pillar
    positions: np.ndarray
    breaks: list[float]
    top_class_count: int

    def summary(self) -> dict[str, Any]:
        """JSON-ready facts about the classes."""
        return {
            "pillar": str(self.pillar),
            "method": str(ClassMethod.quantiles),
            "k": TOP_CLASSES,
            "breaks": self.breaks,
            "top_class_min_exclusive": self.breaks[-2] if len(self.breaks) > 1 else None,
            "top_class_count": self.top_class_count,
            "gap_count": len(self.positions),
        }


def parse_pillar(value: str) -> Pillar:
    """Return the pillar named by ``value`` (400 when unknown)."""
    try:
        return Pillar(value.strip().lower())
    except ValueError:
        names = ", ".join(Pillar)
        raise InvalidParameterError(
            f"unknown pillar {shown(value)}; use one of {names}",
            details=[{"field": "pilar", "message": names}],
        ) from None


def coverage_gaps(kelurahan: pd.DataFrame, pillar: Pillar | str, covered: set[str]) -> CoverageGaps:
    """Find the kelurahan of a pillar's top score class that no active action touches.

    Parameters
    ----------
    kelurahan : DataFrame
        The build's kelurahan with ``kode`` and ``score_<pillar>`` (0-1, null without data).
    pillar : Pillar or str
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
    chosen = parse_pillar(str(pillar))
    column = score_column(chosen)
    if column not in kelurahan.columns:
        raise ServiceUnavailableError(
            f"the build has no {column} yet; run `ketahanan build` with the indicators"
        )
    scores = pd.to_numeric(kelurahan[column], errors="coerce").astype(float).reset_index(drop=True)
    distinct = int(scores.dropna().nunique())
    if distinct < 2:  # nothing to rank: no class is higher than another
        return CoverageGaps(chosen, np.zeros(0, dtype=np.int64), [], 0)
    classes = classify(scores, ClassMethod.quantiles, k=min(TOP_CLASSES, distinct))
    bins = np.array([-1 if b is None else b for b in classes.bins])
    top = bins == (classes.k - 1)
    mask = top & ~kelurahan["kode"].astype(str).isin(sorted(covered)).to_numpy()
    positions = np.flatnonzero(mask)
    order = np.argsort(-scores.to_numpy()[positions], kind="stable")
    return CoverageGaps(chosen, positions[order], list(classes.breaks), int(top.sum()))
