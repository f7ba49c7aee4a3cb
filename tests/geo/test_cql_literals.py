"""CQL2 literals no column can hold are a 400 before any query runs (:mod:`geo.ogc.cql`)."""

from __future__ import annotations

import pytest

from geo.errors import InvalidParameterError
from geo.ogc.cql import parse_filter
from geo.ogc.providers.actions import FILTERABLE


@pytest.mark.parametrize(
    "text",
    [
        "created_at > TIMESTAMP('0000-01-01T00:00:00Z')",  # year 0: pandas parses it, SQL cannot
        "T_AFTER(created_at, DATE('0000-01-01'))",
        "updated_at < TIMESTAMP('9999-12-31T23:00:00-05:00')",  # year 10000 in UTC
        "progress > 1e999",  # not finite
    ],
)
def test_literals_no_column_can_hold_are_a_400(text: str) -> None:
    """Found by hand against a live server: the first two were 500s on the actions store."""
    with pytest.raises(InvalidParameterError, match="filter: "):
        parse_filter(text, "cql2-text", FILTERABLE, geometry=True)


def test_times_in_range_still_parse() -> None:
    tree = parse_filter(
        "created_at > TIMESTAMP('0001-01-01T00:00:00Z') "
        "AND T_BEFORE(updated_at, DATE('9999-12-31'))",
        "cql2-text",
        FILTERABLE,
        geometry=True,
    )
    assert "0001-01-01" in tree
