"""How well the Siap indicators built without 2017 data foresee the February 2017 flood.

The 2007 flood extent and the HKV depth grid (about 2012) are older than the flood of
February 2017, whose RW observations (``flood_2017_rw_max``) are independent of them. For each
such indicator, and for a Siap score made only of them, this module measures the agreement:

* ``spearman``: Spearman rank correlation, over the mainland kelurahan with both values,
  between the indicator and ``siap_rw_flooded_2017_share`` (share of RWs flooded in 2017).
* ``auc``: area under the ROC curve of the RW 2014 polygons (the ``rw`` layer) flooded in 2017
  against the indicator of their kelurahan: the probability that a flooded RW has a higher
  exposure than a dry one (ties count one half; 0.5 = no better than chance). An RW is
  *flooded in 2017* when the representative point of a 2017 RW polygon lies in it (the rule of
  ``siap_rw_flooded_2017_count``). Indicators where higher = less exposed are reversed.

Caveats: every RW of a kelurahan carries the kelurahan's value, so the AUC measures how well
the indicator sorts kelurahan, not RWs; 2017 observations are reports of RWs flooded, so an
RW not reported may still have flooded; the coast and ban-zone proxies are not flood
observations and are listed for comparison only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.crs import METRIC_CRS
from geo.indicators.definitions import IndicatorDef
from geo.scores import score_units
from geo.vocabulary import Direction, Level, Pillar, score_column

BEFORE_2017 = (
    "siap_flood_share_2007",
    "siap_people_exposed_2007",
    "siap_depth_mean",
    "siap_depth_share_gt_0_5m",
)
"""The Siap indicators built only from the 2007 flood and the depth grid."""
PROXIES = ("siap_coast_proximity", "siap_groundwater_ban_zone")
"""The north-coast proxies, listed for comparison."""
OBSERVED = "siap_rw_flooded_2017_share"
"""The kelurahan column of the 2017 observations."""
SCORE_BEFORE_2017 = "score_siap_before_2017"
"""The row of the Siap score made only of :data:`BEFORE_2017` (with their build weights)."""


def auc(score: np.ndarray, positive: np.ndarray) -> float:
    """Area under the ROC curve (Mann-Whitney, ties one half); NaN scores are left out.

    Returns NaN when there is no positive or no negative case.
    """
    ok = np.isfinite(score)
    s, pos = score[ok], positive[ok].astype(bool)
    n_pos, n_neg = int(pos.sum()), int((~pos).sum())
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    ranks = pd.Series(s).rank(method="average").to_numpy()
    return float((ranks[pos].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def spearman(a: pd.Series, b: pd.Series) -> float:
    """Spearman rank correlation over the rows where both are present (NaN below 3 rows)."""
    both = pd.concat([a, b], axis=1).dropna()
    if len(both) < 3:
        return float("nan")
    ranks = both.rank(method="average")
    return float(ranks.iloc[:, 0].corr(ranks.iloc[:, 1]))


def rw_flooded_2017(rw: gpd.GeoDataFrame, flood_2017: gpd.GeoDataFrame) -> np.ndarray:
    """True for each RW 2014 polygon holding the representative point of a 2017 RW polygon."""
    rw_m = rw.to_crs(METRIC_CRS)
    reps = shapely.point_on_surface(flood_2017.to_crs(METRIC_CRS).geometry.to_numpy())
    _, hit = rw_m.sindex.query(reps, predicate="within")
    flooded = np.zeros(len(rw_m), dtype=bool)
    flooded[np.unique(hit)] = True
    return flooded


def validation_table(
    kelurahan: pd.DataFrame,
    rw: gpd.GeoDataFrame,
    flood_2017: gpd.GeoDataFrame,
    definitions: Mapping[str, IndicatorDef],
    weights: Mapping[str, float],
    indicators: Sequence[str] = BEFORE_2017 + PROXIES,
) -> pd.DataFrame:
    """Agreement of each indicator, and of the score before 2017, with the 2017 flood.

    Parameters
    ----------
    kelurahan : DataFrame
        The build's kelurahan layer (``kode`` and the indicator columns).
    rw : GeoDataFrame
        The ``rw`` layer (RW 2014 polygons with ``kode_kelurahan``).
    flood_2017 : GeoDataFrame
        The ``flood_2017_rw_max`` layer.
    definitions, weights : mapping
        The build's indicator definitions and effective weights.
    indicators : sequence of str
        The rows of the table (the score before 2017 is added last).

    Returns
    -------
    DataFrame
        One row per indicator: ``indicator``, ``direction``, ``kelurahan`` (units with both
        values), ``spearman``, ``rw`` (RWs with a value), ``rw_flooded_2017`` and ``auc``.
    """
    only = {d: (float(weights.get(d, 0.0)) if d in BEFORE_2017 else 0.0) for d in definitions}
    before = score_units(kelurahan, Level.kelurahan, only, definitions=definitions)
    frame = kelurahan.assign(**{SCORE_BEFORE_2017: before[score_column(Pillar.siap)]})
    flooded = rw_flooded_2017(rw, flood_2017)
    at_rw = frame.set_index("kode").reindex(rw["kode_kelurahan"].astype(str))
    rows = []
    for name in [*indicators, SCORE_BEFORE_2017]:
        d = definitions.get(name)
        sign = -1.0 if d is not None and d.direction == Direction.higher_less_exposed else 1.0
        value = pd.to_numeric(frame[name], errors="coerce") * sign
        rw_value = pd.to_numeric(at_rw[name], errors="coerce").to_numpy(dtype=float) * sign
        has = np.isfinite(rw_value)
        rows.append(
            {
                "indicator": name,
                "direction": str(d.direction) if d is not None else "higher_more_exposed",
                "kelurahan": int((value.notna() & frame[OBSERVED].notna()).sum()),
                "spearman": spearman(value, frame[OBSERVED]),
                "rw": int(has.sum()),
                "rw_flooded_2017": int(flooded[has].sum()),
                "auc": auc(rw_value, flooded),
            }
        )
    return pd.DataFrame(rows)
