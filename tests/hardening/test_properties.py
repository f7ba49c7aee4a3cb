"""Property-based tests: no request of any shape gets a 5xx, from any route that takes input.

Each test draws requests with hypothesis (see :mod:`propkit` for the strategies and the
profile: a fixed number of examples, derandomised in CI) and checks every answer: a status
below 500, and for an error the one JSON body with a ``description`` that is itself valid
UTF-8. After every refused write the actions store is unchanged: same number of actions,
same history, same export digest.

The app runs over the session's real build with a fresh SQLite actions store (three seeded
actions); requests are raw ASGI messages, so header bytes and query strings arrive exactly
as a server would deliver them.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fuzzkit import Harness, harness
from hypothesis import example, given
from hypothesis import strategies as st
from propkit import (
    ANY_TEXT,
    BASE,
    FEATURES,
    GEOMETRY,
    HEADER_BYTES,
    INTEGER_TEXT,
    JSON_VALUES,
    NUMBER_LISTS,
    PROPERTIES,
    PROPERTIES_STRATEGY,
    QUERY_VALUES,
    assert_handled,
    auth,
    current_etag,
    deep_bodies,
    fingerprint,
    geometries,
    instants,
    query_strings,
    raw_request,
    to_json,
)

__all__ = ["harness"]

JSON_TYPE = (b"content-type", b"application/geo+json")
BODY_ROUTES = ("POST items", "POST import", "PUT item", "PATCH item")


def _write(h: Harness, route: str, body: bytes, extra: list[tuple[bytes, bytes]]) -> Any:
    """Send a body to one write route (with a current If-Match for PUT and PATCH)."""
    method, _, target = route.partition(" ")
    item = f"{BASE}/items/{h.actions[0].id}"
    path = {"items": f"{BASE}/items", "import": f"{BASE}/import", "item": item}[target]
    headers = [auth(h), *extra]
    if method in ("PUT", "PATCH") and not any(k == b"if-match" for k, _ in extra):
        headers.append((b"if-match", current_etag(h)))
    return raw_request(h, method, path, headers=headers, body=body)


def _check_write(h: Harness, route: str, body: bytes, extra: list[tuple[bytes, bytes]]) -> None:
    before = fingerprint(h)
    answer = _write(h, route, body, extra)
    assert_handled(answer, f"{route} {body[:120]!r}")
    if answer.status >= 400:
        assert fingerprint(h) == before, f"{route}: a refused write changed the store"


@PROPERTIES
@given(value=JSON_VALUES, route=st.sampled_from(BODY_ROUTES))
@example(value={"\ud800": 1}, route="PATCH item")
@example(value={"type": "FeatureCollection", "features": [{"\ud800": 1}]}, route="POST import")
def test_any_json_value_on_every_write_route(harness: Harness, value: Any, route: str) -> None:
    """Arbitrary JSON (NaN, infinities, huge integers, lone surrogates) is refused cleanly."""
    _check_write(harness, route, to_json(value), [JSON_TYPE])


@PROPERTIES
@given(feature=FEATURES, route=st.sampled_from(BODY_ROUTES), wrap=st.booleans())
def test_feature_shaped_bodies_reach_every_field_check(
    harness: Harness, feature: dict[str, Any], route: str, wrap: bool
) -> None:
    """Near-valid Features, wrong in every field, alone or inside a FeatureCollection."""
    body: Any = {"type": "FeatureCollection", "features": [feature]} if wrap else feature
    _check_write(harness, route, to_json(body), [JSON_TYPE])


@PROPERTIES
@given(
    patch=st.fixed_dictionaries(
        {}, optional={"properties": PROPERTIES_STRATEGY, "geometry": GEOMETRY, "x": JSON_VALUES}
    )
)
def test_merge_patches(harness: Harness, patch: dict[str, Any]) -> None:
    """JSON Merge Patches of every shape, sent as application/merge-patch+json."""
    media = (b"content-type", b"application/merge-patch+json")
    _check_write(harness, "PATCH item", to_json(patch), [media])


@PROPERTIES
@given(body=deep_bodies(), route=st.sampled_from(BODY_ROUTES))
@example(body=b"[" * 1000 + b"]" * 1000, route="POST items")
def test_deep_nesting_is_refused_before_decoding(harness: Harness, body: bytes, route: str) -> None:
    """Nesting of any depth: a 400 past the documented limit, never a RecursionError."""
    _check_write(harness, route, body, [JSON_TYPE])


VALID_PROPERTIES = {"title": "Pompa", "pillar": "siap", "lead_agency": "BPBD DKI"}


@PROPERTIES
@given(geometry=geometries(), route=st.sampled_from(BODY_ROUTES))
@example(geometry={"type": "Point", "coordinates": [10**400, -6.2]}, route="POST items")
@example(
    geometry={"type": "Polygon", "coordinates": [[[106.8, -6.2], [10**309, -6.2], [106.8, -6.2]]]},
    route="PATCH item",
)
def test_geometry_numbers(harness: Harness, geometry: dict[str, Any], route: str) -> None:
    """Positions holding every kind of number: huge integers, NaN, infinities, booleans."""
    body: dict[str, Any] = {"type": "Feature", "geometry": geometry}
    if route != "PATCH item":
        body["properties"] = VALID_PROPERTIES
    if route == "POST import":
        body = {"type": "FeatureCollection", "features": [body]}
    _check_write(harness, route, to_json(body), [JSON_TYPE])


IF_MATCH_ROUTES = ("PUT", "PATCH", "DELETE", "restore")


@PROPERTIES
@given(
    value=HEADER_BYTES | st.binary(max_size=30).map(lambda b: b'"' + b + b'"'),
    route=st.sampled_from(IF_MATCH_ROUTES),
    weak_current=st.booleans(),
)
@example(value=b'"\xb2"', route="PATCH", weak_current=False)
@example(value=b'"' + b"1" * 4301 + b'"', route="DELETE", weak_current=False)
@example(value=b"", route="PUT", weak_current=True)
def test_if_match_values(harness: Harness, value: bytes, route: str, weak_current: bool) -> None:
    """Any If-Match on every conditional write; a weak tag of the current version never
    matches (RFC 9110 strong comparison), so it changes nothing either."""
    action = harness.actions[2].id
    url = f"{BASE}/items/{action}"
    if weak_current:
        value = b"W/" + current_etag(harness, 2)
    method, path = {
        "PUT": ("PUT", url),
        "PATCH": ("PATCH", url),
        "DELETE": ("DELETE", url),
        "restore": ("POST", f"{url}/restore"),
    }[route]
    body = b""
    if method == "PUT":
        props = {**VALID_PROPERTIES, "unit_codes": ["31.71.01"]}
        body = to_json({"type": "Feature", "geometry": None, "properties": props})
    elif method == "PATCH":
        body = to_json({"properties": {"progress": 7}})
    current_etag(harness, 2)  # live again if an earlier example deleted it
    before = fingerprint(harness)
    headers = [auth(harness), JSON_TYPE, (b"if-match", value)]
    answer = raw_request(harness, method, path, headers=headers, body=body)
    assert_handled(answer, f"{route} If-Match {value[:80]!r}")
    if answer.status >= 400 or weak_current:
        assert answer.status != 200 or not weak_current, "a weak If-Match matched"
        assert fingerprint(harness) == before


MEDIA_TYPES = st.sampled_from(
    [
        b"application/json",
        b"application/geo+json; charset=utf-8",
        b"application/json; charset=latin-1",
        b"text/plain",
        b"application/x-www-form-urlencoded",
        b"multipart/form-data; boundary=x",
        b"",
        b"\xff\xfe",
    ]
)


@PROPERTIES
@given(
    body=st.binary(max_size=300) | FEATURES.map(to_json),
    media=MEDIA_TYPES | HEADER_BYTES,
    length=st.none() | HEADER_BYTES,
    route=st.sampled_from(BODY_ROUTES),
)
@example(body=b"{}", media=b"application/json", length=b"\xb2", route="POST items")
@example(
    body=to_json({"type": "Feature", "geometry": None, "properties": VALID_PROPERTIES}),
    media=b"text/plain",
    length=None,
    route="POST items",
)
def test_raw_bodies_media_types_and_lengths(
    harness: Harness, body: bytes, media: bytes, length: bytes | None, route: str
) -> None:
    """Any bytes, any Content-Type (415 unless JSON), any Content-Length value."""
    extra = [(b"content-type", media)]
    if length is not None:
        extra.append((b"content-length", length))
    _check_write(harness, route, body, extra)


def _routes(h: Harness) -> list[tuple[str, str]]:
    action = h.actions[1].id
    return [
        ("GET", "/"),
        ("GET", "/conformance"),
        ("GET", "/health"),
        ("GET", "/collections"),
        ("GET", "/collections/kelurahan"),
        ("GET", "/collections/kelurahan/items"),
        ("GET", "/collections/flood_2017_hourly/items"),
        ("GET", "/collections/kelurahan/items/31.71.01.1001"),
        ("GET", f"{BASE}"),
        ("GET", f"{BASE}/items"),
        ("GET", f"{BASE}/export"),
        ("GET", f"{BASE}/items/{action}"),
        ("GET", f"{BASE}/items/{action}/history"),
        ("POST", f"{BASE}/items"),
        ("PUT", f"{BASE}/items/{action}"),
        ("PATCH", f"{BASE}/items/{action}"),
        ("DELETE", f"{BASE}/items/{action}"),
        ("POST", f"{BASE}/items/{action}/restore"),
        ("GET", "/coverage-gaps"),
        ("GET", "/collections/coverage_gaps_siap/items"),
        ("GET", "/peta"),
        ("GET", "/kelurahan/31.71.01.1001"),
    ]


HEADER_NAMES = st.sampled_from(
    [
        b"if-match",
        b"if-none-match",
        b"authorization",
        b"accept-language",
        b"content-length",
        b"content-type",
        b"accept",
        b"accept-encoding",
    ]
)


@PROPERTIES
@given(
    pick=st.integers(0, 21),
    headers=st.lists(st.tuples(HEADER_NAMES, HEADER_BYTES), max_size=4),
    with_token=st.booleans(),
)
def test_arbitrary_header_values_on_every_route(
    harness: Harness, pick: int, headers: list[tuple[bytes, bytes]], with_token: bool
) -> None:
    """Every header the app reads, with any bytes, on every route (writes change nothing)."""
    method, path = _routes(harness)[pick]
    sent = [*headers, *([auth(harness)] if with_token else [])]
    body = to_json({"properties": {"progress": 1}}) if method in ("PUT", "PATCH", "POST") else b""
    before = fingerprint(harness)
    answer = raw_request(harness, method, path, headers=sent, body=body)
    assert_handled(answer, f"{method} {path} {sent!r:.300}", html_ok=True)
    if answer.status >= 400:
        assert fingerprint(harness) == before


@PROPERTIES
@given(pick=st.integers(0, 21), query=query_strings(), lang=st.none() | HEADER_BYTES)
def test_any_query_string_on_every_route(
    harness: Harness, pick: int, query: bytes, lang: bytes | None
) -> None:
    """Known and unknown parameters with hostile values (huge, negative, other scripts'
    digits, NaN, years 0 and 10000, repeats, broken escapes) on every route."""
    method, path = _routes(harness)[pick]
    headers = [auth(harness)] + ([(b"accept-language", lang)] if lang is not None else [])
    if method in ("PUT", "PATCH", "DELETE"):
        headers.append((b"if-match", current_etag(harness, 1)))
    body = to_json({"properties": {"progress": 2}}) if method in ("PUT", "PATCH") else b""
    if body:
        headers.append(JSON_TYPE)
    before = fingerprint(harness)
    answer = raw_request(harness, method, path, query=query, headers=headers, body=body)
    assert_handled(answer, f"{method} {path}?{query[:200]!r}", html_ok=True)
    if answer.status >= 400 and method != "GET":
        assert fingerprint(harness) == before


ACTION_PARAMETERS = st.fixed_dictionaries(
    {},
    optional={
        "offset": INTEGER_TEXT,
        "limit": INTEGER_TEXT,
        "bbox": NUMBER_LISTS,
        "pillar": st.sampled_from(["siap", "aman"]) | QUERY_VALUES,
        "status": st.sampled_from(["done", "finished"]) | QUERY_VALUES,
        "agency": QUERY_VALUES,
        "kelurahan": st.sampled_from(["31.71.01.1001", "x"]) | QUERY_VALUES,
        "f": st.sampled_from(["gpkg", "geojson", "xml"]),
        "foo": QUERY_VALUES,
    },
)
"""Parameters of the actions listing, each with values of its kind (and any value)."""


@PROPERTIES
@given(params=ACTION_PARAMETERS, export=st.booleans())
@example(params={"offset": "9223372036854775808"}, export=False)
@example(params={"offset": "1" + "0" * 30, "f": "gpkg"}, export=False)
@example(params={"bbox": "106,-6.3,107,91"}, export=True)
def test_actions_listing_parameters(harness: Harness, params: dict[str, str], export: bool) -> None:
    """The actions listing and export with any of their parameters, and unknown ones."""
    path = f"{BASE}/export" if export else f"{BASE}/items"
    query = "&".join(f"{k}={quote(v, safe=',')}" for k, v in params.items()).encode()
    answer = raw_request(harness, "GET", path, query=query)
    assert_handled(answer, f"{path}?{query[:200]!r}")


@PROPERTIES
@given(start=instants() | st.just(".."), end=st.none() | instants() | st.just(".."))
@example(start="0000-01-01", end=None)
@example(start="0001-01-01T00:00:00+01:00", end=None)
@example(start="9999-12-31T23:00:00-05:00", end=None)
def test_datetime_at_every_edge(harness: Harness, start: str, end: str | None) -> None:
    """``datetime`` instants and intervals around years 0 and 10000 and impossible fields."""
    value = start if end is None else f"{start}/{end}"
    for collection in ("flood_2017_hourly", "kelurahan"):
        query = f"datetime={quote(value, safe='/:')}".encode()
        answer = raw_request(harness, "GET", f"/collections/{collection}/items", query=query)
        assert_handled(answer, f"{collection}?{query!r}")


LAYER_PARAMETERS = st.sampled_from(
    ["limit", "offset", "zoom", "k", "breaks", "weights", "bbox", "datetime", "kode_kota"]
)


@PROPERTIES
@given(
    collection=st.sampled_from(["kelurahan", "kecamatan", "flood_2017_hourly", "pumps"]),
    name=LAYER_PARAMETERS,
    value=st.one_of(
        st.integers().map(str),
        st.integers(-(10**400), 10**400).map(str),
        st.floats().map(repr),
        st.text(alphabet="0123456789١٢³²_+-.eE:,/TZ ", max_size=30),
        st.dates().map(lambda d: f"{d.year:04d}-{d.month:02d}-{d.day:02d}"),
        st.datetimes().map(lambda d: d.strftime("%Y-%m-%dT%H:%M:%S") + "-05:00"),
    ),
    classify=st.sampled_from(["", "quantiles", "user"]),
)
def test_layer_numbers_and_dates(
    harness: Harness, collection: str, name: str, value: str, classify: str
) -> None:
    """Every numeric and date parameter of the layer collections, with any number or date."""
    params = [(name, value)]
    if classify and name in ("k", "breaks"):
        params.append(("classify", classify))
    query = "&".join(f"{k}={quote(v, safe='')}" for k, v in params).encode()
    answer = raw_request(harness, "GET", f"/collections/{collection}/items", query=query)
    assert_handled(answer, f"{collection}?{query[:200]!r}")


def _no_surrogates(text: str) -> str:
    """A server decodes a path as UTF-8 with replacement: it never holds lone surrogates."""
    return "".join(c for c in text if not "\ud800" <= c <= "\udfff")


@PROPERTIES
@given(
    segment=ANY_TEXT.map(_no_surrogates).filter(
        lambda s: "/" not in s and s not in ("", ".", "..")
    ),
    pick=st.integers(0, 6),
)
def test_path_parameters(harness: Harness, segment: str, pick: int) -> None:
    """Any text as an action id, collection, feature, kelurahan code or pillar."""
    paths = [
        f"{BASE}/items/{segment}",
        f"{BASE}/items/{segment}/history",
        f"/collections/{segment}",
        f"/collections/{segment}/items",
        f"/collections/kelurahan/items/{segment}",
        f"/kelurahan/{segment}",
        f"/collections/coverage_gaps_{segment}/items",
    ]
    answer = raw_request(harness, "GET", paths[pick], headers=[auth(harness)])
    assert_handled(answer, paths[pick], html_ok=True)
