"""Property-based tests of the parsers behind every route and command (no app needed).

Each parser, given anything, either returns a value inside its documented range or raises
the project's own error with a message that encodes; the error renderer turns anything into
strict JSON in UTF-8; the command line answers any argument with a plain message, never a
stack trace.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from propkit import (
    ANY_TEXT,
    CORE_PROPERTIES,
    HEADER_BYTES,
    JSON_VALUES,
    PROPERTIES,
    cli_environment,
    to_json,
)
from typer.testing import CliRunner

from api.body import MAX_JSON_DEPTH, decode_json
from api.cli import app as cli
from api.errors import error_bytes
from api.headers import (
    bearer_secret,
    content_length,
    none_match,
    parse_entity_tags,
    preferred_language,
    require_json_media_type,
)
from geo.actions.geometry import parse_geometry
from geo.actions.model import property_errors
from geo.errors import KetahananError
from geo.params import (
    DATETIME_MAX,
    DATETIME_MIN,
    MAX_INT_DIGITS,
    parse_bbox,
    parse_datetime,
    parse_instant,
    parse_int,
    parse_number,
)
from geo.scores import MAX_WEIGHT, MIN_WEIGHT, parse_weights
from geo.settings import get_settings

NUMBERISH = st.one_of(
    ANY_TEXT,
    st.integers().map(str),
    st.floats().map(str),
    st.text(alphabet="0123456789١٢³²_+-.eE ", max_size=25),
    st.sampled_from(["9" * 5000, "1e400", "nan", "-0", "٥"]),
)


REFUSED = object()
"""What :func:`_outcome` returns when the parser refused its input."""


def _outcome(parse: Any, *args: Any, statuses: tuple[int, ...] = (400,), **kwargs: Any) -> Any:
    """The parser's result, or :data:`REFUSED` after checking its error (status, message)."""
    try:
        return parse(*args, **kwargs)
    except KetahananError as exc:
        assert exc.status in statuses, (exc.status, exc.message)
        assert exc.message
        exc.message.encode("utf-8")  # the message itself encodes
        return REFUSED


@CORE_PROPERTIES
@given(text=NUMBERISH, lo=st.none() | st.integers(-5, 5), hi=st.none() | st.integers(5, 10**9))
def test_parse_int_is_ascii_and_in_range(text: str, lo: int | None, hi: int | None) -> None:
    """A whole number in ASCII digits inside lo..hi, or a 400 naming the parameter."""
    value = _outcome(parse_int, "offset", text, lo=lo, hi=hi)
    if value is REFUSED:
        return
    assert text.lstrip("-").isascii() and text.lstrip("-").isdigit()
    assert len(text.lstrip("-")) <= MAX_INT_DIGITS
    assert (lo is None or value >= lo) and (hi is None or value <= hi)


@CORE_PROPERTIES
@given(text=NUMBERISH)
def test_parse_number_is_finite(text: str) -> None:
    """A finite float from ASCII text, or a 400."""
    value = _outcome(parse_number, "breaks", text)
    if value is REFUSED:
        return
    assert math.isfinite(value) and text.strip(" ").isascii()


@CORE_PROPERTIES
@given(parts=st.lists(NUMBERISH, max_size=7))
def test_parse_bbox_is_ordered_and_on_the_globe(parts: list[str]) -> None:
    """Four ordered coordinates within -180..180 / -90..90, or a 400."""
    box = _outcome(parse_bbox, ",".join(parts))
    if box is REFUSED:
        return
    minx, miny, maxx, maxy = box
    assert -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90


@CORE_PROPERTIES
@given(text=ANY_TEXT | st.datetimes().map(lambda d: d.isoformat() + "+01:00"))
@example(text="0001-01-01T00:00:00+01:00")
@example(text="9999-12-31T23:00:00-05:00")
@example(text="0000-01-01")
def test_datetime_lies_in_years_1_to_9999_in_utc(text: str) -> None:
    """An instant in the documented range (after its offset), or a 400."""
    moment = _outcome(parse_instant, text)
    if moment is REFUSED:
        return
    assert moment is None or DATETIME_MIN <= moment <= DATETIME_MAX
    if moment is not None:
        assert _outcome(parse_datetime, text) is not REFUSED


@CORE_PROPERTIES
@given(value=HEADER_BYTES.map(lambda b: b.decode("latin-1")))
@example(value='W/"3"')
def test_entity_tags_and_conditional_headers(value: str) -> None:
    """If-Match / If-None-Match text: a tag list, ``*`` or a 400; If-None-Match never fails."""
    tags = _outcome(parse_entity_tags, value, "If-Match")
    if tags is not REFUSED:
        assert tags is None or len(tags) >= 1
        if tags is not None and value.strip() == 'W/"3"':
            assert tags[0].weak
    assert isinstance(none_match(value, ("3",)), bool)


@CORE_PROPERTIES
@given(value=HEADER_BYTES.map(lambda b: b.decode("latin-1")))
def test_other_headers(value: str) -> None:
    """Content-Length, Content-Type, Authorization, Accept-Language: a value or a 4xx."""
    for check in (content_length, require_json_media_type, bearer_secret):
        _outcome(check, value, statuses=(400, 401, 415))
    assert preferred_language(value, ("id", "en")) in (None, "id", "en")


@CORE_PROPERTIES
@given(
    raw=st.binary(max_size=200)
    | JSON_VALUES.map(to_json)
    | st.integers(0, 3000).map(lambda n: b"[" * n + b"]" * n)
)
@example(raw=b'{"\\ud800": 1}')
@example(raw=b'{"a": 1, "a": 2}')
def test_body_decoder(raw: bytes) -> None:
    """Any bytes: a JSON value of at most the documented depth, or a 400 that encodes."""
    value = _outcome(decode_json, raw)
    if value is REFUSED:
        return
    json.dumps(value, allow_nan=True).encode("utf-8")  # no lone surrogate survived
    assert _depth(value) <= MAX_JSON_DEPTH


def _depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    return 0


class _Unprintable:
    def __str__(self) -> str:
        raise RuntimeError("no text")


_ODD_VALUES = (_Unprintable(), object(), b"\xff", float("nan"), {1: 2}, ("t", {"\ud800"}))
ODD = st.one_of(
    JSON_VALUES,
    st.integers(0, len(_ODD_VALUES) - 1).map(lambda i: _ODD_VALUES[i]),
    st.integers(4301, 4400).map(lambda n: 10**n),  # too long for str() (drawn lazily)
)


@PROPERTIES
@given(
    description=ANY_TEXT,
    details=st.recursive(
        ODD,
        lambda c: st.lists(c, max_size=4) | st.dictionaries(ANY_TEXT, c, max_size=4),
        max_leaves=12,
    ),
)
@example(description="\ud800", details=[{"field": "geometry.\ud800", "message": "x"}])
def test_error_renderer_never_fails(description: str, details: Any) -> None:
    """The error renderer turns anything into strict JSON in UTF-8."""
    body = json.loads(error_bytes("validation_error", description, details).decode("utf-8"))
    assert body["code"] == "validation_error" and isinstance(body["description"], str)


@CORE_PROPERTIES
@given(text=ANY_TEXT | NUMBERISH.map(lambda w: f"siap_flood_share_2007:{w}"))
def test_weights_are_bounded(text: str) -> None:
    """Weights parse to 0 or 0.001..1000 per known indicator, or a 400."""
    weights = _outcome(parse_weights, text)
    if weights is REFUSED:
        return
    assert all(w == 0 or MIN_WEIGHT <= w <= MAX_WEIGHT for w in weights.values())


@CORE_PROPERTIES
@given(props=JSON_VALUES, geometry=JSON_VALUES)
@example(
    props={"strategy_goal": "   ", "title": "a", "pillar": "siap", "lead_agency": "x"},
    geometry=None,
)
@example(props={}, geometry={"type": "Point", "coordinates": [10**400, -6.2]})
def test_model_and_geometry_checks_return_field_errors(props: Any, geometry: Any) -> None:
    """The action checks answer any value with a model or field errors, never an exception."""
    model, errors = property_errors(props)
    assert (model is None) == bool(errors)
    if isinstance(props, dict) and isinstance(props.get("strategy_goal"), str):
        assert model is None or props["strategy_goal"].strip()
    geom, geom_errors = parse_geometry(geometry, 1000)
    assert geom is None or not geom_errors


@pytest.fixture(scope="module")
def cli_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Settings for the command line: a fresh actions database and layer registry."""
    folder = tmp_path_factory.mktemp("cli")
    with pytest.MonkeyPatch.context() as mp:
        cli_environment(mp, folder)
        yield folder
    get_settings.cache_clear()


ARGUMENT = st.one_of(
    ANY_TEXT.filter(lambda s: "\x00" not in s),
    st.sampled_from(["[/]", "[bold red]x", "\udcff\udcfe", "a\x1b[31mb", "   ", "x" * 300]),
)


@PROPERTIES
@given(
    command=st.sampled_from(
        [
            ["token", "create", "--name", "{}"],
            ["token", "create", "--name", "ok-{}", "--role", "{}"],
            ["token", "revoke", "{}"],
            ["layer", "remove", "{}"],
            ["layer", "add", "{}", "--indicator", "sehat_clean_water_access"],
            ["layer", "add", "/tmp", "--indicator", "{}"],
            ["layer", "add", "{}", "--scenario", "tanggul"],
            ["layer", "add", "/tmp", "--scenario", "{}"],
            ["serve", "--port", "{}"],
            ["flood", "ingest", "{}"],
            ["flood", "follow", "http://127.0.0.1:9/", "--every", "{}", "--times", "1"],
            ["flood", "follow", "{}", "--times", "1", "--for", "{}"],
        ]
    ),
    argument=ARGUMENT,
)
@example(command=["token", "create", "--name", "{}"], argument="\udcff\udcfe")
@example(command=["layer", "remove", "{}"], argument="[/]")
@example(command=["layer", "add", "{}", "--indicator", "sehat_clean_water_access"], argument="/tmp")
@example(command=["layer", "add", "{}", "--scenario", "tanggul"], argument="/tmp")
@example(command=["layer", "add", "/tmp", "--scenario", "{}"], argument="kini")
@example(command=["flood", "ingest", "{}"], argument="x" * 300)
@example(
    command=["layer", "add", "{}", "--indicator", "sehat_clean_water_access"], argument="x" * 300
)
@example(command=["layer", "add", "{}", "--scenario", "tanggul"], argument="x" * 300)
@example(
    command=["flood", "follow", "http://127.0.0.1:9/", "--every", "{}", "--times", "1"],
    argument="5m",
)
def test_command_line_answers_any_argument(
    cli_env: Path, command: list[str], argument: str
) -> None:
    """Any argument text (markup, lone surrogates, control characters): a plain message."""
    args = [part.replace("{}", argument) for part in command]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code in (0, 1, 2), (args, result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        args,
        repr(result.exception),
    )
    assert "Traceback" not in result.output
