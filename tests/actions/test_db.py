"""The actions database's connections (geo/actions/db.py) and the statements built once
(geo/actions/repository.py).

* A pooled PostgreSQL connection the server ended (``pg_terminate_backend``, as a restart or
  an idle timeout does) is seen at checkout, without a round trip, and replaced: the next
  read and the next write succeed instead of answering 503.
* PostgreSQL reads run in autocommit (no BEGIN/ROLLBACK round trips); writes still run in one
  transaction, rolled back whole on an error.
* An edit that keeps the geometry keeps the kelurahan links as they are; one that moves it
  rewrites them (SQLite and PostGIS).
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from actionkit import Backend, point_feature

from geo.actions.store import ActionStore

pytestmark = pytest.mark.realdata
PG_ONLY = pytest.mark.parametrize("backend", ["postgis"], indirect=True)
JAKARTA_POINT = (106.8272, -6.1754)


def _links(store: ActionStore, action_id: str) -> list[str]:
    ak = store.database.tables.action_kelurahan
    with store.database.read() as conn:
        rows = conn.execute(sa.select(ak.c.kode).where(ak.c.action_id == action_id)).all()
    return sorted(r.kode for r in rows)


def _end_sessions(backend: Backend, pids: set[int]) -> int:
    """End these sessions from another one, as the server does on a restart (waiting until
    each has gone, PostgreSQL 14+); how many were ended."""
    admin = sa.create_engine(backend.url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with admin.connect() as conn:
            ended = conn.execute(
                sa.text(
                    "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 5000)) FROM "
                    "unnest(CAST(:pids AS int[])) AS pid"
                ),
                {"pids": sorted(pids)},
            ).scalar_one()
    finally:
        admin.dispose()
    return int(ended)


@PG_ONLY
def test_a_connection_the_server_ended_is_replaced_at_checkout(
    store: ActionStore, backend: Backend
) -> None:
    made = store.create(point_feature(*JAKARTA_POINT, title="sumur resapan"), "cli")
    with store.database.read() as conn, store.database.read() as other:  # two pooled, held at once
        pids = {
            conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one(),
            other.exec_driver_sql("SELECT pg_backend_pid()").scalar_one(),
        }
    assert _end_sessions(backend, pids) == len(pids) == 2
    # each checkout finds its connection closed by the server and takes a new one
    assert store.get(made.id).version == 1
    patched = store.patch(made.id, {"properties": {"progress": 40}}, 1, "cli")
    assert patched.version == 2
    with store.database.read() as conn:
        now = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
    assert now not in pids


@PG_ONLY
def test_reads_run_in_autocommit_and_writes_in_one_transaction(store: ActionStore) -> None:
    with store.database.read() as conn:
        assert conn.connection.dbapi_connection.autocommit is True  # type: ignore[union-attr]
        # no transaction is open around a read: nothing holds a snapshot or a lock
        assert conn.exec_driver_sql("SELECT txid_current_if_assigned()").scalar() is None
    made = store.create(point_feature(*JAKARTA_POINT, title="pompa"), "cli")
    t = store.database.tables.actions
    with pytest.raises(RuntimeError), store.database.write() as conn:
        assert conn.connection.dbapi_connection.autocommit is False  # type: ignore[union-attr]
        conn.execute(sa.update(t).where(t.c.id == made.id).values(title="setengah"))
        raise RuntimeError("the request failed half-way")
    assert store.get(made.id).props["title"] == "pompa"
    with store.database.read() as conn:  # the connection went back to the pool in autocommit off
        assert conn.connection.dbapi_connection.autocommit is True  # type: ignore[union-attr]


def test_an_edit_keeps_or_rewrites_the_kelurahan_links(store: ActionStore) -> None:
    made = store.create(point_feature(*JAKARTA_POINT, title="taman"), "cli")
    first = _links(store, made.id)
    assert first == sorted(made.kelurahan) and first, "a point in Jakarta lies in a kelurahan"
    budget = store.patch(made.id, {"properties": {"budget_idr": 5_000_000}}, 1, "cli")
    assert budget.kelurahan == made.kelurahan
    assert _links(store, made.id) == first
    moved = store.patch(
        made.id,
        {"geometry": {"type": "Point", "coordinates": [106.7800, -6.1200]}},
        2,
        "cli",
    )
    assert moved.kelurahan != made.kelurahan
    assert _links(store, made.id) == sorted(moved.kelurahan)
    assert store.integrity_problems() == []
    history = store.repository.history(made.id)
    assert [h.version for h in history] == [1, 2, 3]
    assert history[1].snapshot["properties"]["budget_idr"] == 5_000_000
