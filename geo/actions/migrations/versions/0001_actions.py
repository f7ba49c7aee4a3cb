"""Actions, their kelurahan, their history and the API tokens.

Revision ID: 0001
Revises:
Create Date: 2025-01-01

Frozen: this file spells out the schema of revision 0001 and imports nothing from the
project, so a later edit to :mod:`geo.actions.schema` cannot change what it creates. A change
to the tables is a new revision (``tests/actions/test_migrations.py`` fails until there is one).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from geoalchemy2 import Geometry

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the four tables and their indexes (and a GiST index on PostGIS)."""
    postgis = op.get_bind().dialect.name == "postgresql"
    tz = sa.DateTime(timezone=True)
    geom = (
        Geometry(geometry_type="GEOMETRY", srid=4326, spatial_index=False)
        if postgis
        else sa.LargeBinary()
    )
    op.create_table(
        "actions",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("pillar", sa.String(16), nullable=False),
        sa.Column("strategy_goal", sa.String(64)),
        sa.Column("lead_agency", sa.Text, nullable=False),
        sa.Column("partners", sa.JSON, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("progress", sa.Integer, nullable=False),
        sa.Column("budget_idr", sa.BigInteger),
        sa.Column("start_date", sa.Date),
        sa.Column("end_date", sa.Date),
        sa.Column("unit_codes", sa.JSON, nullable=False),
        sa.Column("kelurahan", sa.JSON, nullable=False),
        sa.Column("geom", geom),
        sa.Column("minx", sa.Float),
        sa.Column("miny", sa.Float),
        sa.Column("maxx", sa.Float),
        sa.Column("maxy", sa.Float),
        sa.Column("created_by", sa.Text, nullable=False),
        sa.Column("created_at", tz, nullable=False),
        sa.Column("updated_by", sa.Text, nullable=False),
        sa.Column("updated_at", tz, nullable=False),
        sa.Column("deleted", sa.Boolean, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", tz, nullable=False),
        sa.Column("revoked_at", tz),
    )
    op.create_table(
        "action_kelurahan",
        sa.Column(
            "action_id",
            sa.String(36),
            sa.ForeignKey("actions.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("kode", sa.String(16), primary_key=True),
    )
    op.create_table(
        "action_history",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("action_id", sa.String(36), sa.ForeignKey("actions.id"), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("operation", sa.String(16), nullable=False),
        sa.Column("snapshot", sa.JSON, nullable=False),
        sa.Column("changed_by", sa.Text, nullable=False),
        sa.Column("changed_at", tz, nullable=False),
        sa.UniqueConstraint("action_id", "version", name="uq_action_history_version"),
    )
    op.create_index("ix_actions_updated", "actions", ["deleted", "created_at"])
    op.create_index("ix_action_kelurahan_kode", "action_kelurahan", ["kode"])
    op.create_index("ix_action_history_action", "action_history", ["action_id", "version"])
    if postgis:
        op.create_index("ix_actions_geom", "actions", ["geom"], postgresql_using="gist")


def downgrade() -> None:
    """Drop the tables."""
    for name in ("action_history", "action_kelurahan", "api_tokens", "actions"):
        op.drop_table(name)
