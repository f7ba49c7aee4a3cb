"""SQL of the API tokens (``api_tokens``), and nothing else: SQLAlchemy Core, parameterised.

The tokens module (:mod:`geo.actions.auth`) makes, checks and revokes tokens; this one only
stores and finds their rows. A token's secret is never stored, only its hash.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from functools import cached_property
from typing import Any

import sqlalchemy as sa

from geo.actions.db import Database


@dataclass(frozen=True)
class TokenRow:
    """One row of ``api_tokens`` (the secret's hash, never the secret)."""

    id: str
    name: str
    role: str
    token_hash: str
    created_at: datetime
    revoked_at: datetime | None
    org_id: str | None = None
    org_name: str | None = None


class TokenRepository:
    """Rows of ``api_tokens``.

    Parameters
    ----------
    db : Database
        The database holding the table.
    """

    def __init__(self, db: Database) -> None:
        self.db = db
        self.table = db.tables.tokens

    @staticmethod
    def _row(row: Any) -> TokenRow:
        m = row._mapping
        return TokenRow(
            m["id"],
            m["name"],
            m["role"],
            m["token_hash"],
            m["created_at"],
            m["revoked_at"],
            m["org_id"],
            m.get("org_name"),
        )

    @cached_property
    def _by_hash(self) -> Any:
        """The token of ``b_hash`` (asked on every request with a token: built once)."""
        return self._select().where(self.table.c.token_hash == sa.bindparam("b_hash"))

    def _select(self) -> Any:
        """The tokens with their organisation's name (``org_name``)."""
        t, o = self.table, self.db.tables.organisations
        return sa.select(t, o.c.name.label("org_name")).select_from(
            t.outerjoin(o, o.c.id == t.c.org_id)
        )

    def insert_if_name_free(self, token: TokenRow) -> bool:
        """Insert ``token`` unless one of that name exists (False, nothing written)."""
        t = self.table
        with self.db.write() as conn:
            if conn.execute(sa.select(t.c.id).where(t.c.name == token.name)).first() is not None:
                return False
            conn.execute(
                sa.insert(t).values(
                    id=token.id,
                    name=token.name,
                    role=token.role,
                    token_hash=token.token_hash,
                    created_at=token.created_at,
                    revoked_at=token.revoked_at,
                    org_id=token.org_id,
                )
            )
        return True

    def revoke(self, name_or_id: str, now: datetime) -> TokenRow | None:
        """Mark a token revoked at ``now`` (keeping an earlier revocation); None if unknown."""
        t = self.table
        with self.db.write() as conn:
            row = conn.execute(
                sa.select(t).where(sa.or_(t.c.name == name_or_id, t.c.id == name_or_id))
            ).first()
            if row is None:
                return None
            revoked = row.revoked_at or now
            conn.execute(sa.update(t).where(t.c.id == row.id).values(revoked_at=revoked))
        return replace(self._row(row), revoked_at=revoked)

    def all(self) -> list[TokenRow]:
        """Every token, oldest first."""
        t = self.table
        with self.db.read() as conn:
            rows = conn.execute(self._select().order_by(t.c.created_at)).all()
        return [self._row(r) for r in rows]

    def by_hash(self, token_hash: str) -> TokenRow | None:
        """The token whose secret hashes to ``token_hash``, or None."""
        with self.db.read() as conn:
            row = conn.execute(self._by_hash, {"b_hash": token_hash}).first()
        return None if row is None else self._row(row)
