"""The flood feed in the actions store: every fetch with its time, the RW states of good ones.

Each fetch is one write transaction (:meth:`FloodFeedStore.record`): the fetch row and all its
RW states, or nothing, so no reader ever sees half a state. The state served is that of the
latest good fetch; a replay (``datetime``) reads the good fetch in force at an instant, or
every good fetch in an interval.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from geo.actions.db import Database
from geo.flood.feed import FeedArea


@dataclass(frozen=True)
class FetchRecord:
    """One fetch of the feed as stored."""

    id: int
    fetched_at: datetime
    source: str
    ok: bool
    error: str | None
    areas: int
    matched: int
    unmatched: list[str] = field(default_factory=list)
    feed_time: datetime | None = None

    def summary(self) -> dict[str, Any]:
        """JSON-ready facts (times as RFC 3339 UTC)."""
        return {
            "id": self.id,
            "fetched_at": _iso(self.fetched_at),
            "source": self.source,
            "ok": self.ok,
            "error": self.error,
            "areas": self.areas,
            "matched": self.matched,
            "unmatched": list(self.unmatched),
            "feed_time": _iso(self.feed_time),
        }


@dataclass(frozen=True)
class RwState:
    """The state of one RW in one good fetch."""

    fetch_id: int
    rw_fid: int
    """The RW's feature id in the build's ``rw`` layer."""
    area_id: str | None
    geom_id: str | None
    state: int
    last_updated: datetime | None


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return _utc(moment).strftime("%Y-%m-%dT%H:%M:%SZ")


def _utc(moment: datetime) -> datetime:
    """A stored time as UTC (SQLite gives it back without its offset)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


class FloodFeedStore:
    """The fetches of the flood feed in one database (tables of migration 0004)."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self.fetches = database.tables.flood_fetches
        self.states = database.tables.flood_states

    def record(
        self,
        *,
        fetched_at: datetime,
        source: str,
        error: str | None,
        areas: int = 0,
        matched: Sequence[tuple[FeedArea, int]] = (),
        unmatched: Sequence[str] = (),
    ) -> FetchRecord:
        """Store one fetch (good when ``error`` is None) and its RW states, in one transaction."""
        times = [a.last_updated for a, _ in matched if a.last_updated is not None]
        row: dict[str, Any] = {
            "fetched_at": fetched_at,
            "source": source[:2000],
            "ok": error is None,
            "error": None if error is None else error[:2000],
            "areas": areas,
            "matched": len(matched) if error is None else 0,
            "unmatched": list(unmatched),
            "feed_time": max(times) if times and error is None else None,
        }
        with self.database.write() as conn:
            inserted = conn.execute(sa.insert(self.fetches).values(**row)).inserted_primary_key
            fetch_id = int(inserted[0]) if inserted is not None else 0
            if error is None and matched:
                conn.execute(
                    sa.insert(self.states),
                    [
                        {
                            "fetch_id": fetch_id,
                            "rw_fid": rw_fid,
                            "area_id": area.area_id,
                            "geom_id": area.geom_id,
                            "state": int(area.state),
                            "last_updated": area.last_updated,
                        }
                        for area, rw_fid in matched
                    ],
                )
        return FetchRecord(
            id=fetch_id,
            fetched_at=fetched_at,
            source=row["source"],
            ok=error is None,
            error=row["error"],
            areas=areas,
            matched=row["matched"],
            unmatched=list(unmatched),
            feed_time=row["feed_time"],
        )

    def _record(self, row: Any) -> FetchRecord:
        m = row._mapping
        return FetchRecord(
            id=int(m["id"]),
            fetched_at=_utc(m["fetched_at"]),
            source=m["source"],
            ok=bool(m["ok"]),
            error=m["error"],
            areas=int(m["areas"]),
            matched=int(m["matched"]),
            unmatched=list(m["unmatched"] or []),
            feed_time=None if m["feed_time"] is None else _utc(m["feed_time"]),
        )

    def _one(self, where: Any) -> FetchRecord | None:
        query = (
            sa.select(self.fetches)
            .where(where)
            .order_by(self.fetches.c.fetched_at.desc(), self.fetches.c.id.desc())
            .limit(1)
        )
        with self.database.read() as conn:
            row = conn.execute(query).first()
        return None if row is None else self._record(row)

    def fetch(self, fetch_id: int) -> FetchRecord | None:
        """One fetch by id (None when there is none)."""
        return self._one(self.fetches.c.id == fetch_id)

    def last_attempt(self) -> FetchRecord | None:
        """The latest fetch, good or not."""
        return self._one(sa.true())

    def last_good(self, at: datetime | None = None) -> FetchRecord | None:
        """The latest good fetch (at or before ``at`` when given)."""
        where: Any = self.fetches.c.ok.is_(True)
        if at is not None:
            where = where & (self.fetches.c.fetched_at <= at)
        return self._one(where)

    def good_between(self, start: datetime | None, end: datetime | None) -> list[FetchRecord]:
        """The good fetches with their time in [start, end] (None: open), oldest first."""
        where: Any = self.fetches.c.ok.is_(True)
        if start is not None:
            where = where & (self.fetches.c.fetched_at >= start)
        if end is not None:
            where = where & (self.fetches.c.fetched_at <= end)
        query = (
            sa.select(self.fetches)
            .where(where)
            .order_by(self.fetches.c.fetched_at, self.fetches.c.id)
        )
        with self.database.read() as conn:
            return [self._record(r) for r in conn.execute(query)]

    def recent(self, limit: int = 20) -> list[FetchRecord]:
        """The latest fetches, newest first."""
        query = (
            sa.select(self.fetches)
            .order_by(self.fetches.c.fetched_at.desc(), self.fetches.c.id.desc())
            .limit(limit)
        )
        with self.database.read() as conn:
            return [self._record(r) for r in conn.execute(query)]

    def extent(self) -> tuple[datetime, datetime] | None:
        """The times of the first and last good fetch."""
        col = self.fetches.c.fetched_at
        query = sa.select(sa.func.min(col), sa.func.max(col)).where(self.fetches.c.ok.is_(True))
        with self.database.read() as conn:
            first, last = conn.execute(query).one()
        return None if first is None else (_utc(first), _utc(last))

    def states_of(self, fetch_ids: Sequence[int]) -> list[RwState]:
        """The RW states of the given fetches, by fetch then RW."""
        if not fetch_ids:
            return []
        s = self.states.c
        query = (
            sa.select(s.fetch_id, s.rw_fid, s.area_id, s.geom_id, s.state, s.last_updated)
            .where(s.fetch_id.in_(list(fetch_ids)))
            .order_by(s.fetch_id, s.rw_fid, s.id)
        )
        with self.database.read() as conn:
            return [
                RwState(
                    int(r.fetch_id),
                    int(r.rw_fid),
                    r.area_id,
                    r.geom_id,
                    int(r.state),
                    None if r.last_updated is None else _utc(r.last_updated),
                )
                for r in conn.execute(query)
            ]
