"""Related initiatives: an action's kind and source, and unknown values left null.

Revision ID: 0002_action_kind_source
Revises: 0001
Create Date: 2026-12-02

Adds ``kind`` (``action`` for every existing row, or ``related_initiative``) and
``source_url``, and lets ``pillar``, ``lead_agency``, ``status`` and ``progress`` be null: a
related initiative (``ketahanan actions seed-initiatives``) leaves empty what its source does
not state. The service still requires them of an action (kind ``action``).

Frozen like 0001: it spells out its DDL and imports nothing from the project. On SQLite the
table is rebuilt (batch mode) with foreign keys off, as :func:`geo.actions.db.upgrade` arranges,
so the kelurahan links and the history that refer to the actions are kept as they are.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_action_kind_source"
down_revision = "0001"
branch_labels = None
depends_on = None

NOW_NULLABLE = (
    ("pillar", sa.String(16)),
    ("lead_agency", sa.Text()),
    ("status", sa.String(16)),
    ("progress", sa.Integer()),
)


def upgrade() -> None:
    """Add ``kind`` and ``source_url``; make the four unknown-able columns nullable."""
    with op.batch_alter_table("actions") as batch:
        for name, type_ in NOW_NULLABLE:
            batch.alter_column(name, existing_type=type_, nullable=True)
        batch.add_column(
            sa.Column("kind", sa.String(32), nullable=False, server_default=sa.text("'action'"))
        )
        batch.add_column(sa.Column("source_url", sa.Text()))


def downgrade() -> None:
    """Drop the related initiatives and the two columns; the four columns are required again."""
    op.execute(
        "DELETE FROM action_kelurahan WHERE action_id IN "
        "(SELECT id FROM actions WHERE kind = 'related_initiative')"
    )
    op.execute(
        "DELETE FROM action_history WHERE action_id IN "
        "(SELECT id FROM actions WHERE kind = 'related_initiative')"
    )
    op.execute("DELETE FROM actions WHERE kind = 'related_initiative'")
    with op.batch_alter_table("actions") as batch:
        batch.drop_column("source_url")
        batch.drop_column("kind")
        for name, type_ in NOW_NULLABLE:
            batch.alter_column(name, existing_type=type_, nullable=False)
