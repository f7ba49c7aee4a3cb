"""Fuzzing the flood feed and ``datetime`` (issue 14) with hypothesis.

``datetime`` on the time-stamped collections and ``banjir`` on ``/coverage-gaps`` answer 200 or
a 4xx naming the parameter, never a 500. A feed body of any bytes or any JSON is a list of
areas or a :class:`~geo.errors.FeedError`; ingesting it stores the fetch whole or keeps the last
good state exactly as it was.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from fuzzkit import Harness, harness
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.errors import FeedError
from geo.flood.feed import parse_feed
from geo.flood.follower import rw_index_of_build
from geo.flood.ingest import ingest

__all__ = ["harness"]


FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

instants = st.one_of(
    st.datetimes().map(lambda d: d.isoformat()),
    st.datetimes().map(lambda d: d.strftime("%Y-%m-%dT%H:%M:%SZ")),
    st.sampled_from(
        ["..", "", "2017-02-21T12:00:00+07:00", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59-01:00"]
    ),
    st.text(max_size=40),
)
datetimes = st.one_of(instants, st.tuples(instants, instants).map("/".join), st.text(max_size=120))


@pytest.mark.realdata
@FUZZ
@given(
    value=datetimes,
    collection=st.sampled_from(["flood_2017_hourly", "flood_live", "flood_2017_reports"]),
)
def test_datetime_never_fails_the_server(harness: Harness, value: str, collection: str) -> None:
    r = harness.client.get(
        f"/collections/{collection}/items", params={"datetime": value, "limit": "1"}
    )
    assert r.status_code in (200, 400), (value, r.status_code, r.text[:300])
    if r.status_code == 400:
        assert "datetime" in r.json()["description"]


@pytest.mark.realdata
@FUZZ
@given(value=st.one_of(instants, st.just("live"), st.text(max_size=80)))
def test_banjir_never_fails_the_server(harness: Harness, value: str) -> None:
    r = harness.client.get(
        "/coverage-gaps",
        params={"pilar": "siap", "banjir": value, "limit": "1"},
        headers=harness.auth(),
    )
    assert r.status_code in (200, 400, 422), (value, r.status_code, r.text[:300])


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=20,
)
props = st.fixed_dictionaries(
    {},
    optional={
        "geom_id": json_values,
        "area_id": json_values,
        "state": st.one_of(st.integers(-3, 8), json_values),
        "last_updated": st.one_of(st.datetimes().map(lambda d: d.isoformat()), json_values),
    },
)
features = st.lists(
    st.fixed_dictionaries(
        {"type": st.just("Feature"), "properties": props, "geometry": json_values}
    ),
    max_size=5,
)
bodies = st.one_of(
    st.binary(max_size=200),
    json_values.map(lambda v: json.dumps(v).encode()),
    features.map(lambda f: json.dumps({"type": "FeatureCollection", "features": f}).encode()),
)


@settings(max_examples=300, deadline=None)
@given(body=bodies)
def test_any_body_is_areas_or_a_feed_error(body: bytes) -> None:
    try:
        areas = parse_feed(body)
    except FeedError as exc:
        assert exc.message
    else:
        assert all(1 <= int(a.state) <= 4 and a.label for a in areas)


@pytest.fixture(scope="module")
def index(harness: Harness) -> Any:
    return rw_index_of_build(harness.settings.build_path)


@pytest.mark.realdata
@FUZZ
@given(body=bodies)
def test_ingest_is_whole_or_nothing(harness: Harness, index: Any, body: bytes) -> None:
    feed = harness.store.flood
    before = feed.last_good()
    record = ingest(feed, index, "fuzz", data=body)
    after = feed.last_good()
    if record.ok:
        assert after == record
        assert len(feed.states_of([record.id])) == record.matched
        assert record.matched + len(record.unmatched) == record.areas
    else:
        assert record.error and after == before
        assert feed.states_of([record.id]) == []
