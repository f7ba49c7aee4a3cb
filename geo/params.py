"""Typed, bounded parsers of request parameters, shared by every route and the CLI.

Each parser takes the text a client sent and either returns a value inside a documented
range or raises :class:`geo.errors.InvalidParameterError` naming the parameter and what to
send instead. The checks run before any library sees the value, because the libraries are
lenient in ways that end in a crash or a silent surprise:

- Python's ``int()`` and ``float()`` accept digits of every script (``"١٢"`` is 12),
  underscores (``"1_0"`` is 10), surrounding spaces, ``nan`` and ``inf``; ``str.isdigit()``
  is true for superscripts (``"²"``) that ``int()`` then refuses. Here a number is written
  with ASCII digits only.
- SQLite and numpy hold 64-bit integers: an ``offset`` of ``2**63`` overflows. Integers here
  have at most :data:`MAX_INT_DIGITS` digits and each parameter has its own range.
- pandas and ``datetime`` hold years 1..9999 only (and pandas formats years outside
  1..9999 not at all): a ``datetime`` is checked to lie in :data:`DATETIME_MIN` ..
  :data:`DATETIME_MAX` *after* its UTC offset is applied.

Echoed values are shortened (:func:`shown`) so that a message stays readable whatever was sent.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Sequence
from datetime import UTC, date, datetime, timedelta, timezone

from geo.errors import InvalidParameterError

MAX_INT_DIGITS = 18
"""Most digits of an integer parameter: every value fits a signed 64-bit integer."""
MAX_NUMBER_CHARS = 64
"""Longest text of one decimal number (a coordinate, a weight, a class break)."""
MAX_OFFSET = 10**9
"""Largest ``offset`` of a paged listing (more features than any collection could hold)."""
MAX_DATETIME_CHARS = 64
"""Longest text of one ``datetime`` instant."""
DATETIME_MIN = datetime(1, 1, 1, tzinfo=UTC)
"""Earliest instant a ``datetime`` parameter may name (UTC)."""
DATETIME_MAX = datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)
"""Latest instant a ``datetime`` parameter may name (UTC)."""

_INT = re.compile(r"-?[0-9]+", re.ASCII)
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", re.ASCII)
_INSTANT = re.compile(
    r"(?P<y>[0-9]{4})-(?P<mo>[0-9]{2})-(?P<d>[0-9]{2})"
    r"(?:[Tt ](?P<h>[0-9]{2}):(?P<mi>[0-9]{2})(?::(?P<s>[0-9]{2})(?:\.(?P<frac>[0-9]+))?)?"
    r"(?P<tz>[Zz]|(?P<sign>[+-])(?P<oh>[0-9]{2}):?(?P<om>[0-9]{2}))?)?",
    re.ASCII,
)
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)


def shown(value: object, limit: int = 60) -> str:
    """``repr(value)`` shortened to about ``limit`` characters, safe to put in any message.

    ``repr`` escapes control characters and lone surrogates, so the result always encodes.
    """
    text = ascii(value) if isinstance(value, str) and not value.isprintable() else repr(value)
    if len(text) <= limit:
        return text
    return f"{text[: limit - 12]}... ({len(str(value)):,} characters)"


def parse_int(name: str, text: str, *, lo: int | None = None, hi: int | None = None) -> int:
    """Parse a whole number written in ASCII digits (an optional leading minus).

    Parameters
    ----------
    name : str
        The parameter, for the message.
    text : str
        What the client sent.
    lo, hi : int, optional
        Inclusive bounds; without ``hi`` the value still has at most :data:`MAX_INT_DIGITS`
        digits.

    Returns
    -------
    int

    Raises
    ------
    InvalidParameterError
        Not ASCII digits, too many digits, or outside ``lo``..``hi``.
    """
    span = _span(lo, hi)
    if not _INT.fullmatch(text) or len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise InvalidParameterError(
            f"{name} must be a whole number{span} written with the digits 0-9, got {shown(text)}",
            details=[{"field": name, "message": f"a whole number{span}"}],
        )
    value = int(text)
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        bound = f"at least {lo}" if lo is not None and value < lo else f"at most {hi}"
        raise InvalidParameterError(
            f"{name} must be {bound}, got {value}",
            details=[{"field": name, "message": f"a whole number{span}"}],
        )
    return value


def _span(lo: int | None, hi: int | None) -> str:
    if lo is not None and hi is not None:
        return f" from {lo} to {hi}"
    if lo is not None:
        return f" of at least {lo}"
    return "" if hi is None else f" of at most {hi}"


def parse_number(name: str, text: str) -> float:
    """Parse a finite decimal number (``-6.2``, ``1e-3``) written in ASCII digits.

    Raises
    ------
    InvalidParameterError
        Not a decimal number (``nan``, ``inf``, other scripts' digits, underscores), longer
        than :data:`MAX_NUMBER_CHARS`, or too large for a float (``1e400``).
    """
    text = text.strip(" ")
    if len(text) > MAX_NUMBER_CHARS or not _NUMBER.fullmatch(text):
        raise InvalidParameterError(
            f"{name} must be a decimal number like 0.5 or -6.2 (digits 0-9), got {shown(text)}",
            details=[{"field": name, "message": "a decimal number"}],
        )
    value = float(text)
    if not math.isfinite(value):
        raise InvalidParameterError(
            f"{name} is too large to be a number: {shown(text)}",
            details=[{"field": name, "message": "a finite decimal number"}],
        )
    return value


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    """Parse and check a CRS84 ``bbox`` (4 numbers, or 6 with heights that are ignored).

    Parameters
    ----------
    text : str
        ``minx,miny,maxx,maxy`` in degrees.

    Returns
    -------
    tuple of 4 floats

    Raises
    ------
    InvalidParameterError
        Not 4 (or 6) numbers, a number not finite, min greater than max, or outside
        -180..180 / -90..90.
    """
    parts = text.split(",")
    if len(parts) not in (4, 6):
        raise InvalidParameterError(
            f"bbox must be 4 numbers minx,miny,maxx,maxy (CRS84), got {len(parts)} values",
            details=[{"field": "bbox", "message": "four comma-separated numbers"}],
        )
    nums = [parse_number("bbox", p) for p in parts]
    if len(nums) == 6:
        nums = [nums[0], nums[1], nums[3], nums[4]]
    minx, miny, maxx, maxy = nums
    if minx > maxx or miny > maxy:
        raise InvalidParameterError(
            f"bbox must have minx <= maxx and miny <= maxy, got {minx},{miny},{maxx},{maxy}",
            details=[{"field": "bbox", "message": "min greater than max"}],
        )
    if not (
        -180 <= minx <= 180 and -180 <= maxx <= 180 and -90 <= miny <= 90 and -90 <= maxy <= 90
    ):
        raise InvalidParameterError(
            "bbox must lie within longitude -180..180 and latitude -90..90 (CRS84)",
            details=[{"field": "bbox", "message": "outside -180..180 / -90..90"}],
        )
    return minx, miny, maxx, maxy


def parse_instant(text: str) -> datetime | None:
    """Parse one RFC 3339 date or date-time (``..`` or empty: an open end) as UTC.

    A date-time without an offset is UTC. The instant must lie in :data:`DATETIME_MIN` ..
    :data:`DATETIME_MAX` once its offset is applied (``0001-01-01T00:00:00+01:00`` is in
    year 0 in UTC, so it is refused).

    Raises
    ------
    InvalidParameterError
    """
    text = text.strip(" ")
    if text in ("", ".."):
        return None
    match = _INSTANT.fullmatch(text) if len(text) <= MAX_DATETIME_CHARS else None
    if match is None:
        raise InvalidParameterError(
            "datetime must be RFC 3339 (e.g. 2017-02-20T10:00:00Z) or an interval a/b, "
            f"got {shown(text)}",
            details=[{"field": "datetime", "message": "an RFC 3339 instant or interval"}],
        )
    g = match.groupdict()
    if g["y"] == "0000":
        raise _out_of_range(text)
    try:
        naive = datetime(
            int(g["y"]),
            int(g["mo"]),
            int(g["d"]),
            int(g["h"] or 0),
            int(g["mi"] or 0),
            int(g["s"] or 0),
            int((g["frac"] or "0")[:6].ljust(6, "0")),
        )
        if int(g["om"] or 0) > 59:
            raise ValueError("offset minutes over 59")
        offset = timedelta(hours=int(g["oh"] or 0), minutes=int(g["om"] or 0))
        tz = timezone(-offset if g["sign"] == "-" else offset)
    except ValueError:
        raise InvalidParameterError(
            f"datetime {shown(text)} is not a valid date or time",
            details=[{"field": "datetime", "message": "not a valid date or time"}],
        ) from None
    try:
        return naive.replace(tzinfo=tz).astimezone(UTC)
    except OverflowError:  # the offset moves it into year 0 or year 10000
        raise _out_of_range(text) from None


def _out_of_range(text: str) -> InvalidParameterError:
    return InvalidParameterError(
        f"datetime {shown(text)} lies outside the years 0001..9999 in UTC (after its offset); "
        "send an instant from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z",
        details=[{"field": "datetime", "message": "outside 0001..9999 (UTC)"}],
    )


def iso_instant(moment: datetime) -> str:
    """An instant as RFC 3339 UTC text to the second, ``0001-01-01T00:00:00Z`` style."""
    m = moment.astimezone(UTC)
    return f"{m.year:04d}-{m.month:02d}-{m.day:02d}T{m.hour:02d}:{m.minute:02d}:{m.second:02d}Z"


def parse_datetime(text: str) -> tuple[str | None, str | None]:
    """Parse an OGC ``datetime``: an instant or an interval ``start/end`` (``..`` = open).

    Returns
    -------
    (start, end) as RFC 3339 UTC text (see :func:`iso_instant`), None for an open end.

    Raises
    ------
    InvalidParameterError
        Not RFC 3339, outside :data:`DATETIME_MIN`..:data:`DATETIME_MAX`, both ends open,
        or a start after the end.
    """
    if "/" in text:
        start_text, _, end_text = text.partition("/")
        start, end = parse_instant(start_text), parse_instant(end_text)
        if start is None and end is None:
            raise InvalidParameterError("datetime interval needs at least one end")
        if start is not None and end is not None and start > end:
            raise InvalidParameterError(
                f"datetime interval starts after it ends: {shown(text)}",
                details=[{"field": "datetime", "message": "start after end"}],
            )
        return _iso_or_none(start), _iso_or_none(end)
    instant = parse_instant(text)
    if instant is None:
        raise InvalidParameterError("datetime must not be empty")
    return iso_instant(instant), iso_instant(instant)


def _iso_or_none(moment: datetime | None) -> str | None:
    return None if moment is None else iso_instant(moment)


def parse_iso_date(text: str) -> date:
    """Parse a calendar date ``YYYY-MM-DD`` (ASCII digits; years 0001..9999).

    Raises
    ------
    ValueError
        With a message for a person (the action model turns it into a field error).
    """
    if not _DATE.fullmatch(text):
        raise ValueError("must be an ISO date like 2025-01-31 (digits 0-9)")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text} is not a date of the calendar (years 0001..9999)") from None


def single_values(
    params: Sequence[tuple[str, str]], allowed: Collection[str] | None = None
) -> dict[str, str]:
    """Query parameters as a dict: each given at most once, and (with ``allowed``) known.

    Raises
    ------
    InvalidParameterError
        A parameter given twice, or one not in ``allowed`` (every unknown one is named).
    """
    seen: dict[str, str] = {}
    for key, value in params:
        if key in seen:
            raise InvalidParameterError(
                f"parameter {shown(key)} is given more than once",
                details=[{"field": key, "message": "given more than once"}],
            )
        seen[key] = value
    if allowed is not None:
        unknown = sorted(k for k in seen if k not in allowed)
        if unknown:
            raise InvalidParameterError(
                "unknown parameter: " + ", ".join(shown(k) for k in unknown),
                details={"unknown": unknown, "parameters": sorted(allowed)},
            )
    return seen
