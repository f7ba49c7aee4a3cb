"""The ``filter`` parameter (OGC API - Features Part 3): CQL2 text or JSON, parsed and checked.

The ``cql2`` library parses either encoding into the CQL2 JSON abstract syntax tree; this
module checks that tree against a collection's queryables (known properties, supported
operators, literals of the property's type) and gives it back as canonical JSON text, hashable
and the same for the same filter in either encoding. Evaluators work on that tree: on a
collection held in memory (:mod:`geo.ogc.cql_frame`) and in SQL for the actions store
(:mod:`geo.actions.cql_sql`).

Supported: Basic CQL2 (``AND``, ``OR``, ``NOT``, ``=``, ``<>``, ``<``, ``<=``, ``>``, ``>=``,
``IS NULL``, a property compared with a literal), the advanced comparison operators
(``LIKE``, ``BETWEEN``, ``IN``), and the spatial functions (``S_INTERSECTS``, ``S_WITHIN``,
``S_CONTAINS``, ``S_DISJOINT``, ``S_EQUALS``, ``S_TOUCHES``, ``S_OVERLAPS``, ``S_CROSSES``) of
the ``geometry`` property and a geometry literal (WKT, GeoJSON or ``BBOX``) in CRS84, and
``T_BEFORE``, ``T_AFTER``, ``T_INTERSECTS``, ``T_EQUALS``, ``T_DURING`` of a time property (an
instant) and a ``TIMESTAMP``, ``DATE`` or ``INTERVAL``, rewritten as comparisons (the other
temporal functions, and intervals as properties, are not supported: the class is not declared).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from typing import Any

import cql2
import orjson
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from geo.errors import InvalidParameterError
from geo.params import MAX_INT_DIGITS, parse_instant, shown

GEOMETRY = "geometry"
"""The name of a collection's geometry in a filter (its queryable with role primary-geometry)."""

LANGUAGES = ("cql2-text", "cql2-json")
"""Values of ``filter-lang`` (``cql2-text`` is the default)."""

COMPARISONS = frozenset({"=", "<>", "<", "<=", ">", ">="})
LOGICAL = frozenset({"and", "or", "not"})
SPATIAL = frozenset(
    {
        "s_intersects",
        "s_within",
        "s_contains",
        "s_disjoint",
        "s_equals",
        "s_touches",
        "s_overlaps",
        "s_crosses",
    }
)
ADVANCED = frozenset({"like", "between", "in"})
OPERATORS = COMPARISONS | LOGICAL | SPATIAL | ADVANCED | {"isNull"}

MAX_FILTER = 8000
"""Longest ``filter`` accepted (characters)."""
MAX_NODES = 400
"""Most nodes (operators, properties, literals) of one filter."""

FORMS = {
    "cql2-text": "e.g. filter=score_siap > 0.5 AND nama LIKE 'K%' or "
    "filter=S_INTERSECTS(geometry, POINT(106.8 -6.2))",
    "cql2-json": 'e.g. filter={"op": ">", "args": [{"property": "score_siap"}, 0.5]}',
}
"""The expected form of a filter in each language, for error messages."""


def parse_filter(text: str, lang: str | None, kinds: Mapping[str, str], geometry: bool) -> str:
    """Parse and check a ``filter``; its canonical CQL2 JSON text.

    Parameters
    ----------
    text : str
        The filter, in CQL2 text or CQL2 JSON.
    lang : str or None
        ``filter-lang`` (None: ``cql2-text``).
    kinds : mapping of str to str
        The queryable properties and their kind (``text``, ``number``, ``bool``, ``time``,
        ``enum``).
    geometry : bool
        The collection has a geometry (``geometry`` is a queryable).

    Returns
    -------
    str
        The checked tree as canonical JSON (sorted keys).

    Raises
    ------
    InvalidParameterError
        A syntax error (with the parser's message and the expected form), an unknown
        property (naming it and listing the queryables), an unsupported operator or a
        literal of the wrong type.
    """
    language = (lang or LANGUAGES[0]).strip().lower()
    if language not in LANGUAGES:
        raise InvalidParameterError(
            f"filter-lang must be one of {', '.join(LANGUAGES)}, got {shown(lang or '')}"
        )
    if not text.strip():
        raise InvalidParameterError(f"filter is empty; {FORMS[language]}")
    if len(text) > MAX_FILTER:
        raise InvalidParameterError(f"filter is longer than {MAX_FILTER:,} characters")
    try:
        parsed = cql2.parse_text(text) if language == "cql2-text" else cql2.parse_json(text)
        tree = parsed.to_json()
    except Exception as err:  # the library raises ParseError or a bare Exception
        raise InvalidParameterError(
            f"filter is not valid {language}: {_first_lines(str(err))}; {FORMS[language]}",
            details={"filter-lang": language, "expected": FORMS[language]},
        ) from err
    if sum(1 for _ in _nodes(tree)) > MAX_NODES:
        raise InvalidParameterError(f"filter has more than {MAX_NODES} terms")
    names = {n["property"] for n in _nodes(tree) if _is_property(n)}
    known = set(kinds) | ({GEOMETRY} if geometry else set())
    unknown = sorted(names - known)
    if unknown:
        raise InvalidParameterError(
            "filter names unknown properties: " + ", ".join(shown(u) for u in unknown),
            details={"unknown": unknown, "queryables": sorted(known)},
        )
    tree = _normalised(tree, kinds)
    _check(tree, kinds)
    return orjson.dumps(tree, option=orjson.OPT_SORT_KEYS).decode()


_FLIPPED = {"=": "=", "<>": "<>", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
_FLIPPED_SPATIAL = {
    **{op: op for op in SPATIAL - {"s_within", "s_contains"}},  # symmetric predicates
    "s_within": "s_contains",  # S_WITHIN(a, b) is S_CONTAINS(b, a)
    "s_contains": "s_within",
}
"""Spatial functions written literal first (``S_INTERSECTS(POINT(..), geometry)``, as CQL2
allows) turned round to the geometry property first."""


TEMPORAL = frozenset({"t_before", "t_after", "t_intersects", "t_equals", "t_during"})
"""Temporal functions of an instant property, rewritten as comparisons by :func:`_temporal`."""


def _temporal(op: str, args: list[Any], kinds: Mapping[str, str]) -> Any:
    """``T_*(property, instant or interval)`` as comparisons of the (instant) property."""
    if len(args) != 2 or not _is_property(args[0]):
        raise InvalidParameterError(
            f"filter: {op.upper()} needs a time property and a TIMESTAMP, DATE or INTERVAL, "
            f"e.g. {op.upper()}(t, INTERVAL('2017-01-01T00:00:00Z','2017-01-02T00:00:00Z'))"
        )
    prop, value = args
    if kinds.get(prop["property"], "time") != "time":
        raise InvalidParameterError(f"filter: {op.upper()} applies to time properties")
    interval = value.get("interval") if isinstance(value, dict) else None
    if interval is None:
        start = end = value
    elif isinstance(interval, list) and len(interval) == 2:
        start, end = interval
    else:
        raise InvalidParameterError("filter: an INTERVAL has a start and an end ('..': open)")

    def cmp(symbol: str, bound: Any) -> Any:
        return True if bound == ".." else {"op": symbol, "args": [prop, bound]}

    def both(*parts: Any) -> Any:
        kept = [p for p in parts if p is not True]
        return kept[0] if len(kept) == 1 else {"op": "and", "args": kept} if kept else True

    if op == "t_before":
        return cmp("<", start) if start != ".." else False
    if op == "t_after":
        return cmp(">", end) if end != ".." else False
    if op == "t_during":
        return both(cmp(">", start), cmp("<", end)) if interval is not None else False
    if op == "t_equals" and interval is not None:
        return False  # an instant never equals an interval
    return both(cmp(">=", start), cmp("<=", end))


def _normalised(node: Any, kinds: Mapping[str, str]) -> Any:
    """The tree with every ``literal op property`` comparison as ``property op' literal`` and
    every temporal function as comparisons."""
    if not isinstance(node, dict) or "op" not in node:
        return node
    op, args = node["op"], node.get("args") or []
    if op in LOGICAL and isinstance(args, list):
        return {"op": op, "args": [_normalised(a, kinds) for a in args]}
    if op in TEMPORAL and isinstance(args, list):
        return _temporal(op, args, kinds)
    if op in _FLIPPED and len(args) == 2 and not _is_property(args[0]) and _is_property(args[1]):
        return {"op": _FLIPPED[op], "args": [args[1], args[0]]}
    if op in SPATIAL and len(args) == 2 and not _is_property(args[0]) and _is_property(args[1]):
        return {"op": _FLIPPED_SPATIAL[op], "args": [args[1], args[0]]}
    return node


def _first_lines(message: str) -> str:
    return " ".join(line.strip() for line in message.strip().splitlines() if line.strip())[:400]


def _nodes(node: Any) -> Iterator[Any]:
    yield node
    if isinstance(node, dict) and isinstance(node.get("args"), list):
        for arg in node["args"]:
            yield from _nodes(arg)
    elif isinstance(node, list):
        for item in node:
            yield from _nodes(item)


def _is_property(node: Any) -> bool:
    return isinstance(node, dict) and set(node) == {"property"}


def is_geometry_literal(node: Any) -> bool:
    """A GeoJSON geometry or a ``BBOX`` literal."""
    return isinstance(node, dict) and (("bbox" in node and len(node) == 1) or "type" in node)


def literal_geometry(node: Mapping[str, Any]) -> BaseGeometry:
    """The shapely geometry of a geometry literal (a GeoJSON geometry or a bbox)."""
    if "bbox" in node:
        box = [float(v) for v in node["bbox"]]
        if len(box) == 6:
            box = [box[0], box[1], box[3], box[4]]
        if len(box) != 4:
            raise ValueError("a BBOX has 4 or 6 numbers")
        return shapely.box(box[0], box[1], box[2], box[3])
    geom: BaseGeometry = shapely.from_geojson(orjson.dumps(node).decode())
    return geom


def _check(node: Any, kinds: Mapping[str, str]) -> None:
    if isinstance(node, bool):  # TRUE and FALSE are conditions too (Basic CQL2)
        return
    if not isinstance(node, dict) or "op" not in node:
        raise InvalidParameterError(
            f"filter must be a condition (a comparison, LIKE, IN, BETWEEN, IS NULL, a "
            f"spatial function or their AND/OR/NOT), got {shown(str(node))}"
        )
    op, args = node["op"], node.get("args") or []
    if op not in OPERATORS:
        raise InvalidParameterError(
            f"filter: the operator {shown(str(op))} is not supported; use AND, OR, NOT, "
            "=, <>, <, <=, >, >=, LIKE, IN, BETWEEN, IS NULL or S_INTERSECTS, S_WITHIN, "
            "S_CONTAINS, S_DISJOINT, S_EQUALS, S_TOUCHES, S_OVERLAPS, S_CROSSES, and on a time "
            "property T_BEFORE, T_AFTER, T_INTERSECTS, T_EQUALS, T_DURING"
        )
    arity = {"not": (1, 1), "isNull": (1, 1), "between": (3, 3), "in": (2, 2)}.get(
        op, (1, MAX_NODES) if op in LOGICAL else (2, 2)
    )
    if not isinstance(args, list) or not arity[0] <= len(args) <= arity[1]:
        count = len(args) if isinstance(args, list) else 0
        raise InvalidParameterError(
            f"filter: {op.upper()} takes {arity[0]}"
            + ("" if arity[0] == arity[1] else " or more")
            + f" arguments, got {count}"
        )
    if op in LOGICAL:
        for arg in args:
            _check(arg, kinds)
        return
    if op == "in" and not isinstance(args[1], list):
        raise InvalidParameterError(
            "filter: IN takes a list of values, e.g. kode_kota IN ('31.71')"
        )
    if op in SPATIAL:
        _check_spatial(op, args)
        return
    if not args or not _is_property(args[0]) or args[0]["property"] == GEOMETRY:
        raise InvalidParameterError(
            f"filter: {op.upper()} needs a property (not the geometry) first, e.g. "
            "score_siap > 0.5; comparing two properties or two literals is not supported"
        )
    name = args[0]["property"]
    kind = kinds[name]
    rest = args[1:]
    if op == "isNull":
        return
    if op == "in":
        rest = rest[0] if rest and isinstance(rest[0], list) else rest
    if op == "like" and kind not in ("text", "enum"):
        raise InvalidParameterError(f"filter: LIKE applies to text properties; {name} is {kind}")
    if op == "between" and kind not in ("number", "time"):
        raise InvalidParameterError(
            f"filter: BETWEEN applies to numbers and times; {name} is {kind}"
        )
    for value in rest:
        _check_literal(name, kind, value)


def _check_spatial(op: str, args: list[Any]) -> None:
    if len(args) != 2 or not _is_property(args[0]) or not is_geometry_literal(args[1]):
        raise InvalidParameterError(
            f"filter: {op.upper()} needs the geometry property and a geometry literal, e.g. "
            f"{op.upper()}(geometry, POINT(106.8 -6.2)) or {op.upper()}(geometry, "
            "BBOX(106.7,-6.3,106.9,-6.1))"
        )
    if args[0]["property"] != GEOMETRY:
        raise InvalidParameterError(f"filter: {op.upper()} applies to the property geometry")
    try:
        geom = literal_geometry(args[1])
    except (shapely.errors.GEOSException, ValueError, TypeError) as err:
        raise InvalidParameterError(f"filter: invalid geometry literal ({err})") from err
    minx, miny, maxx, maxy = geom.bounds if not geom.is_empty else (0.0, 0.0, 0.0, 0.0)
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise InvalidParameterError(
            f"filter: the geometry literal of {op.upper()} is outside CRS84 (longitude "
            "-180..180, latitude -90..90, in that order); filter-crs is CRS84 only"
        )
    if geom.is_empty or not shapely.is_valid(geom):
        raise InvalidParameterError(
            f"filter: the geometry literal of {op.upper()} is empty or invalid "
            f"({shapely.is_valid_reason(geom)})"
        )


def _check_literal(name: str, kind: str, value: Any) -> None:
    if _is_property(value):
        raise InvalidParameterError(
            f"filter: comparing two properties ({name}, {value['property']}) is not supported"
        )
    ok = {
        "number": _is_number(value),
        "bool": isinstance(value, bool),
        "text": isinstance(value, str),
        "enum": isinstance(value, str),
        "time": _is_time(value),
    }.get(kind, False)
    if not ok:
        expected = {
            "number": f"a number (finite; integers of at most {MAX_INT_DIGITS} digits)",
            "bool": "TRUE or FALSE",
            "text": "a 'quoted' string",
            "enum": "a 'quoted' string",
            "time": "TIMESTAMP('2024-01-01T00:00:00Z') or DATE('2024-01-01'), years 0001-9999",
        }.get(kind, "a literal")
        raise InvalidParameterError(
            f"filter: {name} is compared with {shown(str(value))}; expected {expected}"
        )


def _is_number(value: Any) -> bool:
    """A finite number a 64-bit column can be compared with: integers of at most
    :data:`geo.params.MAX_INT_DIGITS` digits (SQLite and numpy hold 64 bits), finite floats."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return len(str(abs(value))) <= MAX_INT_DIGITS
    return isinstance(value, float) and math.isfinite(value)


def _is_time(value: Any) -> bool:
    """Whether ``value`` is a ``TIMESTAMP``/``DATE`` literal the ``datetime`` parameter would
    accept too (RFC 3339, years 0001..9999 in UTC: :func:`geo.params.parse_instant`)."""
    text = time_text(value)
    if text is None:
        return False
    try:
        return parse_instant(text) is not None
    except InvalidParameterError:
        return False


def timestamp(value: Any) -> pd.Timestamp:
    """A checked ``TIMESTAMP``/``DATE`` literal (or ISO string) as a UTC timestamp."""
    moment = parse_instant(str(time_text(value)))
    if moment is None:  # '..' is an open end of an INTERVAL, never a literal of its own
        raise InvalidParameterError("filter: '..' is an open end of an INTERVAL, not an instant")
    return pd.Timestamp(moment)


def time_text(value: Any) -> str | None:
    """The ISO text of a ``TIMESTAMP``/``DATE`` literal (or a plain string), else None."""
    if isinstance(value, dict) and len(value) == 1 and ("timestamp" in value or "date" in value):
        text = value.get("timestamp", value.get("date"))
        return text if isinstance(text, str) else None
    return value if isinstance(value, str) else None
