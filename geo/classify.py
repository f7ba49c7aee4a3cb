"""Map classes with mapclassify; the breaks travel with the values so a map can be redrawn.

Breaks are class **upper bounds** (mapclassify's convention): class ``i`` holds values in
``(breaks[i-1], breaks[i]]`` and class 0 holds values ``<= breaks[0]``. Nulls stay
unclassified (bin None).
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import mapclassify
import numpy as np
import pandas as pd

from geo.errors import InvalidParameterError
from geo.vocabulary import K_MAX, K_MIN, ClassMethod


@dataclass
class Classification:
    """Classes of a series of values.

    Attributes
    ----------
    method : str
        Canonical method name (quantiles, fisher_jenks, equal_interval, user_defined).
    k : int
        Number of classes actually made (quantiles with ties may make fewer than asked).
    breaks : list of float
        Upper bound of each class.
    bins : list of int or None
        Class of each value, in the input order; None for a null value.
    counts : list of int
        Number of values in each class.
    """

    method: str
    k: int
    breaks: list[float]
    bins: list[int | None]
    counts: list[int]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return asdict(self)


def _check_breaks(breaks: Sequence[Any]) -> list[float]:
    if isinstance(breaks, str | bytes) or not isinstance(breaks, Sequence | np.ndarray):
        raise InvalidParameterError("breaks must be a list of numbers")
    out: list[float] = []
    for b in breaks:
        try:
            if isinstance(b, bool):
                raise TypeError
            value = float(b)
        except (TypeError, ValueError):
            raise InvalidParameterError(f"break {b!r} is not a number") from None
        if not math.isfinite(value):
            raise InvalidParameterError(f"break {b!r} is not a finite number")
        out.append(value)
    if not out:
        raise InvalidParameterError("breaks must hold at least one number")
    if len(out) > K_MAX:
        raise InvalidParameterError(f"breaks holds {len(out)} numbers; at most {K_MAX}")
    if any(b2 <= b1 for b1, b2 in itertools.pairwise(out)):
        raise InvalidParameterError(f"breaks must be strictly increasing, got {out}")
    return out


def classify(
    values: pd.Series,
    method: str,
    k: int = 5,
    breaks: Sequence[float] | None = None,
) -> Classification:
    """Classify values for a choropleth.

    Parameters
    ----------
    values : Series
        Numbers; nulls are kept out of the classes (bin None).
    method : str
        ``quantiles``, ``fisher_jenks`` (also ``natural_breaks``, ``jenks``),
        ``equal_interval`` or ``user_defined`` (also ``user``; needs ``breaks``).
    k : int
        Number of classes (:data:`~geo.vocabulary.K_MIN` to :data:`~geo.vocabulary.K_MAX`, and
        at most the number of distinct non-null values); ignored for ``user_defined``.
    breaks : sequence of float, optional
        Strictly increasing upper bounds for ``user_defined``; when the largest value exceeds
        the last break, the maximum is added as a last break (mapclassify's rule).

    Returns
    -------
    Classification

    Raises
    ------
    InvalidParameterError
        Unknown method; k not an integer, below 2 or above the number of distinct values;
        breaks missing, not numbers or not increasing; values not numeric.
    """
    canonical = ClassMethod.parse(str(method))
    if canonical is None:
        raise InvalidParameterError(
            f"unknown classification method {method!r}; use one of "
            "quantiles, fisher_jenks, equal_interval, user_defined"
        )
    series = pd.Series(values)
    numbers = pd.to_numeric(series, errors="coerce")
    if (numbers.isna() & series.notna()).any():
        bad = series[numbers.isna() & series.notna()].head(5).tolist()
        raise InvalidParameterError(f"values to classify are not numbers: {bad}")
    numbers = numbers.astype(float).replace([np.inf, -np.inf], np.nan)
    present = numbers.notna().to_numpy()
    data = numbers.to_numpy()[present]
    distinct = len(np.unique(data))

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if canonical == ClassMethod.user_defined:
            if breaks is None:
                raise InvalidParameterError("method user_defined needs breaks")
            upper = _check_breaks(breaks)
            if len(data) == 0:
                raise InvalidParameterError("no values to classify (all are null)")
            classifier: Any = mapclassify.UserDefined(data, bins=upper)
        else:
            if isinstance(k, bool) or not isinstance(k, int | np.integer):
                raise InvalidParameterError(f"k must be an integer, got {k!r}")
            if k < K_MIN:
                raise InvalidParameterError(f"k must be at least {K_MIN}, got {k}")
            if k > distinct:
                raise InvalidParameterError(
                    f"k={k} is more than the {distinct} distinct non-null values"
                )
            if k > K_MAX:
                raise InvalidParameterError(f"k must be at most {K_MAX} (the map's palettes)")
            if canonical == ClassMethod.quantiles:
                classifier = mapclassify.Quantiles(data, k=int(k))
            elif canonical == ClassMethod.fisher_jenks:
                classifier = mapclassify.FisherJenks(data, k=int(k))
            else:
                classifier = mapclassify.EqualInterval(data, k=int(k))

    upper_bounds = [float(b) for b in np.asarray(classifier.bins).ravel()]
    yb = np.asarray(classifier.yb).astype(int)
    bins: list[int | None] = [None] * len(numbers)
    for pos, b in zip(np.flatnonzero(present).tolist(), yb.tolist(), strict=True):
        bins[pos] = int(b)
    counts = np.bincount(yb, minlength=len(upper_bounds)).astype(int).tolist()
    return Classification(str(canonical), len(upper_bounds), upper_bounds, bins, counts)
