"""Organisations: lead agencies and partners as records, tokens that act for one, comments.

Revision ID: 0003_organisations
Revises: 0002_action_kind_source
Create Date: 2026-12-02

Creates ``organisations`` (name, short name, kind, parent, ``merged_into``), their
``organisation_aliases`` (normalised spellings), ``action_comments`` (a thread per action;
a deleted comment keeps its row with ``deleted_at``) and ``organisation_migration`` (the
report of this migration); adds ``actions.lead_org_id`` and ``actions.partner_org_ids``,
``api_tokens.org_id`` and ``action_history.changed_by_org``.

Data: every organisation of the reviewed mapping ``geo/actions/org_aliases.csv`` (real names
from the strategy data and the seeded initiatives) is created with its aliases. Each free-text
lead agency and partner is then normalised (case, whitespace, a trailing "DKI", "DKI Jakarta"
or "Provinsi DKI Jakarta") and looked up: a value that is an organisation's own name is
``matched``, another spelling of one (``BPBD DKI`` for BPBD) is ``merged``, anything else is
created as a ``new`` organisation of unknown kind, under the name as written. A lead agency
naming several ("A; B") keeps the first as lead and adds the others to the partners
(``split``). Each action's ``lead_agency`` and ``partners`` then read the organisations'
names; the history keeps the text as it was. ``ketahanan org migration-report`` prints the
report.

Frozen like 0001: its DDL and its normalisation are spelled out here; it reads only the CSV.
"""

from __future__ import annotations

import csv
import json
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0003_organisations"
down_revision = "0002_action_kind_source"
branch_labels = None
depends_on = None

MAPPING = Path(__file__).resolve().parents[2] / "org_aliases.csv"
SUFFIXES = ("provinsi dki jakarta", "prov. dki jakarta", "prov dki jakarta", "dki jakarta", "dki")


def normalise(text: str) -> str:
    """The key an organisation's spelling is compared by (frozen copy of orgnames.normalise)."""
    key = " ".join(text.split()).lower().strip(" .,;")
    changed = True
    while changed:
        changed = False
        for suffix in SUFFIXES:
            if key.endswith(" " + suffix):
                key = key[: -len(suffix) - 1].strip(" .,;")
                changed = True
    return key


def _create_tables() -> None:
    tz = sa.DateTime(timezone=True)
    op.create_table(
        "organisations",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("name", sa.Text, nullable=False, unique=True),
        sa.Column("short_name", sa.Text),
        sa.Column("kind", sa.String(16)),
        sa.Column("parent_id", sa.String(36), sa.ForeignKey("organisations.id")),
        sa.Column("merged_into", sa.String(36), sa.ForeignKey("organisations.id")),
        sa.Column("created_at", tz, nullable=False),
    )
    op.create_table(
        "organisation_aliases",
        sa.Column("alias", sa.Text, primary_key=True),
        sa.Column("org_id", sa.String(36), sa.ForeignKey("organisations.id"), nullable=False),
    )
    op.create_table(
        "action_comments",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("action_id", sa.String(36), sa.ForeignKey("actions.id"), nullable=False),
        sa.Column("author", sa.Text, nullable=False),
        sa.Column("org_id", sa.String(36), sa.ForeignKey("organisations.id")),
        sa.Column("org_name", sa.Text),
        sa.Column("created_at", tz, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("deleted_at", tz),
        sa.Column("deleted_by", sa.Text),
    )
    op.create_index("ix_action_comments_action", "action_comments", ["action_id", "created_at"])
    op.create_table(
        "organisation_migration",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("org_id", sa.String(36), sa.ForeignKey("organisations.id")),
        sa.Column("actions", sa.Integer, nullable=False),
    )
    with op.batch_alter_table("actions") as batch:
        batch.add_column(
            sa.Column(
                "lead_org_id",
                sa.String(36),
                sa.ForeignKey("organisations.id", name="fk_actions_lead_org"),
            )
        )
        batch.add_column(sa.Column("partner_org_ids", sa.JSON))
    _add_token_org()
    # SQLite: rebuild, so the new column is written like the model's (not ALTER's one line)
    sqlite = op.get_bind().dialect.name == "sqlite"
    with op.batch_alter_table("action_history", recreate="always" if sqlite else "auto") as batch:
        batch.add_column(sa.Column("changed_by_org", sa.Text))


def _add_token_org() -> None:
    """``api_tokens.org_id``; SQLite rebuilds the table by hand, in the model's order (batch
    mode's order of the two unique constraints is not stable)."""
    fk = sa.ForeignKeyConstraint(["org_id"], ["organisations.id"], name="fk_api_tokens_org")
    if op.get_bind().dialect.name != "sqlite":
        op.add_column("api_tokens", sa.Column("org_id", sa.String(36)))
        op.create_foreign_key(
            "fk_api_tokens_org", "api_tokens", "organisations", ["org_id"], ["id"]
        )
        return
    tz = sa.DateTime(timezone=True)
    op.create_table(
        "_new_api_tokens",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", tz, nullable=False),
        sa.Column("revoked_at", tz),
        sa.Column("org_id", sa.String(36)),
        fk,
        sa.UniqueConstraint("token_hash"),
        sa.UniqueConstraint("name"),
    )
    op.execute(
        "INSERT INTO _new_api_tokens (id, name, role, token_hash, created_at, revoked_at) "
        "SELECT id, name, role, token_hash, created_at, revoked_at FROM api_tokens"
    )
    op.drop_table("api_tokens")
    op.rename_table("_new_api_tokens", "api_tokens")


class _Orgs:
    """The organisations being written, by normalised spelling."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self.by_key: dict[str, tuple[str, str]] = {}
        self.now = datetime.now(UTC)

    def add(self, name: str, short: str | None, kind: str | None, aliases: list[str]) -> str:
        org_id = str(uuid.uuid4())
        self.conn.execute(
            sa.text(
                "INSERT INTO organisations (id, name, short_name, kind, created_at) "
                "VALUES (:id, :name, :short, :kind, :now)"
            ).bindparams(sa.bindparam("now", type_=sa.DateTime(timezone=True))),
            {"id": org_id, "name": name, "short": short or None, "kind": kind, "now": self.now},
        )
        for spelling in [name, short or "", *aliases]:
            key = normalise(spelling)
            if key and key not in self.by_key:
                self.by_key[key] = (org_id, name)
                self.conn.execute(
                    sa.text("INSERT INTO organisation_aliases (alias, org_id) VALUES (:a, :o)"),
                    {"a": key, "o": org_id},
                )
        return org_id

    def resolve(self, value: str) -> tuple[str, str, str]:
        """(org id, org name, outcome) for a free-text value, creating an organisation."""
        key = normalise(value)
        found = self.by_key.get(key)
        if found is None:
            return (*_pair(self.add(" ".join(value.split()), None, None, [])), "new")
        org_id, name = found
        outcome = "matched" if " ".join(value.split()) == name else "merged"
        return org_id, name, outcome


def _pair(org_id: str) -> tuple[str, str]:
    row = op.get_bind().execute(
        sa.text("SELECT id, name FROM organisations WHERE id = :i"), {"i": org_id}
    )
    first = row.first()
    assert first is not None
    return first[0], first[1]


def _migrate_values() -> None:
    conn = op.get_bind()
    orgs = _Orgs(conn)
    with MAPPING.open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            aliases = [a for a in (r["aliases"] or "").split("|") if a.strip()]
            orgs.add(r["name"].strip(), r["short_name"].strip(), r["kind"].strip() or None, aliases)
    report: dict[str, list[Any]] = {}
    rows = conn.execute(sa.text("SELECT id, lead_agency, partners FROM actions")).all()
    for action_id, lead, partners in rows:
        names = json.loads(partners) if isinstance(partners, str) else list(partners or [])
        leads = [p.strip() for p in (lead or "").split(";") if p.strip()]
        if len(leads) > 1:
            report.setdefault(lead, [None, "split", 0])[2] += 1
        lead_id = lead_name = None
        partner_ids: list[str] = []
        partner_names: list[str] = []
        for i, value in enumerate([*leads, *[str(p) for p in names]]):
            if not value.strip():
                continue
            org_id, org_name, outcome = orgs.resolve(value)
            entry = report.setdefault(value, [org_id, outcome, 0])
            entry[2] += 1
            if i == 0:
                lead_id, lead_name = org_id, org_name
            elif org_id != lead_id and org_id not in partner_ids:
                partner_ids.append(org_id)
                partner_names.append(org_name)
        conn.execute(
            sa.text(
                "UPDATE actions SET lead_agency = :ln, lead_org_id = :li, partners = :pn, "
                "partner_org_ids = :pi WHERE id = :id"
            ),
            {
                "ln": lead_name,
                "li": lead_id,
                "pn": json.dumps(partner_names),
                "pi": json.dumps(partner_ids),
                "id": action_id,
            },
        )
    for value, (org_id, outcome, count) in sorted(report.items()):
        conn.execute(
            sa.text(
                "INSERT INTO organisation_migration (value, outcome, org_id, actions) "
                "VALUES (:v, :o, :i, :n)"
            ),
            {"v": value, "o": outcome, "i": org_id, "n": count},
        )


def upgrade() -> None:
    """Create the organisation tables and columns, then map the free-text agencies."""
    _create_tables()
    _migrate_values()


def downgrade() -> None:
    """Drop the organisations; agencies stay as the organisations' names (free text again)."""
    with op.batch_alter_table("action_history") as batch:
        batch.drop_column("changed_by_org")
    with op.batch_alter_table("api_tokens") as batch:
        batch.drop_column("org_id")
    with op.batch_alter_table("actions") as batch:
        batch.drop_column("partner_org_ids")
        batch.drop_column("lead_org_id")
    op.drop_table("organisation_migration")
    op.drop_index("ix_action_comments_action", "action_comments")
    op.drop_table("action_comments")
    op.drop_table("organisation_aliases")
    op.drop_table("organisations")
