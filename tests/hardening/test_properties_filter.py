"""Property-based tests of ``filter`` (CQL2 text and JSON), ``filter-lang`` and ``sortby`` on
every kind of collection: no filter of any shape gets a 5xx.

Filters are drawn from a small CQL2 grammar (known and unknown properties, every operator,
literals of every type, geometry literals valid and not) and as any text or any JSON value;
each goes to a build layer, a table with time, the coverage gaps and the actions (SQL).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import pytest
from fuzzkit import Harness, harness
from hypothesis import example, given
from hypothesis import strategies as st
from propkit import ANY_TEXT, JSON_VALUES, PROPERTIES, assert_handled, raw_request

__all__ = ["harness"]

pytestmark = pytest.mark.realdata

COLLECTIONS = ("kelurahan", "flood_2017_hourly", "coverage_gaps_siap", "actions")
NAMES = st.sampled_from(
    [
        "score_siap",
        "nama",
        "kode_kota",
        "population",
        "progress",
        "title",
        "pillar",
        "updated_at",
        "score",
        "geometry",
        "nope",
        "a\u0000b",
        "",
    ]
)
LITERALS = st.one_of(
    st.integers(-(10**20), 10**20).map(str),
    st.floats(allow_nan=False).map(repr),
    st.sampled_from(
        [
            "'K%'",
            "'31.72'",
            "TRUE",
            "NULL",
            "'it''s'",
            "TIMESTAMP('2017-01-01T00:00:00Z')",
            "DATE('2017-13-45')",
            "'\\%'",
            "'%_%'",
            "1e400",
        ]
    ),
    ANY_TEXT.map(lambda t: "'" + t.replace("'", "''") + "'"),
)
GEOMETRIES = st.sampled_from(
    [
        "POINT(106.8 -6.2)",
        "BBOX(106.7,-6.3,106.9,-6.1)",
        "BBOX(1,2,3)",
        "POLYGON((0 0, 1 1, 1 0, 0 1, 0 0))",
        "POLYGON((106.7 -6.3, 106.9 -6.3, 106.9 -6.1, 106.7 -6.3))",
        "LINESTRING(106.7 -6.3, 106.9 -6.1)",
        "POINT(1e308 -1e308)",
        "MULTIPOINT EMPTY",
        "GEOMETRYCOLLECTION(POINT(106.8 -6.2))",
    ]
)


def _predicates() -> st.SearchStrategy[str]:
    comparison = st.tuples(NAMES, st.sampled_from(["=", "<>", "<", "<=", ">", ">="]), LITERALS)
    return st.one_of(
        comparison.map(" ".join),
        st.tuples(NAMES, LITERALS).map(lambda t: f"{t[0]} LIKE {t[1]}"),
        st.tuples(NAMES, st.lists(LITERALS, min_size=1, max_size=3)).map(
            lambda t: f"{t[0]} IN ({', '.join(t[1])})"
        ),
        st.tuples(NAMES, LITERALS, LITERALS).map(lambda t: f"{t[0]} BETWEEN {t[1]} AND {t[2]}"),
        NAMES.map(lambda n: f"{n} IS NULL"),
        st.tuples(
            st.sampled_from(["S_INTERSECTS", "S_WITHIN", "S_DISJOINT", "S_CROSSES", "T_AFTER"]),
            NAMES,
            GEOMETRIES,
        ).map(lambda t: f"{t[0]}({t[1]}, {t[2]})"),
    )


CQL2_TEXT = st.recursive(
    _predicates(),
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(["AND", "OR"]), inner).map(lambda t: f"({' '.join(t)})"),
        inner.map(lambda t: f"NOT {t}"),
    ),
    max_leaves=6,
)


@PROPERTIES
@given(
    collection=st.sampled_from(COLLECTIONS),
    text=CQL2_TEXT | ANY_TEXT,
    sortby=st.none() | st.sampled_from(["-score_siap,nama", "title", "-updated_at", "nope", "+"]),
)
@example(collection="actions", text="title LIKE '%''; DROP TABLE actions; --%'", sortby=None)
@example(collection="kelurahan", text="S_WITHIN(geometry, POINT(1e308 -1e308))", sortby=None)
@example(collection="flood_2017_hourly", text="x" * 9000, sortby=None)
def test_cql2_text_filters(
    harness: Harness, collection: str, text: str, sortby: str | None
) -> None:
    """Any CQL2 text (grammar-drawn or any text) on every kind of collection."""
    query = f"filter={quote(text, safe='')}"
    if sortby is not None:
        query += f"&sortby={quote(sortby)}"
    answer = raw_request(harness, "GET", f"/collections/{collection}/items", query=query.encode())
    assert_handled(answer, f"{collection}?{query[:200]}")


@PROPERTIES
@given(
    collection=st.sampled_from(COLLECTIONS),
    value=JSON_VALUES,
    lang=st.sampled_from(["cql2-json", "cql2-text", "CQL2-JSON", "ecql", ""]),
)
@example(
    collection="kelurahan", value={"op": "=", "args": [{"property": "nama"}]}, lang="cql2-json"
)
@example(
    collection="actions", value={"op": "in", "args": [{"property": "title"}, 1]}, lang="cql2-json"
)
def test_cql2_json_filters(harness: Harness, collection: str, value: Any, lang: str) -> None:
    """Any JSON value as a cql2-json filter (and with any filter-lang)."""
    body = json.dumps(value)  # big integers and lone surrogates too (escaped)
    query = f"filter={quote(body, safe='')}&filter-lang={quote(lang)}"
    answer = raw_request(harness, "GET", f"/collections/{collection}/items", query=query.encode())
    assert_handled(answer, f"{collection}?{query[:200]}")
