"""Revision 0003 on a store at 0002 holding free-text agencies: they become organisations.

Spellings of one organisation ("BPBD", "BPBD DKI", "BPBD Provinsi DKI Jakarta") are merged
into the record of the reviewed mapping (``geo/actions/org_aliases.csv``), a lead naming two
is split, an unknown name is created as a new organisation, and the report says which is which.
"""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa
from actionkit import Backend

from geo.actions.db import Database, create_db_engine, current_revision, upgrade
from geo.actions.organisations import Organisations

NOW = "2025-01-31 08:00:00+00:00"
ROWS = [
    ("00000000-0000-4000-8000-000000000001", "BPBD", ["UN-Habitat", "Dinas SDA"]),
    ("00000000-0000-4000-8000-000000000002", "BPBD DKI", ["bpbd  provinsi dki jakarta"]),
    ("00000000-0000-4000-8000-000000000003", "BPBD Provinsi DKI Jakarta", []),
    (
        "00000000-0000-4000-8000-000000000004",
        "Deputi Gubernur TRLH; Sekretariat Jakarta Berketahanan",
        ["Organisasi Uji Migrasi"],
    ),
]


def _seed_0002(conn: sa.Connection) -> None:
    for action_id, lead, partners in ROWS:
        conn.execute(
            sa.text(
                "INSERT INTO actions (id, title, description, pillar, lead_agency, partners,"
                " status, progress, unit_codes, kelurahan, created_by, created_at, updated_by,"
                " updated_at, deleted, version, kind) VALUES (:id, 'Pompa', '', 'siap', :lead,"
                " :partners, 'planned', 10, '[]', '[]', 'a', :now, 'a', :now, false, 1,"
                " 'action')"
            ),
            {"id": action_id, "lead": lead, "partners": json.dumps(partners), "now": NOW},
        )
        conn.execute(
            sa.text(
                "INSERT INTO action_history (action_id, version, operation, snapshot,"
                " changed_by, changed_at) VALUES (:id, 1, 'create', :snap, 'a', :now)"
            ),
            {"id": action_id, "snap": json.dumps({"lead": lead}), "now": NOW},
        )


def test_upgrade_maps_free_text_agencies(backend: Backend, tmp_path: Path) -> None:
    engine = create_db_engine(backend.url)
    try:
        upgrade(engine, "0002_action_kind_source")
        with engine.begin() as conn:
            _seed_0002(conn)
        upgrade(engine, "0003_organisations")
        assert current_revision(engine) == "0003_organisations"
        with engine.connect() as conn:
            rows = conn.execute(
                sa.text("SELECT id, lead_agency, lead_org_id, partners FROM actions ORDER BY id")
            ).all()
            history = conn.execute(sa.text("SELECT snapshot FROM action_history")).all()
        leads = [r.lead_agency for r in rows]
        assert leads[:3] == ["Badan Penanggulangan Bencana Daerah"] * 3
        assert len({r.lead_org_id for r in rows[:3]}) == 1
        partners = [
            r.partners if isinstance(r.partners, list) else json.loads(r.partners) for r in rows
        ]
        assert partners[0] == ["UN-Habitat", "Dinas Sumber Daya Air"]
        assert partners[1] == []  # the lead itself, spelled otherwise, is not its own partner
        assert leads[3] == "Kedeputian Gubernur Bidang Tata Ruang dan Lingkungan Hidup"
        assert partners[3] == ["Sekretariat Jakarta Berketahanan", "Organisasi Uji Migrasi"]
        snapshots = [
            h.snapshot if isinstance(h.snapshot, dict) else json.loads(h.snapshot) for h in history
        ]
        assert {s["lead"] for s in snapshots} == {r[1] for r in ROWS}  # history as it was
        report = {r["value"]: r for r in Organisations(Database(engine)).migration_report()}
        assert report["BPBD"]["outcome"] == "merged"
        assert report["BPBD DKI"]["organisation"] == "Badan Penanggulangan Bencana Daerah"
        assert report["UN-Habitat"]["outcome"] == "matched"
        assert report["Organisasi Uji Migrasi"]["outcome"] == "new"
        assert (
            report["Deputi Gubernur TRLH; Sekretariat Jakarta Berketahanan"]["outcome"] == "split"
        )
        orgs = Organisations(Database(engine))
        assert orgs.find("bpbd dki jakarta") == orgs.find("BPBD")
        assert orgs.find("Organisasi Uji Migrasi") is not None
        if backend.name == "sqlite":
            with engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
    finally:
        engine.dispose()
