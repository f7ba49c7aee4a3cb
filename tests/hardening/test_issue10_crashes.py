"""Issue 10, the 500s: one regression test per crash class (the issue's and their siblings).

Each test sends the input that crashed the server and checks the clear 4xx that replaces
the 500, and, for writes, that the store did not change. Raw ASGI requests
(:func:`propkit.raw_request`) carry header bytes such as 0xB2 exactly as a server passes them.
"""

from __future__ import annotations

import json

import pytest
from fuzzkit import Harness, harness, point_feature
from propkit import BASE, Answer, assert_handled, auth, current_etag, fingerprint, raw_request

__all__ = ["harness"]

JSON_TYPE = (b"content-type", b"application/json")


def _post(h: Harness, body: bytes, path: str = f"{BASE}/items") -> Answer:
    return raw_request(h, "POST", path, headers=[auth(h), JSON_TYPE], body=body)


# 1. unbounded integers in query parameters -------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        b"offset=9223372036854775808",
        b"offset=" + b"1" + b"0" * 30,
        b"offset=1" + b"0" * 30 + b"&f=gpkg",
    ],
)
def test_1_offset_beyond_64_bits_is_a_400_not_an_overflow(harness: Harness, query: bytes) -> None:
    """SQLite holds 64-bit integers: offset is bounded (0..10^9) before the query is built."""
    for path in (f"{BASE}/items", "/collections/kelurahan/items"):
        answer = raw_request(harness, "GET", path, query=query)
        assert answer.status == 400, (path, answer.body)
        assert "offset must be" in answer.json()["description"]


def test_1_limit_zoom_and_k_are_bounded_the_same_way(harness: Harness) -> None:
    """Every integer parameter goes through the one bounded parser."""
    for query in (
        b"limit=" + b"9" * 5000,
        b"zoom=" + b"9" * 30,
        b"classify=quantiles&k=" + b"9" * 30,
    ):
        answer = raw_request(harness, "GET", "/collections/kelurahan/items", query=query)
        assert answer.status == 400, (query[:40], answer.body)
        assert len(answer.json()["description"]) < 300  # the 5000 digits are not echoed


# 2. datetime outside the representable range ----------------------------------------------


@pytest.mark.parametrize(
    "value", ["0000-01-01", "0001-01-01T00:00:00%2B01:00", "9999-12-31T23:00:00-05:00"]
)
def test_2_datetime_outside_years_1_to_9999_in_utc_is_a_400(harness: Harness, value: str) -> None:
    """Year 0, or year 0 / 10000 once the offset is applied, is refused before pandas."""
    for collection in ("flood_2017_hourly", "kelurahan"):
        answer = raw_request(
            harness, "GET", f"/collections/{collection}/items", query=f"datetime={value}".encode()
        )
        assert answer.status == 400, (collection, answer.body)
        assert "0001..9999" in answer.json()["description"]


def test_2_datetime_at_the_edges_of_the_range_still_works(harness: Harness) -> None:
    """The documented range is usable to its ends."""
    for value in (b"0001-01-01T00:00:00Z/..", b"../9999-12-31T23:59:59Z"):
        answer = raw_request(
            harness, "GET", "/collections/flood_2017_hourly/items", query=b"datetime=" + value
        )
        assert answer.status == 200, answer.body[:200]


# 3. If-Match parsed with int() on anything isdigit() accepts ------------------------------


@pytest.mark.parametrize("tag", [b'"\xb2"', b'"\xb9"', b'"\xb3"', b'"' + b"1" * 4301 + b'"'])
@pytest.mark.parametrize("route", ["PATCH", "PUT", "DELETE", "restore"])
def test_3_if_match_with_superscript_digits_or_4301_digits(
    harness: Harness, tag: bytes, route: str
) -> None:
    """Latin-1 superscripts are not digits of a version; 4,301 digits exceed the header."""
    action = harness.actions[0].id
    current_etag(harness)
    before = fingerprint(harness)
    url = f"{BASE}/items/{action}"
    method, path = ("POST", f"{url}/restore") if route == "restore" else (route, url)
    body = json.dumps(point_feature()).encode() if route == "PUT" else b'{"properties": {}}'
    headers = [auth(harness), JSON_TYPE, (b"if-match", tag)]
    answer = raw_request(harness, method, path, headers=headers, body=body)
    assert answer.status in (400, 409, 412), answer.body
    assert_handled(answer, route)
    assert fingerprint(harness) == before


# 4. integer coordinates too big for a float ------------------------------------------------


@pytest.mark.parametrize(
    "coordinates",
    [
        {"type": "Point", "coordinates": [10**400, -6.2]},
        {"type": "Point", "coordinates": [106.8, 10**309]},
        {
            "type": "Polygon",
            "coordinates": [[[106.8, -6.2], [10**400, -6.2], [106.9, -6.1], [106.8, -6.2]]],
        },
    ],
)
def test_4_integer_coordinates_too_big_for_a_float_are_a_422(
    harness: Harness, coordinates: dict[str, object]
) -> None:
    """Through POST and PATCH: a field error naming the position, not an OverflowError."""
    before = fingerprint(harness)
    feature = {**point_feature(), "geometry": coordinates}
    answer = _post(harness, json.dumps(feature).encode())
    assert answer.status == 422, answer.body
    detail = answer.json()["details"][0]
    assert detail["field"].startswith("geometry.coordinates")
    assert "too large" in detail["message"]
    patch = json.dumps({"geometry": coordinates}).encode()
    headers = [auth(harness), JSON_TYPE, (b"if-match", current_etag(harness))]
    url = f"{BASE}/items/{harness.actions[0].id}"
    answer = raw_request(harness, "PATCH", url, headers=headers, body=patch)
    assert answer.status == 422
    assert fingerprint(harness) == before


# 5. deep nesting ----------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [900, 1000, 100_000])
@pytest.mark.parametrize("where", ["top", "property", "geometry.type", "object"])
def test_5_deep_nesting_is_refused_before_decoding(
    harness: Harness, depth: int, where: str
) -> None:
    """The depth is scanned before json.loads recurses: 400 with the depth and the limit."""
    nested = "[" * depth + "]" * depth
    body = {
        "top": nested,
        "property": '{"type":"Feature","geometry":null,"properties":{"v":' + nested + "}}",
        "geometry.type": '{"type":"Feature","geometry":{"type":' + nested + '},"properties":{}}',
        "object": '{"a":' * depth + "1" + "}" * depth,
    }[where]
    before = fingerprint(harness)
    answer = _post(harness, body.encode())
    assert answer.status == 400, answer.body[:200]
    assert "levels deep; at most 32" in answer.json()["description"]
    assert fingerprint(harness) == before


# 6. a lone surrogate in a member name that reaches an error message -----------------------


@pytest.mark.parametrize(
    ("method", "body"),
    [
        ("POST", b'{"type":"Feature","geometry":{"type":"Point","coordinates":[106.8,-6.2],'
         b'"\\ud800":1},"properties":{}}'),
        ("PATCH", b'{"\\ud800":1}'),
        ("PUT", b'{"type":"Feature","geometry":null,"properties":{"\\udfff":1}}'),
        ("IMPORT", b'{"type":"FeatureCollection","features":[{"\\ud800":1}]}'),
    ],
)  # fmt: skip
def test_6_lone_surrogate_is_a_400_whose_message_encodes(
    harness: Harness, method: str, body: bytes
) -> None:
    """Refused by the body decoder, with a message that is valid UTF-8 itself."""
    url = f"{BASE}/items/{harness.actions[0].id}"
    path, verb = {
        "POST": (f"{BASE}/items", "POST"),
        "PATCH": (url, "PATCH"),
        "PUT": (url, "PUT"),
        "IMPORT": (f"{BASE}/import", "POST"),
    }[method]
    before = fingerprint(harness)
    headers = [auth(harness), JSON_TYPE, (b"if-match", current_etag(harness))]
    answer = raw_request(harness, verb, path, headers=headers, body=body)
    assert answer.status == 400, answer.body
    text = answer.body.decode("utf-8")  # strict
    assert "lone surrogate" in json.loads(text)["description"]
    assert fingerprint(harness) == before


def test_6_the_error_renderer_cannot_fail_on_what_it_renders() -> None:
    """Surrogates in a field name, NaN, huge integers, objects: always strict UTF-8 JSON."""
    from api.errors import error_bytes

    details = [
        {"field": "geometry.\ud800", "message": "is not a geometry member"},
        {"nan": float("nan"), "big": 10**400, "object": object(), "\udfff": b"\xff"},
    ]
    body = json.loads(error_bytes("validation_error", "bad \ud800", details).decode("utf-8"))
    assert body["details"][0]["field"] == "geometry.\\ud800"
    assert body["details"][1]["nan"] is None


# 7. siblings ---------------------------------------------------------------------------------


def test_7a_content_length_with_a_superscript_digit_is_a_400(harness: Harness) -> None:
    """The body limit read Content-Length with isdigit() and int(): 0xB2 crashed both."""
    for value in (b"\xb2", b"\xb9\xb9", b"-1", b"1e3", b"9" * 40):
        before = fingerprint(harness)
        headers = [auth(harness), JSON_TYPE, (b"content-length", value)]
        answer = raw_request(harness, "POST", f"{BASE}/items", headers=headers, body=b"{}")
        assert answer.status == 400, (value, answer.body)
        assert "Content-Length" in answer.json()["description"]
        assert fingerprint(harness) == before


def test_7b_a_query_string_that_is_not_utf8_is_a_400(harness: Harness) -> None:
    """The items route built its cache key from request.url, which decodes strict UTF-8."""
    for path in ("/collections/kelurahan/items", f"{BASE}/items", "/collections"):
        answer = raw_request(harness, "GET", path, query=b"k\xff=\xb2")
        assert answer.status == 400, (path, answer.body)
