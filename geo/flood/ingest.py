"""Fetch the flood feed, check it, match it to the build's RWs and store it: once or on a timer.

:func:`ingest` is one fetch: read the file or URL (bounded in time and size), parse it
(:func:`geo.flood.feed.parse_feed`), refuse a feed older than the last good one (an area whose
``last_updated`` is earlier than in the last good fetch: an area's time never goes back), match
the areas to the RWs (:class:`geo.flood.match.RwIndex`) and store the fetch, good or not, in one
transaction. A fault is never raised past it: it is the fetch's recorded error, and the last
good state stays the one served.

:func:`follow` repeats :func:`ingest` every ``every`` seconds, a bounded number of times or
until its stop event is set, logging each fetch. :func:`follower_lock` makes sure only one
process follows a feed however many workers or instances serve the app.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

import sqlalchemy as sa

from geo.errors import FeedError
from geo.flood.feed import MAX_FEED_BYTES, FeedArea, parse_feed
from geo.flood.match import RwIndex
from geo.flood.store import FetchRecord, FloodFeedStore

log = logging.getLogger("ketahanan.flood")

USER_AGENT = "ketahanan-flood-follower"

LOCK_KEY = 0x6B7466_6C64
"""PostgreSQL advisory lock key held by the one follower of a database ("ktf" "ld")."""


def read_source(source: str, timeout: float) -> bytes:
    """The bytes of a feed URL (http, https) or local file, at most :data:`MAX_FEED_BYTES`.

    Raises
    ------
    FeedError
        Time-out, HTTP error status, unreachable host, missing file, too large.
    """
    if source.startswith(("http://", "https://")):
        request = urllib.request.Request(source, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                data: bytes = response.read(MAX_FEED_BYTES + 1)
        except urllib.error.HTTPError as exc:
            raise FeedError(f"HTTP {exc.code} from the feed ({exc.reason})") from None
        except TimeoutError:
            raise FeedError(f"the feed did not answer within {timeout:g} s") from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, TimeoutError):
                raise FeedError(f"the feed did not answer within {timeout:g} s") from None
            raise FeedError(f"cannot reach the feed: {reason}") from None
        except (OSError, ValueError) as exc:  # reset connection, bad chunking, ...
            raise FeedError(f"the feed broke off: {exc}") from None
    else:
        path = Path(source.removeprefix("file://"))
        try:
            with path.open("rb") as handle:
                data = handle.read(MAX_FEED_BYTES + 1)
        except OSError as exc:
            raise FeedError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(data) > MAX_FEED_BYTES:
        raise FeedError(f"the feed is larger than {MAX_FEED_BYTES:,} bytes")
    return data


def _older(areas: list[FeedArea], store: FloodFeedStore) -> str | None:
    """Why the feed is older than the last good one (None when it is not)."""
    last = store.last_good()
    if last is None:
        return None
    before = {}
    for s in store.states_of([last.id]):
        if s.last_updated is not None:
            before[s.area_id or s.geom_id] = s.last_updated
    for area in areas:
        prior = before.get(area.label)
        if prior is not None and area.last_updated is not None and area.last_updated < prior:
            return (
                f"the feed is older than the last good one (fetch {last.id}): area "
                f"{area.label} was updated {prior:%Y-%m-%dT%H:%M:%SZ}, the feed says "
                f"{area.last_updated:%Y-%m-%dT%H:%M:%SZ}"
            )
    return None


def ingest(
    store: FloodFeedStore,
    index: RwIndex,
    source: str,
    *,
    timeout: float = 30.0,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
    data: bytes | None = None,
) -> FetchRecord:
    """Fetch ``source`` once and store the fetch (good, or with its error).

    Parameters
    ----------
    store : FloodFeedStore
    index : RwIndex
        The RWs of the build served.
    source : str
        URL or file of the feed (recorded with the fetch).
    timeout : float
        Seconds to wait for the feed.
    now : callable
        The clock (the fetch's time is taken before reading, to the second: a ``datetime``
        instant naming that second replays this fetch).
    data : bytes, optional
        The body when already read (``source`` then only names it).

    Returns
    -------
    FetchRecord
        ``ok`` False with ``error`` when the fetch was not a good state.
    """
    fetched_at = now().replace(microsecond=0)  # to the second, as datetime instants are
    try:
        body = read_source(source, timeout) if data is None else data
        areas = parse_feed(body)
        older = _older(areas, store)
        if older is not None:
            raise FeedError(older)
        matched = index.match(areas)
    except FeedError as exc:
        record = store.record(fetched_at=fetched_at, source=source, error=exc.message)
        log.warning("flood feed %s: fetch %d failed: %s", source, record.id, exc.message)
        return record
    record = store.record(
        fetched_at=fetched_at,
        source=source,
        error=None,
        areas=len(areas),
        matched=matched.areas,
        unmatched=matched.unmatched,
    )
    unmatched = f"; unmatched ids: {', '.join(matched.unmatched)}" if matched.unmatched else ""
    log.info(
        "flood feed %s: fetch %d ok, %d areas, %d matched to RWs%s",
        source,
        record.id,
        len(areas),
        len(matched.areas),
        unmatched,
    )
    return record


def follow(
    ingest_once: Callable[[], FetchRecord],
    every: float,
    *,
    times: int | None = None,
    stop: threading.Event | None = None,
    report: Callable[[FetchRecord], None] | None = None,
) -> list[FetchRecord]:
    """Fetch now and then every ``every`` seconds, ``times`` times or until ``stop`` is set.

    A fault of the feed is a recorded fetch, never the end of the loop; only ``stop`` (or
    KeyboardInterrupt in the caller's thread) ends it early.
    """
    stop = stop or threading.Event()
    records: list[FetchRecord] = []
    while not stop.is_set() and (times is None or len(records) < times):
        try:
            record = ingest_once()
        except Exception:  # the store is down: log it, keep following
            log.exception("flood feed: the fetch could not be stored")
        else:
            records.append(record)
            if report is not None:
                report(record)
        if times is not None and len(records) >= times:
            break
        stop.wait(every)
    return records


@contextlib.contextmanager
def follower_lock(store_engine: sa.Engine, database_path: str | None) -> Iterator[bool]:
    """Hold the right to follow the feed of this database; yields False when another holds it.

    PostgreSQL: a session advisory lock (``pg_try_advisory_lock``) on a connection held for the
    duration, so one process of every worker and instance on the database follows. SQLite: an
    exclusive ``flock`` on ``<database>.flood-follow.lock`` beside the file.
    """
    if store_engine.dialect.name == "postgresql":
        with store_engine.connect() as conn:
            got = bool(
                conn.execute(sa.text("SELECT pg_try_advisory_lock(:k)"), {"k": LOCK_KEY}).scalar()
            )
            conn.commit()
            try:
                yield got
            finally:
                if got:
                    conn.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": LOCK_KEY})
                    conn.commit()
        return
    if not database_path or database_path == ":memory:":
        yield True
        return
    lock_path = Path(f"{database_path}.flood-follow.lock")
    handle: IO[bytes] = lock_path.open("ab")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        handle.close()
