"""The pieces ``ketahanan flood`` and ``serve`` share: the RW index of a build, durations, and
the background follower of ``KETAHANAN_FLOOD_FEED_URL``."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa

from geo.errors import InvalidParameterError
from geo.flood.ingest import follow, follower_lock, ingest
from geo.flood.match import ARCHIVE_LAYER, RW_LAYER, RwIndex
from geo.flood.store import FloodFeedStore
from geo.params import shown
from geo.snapshot import BuildSnapshot, load_snapshot

log = logging.getLogger("ketahanan.flood")

_DURATION = re.compile(r"(\d{1,6})(s|m|h)?")
_UNIT = {"s": 1, "m": 60, "h": 3600, None: 1}


def parse_duration(text: str, *, what: str = "--every") -> float:
    """``30s``, ``5m``, ``1h`` (or plain seconds) as seconds.

    Raises
    ------
    InvalidParameterError
    """
    match = _DURATION.fullmatch(text.strip().lower())
    if match is None or int(match[1]) == 0:
        raise InvalidParameterError(
            f"{what} must be a duration like 30s, 5m or 1h, got {shown(text)}"
        )
    return float(int(match[1]) * _UNIT[match[2]])


def rw_index(snapshot: BuildSnapshot) -> RwIndex:
    """The RWs of a build to match feed areas to."""
    rw = snapshot.get(RW_LAYER)
    return RwIndex(rw, snapshot.collections.get(ARCHIVE_LAYER))


def rw_index_of_build(path: Path) -> RwIndex:
    """The RWs of the build output at ``path`` (only its rw and 2017 layers are read)."""
    return rw_index(load_snapshot(path, layers=(RW_LAYER, ARCHIVE_LAYER)))


def sqlite_path(engine: sa.Engine) -> str | None:
    """The database file of a SQLite engine (None for PostgreSQL or memory)."""
    return engine.url.database if engine.dialect.name == "sqlite" else None


class BackgroundFollower:
    """Follows one feed URL in a daemon thread while it holds the follower lock.

    Parameters
    ----------
    feed : FloodFeedStore
    engine : Engine
        The store's engine (for the lock).
    index : callable
        Gives the RW index of the build being served (read at every fetch).
    url, every, timeout
        The feed and its timing.
    """

    def __init__(
        self,
        feed: FloodFeedStore,
        engine: sa.Engine,
        index: Callable[[], RwIndex],
        *,
        url: str,
        every: float,
        timeout: float,
    ) -> None:
        self.feed, self.engine, self.index = feed, engine, index
        self.url, self.every, self.timeout = url, every, timeout
        self.stop = threading.Event()
        self.following = threading.Event()
        self.thread = threading.Thread(target=self._run, name="flood-follower", daemon=True)

    def _run(self) -> None:
        try:
            with follower_lock(self.engine, sqlite_path(self.engine)) as mine:
                if not mine:
                    log.info("flood feed: another process follows %s; this one does not", self.url)
                    return
                self.following.set()
                log.info("flood feed: following %s every %g s", self.url, self.every)
                follow(
                    lambda: ingest(self.feed, self.index(), self.url, timeout=self.timeout),
                    self.every,
                    stop=self.stop,
                )
        except Exception:  # never take the server down
            log.exception("flood feed: the follower stopped")

    def start(self) -> BackgroundFollower:
        """Start following (returns at once)."""
        self.thread.start()
        return self

    def close(self, timeout: float = 5.0) -> None:
        """Stop following and wait a little for the thread."""
        self.stop.set()
        self.thread.join(timeout)
