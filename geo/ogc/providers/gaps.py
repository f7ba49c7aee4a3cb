"""The provider of a pillar's coverage gaps: top-class kelurahan no active action touches.

The gaps are worked out per request from the build snapshot's kelurahan scores and the
actions store (:func:`geo.actions.coverage.coverage_gaps`), then served as a subset of the
kelurahan collection (its geometry and generalisation levels are shared), so they page,
filter, generalise and download like any other collection.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property

import numpy as np
import pandas as pd

from geo.actions.coverage import TOP_CLASSES, CoverageGaps, coverage_gaps
from geo.ogc.collection import Collection
from geo.ogc.documents import CollectionInfo
from geo.ogc.engine import queryables, run_query
from geo.ogc.prose import LayerProse, collection_prose
from geo.ogc.providers.base import Selection
from geo.ogc.providers.layers import selection
from geo.ogc.query import ItemsQuery, Queryables
from geo.vocabulary import Pillar, score_column

FIELDS = ("kode", "nama", "kode_kecamatan", "nama_kecamatan", "nama_kota")
"""Properties of a gap besides its ``score``."""

PREFIX = "coverage_gaps_"


def gaps_id(pillar: Pillar) -> str:
    """The collection id of a pillar's gaps, ``coverage_gaps_<pillar>``."""
    return f"{PREFIX}{pillar}"


class GapsProvider:
    """Serves the coverage gaps of one pillar (worked out again for every request)."""

    cacheable = False
    protected = True

    def __init__(
        self, kelurahan: Collection, pillar: Pillar, covered: Callable[[Pillar], set[str]]
    ) -> None:
        self.kelurahan = kelurahan
        self.pillar = pillar
        self.covered = covered
        self.id = gaps_id(pillar)
        self.download_name = self.id
        score = score_column(pillar)
        self.prose: LayerProse = collection_prose(
            "coverage_gaps", pillar=str(pillar), k=TOP_CLASSES, score=score
        )

    def _frame(self, positions: list[int]) -> pd.DataFrame:
        source = self.kelurahan.frame
        frame = source.iloc[positions][[f for f in FIELDS if f in source.columns]].copy()
        column = score_column(self.pillar)
        scores = source[column] if column in source.columns else pd.Series(float("nan"))
        score_values = pd.to_numeric(scores, errors="coerce").astype(float).to_numpy()
        frame["score"] = score_values[np.asarray(positions, dtype=np.int64)]
        return frame.reset_index(drop=True)

    @cached_property
    def _queryables(self) -> Queryables:
        none = np.zeros(0, dtype=np.int64)
        return queryables(self.kelurahan.subset(self.id, self.prose, none, self._frame([])))

    def queryables(self) -> Queryables:
        """The gap properties filter; no weights or classes."""
        return self._queryables

    def describe(self) -> CollectionInfo:
        """Title and description in both languages; no size (it changes with the actions)."""
        return CollectionInfo(
            id=self.id,
            title=self.prose.title,
            description=self.prose.description,
            queryables=self._queryables,
            geometry_type=self.kelurahan.geometry_type,
            bbox=self.kelurahan.bbox,
            feature_id="kode",
        )

    def _view(self) -> tuple[Collection, CoverageGaps]:
        covered = self.covered(self.pillar)
        gaps = coverage_gaps(self.kelurahan.frame, self.pillar, covered)
        view = self.kelurahan.subset(
            self.id, self.prose, gaps.positions, self._frame(gaps.positions.tolist())
        )
        return view, gaps

    def query(self, query: ItemsQuery) -> Selection:
        """The gaps, highest score first, with the ``classification`` member."""
        view, gaps = self._view()
        chosen = selection(view, query, run_query(view, query))
        chosen.members["classification"] = gaps.summary()
        return chosen

    def get(self, feature_id: str, query: ItemsQuery) -> Selection:
        """One gap by kelurahan code (404 when the kelurahan is not a gap)."""
        view, gaps = self._view()
        chosen = selection(view, query, run_query(view, query, feature_id=feature_id))
        chosen.members["classification"] = gaps.summary()
        return chosen
