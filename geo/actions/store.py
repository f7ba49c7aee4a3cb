"""The actions store: one interface over SQLite and PostgreSQL/PostGIS (SQLAlchemy 2 Core).

Every change is a single transaction that updates the action with its expected version in the
``WHERE`` clause (so two concurrent edits can never both win), rewrites the kelurahan it
touches and appends a full snapshot to ``action_history``. Deletes are soft: a deleted action
keeps its row and history and can be restored.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import shapely
import sqlalchemy as sa
from geoalchemy2.elements import WKBElement
from geoalchemy2.shape import from_shape, to_shape
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry
from sqlalchemy.engine import Connection, Engine

from geo.actions.db import WRITE, create_db_engine, db_errors, upgrade
from geo.actions.places import Places, normalise_unit_code
from geo.actions.schema import SRID, Tables, make_tables
from geo.actions.validate import CheckedAction, check_feature, merge_patch, require_feature
from geo.errors import (
    ConflictError,
    GoneError,
    InvalidParameterError,
    NotFoundError,
    PreconditionFailedError,
    ValidationError,
)
from geo.settings import Settings
from geo.snapshot import places_reader
from geo.vocabulary import ACTIVE_STATUSES

PROPERTY_ORDER = (
    "title",
    "description",
    "pillar",
    "strategy_goal",
    "lead_agency",
    "partners",
    "status",
    "progress",
    "budget_idr",
    "start_date",
    "end_date",
    "unit_codes",
)
"""The editable properties, in the order they are returned."""


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _iso(value: datetime) -> str:
    return _utc(value).isoformat().replace("+00:00", "Z")


@dataclass
class Action:
    """One stored action (a version of it).

    Attributes
    ----------
    id : str
        UUID.
    props : dict
        The editable properties (see :class:`geo.actions.model.ActionIn`).
    geometry : BaseGeometry or None
        Lon/lat geometry, or None for an action given by unit codes.
    kelurahan : list of str
        Kelurahan codes the action touches.
    version : int
        Starts at 1; every change adds one.
    """

    id: str
    props: dict[str, Any]
    geometry: BaseGeometry | None
    kelurahan: list[str]
    created_by: str
    created_at: datetime
    updated_by: str
    updated_at: datetime
    version: int
    deleted: bool = False

    @property
    def etag(self) -> str:
        """Strong ETag of this version, e.g. ``"3"``."""
        return f'"{self.version}"'

    def to_feature(self) -> dict[str, Any]:
        """The action as a GeoJSON Feature (RFC 7946)."""
        props: dict[str, Any] = {}
        for name in PROPERTY_ORDER:
            value = self.props.get(name)
            props[name] = value.isoformat() if isinstance(value, date) else value
        props.update(
            kelurahan=list(self.kelurahan),
            created_by=self.created_by,
            created_at=_iso(self.created_at),
            updated_by=self.updated_by,
            updated_at=_iso(self.updated_at),
            version=self.version,
        )
        geometry = None if self.geometry is None else _geojson(self.geometry)
        return {"type": "Feature", "id": self.id, "geometry": geometry, "properties": props}


def _geojson(geom: BaseGeometry) -> dict[str, Any]:
    def lists(value: Any) -> Any:
        if isinstance(value, tuple | list):
            return [lists(v) for v in value]
        return value

    return {k: lists(v) for k, v in mapping(geom).items()}


@dataclass
class ActionFilter:
    """Filters of an actions listing; every one given must hold.

    Attributes
    ----------
    pillar, status : str, optional
        Exact values.
    agency : str, optional
        Lead agency, compared without regard to case.
    kelurahan : str, optional
        A kelurahan code the action touches (dotted or plain).
    bbox : tuple of float, optional
        (minx, miny, maxx, maxy) in lon/lat: actions whose bounding box intersects it.
    ids : list of str, optional
        Only these action ids.
    """

    pillar: str | None = None
    status: str | None = None
    agency: str | None = None
    kelurahan: str | None = None
    bbox: tuple[float, float, float, float] | None = None
    ids: list[str] | None = field(default=None)


class ActionStore:
    """Actions, their history and the API tokens in one database.

    Parameters
    ----------
    engine : Engine
        From :func:`geo.actions.db.create_db_engine`.
    places : callable
        Returns the build's kelurahan (:class:`Places`), called when first needed.
    max_vertices : int
        Most positions an action geometry may have.
    max_import_features : int
        Most features one import may hold.
    """

    def __init__(
        self,
        engine: Engine,
        places: Callable[[], Places],
        *,
        max_vertices: int = 10_000,
        max_import_features: int = 2_000,
    ) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name
        self.tables: Tables = make_tables(self.dialect)
        self._places = places
        self.max_vertices = max_vertices
        self.max_import_features = max_import_features

    @classmethod
    def from_settings(
        cls, settings: Settings, places: Callable[[], Places] | None = None
    ) -> ActionStore:
        """The store at ``settings.database_url``, checking against ``settings.build_path``
        (or the kelurahan ``places`` gives, e.g. the app's build snapshot)."""
        engine = create_db_engine(
            settings.database_url, busy_timeout_ms=settings.db_busy_timeout_ms
        )
        return cls(
            engine,
            places or places_reader(settings.build_path),
            max_vertices=settings.max_vertices,
            max_import_features=settings.max_import_features,
        )

    # --- connections ------------------------------------------------------------------------

    def migrate(self) -> None:
        """Bring the database schema up to date (idempotent)."""
        upgrade(self.engine)

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A connection for reading (503 when the database is unreachable)."""
        with db_errors(self.engine), self.engine.connect() as conn:
            yield conn

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A connection in a write transaction, committed on success, rolled back on error."""
        with db_errors(self.engine), self.engine.connect() as conn:
            conn = conn.execution_options(**{WRITE: True})
            with conn.begin():
                yield conn

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()

    @property
    def places(self) -> Places:
        """The build's kelurahan."""
        return self._places()

    # --- rows -------------------------------------------------------------------------------

    def _geom_in(self, geom: BaseGeometry | None) -> Any:
        if geom is None:
            return None
        if self.dialect == "postgresql":
            return from_shape(geom, srid=SRID)
        return shapely.to_wkb(geom)

    def _geom_out(self, value: Any) -> BaseGeometry | None:
        if value is None:
            return None
        if isinstance(value, WKBElement):
            return to_shape(value)
        return shapely.from_wkb(bytes(value))

    def _row_to_action(self, row: Any) -> Action:
        m = row._mapping
        props = {name: m[name] for name in PROPERTY_ORDER}
        return Action(
            id=m["id"],
            props=props,
            geometry=self._geom_out(m["geom"]),
            kelurahan=list(m["kelurahan"]),
            created_by=m["created_by"],
            created_at=_utc(m["created_at"]),
            updated_by=m["updated_by"],
            updated_at=_utc(m["updated_at"]),
            version=m["version"],
            deleted=bool(m["deleted"]),
        )

    def _values(self, checked: CheckedAction) -> dict[str, Any]:
        values: dict[str, Any] = checked.props.model_dump()
        values["pillar"] = str(checked.props.pillar)
        values["status"] = str(checked.props.status)
        values["kelurahan"] = checked.kelurahan
        values["geom"] = self._geom_in(checked.geometry)
        if checked.geometry is not None:
            bounds: tuple[float, ...] | None = tuple(float(b) for b in checked.geometry.bounds)
        else:
            bounds = self.places.bounds_of(checked.kelurahan)
        minx, miny, maxx, maxy = bounds if bounds else (None, None, None, None)
        values.update(minx=minx, miny=miny, maxx=maxx, maxy=maxy)
        return values

    def _action_from(
        self,
        action_id: str,
        checked: CheckedAction,
        base: Action | None,
        actor: str,
        now: datetime,
        version: int,
    ) -> Action:
        props = checked.props.model_dump()
        props["pillar"] = str(checked.props.pillar)
        props["status"] = str(checked.props.status)
        return Action(
            id=action_id,
            props=props,
            geometry=checked.geometry,
            kelurahan=checked.kelurahan,
            created_by=base.created_by if base else actor,
            created_at=base.created_at if base else now,
            updated_by=actor,
            updated_at=now,
            version=version,
        )

    def _set_kelurahan(self, conn: Connection, action_id: str, kelurahan: list[str]) -> None:
        ak = self.tables.action_kelurahan
        conn.execute(sa.delete(ak).where(ak.c.action_id == action_id))
        if kelurahan:
            conn.execute(sa.insert(ak), [{"action_id": action_id, "kode": k} for k in kelurahan])

    def _log(self, conn: Connection, action: Action, operation: str) -> None:
        snapshot = action.to_feature()
        snapshot["properties"]["deleted"] = action.deleted
        conn.execute(
            sa.insert(self.tables.history).values(
                action_id=action.id,
                version=action.version,
                operation=operation,
                snapshot=snapshot,
                changed_by=action.updated_by,
                changed_at=action.updated_at,
            )
        )

    # --- reads ------------------------------------------------------------------------------

    def get(self, action_id: str, *, include_deleted: bool = False) -> Action:
        """Return one action.

        Raises
        ------
        NotFoundError
            No action has this id.
        GoneError
            The action was deleted (and ``include_deleted`` is false).
        """
        key = _uuid_or_404(action_id)
        t = self.tables.actions
        with self.read() as conn:
            row = conn.execute(sa.select(t).where(t.c.id == key)).first()
        if row is None:
            raise NotFoundError(f"no action with id {action_id}")
        action = self._row_to_action(row)
        if action.deleted and not include_deleted:
            raise GoneError(
                f"action {action_id} was deleted (version {action.version}); "
                "POST to its /restore to bring it back",
                details={"version": action.version},
            )
        return action

    def _where(self, flt: ActionFilter) -> list[Any]:
        t, ak = self.tables.actions, self.tables.action_kelurahan
        clauses: list[Any] = [t.c.deleted.is_(False)]
        if flt.pillar:
            clauses.append(t.c.pillar == flt.pillar)
        if flt.status:
            clauses.append(t.c.status == flt.status)
        if flt.agency:
            clauses.append(sa.func.lower(t.c.lead_agency) == flt.agency.strip().lower())
        if flt.kelurahan:
            code = normalise_unit_code(flt.kelurahan)
            if code is None:
                raise InvalidParameterError(
                    f"kelurahan={flt.kelurahan!r} is not a kelurahan code like 31.71.01.1001"
                )
            clauses.append(sa.exists().where(ak.c.action_id == t.c.id, ak.c.kode == code))
        if flt.bbox:
            minx, miny, maxx, maxy = flt.bbox
            clauses += [t.c.maxx >= minx, t.c.minx <= maxx, t.c.maxy >= miny, t.c.miny <= maxy]
        if flt.ids is not None:
            clauses.append(t.c.id.in_(flt.ids))
        return clauses

    def query(
        self, flt: ActionFilter | None = None, *, limit: int | None = None, offset: int = 0
    ) -> tuple[list[Action], int]:
        """List live actions, oldest first.

        Parameters
        ----------
        flt : ActionFilter, optional
            Filters; all must hold.
        limit : int, optional
            Page size (None: all).
        offset : int
            Rows to skip.

        Returns
        -------
        tuple of (list of Action, int)
            The page and the number of actions matching the filters.
        """
        t = self.tables.actions
        where = self._where(flt or ActionFilter())
        query = sa.select(t).where(*where).order_by(t.c.created_at, t.c.id).offset(offset)
        if limit is not None:
            query = query.limit(limit)
        with self.read() as conn:
            total = conn.execute(
                sa.select(sa.func.count()).select_from(t).where(*where)
            ).scalar_one()
            rows = conn.execute(query).all()
        return [self._row_to_action(r) for r in rows], int(total)

    def history(self, action_id: str) -> list[dict[str, Any]]:
        """Every version of an action, oldest first, with who changed it, when and how."""
        key = _uuid_or_404(action_id)
        h = self.tables.history
        with self.read() as conn:
            rows = conn.execute(
                sa.select(h).where(h.c.action_id == key).order_by(h.c.version)
            ).all()
        if not rows:
            raise NotFoundError(f"no action with id {action_id}")
        return [
            {
                "version": r.version,
                "operation": r.operation,
                "changed_by": r.changed_by,
                "changed_at": _iso(r.changed_at),
                "feature": r.snapshot,
            }
            for r in rows
        ]

    # --- writes -----------------------------------------------------------------------------

    def check(self, body: Any) -> CheckedAction:
        """Validate a Feature body against the build's kelurahan (422 on any error)."""
        return require_feature(body, self.places, self.max_vertices)

    def create(self, body: Any, actor: str) -> Action:
        """Create an action from a GeoJSON Feature; the server assigns its id."""
        checked = self.check(body)
        return self._insert([(str(uuid.uuid4()), checked)], actor, "create")[0]

    def _insert(
        self, items: list[tuple[str, CheckedAction]], actor: str, operation: str
    ) -> list[Action]:
        now = datetime.now(UTC)
        out: list[Action] = []
        with self.write() as conn:
            for action_id, checked in items:
                values = self._values(checked)
                conn.execute(
                    sa.insert(self.tables.actions).values(
                        id=action_id,
                        created_by=actor,
                        created_at=now,
                        updated_by=actor,
                        updated_at=now,
                        deleted=False,
                        version=1,
                        **values,
                    )
                )
                self._set_kelurahan(conn, action_id, checked.kelurahan)
                action = self._action_from(action_id, checked, None, actor, now, 1)
                self._log(conn, action, operation)
                out.append(action)
        return out

    def _why_not(self, action_id: str, expected: int, *, want_deleted: bool = False) -> Exception:
        t = self.tables.actions
        with self.read() as conn:
            row = conn.execute(
                sa.select(t.c.version, t.c.deleted).where(t.c.id == action_id)
            ).first()
        if row is None:
            return NotFoundError(f"no action with id {action_id}")
        if bool(row.deleted) != want_deleted:
            if want_deleted:
                return ConflictError(f"action {action_id} is not deleted; nothing to restore")
            return GoneError(f"action {action_id} was deleted; POST to its /restore first")
        return PreconditionFailedError(
            f'action {action_id} changed: If-Match was "{expected}" but the current version is '
            f'"{row.version}"; GET it again and reapply your change',
            details={"current_etag": f'"{row.version}"', "sent_etag": f'"{expected}"'},
        )

    def _expect(self, current: Action, expected: int | None) -> int:
        if expected is not None and expected != current.version:
            raise PreconditionFailedError(
                f'action {current.id} changed: If-Match was "{expected}" but the current '
                f"version is {current.etag}; GET it again and reapply your change",
                details={"current_etag": current.etag, "sent_etag": f'"{expected}"'},
            )
        return current.version

    def replace(self, action_id: str, body: Any, expected: int | None, actor: str) -> Action:
        """Replace an action (PUT) if it is still at version ``expected`` (None: any)."""
        current = self.get(action_id)
        version = self._expect(current, expected)
        return self._update(current, self.check(body), version, actor, "replace")

    def patch(self, action_id: str, patch: Any, expected: int | None, actor: str) -> Action:
        """Apply a JSON Merge Patch of ``properties`` and/or ``geometry`` (PATCH)."""
        if not isinstance(patch, dict):
            raise ValidationError(
                "a merge patch must be a JSON object",
                details=[{"field": "body", "message": "must be a JSON object"}],
            )
        unknown = sorted(set(patch) - {"type", "id", "properties", "geometry"})
        if unknown:
            raise ValidationError(
                f"cannot patch {', '.join(unknown)}",
                details=[
                    {"field": k, "message": "only properties and geometry can be patched"}
                    for k in unknown
                ],
            )
        current = self.get(action_id)
        version = self._expect(current, expected)
        feature = current.to_feature()
        doc = {
            "type": "Feature",
            "geometry": feature["geometry"],
            "properties": feature["properties"],
        }
        merged = merge_patch(doc, {k: patch[k] for k in ("properties", "geometry") if k in patch})
        merged["type"] = "Feature"
        merged.setdefault("properties", {})
        merged.setdefault("geometry", None)
        return self._update(current, self.check(merged), version, actor, "update")

    def _update(
        self, current: Action, checked: CheckedAction, expected: int, actor: str, operation: str
    ) -> Action:
        t = self.tables.actions
        now = datetime.now(UTC)
        values = self._values(checked)
        try:
            with self.write() as conn:
                result = conn.execute(
                    sa.update(t)
                    .where(t.c.id == current.id, t.c.version == expected, t.c.deleted.is_(False))
                    .values(version=expected + 1, updated_by=actor, updated_at=now, **values)
                )
                if result.rowcount != 1:
                    raise _AbortError()
                self._set_kelurahan(conn, current.id, checked.kelurahan)
                action = self._action_from(current.id, checked, current, actor, now, expected + 1)
                self._log(conn, action, operation)
        except _AbortError:
            raise self._why_not(current.id, expected) from None
        return action

    def delete(self, action_id: str, expected: int | None, actor: str) -> Action:
        """Soft-delete an action if it is still at version ``expected`` (None: any)."""
        current = self.get(action_id)
        version = self._expect(current, expected)
        return self._flip(current, version, actor, deleted=True)

    def restore(self, action_id: str, expected: int | None, actor: str) -> Action:
        """Bring back a deleted action (its last content, as a new version)."""
        current = self.get(action_id, include_deleted=True)
        if not current.deleted:
            raise ConflictError(f"action {action_id} is not deleted; nothing to restore")
        version = self._expect(current, expected)
        return self._flip(current, version, actor, deleted=False)

    def _flip(self, current: Action, expected: int, actor: str, *, deleted: bool) -> Action:
        t = self.tables.actions
        now = datetime.now(UTC)
        try:
            with self.write() as conn:
                result = conn.execute(
                    sa.update(t)
                    .where(
                        t.c.id == current.id,
                        t.c.version == expected,
                        t.c.deleted.is_(not deleted),
                    )
                    .values(deleted=deleted, version=expected + 1, updated_by=actor, updated_at=now)
                )
                if result.rowcount != 1:
                    raise _AbortError()
                action = self._flipped(current, actor, now, deleted)
                self._log(conn, action, "delete" if deleted else "restore")
        except _AbortError:
            raise self._why_not(current.id, expected, want_deleted=not deleted) from None
        return action

    @staticmethod
    def _flipped(current: Action, actor: str, now: datetime, deleted: bool) -> Action:
        return Action(
            id=current.id,
            props=current.props,
            geometry=current.geometry,
            kelurahan=current.kelurahan,
            created_by=current.created_by,
            created_at=current.created_at,
            updated_by=actor,
            updated_at=now,
            version=current.version + 1,
            deleted=deleted,
        )

    def import_features(self, body: Any, actor: str) -> list[Action]:
        """Import a GeoJSON FeatureCollection: all features or none.

        A feature whose ``id`` is a UUID keeps it (so an export can be imported elsewhere).

        Raises
        ------
        ValidationError
            When any feature is wrong; ``details`` names each one as
            ``{"feature": i, "field": "features.i....", "message": ...}`` and nothing is stored.
        """
        if not isinstance(body, dict) or body.get("type") != "FeatureCollection":
            raise ValidationError(
                "an import must be a GeoJSON FeatureCollection",
                details=[{"field": "type", "message": "must be 'FeatureCollection'"}],
            )
        features = body.get("features")
        if not isinstance(features, list) or not features:
            raise ValidationError(
                "the FeatureCollection holds no features",
                details=[{"field": "features", "message": "must be a non-empty array"}],
            )
        if len(features) > self.max_import_features:
            raise ValidationError(
                f"too many features: {len(features):,} (at most {self.max_import_features:,})",
                details=[{"field": "features", "message": "too many features"}],
            )
        errors: list[dict[str, Any]] = []
        items: list[tuple[str, CheckedAction]] = []
        places = self.places
        seen: set[str] = set()
        for i, feature in enumerate(features):
            checked, problems = check_feature(feature, places, self.max_vertices)
            for p in problems:
                errors.append(
                    {"feature": i, "field": f"features.{i}.{p['field']}", "message": p["message"]}
                )
            if checked is None:
                continue
            action_id = checked.feature_id or str(uuid.uuid4())
            if action_id in seen:
                errors.append(
                    {
                        "feature": i,
                        "field": f"features.{i}.id",
                        "message": "id repeated in this import",
                    }
                )
            seen.add(action_id)
            items.append((action_id, checked))
        if not errors and items:
            t = self.tables.actions
            with self.read() as conn:
                taken = set(
                    conn.execute(
                        sa.select(t.c.id).where(t.c.id.in_([a for a, _ in items]))
                    ).scalars()
                )
            for i, (action_id, _) in enumerate(items):
                if action_id in taken:
                    errors.append(
                        {
                            "feature": i,
                            "field": f"features.{i}.id",
                            "message": f"an action {action_id} already exists",
                        }
                    )
        if errors:
            bad = sorted({e["feature"] for e in errors})
            raise ValidationError(
                f"{len(bad)} of {len(features)} features are not valid; nothing was imported",
                details=errors,
            )
        return self._insert(items, actor, "import")

    def covered_kelurahan(self, pillar: str) -> set[str]:
        """Kelurahan touched by a live planned or in-progress action of ``pillar``."""
        t, ak = self.tables.actions, self.tables.action_kelurahan
        query = (
            sa.select(ak.c.kode)
            .distinct()
            .join(t, t.c.id == ak.c.action_id)
            .where(
                t.c.deleted.is_(False),
                t.c.pillar == pillar,
                t.c.status.in_([str(s) for s in ACTIVE_STATUSES]),
            )
        )
        with self.read() as conn:
            return set(conn.execute(query).scalars())

    # --- checks -----------------------------------------------------------------------------

    def integrity_problems(self) -> list[str]:
        """Check the database and the store's own invariants; an empty list means healthy.

        SQLite runs ``PRAGMA integrity_check`` and ``foreign_key_check``; on both backends each
        action's version must equal its newest history row, history versions must run 1..n
        and every kelurahan link must point at an action.
        """
        problems: list[str] = []
        t, h, ak = self.tables.actions, self.tables.history, self.tables.action_kelurahan
        with self.read() as conn:
            if self.dialect == "sqlite":
                result = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check").all()]
                if result != ["ok"]:
                    problems += [f"integrity_check: {r}" for r in result]
                fks = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
                problems += [f"foreign key: {tuple(r)}" for r in fks]
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
            problems += [f"history of {r.id} does not match version {r.version}" for r in bad]
            orphans = conn.execute(
                sa.select(sa.func.count())
                .select_from(ak)
                .where(~sa.exists().where(t.c.id == ak.c.action_id))
            ).scalar_one()
            if orphans:
                problems.append(f"{orphans} kelurahan links without an action")
        return problems


class _AbortError(Exception):
    """The version check in an UPDATE matched no row (raised inside the transaction)."""


def _uuid_or_404(action_id: str) -> str:
    try:
        return str(uuid.UUID(action_id))
    except ValueError:
        raise NotFoundError(f"no action with id {action_id!r} (ids are UUIDs)") from None
