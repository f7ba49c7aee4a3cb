"""The tables of the actions store, for one SQL dialect: the model the migrations must match.

Geometry is a PostGIS ``geometry(GEOMETRY, 4326)`` column (GeoAlchemy2) on PostgreSQL and
WKB in a BLOB on SQLite; :mod:`geo.actions.repository` hides the difference. The bounding-box
columns serve the ``bbox`` filter the same way on both.

This is the alembic ``target_metadata`` (see ``migrations/env.py``): a change here without a
new revision in ``migrations/versions`` is drift, and ``alembic check``
(:func:`geo.actions.db.check_schema`, ``ketahanan db check``) reports it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from geoalchemy2 import Geometry

SRID = 4326
"""EPSG code of :data:`geo.crs.STORAGE_CRS`, as the integer PostGIS wants."""


@dataclass(frozen=True)
class Tables:
    """The store's tables for one dialect."""

    metadata: sa.MetaData
    actions: sa.Table
    action_kelurahan: sa.Table
    history: sa.Table
    tokens: sa.Table
    flood_fetches: sa.Table
    flood_states: sa.Table
    organisations: sa.Table
    org_aliases: sa.Table
    comments: sa.Table
    org_migration: sa.Table


def geometry_type(dialect: str) -> sa.types.TypeEngine[Any]:
    """The geometry column type for ``dialect`` (``postgresql`` or ``sqlite``)."""
    if dialect == "postgresql":
        return Geometry(geometry_type="GEOMETRY", srid=SRID, spatial_index=False)
    return sa.LargeBinary()


def make_tables(dialect: str) -> Tables:
    """Describe the store's tables for ``dialect``.

    Parameters
    ----------
    dialect : str
        SQLAlchemy dialect name.

    Returns
    -------
    Tables
    """
    md = sa.MetaData()
    tz = sa.DateTime(timezone=True)
    actions = _actions_table(md, dialect)
    action_kelurahan = sa.Table(
        "action_kelurahan",
        md,
        sa.Column(
            "action_id",
            sa.String(36),
            sa.ForeignKey("actions.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("kode", sa.String(16), primary_key=True),
        sa.Index("ix_action_kelurahan_kode", "kode"),
    )
    history = sa.Table(
        "action_history",
        md,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("action_id", sa.String(36), sa.ForeignKey("actions.id"), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("operation", sa.String(16), nullable=False),
        sa.Column("snapshot", sa.JSON, nullable=False),
        sa.Column("changed_by", sa.Text, nullable=False),
        sa.Column("changed_at", tz, nullable=False),
        # revision 0003: the organisation of the token that made the change
        sa.Column("changed_by_org", sa.Text),
        sa.UniqueConstraint("action_id", "version", name="uq_action_history_version"),
        sa.Index("ix_action_history_action", "action_id", "version"),
    )
    tokens = sa.Table(
        "api_tokens",
        md,
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", tz, nullable=False),
        sa.Column("revoked_at", tz),
        # revision 0003: the organisation a token acts for (None: a token from before)
        sa.Column("org_id", sa.String(36)),
        # in the order SQLite's table rebuild of revision 0003 writes them
        sa.ForeignKeyConstraint(["org_id"], ["organisations.id"], name="fk_api_tokens_org"),
        sa.UniqueConstraint("token_hash"),
        sa.UniqueConstraint("name"),
    )
    fetches, states = _flood_tables(md)
    orgs = _organisation_tables(md)
    return Tables(md, actions, action_kelurahan, history, tokens, fetches, states, *orgs)


def _flood_tables(md: sa.MetaData) -> tuple[sa.Table, sa.Table]:
    """Revision 0004: every fetch of the flood feed, and the RW states of each good one."""
    tz = sa.DateTime(timezone=True)
    fetches = sa.Table(
        "flood_fetches",
        md,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("fetched_at", tz, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("ok", sa.Boolean, nullable=False),
        sa.Column("error", sa.Text),
        sa.Column("areas", sa.Integer, nullable=False),
        sa.Column("matched", sa.Integer, nullable=False),
        sa.Column("unmatched", sa.JSON, nullable=False),
        sa.Column("feed_time", tz),
        sa.Index("ix_flood_fetches_time", "ok", "fetched_at"),
    )
    states = sa.Table(
        "flood_states",
        md,
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
        sa.Index("ix_flood_states_fetch", "fetch_id"),
    )
    return fetches, states


def _organisation_tables(md: sa.MetaData) -> tuple[sa.Table, sa.Table, sa.Table, sa.Table]:
    """Revision 0003: organisations, their aliases, comments and the migration report."""
    tz = sa.DateTime(timezone=True)
    organisations = sa.Table(
        "organisations",
        md,
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("name", sa.Text, nullable=False, unique=True),
        sa.Column("short_name", sa.Text),
        sa.Column("kind", sa.String(16)),
        sa.Column("parent_id", sa.String(36), sa.ForeignKey("organisations.id")),
        sa.Column("merged_into", sa.String(36), sa.ForeignKey("organisations.id")),
        sa.Column("created_at", tz, nullable=False),
    )
    aliases = sa.Table(
        "organisation_aliases",
        md,
        sa.Column("alias", sa.Text, primary_key=True),
        sa.Column("org_id", sa.String(36), sa.ForeignKey("organisations.id"), nullable=False),
    )
    comments = sa.Table(
        "action_comments",
        md,
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("action_id", sa.String(36), sa.ForeignKey("actions.id"), nullable=False),
        sa.Column("author", sa.Text, nullable=False),
        sa.Column("org_id", sa.String(36), sa.ForeignKey("organisations.id")),
        sa.Column("org_name", sa.Text),
        sa.Column("created_at", tz, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("deleted_at", tz),
        sa.Column("deleted_by", sa.Text),
        sa.Index("ix_action_comments_action", "action_id", "created_at"),
    )
    report = sa.Table(
        "organisation_migration",
        md,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("org_id", sa.String(36), sa.ForeignKey("organisations.id")),
        sa.Column("actions", sa.Integer, nullable=False),
    )
    return organisations, aliases, comments, report


def _actions_table(md: sa.MetaData, dialect: str) -> sa.Table:
    """The ``actions`` table: one row per action, its current version."""
    tz = sa.DateTime(timezone=True)
    actions = sa.Table(
        "actions",
        md,
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("pillar", sa.String(16)),
        sa.Column("strategy_goal", sa.String(64)),
        sa.Column("lead_agency", sa.Text),
        sa.Column("partners", sa.JSON, nullable=False),
        sa.Column("status", sa.String(16)),
        sa.Column("progress", sa.Integer),
        sa.Column("budget_idr", sa.BigInteger),
        sa.Column("start_date", sa.Date),
        sa.Column("end_date", sa.Date),
        sa.Column("unit_codes", sa.JSON, nullable=False),
        sa.Column("kelurahan", sa.JSON, nullable=False),
        sa.Column("geom", geometry_type(dialect)),
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
        # revision 0002: related initiatives (null pillar, agency, status, progress allowed)
        sa.Column("kind", sa.String(32), nullable=False, server_default=sa.text("'action'")),
        sa.Column("source_url", sa.Text),
        # revision 0003: the organisations behind lead_agency and partners (their names)
        sa.Column(
            "lead_org_id",
            sa.String(36),
            sa.ForeignKey("organisations.id", name="fk_actions_lead_org"),
        ),
        sa.Column("partner_org_ids", sa.JSON),
        sa.Index("ix_actions_updated", "deleted", "created_at"),
    )
    if dialect == "postgresql":
        sa.Index("ix_actions_geom", actions.c.geom, postgresql_using="gist")
    return actions
