"""Map classes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geo.classify import classify
from geo.errors import InvalidParameterError

VALUES = pd.Series([1.0, 2.0, 3.0, None, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0])


@pytest.mark.parametrize(
    "method", ["quantiles", "fisher_jenks", "natural_breaks", "equal_interval"]
)
def test_methods_return_breaks_bins_counts(method: str) -> None:
    c = classify(VALUES, method, k=3)
    assert c.k == 3 == len(c.breaks) == len(c.counts)
    assert c.breaks == sorted(c.breaks) and c.breaks[-1] == 10.0
    assert len(c.bins) == len(VALUES) and c.bins[3] is None
    assert sum(c.counts) == 10
    # bins reproduce from breaks: class i holds values in (breaks[i-1], breaks[i]]
    for v, b in zip(VALUES, c.bins, strict=True):
        if b is not None:
            assert v <= c.breaks[b] and (b == 0 or v > c.breaks[b - 1])


def test_equal_interval_exact() -> None:
    c = classify(pd.Series([0.0, 10.0, 5.0, 2.0]), "equal_interval", k=2)
    assert c.breaks == [5.0, 10.0]
    assert c.bins == [0, 1, 0, 0]


def test_user_breaks() -> None:
    c = classify(VALUES, "user_defined", breaks=[2, 5])
    assert c.breaks == [2.0, 5.0, 10.0]
    assert c.counts == [2, 3, 5]
    assert c.to_dict()["method"] == "user_defined"


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"method": "magic"}, "unknown classification method"),
        ({"method": "quantiles", "k": 1}, "at least 2"),
        ({"method": "quantiles", "k": 11}, "distinct"),
        ({"method": "quantiles", "k": 2.5}, "integer"),
        ({"method": "user_defined"}, "needs breaks"),
        ({"method": "user_defined", "breaks": [5, 2]}, "increasing"),
        ({"method": "user_defined", "breaks": [1, 1]}, "increasing"),
        ({"method": "user_defined", "breaks": ["a"]}, "not a number"),
        ({"method": "user_defined", "breaks": [np.nan]}, "finite"),
    ],
)
def test_bad_parameters(kwargs: dict, fragment: str) -> None:
    with pytest.raises(InvalidParameterError) as err:
        classify(VALUES, **kwargs)
    assert fragment in err.value.message


def test_all_null_unclassifiable() -> None:
    with pytest.raises(InvalidParameterError):
        classify(pd.Series([None, None], dtype=float), "quantiles", k=2)
