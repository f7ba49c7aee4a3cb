"""A checked CQL2 filter (the JSON tree of :mod:`geo.ogc.cql`) as a SQLAlchemy expression.

Every literal becomes a bound parameter; nothing of the filter is spliced into SQL text.
Comparisons, ``LIKE``, ``IN``, ``BETWEEN`` and ``IS NULL`` are SQL's own (with its
three-valued logic, as the in-memory evaluator). ``LIKE`` is case-sensitive on both dialects
(SQLite's ``LIKE`` is not, so there it is ``GLOB`` with the pattern translated). Spatial
functions are PostGIS's ``ST_*`` on PostgreSQL; on SQLite, which has no spatial functions,
they are ``id IN (...)`` of the live actions whose geometry satisfies the predicate in shapely
(read through the bounding-box columns first), given by the ``spatial`` callback.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import numpy as np
import orjson
import pandas as pd
import shapely
import sqlalchemy as sa
from shapely.geometry.base import BaseGeometry

from geo.actions.schema import SRID
from geo.ogc.cql import literal_geometry, time_text, timestamp

Spatial = Callable[[str, BaseGeometry], Any]
"""``spatial(op, geometry)``: the SQL condition of spatial function ``op`` (``s_within``, ...)."""

_COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "=": lambda c, v: c == v,
    "<>": lambda c, v: c != v,
    "<": lambda c, v: c < v,
    "<=": lambda c, v: c <= v,
    ">": lambda c, v: c > v,
    ">=": lambda c, v: c >= v,
}


def cql_where(tree_json: str, table: sa.Table, dialect: str, spatial: Spatial) -> Any:
    """The SQL condition of a checked CQL2 filter on ``table``.

    Parameters
    ----------
    tree_json : str
        Canonical CQL2 JSON (:func:`geo.ogc.cql.parse_filter`).
    table : Table
        The actions table (a property is its column of the same name).
    dialect : str
        ``postgresql`` or ``sqlite``.
    spatial : callable
        Makes the condition of a spatial function.
    """
    return _clause(orjson.loads(tree_json), table, dialect, spatial)


def spatial_of(db: Any, table: sa.Table, geom_out: Callable[[Any], Any]) -> Spatial:
    """The ``spatial`` callback of the actions table of database ``db``.

    PostGIS: ``ST_<Op>(geom, ST_GeomFromText(:wkt, 4326))``. SQLite: ``id IN (:ids)``, the live
    actions whose geometry (read by ``geom_out``) satisfies it in shapely; their bounding
    boxes, compared first in SQL, must meet the literal's but for ``S_DISJOINT``.
    """
    t = table

    def condition(op: str, geom: BaseGeometry) -> Any:
        name = "ST_" + op[2:].capitalize()
        if db.dialect == "postgresql":
            wkt = sa.bindparam(None, geom.wkt, type_=sa.Text)
            return getattr(sa.func, name)(t.c.geom, sa.func.ST_GeomFromText(wkt, SRID))
        query = sa.select(t.c.id, t.c.geom).where(t.c.deleted.is_(False), t.c.geom.isnot(None))
        if op != "s_disjoint":
            minx, miny, maxx, maxy = geom.bounds
            query = query.where(
                t.c.maxx >= minx, t.c.minx <= maxx, t.c.maxy >= miny, t.c.miny <= maxy
            )
        with db.read() as conn:
            rows = conn.execute(query).all()
        if not rows:
            return sa.false()
        shapes = np.array([geom_out(r.geom) for r in rows], dtype=object)
        hits = getattr(shapely, op[2:])(shapes, geom)
        return t.c.id.in_([r.id for r, hit in zip(rows, hits.tolist(), strict=True) if hit])

    return condition


def _clause(node: Any, t: sa.Table, dialect: str, spatial: Spatial) -> Any:
    if isinstance(node, bool):
        return sa.true() if node else sa.false()
    op, args = node["op"], node["args"]
    if op in ("and", "or"):
        parts = [_clause(a, t, dialect, spatial) for a in args]
        return sa.and_(*parts) if op == "and" else sa.or_(*parts)
    if op == "not":
        return sa.not_(_clause(args[0], t, dialect, spatial))
    if op.startswith("s_"):
        return spatial(op, literal_geometry(args[1]))
    column = t.c[args[0]["property"]]
    if op == "isNull":
        return column.is_(None)
    if op == "like":
        pattern = str(args[1])
        if dialect == "sqlite":
            return column.op("GLOB")(sa.bindparam(None, _glob(pattern), type_=sa.Text))
        return column.like(pattern, escape="\\")
    if op == "in":
        wanted = args[1] if isinstance(args[1], list) else args[1:]
        return column.in_([_value(column, v) for v in wanted])
    if op == "between":
        return column.between(_value(column, args[1]), _value(column, args[2]))
    return _COMPARE[op](column, _value(column, args[1]))


def _value(column: sa.Column[Any], value: Any) -> Any:
    """A literal as the column's Python type (bound as a parameter by SQLAlchemy)."""
    if isinstance(column.type, sa.DateTime):
        moment: datetime = timestamp(value).to_pydatetime()
        return moment
    if isinstance(column.type, sa.Date):
        day: date = pd.Timestamp(str(time_text(value))).date()
        return day
    if (
        isinstance(column.type, sa.Integer)
        and isinstance(value, float)
        and value.is_integer()
        and abs(value) < 2**63  # a whole float past 64 bits stays a float: SQL compares it
    ):
        return int(value)
    return value


def _glob(pattern: str) -> str:
    """A CQL2 ``LIKE`` pattern as an SQLite ``GLOB`` pattern (case-sensitive)."""
    out: list[str] = []
    chars = iter(pattern)
    for ch in chars:
        if ch == "\\":
            ch = next(chars, "\\")
            out.append(f"[{ch}]" if ch in "*?[" else ch)
        elif ch == "%":
            out.append("*")
        elif ch == "_":
            out.append("?")
        elif ch in "*?[":
            out.append(f"[{ch}]")
        else:
            out.append(ch)
    return "".join(out)
