"""SQL of the actions store, and nothing else: SQLAlchemy Core, parameterised, SQLite and PostGIS.

:class:`ActionRepository` reads and writes the actions, their kelurahan links and their
history (the API tokens' rows are in :mod:`geo.actions.token_rows`). It validates and decides
nothing: the service (:mod:`geo.actions.service`) does.

Every write is one transaction. A change of an existing action names its expected version in
the ``WHERE`` clause, so of two concurrent edits only one can match; the caller learns which by
the boolean returned. Each write appends a full snapshot to ``action_history`` in the same
transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

import shapely
import sqlalchemy as sa
from geoalchemy2.elements import WKBElement
from geoalchemy2.shape import from_shape, to_shape
from shapely.geometry.base import BaseGeometry
from sqlalchemy.engine import Connection

from geo.actions.cql_sql import cql_where, spatial_of
from geo.actions.db import Database
from geo.actions.records import ORG_COLUMNS, PROPERTY_ORDER, Action, ActionFilter, Bounds, as_utc
from geo.actions.schema import SRID


@dataclass(frozen=True)
class HistoryRow:
    """One row of ``action_history``: a version of an action and how it came about."""

    version: int
    operation: str
    changed_by: str
    changed_at: datetime
    snapshot: dict[str, Any]
    changed_by_org: str | None = None


CONTENT_COLUMNS = (
    *PROPERTY_ORDER,
    *ORG_COLUMNS,
    *("kelurahan", "geom", "minx", "miny", "maxx", "maxy"),
)
"""The columns of ``actions`` an edit rewrites (see ``ActionRepository._content``)."""


def _org_clause(t: sa.Table, org_id: str, role: str | None) -> Any:
    """Actions organisation ``org_id`` leads (role ``lead``), is a partner in (``partner``), or
    either (None). ``partner_org_ids`` is a JSON list of ids, matched as text (an id is a UUID:
    no ``LIKE`` wildcard in it), the same on SQLite and PostGIS."""
    lead = t.c.lead_org_id == org_id
    partner = sa.cast(t.c.partner_org_ids, sa.Text).like(f'%"{org_id}"%')
    return {"lead": lead, "partner": partner}.get(role or "", sa.or_(lead, partner))


class ActionRepository:
    """Rows of ``actions``, ``action_kelurahan`` and ``action_history``.

    Parameters
    ----------
    db : Database
        The database holding the tables.
    """

    def __init__(self, db: Database) -> None:
        self.db = db
        self.tables = db.tables

    # --- statements of every request, built once ------------------------------------------
    # Building a statement is not free: SQLAlchemy coerces each value into a bound parameter
    # and keys the compiled cache by the whole tree, ~0.5 ms for the UPDATE of an edit's
    # 25 columns (the most of a PATCH's own time). These are built once, with named
    # parameters, and only their values change per request.

    @cached_property
    def _by_id(self) -> Any:
        t = self.tables.actions
        return sa.select(t).where(t.c.id == sa.bindparam("b_id"))

    @cached_property
    def _rewrite(self) -> Any:
        """UPDATE of a live action at an expected version (``b_id``, ``b_expected``)."""
        t = self.tables.actions
        names = ("version", "updated_by", "updated_at", *CONTENT_COLUMNS)
        return (
            sa.update(t)
            .where(
                t.c.id == sa.bindparam("b_id"),
                t.c.version == sa.bindparam("b_expected"),
                t.c.deleted.is_(False),
            )
            .values({t.c[n]: sa.bindparam(f"v_{n}", type_=t.c[n].type) for n in names})
        )

    @cached_property
    def _add_history(self) -> Any:
        return sa.insert(self.tables.history)

    # --- geometry and rows ------------------------------------------------------------------

    def _geom_in(self, geom: BaseGeometry | None) -> Any:
        if geom is None:
            return None
        if self.db.dialect == "postgresql":
            return from_shape(geom, srid=SRID)
        return shapely.to_wkb(geom)

    @staticmethod
    def _geom_out(value: Any) -> BaseGeometry | None:
        if value is None:
            return None
        if isinstance(value, WKBElement):
            return to_shape(value)
        return shapely.from_wkb(bytes(value))

    def _to_action(self, row: Any) -> Action:
        m = row._mapping
        return Action(
            id=m["id"],
            props={name: m[name] for name in (*PROPERTY_ORDER, *ORG_COLUMNS)},
            geometry=self._geom_out(m["geom"]),
            kelurahan=list(m["kelurahan"]),
            created_by=m["created_by"],
            created_at=as_utc(m["created_at"]),
            updated_by=m["updated_by"],
            updated_at=as_utc(m["updated_at"]),
            version=m["version"],
            deleted=bool(m["deleted"]),
        )

    def _content(self, action: Action, bounds: Bounds | None) -> dict[str, Any]:
        """The columns an edit rewrites (:data:`CONTENT_COLUMNS`): properties, kelurahan,
        geometry and its box."""
        values = {name: action.props.get(name) for name in (*PROPERTY_ORDER, *ORG_COLUMNS)}
        minx, miny, maxx, maxy = bounds if bounds else (None, None, None, None)
        values.update(
            kelurahan=list(action.kelurahan),
            geom=self._geom_in(action.geometry),
            minx=minx,
            miny=miny,
            maxx=maxx,
            maxy=maxy,
        )
        return values

    def _set_kelurahan(self, conn: Connection, action_id: str, kelurahan: list[str]) -> None:
        ak = self.tables.action_kelurahan
        conn.execute(sa.delete(ak).where(ak.c.action_id == action_id))
        if kelurahan:
            conn.execute(sa.insert(ak), [{"action_id": action_id, "kode": k} for k in kelurahan])

    def _log(self, conn: Connection, action: Action, operation: str) -> None:
        snapshot = action.to_feature()
        snapshot["properties"]["deleted"] = action.deleted
        conn.execute(
            self._add_history,
            {
                "action_id": action.id,
                "version": action.version,
                "operation": operation,
                "snapshot": snapshot,
                "changed_by": action.updated_by,
                "changed_at": action.updated_at,
                "changed_by_org": action.updated_by_org,
            },
        )

    # --- reads ------------------------------------------------------------------------------

    def find(self, action_id: str) -> Action | None:
        """The action with this id, deleted or not, or None."""
        with self.db.read() as conn:
            row = conn.execute(self._by_id, {"b_id": action_id}).first()
        return None if row is None else self._to_action(row)

    def state(self, action_id: str) -> tuple[int, bool] | None:
        """``(version, deleted)`` of an action, or None when there is no such action."""
        t = self.tables.actions
        with self.db.read() as conn:
            row = conn.execute(
                sa.select(t.c.version, t.c.deleted).where(t.c.id == action_id)
            ).first()
        return None if row is None else (int(row.version), bool(row.deleted))

    def _where(self, flt: ActionFilter) -> list[Any]:
        t, ak = self.tables.actions, self.tables.action_kelurahan
        clauses: list[Any] = [t.c.deleted.is_(False)]
        if flt.pillar:
            clauses.append(t.c.pillar == flt.pillar)
        if flt.status:
            clauses.append(t.c.status == flt.status)
        if flt.agency:
            clauses.append(sa.func.lower(t.c.lead_agency) == flt.agency.strip().lower())
        if flt.lead_org:
            clauses.append(t.c.lead_org_id == flt.lead_org)
        if flt.org:
            clauses.append(_org_clause(t, flt.org, flt.org_role))
        if flt.kelurahan:
            link = sa.exists().where(ak.c.action_id == t.c.id, ak.c.kode == flt.kelurahan)
            clauses.append(link)
        for unit in (flt.kecamatan, flt.kota):
            if unit:
                inside = ak.c.kode.like(f"{unit}.%", escape="\\")
                clauses.append(sa.exists().where(ak.c.action_id == t.c.id, inside))
        for word in (flt.text or "").split():
            pattern = "%" + _escape_like(word.lower()) + "%"
            texts = (t.c.title, t.c.description, t.c.lead_agency, sa.cast(t.c.partners, sa.Text))
            clauses.append(sa.or_(*(sa.func.lower(c).like(pattern, escape="\\") for c in texts)))
        if flt.bbox:
            minx, miny, maxx, maxy = flt.bbox
            clauses += [t.c.maxx >= minx, t.c.minx <= maxx, t.c.maxy >= miny, t.c.miny <= maxy]
        if flt.ids is not None:
            clauses.append(t.c.id.in_(flt.ids))
        if flt.within:
            inside = ak.c.kode.like(f"{flt.within}.%")  # codes are digits and dots only
            clauses.append(sa.exists().where(ak.c.action_id == t.c.id, inside))
        if flt.kind:
            clauses.append(t.c.kind == flt.kind)
        if flt.cql:
            clauses.append(
                cql_where(flt.cql, t, self.db.dialect, spatial_of(self.db, t, self._geom_out))
            )
        return clauses

    def page(
        self,
        flt: ActionFilter,
        *,
        limit: int | None,
        offset: int,
        order: Sequence[tuple[str, bool]] = (),
    ) -> tuple[list[Action], int]:
        """Live actions matching ``flt``, oldest first, and how many match in all.

        Parameters
        ----------
        flt : ActionFilter
            Its ``kelurahan`` must already be a dotted kelurahan code.
        limit, offset : int or None, int
            The page: at most ``limit`` rows (None: all) after skipping ``offset``.
        order : sequence of (column, descending)
            Sort keys (of :data:`SORTABLE`), most significant first; then oldest first.

        Returns
        -------
        tuple of (list of Action, int)
            The page, and the count of every matching action.
        """
        t = self.tables.actions
        where = self._where(flt)
        keys = [
            (t.c[name].desc() if descending else t.c[name].asc()).nulls_last()
            for name, descending in order
        ]
        query = sa.select(t).where(*where).order_by(*keys, t.c.created_at, t.c.id).offset(offset)
        if limit is not None:
            query = query.limit(limit)
        with self.db.read() as conn:
            total = conn.execute(
                sa.select(sa.func.count()).select_from(t).where(*where)
            ).scalar_one()
            rows = conn.execute(query).all()
        return [self._to_action(r) for r in rows], int(total)

    def history(self, action_id: str) -> list[HistoryRow]:
        """Every history row of an action, oldest version first (empty for an unknown id)."""
        h = self.tables.history
        with self.db.read() as conn:
            rows = conn.execute(
                sa.select(h).where(h.c.action_id == action_id).order_by(h.c.version)
            ).all()
        return [
            HistoryRow(
                r.version, r.operation, r.changed_by, r.changed_at, r.snapshot, r.changed_by_org
            )
            for r in rows
        ]

    def all_history(self) -> list[Any]:
        """Every history row (``action_id``, ``version``, ``changed_at``, ``snapshot``), each
        action's versions oldest first."""
        h = self.tables.history
        query = sa.select(h.c.action_id, h.c.version, h.c.changed_at, h.c.snapshot).order_by(
            h.c.action_id, h.c.version
        )
        with self.db.read() as conn:
            return list(conn.execute(query).all())

    def existing_ids(self, ids: Iterable[str]) -> set[str]:
        """Those of ``ids`` that some action (live or deleted) already has."""
        t = self.tables.actions
        with self.db.read() as conn:
            return set(conn.execute(sa.select(t.c.id).where(t.c.id.in_(list(ids)))).scalars())

    def links(self, pillar: str) -> list[tuple[str, str]]:
        """``(kelurahan code, action id)`` of every live action of ``pillar``."""
        t, ak = self.tables.actions, self.tables.action_kelurahan
        query = (
            sa.select(ak.c.kode, ak.c.action_id)
            .join(t, t.c.id == ak.c.action_id)
            .where(t.c.deleted.is_(False), t.c.pillar == pillar)
        )
        with self.db.read() as conn:
            return [(str(k), str(a)) for k, a in conn.execute(query).all()]

    def covered(self, pillar: str, statuses: Sequence[str]) -> set[str]:
        """Kelurahan linked to a live action of ``pillar`` whose status is in ``statuses``."""
        t, ak = self.tables.actions, self.tables.action_kelurahan
        query = (
            sa.select(ak.c.kode)
            .distinct()
            .join(t, t.c.id == ak.c.action_id)
            .where(t.c.deleted.is_(False), t.c.pillar == pillar, t.c.status.in_(list(statuses)))
        )
        with self.db.read() as conn:
            return set(conn.execute(query).scalars())

    # --- writes -----------------------------------------------------------------------------

    def insert(self, items: Sequence[tuple[Action, Bounds | None]], operation: str) -> None:
        """Insert new actions (version 1) with their links and history, all or none.

        Parameters
        ----------
        items : sequence of (Action, bounds or None)
            Each action and the box its ``bbox`` filter should use.
        operation : str
            History operation, ``create`` or ``import``.
        """
        insert = sa.insert(self.tables.actions)  # values by parameters: no per-row coercion
        with self.db.write() as conn:
            for action, bounds in items:
                conn.execute(
                    insert,
                    {
                        "id": action.id,
                        "created_by": action.created_by,
                        "created_at": action.created_at,
                        "updated_by": action.updated_by,
                        "updated_at": action.updated_at,
                        "deleted": action.deleted,
                        "version": action.version,
                        **self._content(action, bounds),
                    },
                )
                self._set_kelurahan(conn, action.id, action.kelurahan)
                self._log(conn, action, operation)

    def update(
        self,
        action: Action,
        bounds: Bounds | None,
        expected: int,
        operation: str,
        kelurahan_before: Sequence[str] | None = None,
    ) -> bool:
        """Rewrite a live action at version ``expected`` as ``action`` (its next version).

        ``kelurahan_before``, the kelurahan of version ``expected`` when known: its links are
        rewritten only when they change (an edit of the budget or the status keeps them).

        Returns
        -------
        bool
            False, and nothing written, when the action is deleted or not at ``expected``.
        """
        values = {
            "version": action.version,
            "updated_by": action.updated_by,
            "updated_at": action.updated_at,
            **self._content(action, bounds),
        }
        params = {f"v_{name}": value for name, value in values.items()}
        with self.db.write() as conn:
            result = conn.execute(
                self._rewrite, {**params, "b_id": action.id, "b_expected": expected}
            )
            if result.rowcount != 1:
                return False
            if kelurahan_before is None or list(kelurahan_before) != list(action.kelurahan):
                self._set_kelurahan(conn, action.id, action.kelurahan)
            self._log(conn, action, operation)
        return True

    def set_deleted(self, action: Action, expected: int) -> bool:
        """Flip an action at version ``expected`` to ``action.deleted`` (delete or restore).

        Returns
        -------
        bool
            False, and nothing written, when the action is not at ``expected`` or already
            has that ``deleted`` state.
        """
        t = self.tables.actions
        with self.db.write() as conn:
            result = conn.execute(
                sa.update(t)
                .where(
                    t.c.id == action.id,
                    t.c.version == expected,
                    t.c.deleted.is_(not action.deleted),
                )
                .values(
                    deleted=action.deleted,
                    version=action.version,
                    updated_by=action.updated_by,
                    updated_at=action.updated_at,
                )
            )
            if result.rowcount != 1:
                return False
            self._log(conn, action, "delete" if action.deleted else "restore")
        return True

    # --- checks -----------------------------------------------------------------------------

    def integrity_problems(self) -> list[str]:
        """The database's own checks and the store's invariants; empty means healthy.

        SQLite runs ``PRAGMA integrity_check`` and ``foreign_key_check``; on both backends each
        action's version must equal its newest history row, history versions must run 1..n
        and every kelurahan link must point at an action.
        """
        problems: list[str] = []
        with self.db.read() as conn:
            if self.db.dialect == "sqlite":
                problems += _sqlite_checks(conn)
            problems += self._history_mismatches(conn)
            orphans = self._orphan_links(conn)
            if orphans:
                problems.append(f"{orphans} kelurahan links without an action")
        return problems

    def _history_mismatches(self, conn: Connection) -> list[str]:
        t, h = self.tables.actions, self.tables.history
        stats = (
            sa.select(
                h.c.action_id,
                sa.func.max(h.c.version).label("top"),
                sa.func.count().label("n"),
                sa.func.min(h.c.version).label("low"),
            )
            .group_by(h.c.action_id)
            .subquery()
        )
        bad = conn.execute(
            sa.select(t.c.id, t.c.version, stats.c.top, stats.c.n, stats.c.low)
            .select_from(t.outerjoin(stats, stats.c.action_id == t.c.id))
            .where(
                sa.or_(
                    stats.c.top.is_(None),
                    stats.c.top != t.c.version,
                    stats.c.n != t.c.version,
                    stats.c.low != 1,
                )
            )
        ).all()
        return [f"history of {r.id} does not match version {r.version}" for r in bad]

    def _orphan_links(self, conn: Connection) -> int:
        t, ak = self.tables.actions, self.tables.action_kelurahan
        return int(
            conn.execute(
                sa.select(sa.func.count())
                .select_from(ak)
                .where(~sa.exists().where(t.c.id == ak.c.action_id))
            ).scalar_one()
        )


SORTABLE = frozenset(
    {
        "title",
        "pillar",
        "status",
        "progress",
        "lead_agency",
        "budget_idr",
        "start_date",
        "end_date",
        "created_at",
        "updated_at",
        "version",
    }
)
"""Columns an actions listing may be sorted by."""


def _escape_like(text: str) -> str:
    """``text`` with LIKE's wildcards escaped (backslash is the escape character)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _sqlite_checks(conn: Connection) -> list[str]:
    problems: list[str] = []
    result = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check").all()]
    if result != ["ok"]:
        problems += [f"integrity_check: {r}" for r in result]
    fks = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
    problems += [f"foreign key: {tuple(r)}" for r in fks]
    return problems
