"""Issue 10, bad input accepted silently: one regression test per kind (and the siblings).

Each input used to get a 2xx (and, for writes, be stored); now it gets a 4xx that says what
to send instead, and nothing stored changes.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from fuzzkit import Harness, harness, point_feature
from propkit import BASE, auth, current_etag, fingerprint, raw_request

__all__ = ["harness"]

JSON_TYPE = (b"content-type", b"application/json")


def _get(h: Harness, path: str, query: bytes) -> Any:
    return raw_request(h, "GET", path, query=query)


# the five ----------------------------------------------------------------------------


def test_bbox_with_a_latitude_over_90_on_the_actions_is_a_400(harness: Harness) -> None:
    """The actions listing parses bbox like every layer collection (4 or 6 numbers, CRS84)."""
    for path in (f"{BASE}/items", f"{BASE}/export", "/collections/kelurahan/items"):
        answer = _get(harness, path, b"bbox=106,-6.3,107,91")
        assert answer.status == 400, (path, answer.body)
        assert "latitude -90..90" in answer.json()["description"]


def test_an_unknown_query_parameter_on_the_actions_is_a_400(harness: Harness) -> None:
    """As on the layer collections: the unknown name is in the message."""
    for path in (f"{BASE}/items", f"{BASE}/export"):
        answer = _get(harness, path, b"pilar=siap")
        assert answer.status == 400
        assert "pilar" in answer.json()["description"]


def test_a_weak_if_match_of_the_current_version_does_not_match(harness: Harness) -> None:
    """RFC 9110: If-Match uses the strong comparison, so W/"3" never matches "3"."""
    before = fingerprint(harness)
    url = f"{BASE}/items/{harness.actions[0].id}"
    weak = b"W/" + current_etag(harness)
    headers = [auth(harness), JSON_TYPE, (b"if-match", weak)]
    answer = raw_request(harness, "PATCH", url, headers=headers, body=b'{"properties":{}}')
    assert answer.status == 412, answer.body
    assert "strong comparison" in answer.json()["description"]
    assert fingerprint(harness) == before
    strong = [auth(harness), JSON_TYPE, (b"if-match", current_etag(harness))]
    answer = raw_request(harness, "PATCH", url, headers=strong, body=b'{"properties":{}}')
    assert answer.status == 200


@pytest.mark.parametrize(
    "media", [b"text/plain", b"application/x-www-form-urlencoded", b"", b"application/xml"]
)
def test_a_json_body_of_another_media_type_is_a_415(harness: Harness, media: bytes) -> None:
    """Only JSON and GeoJSON bodies are read; a form or text body is not stored."""
    before = fingerprint(harness)
    headers = [auth(harness), *([(b"content-type", media)] if media else [])]
    body = json.dumps(point_feature()).encode()
    for path in (f"{BASE}/items", f"{BASE}/import"):
        answer = raw_request(harness, "POST", path, headers=headers, body=body)
        assert answer.status == 415, answer.body
        assert "application/geo+json" in answer.json()["description"]
    assert fingerprint(harness) == before


@pytest.mark.parametrize(
    "props",
    [
        {"strategy_goal": "   "},
        {"partners": ["UNDP", " \t "]},
        {"title": "  "},
        {"lead_agency": " "},
    ],
)
def test_whitespace_only_names_are_refused_like_empty_ones(
    harness: Harness, props: dict[str, Any]
) -> None:
    """strategy_goal and each partner must not be blank, as title and lead_agency."""
    before = fingerprint(harness)
    feature = point_feature(**props)
    headers = [auth(harness), JSON_TYPE]
    answer = raw_request(
        harness, "POST", f"{BASE}/items", headers=headers, body=json.dumps(feature).encode()
    )
    assert answer.status == 422, answer.body
    messages = {d["field"]: d["message"] for d in answer.json()["details"]}
    assert any("blank" in m for m in messages.values()), messages
    assert fingerprint(harness) == before


# siblings: query parameters -----------------------------------------------------------------


@pytest.mark.parametrize("query", [b"pillar=aman", b"status=finished", b"pillar=siap&pillar=sehat"])
def test_an_unknown_or_repeated_filter_value_on_the_actions_is_a_400(
    harness: Harness, query: bytes
) -> None:
    """An unknown pillar or status used to give an empty 200; a repeat, the last value."""
    answer = _get(harness, f"{BASE}/items", query)
    assert answer.status == 400, answer.body


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/collections", b"foo=1"),
        ("/collections/kelurahan", b"limit=5"),
        ("/conformance", b"f=xml"),
        ("/", b"f=xml"),
        ("/", b"lang=fr"),
        ("/coverage-gaps", b"pilar=siap&extra=1"),
        ("/coverage-gaps", b"pilar=siap&pillar=sehat"),
        (f"{BASE}", b"foo=1"),
        ("/health", b"foo=1"),
    ],
)
def test_every_api_route_refuses_what_it_does_not_declare(
    harness: Harness, path: str, query: bytes
) -> None:
    """Unknown parameters, an f or lang it cannot serve, pilar and pillar that disagree."""
    answer = _get(harness, path, query)
    assert answer.status == 400, (path, query, answer.body)


def test_unknown_parameters_on_action_reads_and_writes(harness: Harness) -> None:
    """A single action, its history and every write refuse an undeclared parameter too."""
    action = harness.actions[1].id
    url = f"{BASE}/items/{action}"
    before = fingerprint(harness)
    for method, path in (("GET", url), ("GET", f"{url}/history"), ("DELETE", url)):
        headers = [auth(harness), (b"if-match", current_etag(harness, 1))]
        answer = raw_request(harness, method, path, query=b"force=1", headers=headers)
        assert answer.status == 400, (method, path)
    assert fingerprint(harness) == before


@pytest.mark.parametrize(
    "query",
    [
        b"offset=%D9%A1%D9%A2",  # Arabic-Indic 12
        b"limit=%2B5",
        b"limit=%205",
        b"offset=1_0",
        b"zoom=%D9%A1",
        b"classify=quantiles&k=%203",
        b"classify=user&breaks=1_0",
        b"classify=user&breaks=%D9%A1",
        b"classify=user&breaks=" + b",".join(str(i).encode() for i in range(25)),
        b"population=nan",
        b"population=1e999",
        b"weights=siap_flood_share_2007:1_0",
        b"weights=siap_flood_share_2007:1e308,siap_pumps_1km:1e308",
        b"weights=siap_flood_share_2007:1e-320",
        b"weights=siap_flood_share_2007:2,siap_flood_share_2007:3",
    ],
)
def test_numbers_are_ascii_digits_in_range(harness: Harness, query: bytes) -> None:
    """int() and float() read other scripts' digits, underscores, spaces, nan: now a 400."""
    answer = _get(harness, "/collections/kelurahan/items", query)
    assert answer.status == 400, (query, answer.body[:200])


def test_the_map_page_reads_k_in_ascii_digits_only(harness: Harness) -> None:
    """/peta?k=٥ (Arabic-Indic five) drew 5 classes; now the friendly 400 page names k."""
    answer = _get(harness, "/peta", b"k=%D9%A5")
    assert answer.status == 400
    assert answer.headers["content-type"].startswith("text/html")


# siblings: headers and bodies ---------------------------------------------------------------


def test_if_match_lists_match_any_strong_tag(harness: Harness) -> None:
    """RFC 9110: If-Match "7", "<current>" matches (only the first tag was read before)."""
    url = f"{BASE}/items/{harness.actions[0].id}"
    tags = b'"999", ' + current_etag(harness)
    headers = [auth(harness), JSON_TYPE, (b"if-match", tags)]
    answer = raw_request(harness, "PATCH", url, headers=headers, body=b'{"properties":{}}')
    assert answer.status == 200, answer.body


def test_if_none_match_uses_the_weak_comparison(harness: Harness) -> None:
    """A weak tag or a list naming the current version revalidates (304)."""
    url = f"{BASE}/items/{harness.actions[1].id}"
    etag = current_etag(harness, 1)
    for value in (b"W/" + etag, b'"0", ' + etag, b"*"):
        answer = raw_request(harness, "GET", url, headers=[(b"if-none-match", value)])
        assert answer.status == 304, value


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (json.dumps(point_feature()).encode("utf-16"), "not UTF-8"),
        (b'{"type":"Feature","type":"Feature","geometry":null,"properties":{}}', "appears twice"),
        (b"", "empty"),
    ],
)
def test_bodies_that_are_not_one_clear_json_text(harness: Harness, body: bytes, words: str) -> None:
    """UTF-16 was decoded by guessing; a repeated member was resolved by the last one."""
    before = fingerprint(harness)
    answer = raw_request(
        harness, "POST", f"{BASE}/items", headers=[auth(harness), JSON_TYPE], body=body
    )
    assert answer.status == 400
    assert words in answer.json()["description"]
    assert fingerprint(harness) == before


@pytest.mark.parametrize(
    "props",
    [{"title": "Pompa\x1b[31m"}, {"lead_agency": "BPBD\x07"}, {"partners": ["UNDP\x85"]}],
)
def test_control_characters_in_text_are_refused(harness: Harness, props: dict[str, Any]) -> None:
    """Terminal escapes and other control characters (tab and line breaks stay allowed)."""
    body = json.dumps(point_feature(**props)).encode()
    answer = raw_request(
        harness, "POST", f"{BASE}/items", headers=[auth(harness), JSON_TYPE], body=body
    )
    assert answer.status == 422
    assert "control characters" in json.dumps(answer.json()["details"])


def test_a_junk_geometry_bbox_member_is_refused(harness: Harness) -> None:
    """geometry.bbox was ignored whatever it held; it must be [minx, miny, maxx, maxy]."""
    feature = point_feature()
    feature["geometry"]["bbox"] = ["a", {"b": 1}]
    body = json.dumps(feature).encode()
    answer = raw_request(
        harness, "POST", f"{BASE}/items", headers=[auth(harness), JSON_TYPE], body=body
    )
    assert answer.status == 422
    assert answer.json()["details"][0]["field"] == "geometry.bbox"


def test_a_malformed_bearer_token_is_named(harness: Harness) -> None:
    """An over-long value or characters no token has: a 401 that says so."""
    for value in (b"Bearer " + b"x" * 1000, b"Bearer \xff\xfe"):
        answer = raw_request(harness, "GET", f"{BASE}/items", headers=[(b"authorization", value)])
        assert answer.status == 401
        assert answer.json()["description"] != "the bearer token is not valid"
