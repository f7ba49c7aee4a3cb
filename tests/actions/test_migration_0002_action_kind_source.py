"""Revision 0002 on a store that already holds actions: every row and link is kept.

On SQLite the actions table is rebuilt (copy, drop, rename) with foreign keys off; the
kelurahan links (``ON DELETE CASCADE``) and the history must survive it, existing actions
become kind ``action``, and foreign keys are on again afterwards.
"""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa
from actionkit import Backend

from geo.actions.db import create_db_engine, current_revision, upgrade

NOW = "2025-01-31 08:00:00+00:00"
ACTION_ID = "00000000-0000-4000-8000-000000000001"


def _seed_0001(conn: sa.Connection) -> None:
    """One action of revision 0001 with a kelurahan link and its history row."""
    conn.execute(
        sa.text(
            "INSERT INTO actions (id, title, description, pillar, lead_agency, partners, status,"
            " progress, unit_codes, kelurahan, created_by, created_at, updated_by, updated_at,"
            " deleted, version) VALUES (:id, 'Pompa', '', 'siap', 'BPBD', '[]', 'planned', 10,"
            " :codes, :codes, 'a', :now, 'a', :now, false, 1)"
        ),
        {"id": ACTION_ID, "now": NOW, "codes": json.dumps(["31.71.01.1001"])},
    )
    conn.execute(
        sa.text("INSERT INTO action_kelurahan (action_id, kode) VALUES (:id, '31.71.01.1001')"),
        {"id": ACTION_ID},
    )
    conn.execute(
        sa.text(
            "INSERT INTO action_history (action_id, version, operation, snapshot, changed_by,"
            " changed_at) VALUES (:id, 1, 'create', :snap, 'a', :now)"
        ),
        {"id": ACTION_ID, "snap": json.dumps({}), "now": NOW},
    )


def test_upgrade_keeps_actions_links_and_history(backend: Backend, tmp_path: Path) -> None:
    engine = create_db_engine(backend.url)
    try:
        upgrade(engine, "0001")
        with engine.begin() as conn:
            _seed_0001(conn)
        upgrade(engine, "0002_action_kind_source")
        assert current_revision(engine) == "0002_action_kind_source"
        with engine.connect() as conn:
            row = conn.execute(sa.text("SELECT kind, source_url, pillar FROM actions")).one()
            links = conn.execute(sa.text("SELECT count(*) FROM action_kelurahan")).scalar()
            history = conn.execute(sa.text("SELECT count(*) FROM action_history")).scalar()
            if backend.name == "sqlite":
                assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
                assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        assert tuple(row) == ("action", None, "siap")
        assert (links, history) == (1, 1)
        with engine.begin() as conn:  # a related initiative may now leave these null
            conn.execute(
                sa.text(
                    "UPDATE actions SET kind = 'related_initiative', pillar = NULL, "
                    "lead_agency = NULL, status = NULL, progress = NULL"
                )
            )
    finally:
        engine.dispose()
