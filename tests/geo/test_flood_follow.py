"""The flood feed followed from a local server replaying the February 2017 snapshots.

A server on 127.0.0.1 answers one step per request: the real hourly snapshots in the live
format, with the faults of a feed between them (an empty body, HTTP 500, a time-out, garbage,
a truncated file, a state outside 1-4, a feed older than the last). While ``follow`` runs,
after every fetch the state served by ``flood_live`` is the last good snapshot's RWs, marked
stale after a fault; nothing of a bad fetch is stored. On SQLite and PostGIS.
"""

from __future__ import annotations

import itertools
import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from floodkit import geom_ids, live_form, scripted_server, snapshot_files

from geo.actions.store import ActionStore
from geo.flood.follower import rw_index_of_build
from geo.flood.ingest import follow, follower_lock, ingest
from geo.flood.store import FetchRecord
from geo.ogc.providers.flood import FloodLiveProvider
from geo.ogc.query import ItemsQuery
from geo.settings import Settings
from geo.snapshot import load_snapshot

pytestmark = pytest.mark.realdata

PG_URL = os.environ.get("KETAHANAN_TEST_POSTGRES_URL")
HOURS = ["2017-02-20T00:00:00", "2017-02-21T09:00:00", "2017-02-21T13:00:00", "2017-02-22T18:00:00"]


@pytest.fixture(params=["sqlite", "postgis"])
def store(
    request: pytest.FixtureRequest, tmp_path: Path, real_build: Settings
) -> Iterator[ActionStore]:
    """A migrated store on SQLite or on a fresh PostGIS schema."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'actions.sqlite'}"
        admin, schema = None, None
    else:
        if not PG_URL:
            pytest.skip("PostGIS tests need KETAHANAN_TEST_POSTGRES_URL")
        schema = f"t_{uuid.uuid4().hex[:12]}"
        admin = sa.create_engine(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1))
        with admin.begin() as conn:
            conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        parsed = sa.make_url(PG_URL)
        url = parsed.set(
            query={**parsed.query, "options": f"-csearch_path={schema},public"}
        ).render_as_string(hide_password=False)
    s = ActionStore.from_settings(real_build.model_copy(update={"database_url": url}))
    s.migrate()
    try:
        yield s
    finally:
        s.dispose()
        if admin is not None:
            with admin.begin() as conn:
                conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
            admin.dispose()


def _served(provider: FloodLiveProvider) -> tuple[set[str], dict]:
    chosen = provider.query(ItemsQuery(limit=10_000))
    import orjson

    ids = {orjson.loads(f)["properties"]["geom_id"] for f in chosen.features}
    return ids, chosen.members["feed"]


def test_follow_serves_the_last_good_snapshot_through_every_fault(
    store: ActionStore, real_build: Settings
) -> None:
    files = snapshot_files(real_build.data_dir)
    index = rw_index_of_build(real_build.build_path)
    rw = load_snapshot(real_build.build_path, layers=("rw",)).get("rw")
    provider = FloodLiveProvider(rw, lambda: store.flood, stale_after=3600)
    truncated = live_form(files[HOURS[1]])[:5000]
    script = [
        ("body", live_form(files[HOURS[0]])),
        ("body", b""),  # an empty file
        ("body", live_form(files[HOURS[1]])),
        ("status", 500),
        ("sleep", 1.5),  # a time-out (the fetch waits 0.5 s)
        ("body", live_form(files[HOURS[2]])),
        ("body", b"<html>502 Bad Gateway</html>\x00\xff"),  # garbage
        ("body", truncated),
        ("body", live_form(files[HOURS[2]], state=5)),  # a state outside 1-4
        ("body", live_form(files[HOURS[2]], shift_days=2)),  # older than the last good one
        ("body", live_form(files[HOURS[3]])),
    ]
    good_after = [0, 0, 1, 1, 1, 2, 2, 2, 2, 2, 3]
    seen: list[tuple[FetchRecord, set[str], dict]] = []
    ticks = itertools.count()
    start = datetime.now(UTC) - timedelta(minutes=20)

    def clock() -> datetime:  # a fetch a minute (fetch times are kept to the second)
        return start + timedelta(minutes=next(ticks))

    def check(record: FetchRecord) -> None:
        ids, feed = _served(provider)
        seen.append((record, ids, feed))

    with scripted_server(script) as url, follower_lock(store.engine, None) as mine:
        assert mine
        records = follow(
            lambda: ingest(store.flood, index, url, timeout=0.5, now=clock),
            0.01,
            times=len(script),
            report=check,
        )
    assert len(records) == len(script)
    oks = [r.ok for r in records]
    assert oks == [True, False, True, False, False, True, False, False, False, False, True]
    errors = [r.error or "" for r in records]
    assert "empty" in errors[1] and "HTTP 500" in errors[3] and "within 0.5 s" in errors[4]
    assert "not JSON" in errors[6] and "not JSON" in errors[7]
    assert "state" in errors[8] and "older than the last good one" in errors[9]
    for (record, ids, feed), hour in zip(seen, good_after, strict=True):
        assert ids == geom_ids(files[HOURS[hour]]), record
        assert feed["stale"] is (not record.ok)
        assert feed["error"] == (None if record.ok else record.error)
    # nothing of a bad fetch was stored: states only for the four good ones
    with store.read() as conn:
        n = conn.execute(sa.select(sa.func.count()).select_from(store.tables.flood_states)).scalar()
    assert n == sum(len(geom_ids(files[h])) for h in HOURS)
    # the replay: an instant gives the good fetch in force then, an interval every good one
    good = [r for r in records if r.ok]
    at = good[1].fetched_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    chosen = provider.query(ItemsQuery(limit=10_000, datetime=(at, at), datetime_instant=True))
    assert chosen.matched == len(geom_ids(files[HOURS[1]]))
    everything = provider.query(ItemsQuery(limit=10_000, datetime=(None, "9999-12-31T23:59:59Z")))
    assert everything.matched == n
    before = provider.query(
        ItemsQuery(datetime=("2000-01-01T00:00:00Z", "2000-01-01T00:00:00Z"), datetime_instant=True)
    )
    assert before.matched == 0


def test_ingest_once_reports_unmatched_ids(
    store: ActionStore, real_build: Settings, tmp_path: Path
) -> None:
    """An area that is no RW of the build (here: a real RW polygon moved off Jakarta and without
    a known geom_id) is listed with the fetch, the others are stored."""
    import json

    files = snapshot_files(real_build.data_dir)
    doc = json.loads(live_form(files[HOURS[0]]))
    away = doc["features"][0]
    away["properties"]["geom_id"] = "9999999999999999"
    for ring in away["geometry"]["coordinates"]:
        for pos in ring:
            pos[0] += 5.0
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(doc))
    index = rw_index_of_build(real_build.build_path)
    record = ingest(store.flood, index, str(path))
    assert record.ok and record.unmatched == ["9999999999999999"]
    assert record.matched == len(doc["features"]) - 1
    assert store.flood.last_good() == record


def test_one_follower_per_database(store: ActionStore, tmp_path: Path) -> None:
    path = str(tmp_path / "x.sqlite") if store.dialect == "sqlite" else None
    with follower_lock(store.engine, path) as first:
        assert first
        other = sa.create_engine(store.engine.url)
        try:
            with follower_lock(other, path) as second:
                assert not second
        finally:
            other.dispose()
    with follower_lock(store.engine, path) as again:
        assert again
