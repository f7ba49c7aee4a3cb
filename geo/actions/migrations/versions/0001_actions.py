"""Actions, their kelurahan, their history and the API tokens.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

from alembic import op

from geo.actions.schema import make_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the four tables (and a GiST index on PostGIS)."""
    bind = op.get_bind()
    # make_tables describes schema version 0001; a later change to it needs a new migration
    # that alters the tables (and a frozen copy of this definition here).
    tables = make_tables(bind.dialect.name)
    tables.metadata.create_all(bind)
    op.create_index("ix_actions_updated", "actions", ["deleted", "created_at"])
    op.create_index("ix_action_kelurahan_kode", "action_kelurahan", ["kode"])
    op.create_index("ix_action_history_action", "action_history", ["action_id", "version"])
    if bind.dialect.name == "postgresql":
        op.execute("CREATE INDEX ix_actions_geom ON actions USING GIST (geom)")


def downgrade() -> None:
    """Drop the tables."""
    for name in ("action_history", "action_kelurahan", "api_tokens", "actions"):
        op.drop_table(name)
