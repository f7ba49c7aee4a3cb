"""The flood feed: every fetch with its time and outcome, and the RW states of each good one.

Revision ID: 0004_flood_feed
Revises: 0003_organisations
Create Date: 2026-12-02

``flood_fetches`` keeps one row per fetch of the PetaBencana-format feed (``ketahanan flood
ingest`` / ``follow`` or the follower of ``serve``): when, from where, whether it was good, the
error of a bad one, how many areas it held, how many matched an RW of the build and the ids
that did not. ``flood_states`` keeps the RW states of each good fetch (one transaction per
fetch: a fetch is stored whole or not at all). Frozen like 0001: its DDL is spelled out.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_flood_feed"
down_revision = "0003_organisations"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``flood_fetches`` and ``flood_states``."""
    tz = sa.DateTime(timezone=True)
    op.create_table(
        "flood_fetches",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("fetched_at", tz, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("ok", sa.Boolean, nullable=False),
        sa.Column("error", sa.Text),
        sa.Column("areas", sa.Integer, nullable=False),
        sa.Column("matched", sa.Integer, nullable=False),
        sa.Column("unmatched", sa.JSON, nullable=False),
        sa.Column("feed_time", tz),
    )
    op.create_index("ix_flood_fetches_time", "flood_fetches", ["ok", "fetched_at"])
    op.create_table(
        "flood_states",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "fetch_id",
            sa.Integer,
            sa.ForeignKey("flood_fetches.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("rw_fid", sa.Integer, nullable=False),
        sa.Column("area_id", sa.Text),
        sa.Column("geom_id", sa.Text),
        sa.Column("state", sa.Integer, nullable=False),
        sa.Column("last_updated", tz),
    )
    op.create_index("ix_flood_states_fetch", "flood_states", ["fetch_id"])


def downgrade() -> None:
    """Drop the flood feed's tables."""
    op.drop_index("ix_flood_states_fetch", table_name="flood_states")
    op.drop_table("flood_states")
    op.drop_index("ix_flood_fetches_time", table_name="flood_fetches")
    op.drop_table("flood_fetches")
