"""Hypothesis over the Part 2 parameters (crs, bbox-crs with bbox) and the BPS item codes.

Whatever the value, the answer is a 200 with its Content-Crs or a 400 naming the supported
CRSs (never a 500), on every kind of collection (a layer, the actions, a coverage gap).
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from fuzzkit import Harness, harness
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from propkit import raw_request

from geo.ogc.reproject import SUPPORTED

__all__ = ["harness"]

pytestmark = pytest.mark.realdata

PATHS = (
    "/collections/kelurahan/items",
    "/collections/actions/items",
    "/collections/coverage_gaps_siap/items",
    "/collections/kelurahan/items/31.71.01.1001",
)
CRS_VALUES = st.one_of(
    st.sampled_from([*SUPPORTED, "EPSG:4326", "[EPSG:32748]", "CRS84", "EPSG:3857", ""]),
    st.text(max_size=60),
)
NUMBER = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(-(10**12), 10**12).map(str),
    st.text("0123456789.-e", max_size=12),
)
BBOX = st.lists(NUMBER, min_size=3, max_size=7).map(",".join)
FUZZ = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@FUZZ
@given(path=st.sampled_from(PATHS), crs=CRS_VALUES, bbox_crs=CRS_VALUES, bbox=BBOX)
def test_crs_and_bbox_crs_are_200_or_a_clear_400(
    harness: Harness, path: str, crs: str, bbox_crs: str, bbox: str
) -> None:
    single = path.count("/") > 3
    parts = [f"crs={quote(crs, safe='')}"]
    if not single:
        parts += [f"bbox-crs={quote(bbox_crs, safe='')}", f"bbox={quote(bbox, safe='')}"]
    answer = raw_request(harness, "GET", path, query="&".join(parts).encode())
    assert answer.status in (200, 400), (path, parts, answer.status, answer.body[:300])
    if answer.status == 400:
        assert answer.json()["description"]
    else:
        assert answer.headers.get("content-crs", "").strip("<>") in SUPPORTED


@FUZZ
@given(code=st.text(st.characters(codec="ascii"), min_size=1, max_size=14))
def test_any_feature_code_is_a_feature_a_redirect_or_a_404(harness: Harness, code: str) -> None:
    path = "/collections/kelurahan/items/" + code.replace("/", "_")
    answer = raw_request(harness, "GET", path)
    assert answer.status in (200, 308, 400, 404), (code, answer.status)


@pytest.mark.parametrize("path", PATHS[:3])
def test_each_collection_answers_in_utm(harness: Harness, path: str) -> None:
    answer = raw_request(harness, "GET", path, query=b"crs=EPSG%3A32748")
    assert answer.status == 200
    assert answer.headers["content-crs"] == f"<{SUPPORTED[2]}>"
