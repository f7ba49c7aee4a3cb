"""API tokens: bearer secrets with a role, stored only as a sha256 hash.

A token is ``secrets.token_urlsafe(32)``; the database keeps its sha256 hex digest, and a
presented token is hashed and compared with :func:`hmac.compare_digest`. Tokens are printed
once when created and never logged.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

import sqlalchemy as sa

from geo.actions.store import ActionStore
from geo.errors import (
    ConflictError,
    ForbiddenError,
    InvalidParameterError,
    NotFoundError,
    UnauthorizedError,
)
from geo.params import shown


class Role(StrEnum):
    """What a token may do: viewers read, planners and admins also write."""

    viewer = "viewer"
    planner = "planner"
    admin = "admin"


RANK = {Role.viewer: 0, Role.planner: 1, Role.admin: 2}
"""Roles ordered by power: a role may do whatever a lower one may."""


@dataclass(frozen=True)
class Token:
    """A stored token (never its secret)."""

    id: str
    name: str
    role: Role
    created_at: datetime
    revoked_at: datetime | None

    def allows(self, needed: Role) -> bool:
        """True when this token's role is at least ``needed``."""
        return RANK[self.role] >= RANK[needed]


def hash_token(secret: str) -> str:
    """The sha256 hex digest stored for a token secret."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_token(store: ActionStore, name: str, role: Role | str) -> tuple[str, Token]:
    """Create a token.

    Parameters
    ----------
    store : ActionStore
        The store (tokens live in its database).
    name : str
        A unique name, 1 to 100 characters; it is recorded on every change the token makes.
    role : Role or str
        ``viewer``, ``planner`` or ``admin``.

    Returns
    -------
    tuple of (str, Token)
        The secret (show it once; it cannot be recovered) and the stored token.

    Raises
    ------
    InvalidParameterError
        Unknown role or bad name.
    ConflictError
        A token with this name exists.
    """
    try:
        role = Role(role)
    except ValueError:
        raise InvalidParameterError(
            f"unknown role {shown(role)}; use viewer, planner or admin"
        ) from None
    name = name.strip()
    if not 1 <= len(name) <= 100:
        raise InvalidParameterError("a token name must have 1 to 100 characters")
    if not name.isprintable() or not _utf8(name):
        raise InvalidParameterError(
            f"a token name is recorded on every change it makes, so it must be printable "
            f"text (no control characters, valid UTF-8); got {shown(name)}"
        )
    secret = secrets.token_urlsafe(32)
    t = store.tables.tokens
    token = Token(str(uuid.uuid4()), name, role, datetime.now(UTC), None)
    with store.write() as conn:
        if conn.execute(sa.select(t.c.id).where(t.c.name == name)).first() is not None:
            raise ConflictError(f"a token named {name!r} exists; revoke it or pick another name")
        conn.execute(
            sa.insert(t).values(
                id=token.id,
                name=name,
                role=str(role),
                token_hash=hash_token(secret),
                created_at=token.created_at,
                revoked_at=None,
            )
        )
    return secret, token


def _utf8(text: str) -> bool:
    """Whether ``text`` encodes as UTF-8 (a command-line argument of undecodable bytes does not)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def revoke_token(store: ActionStore, name_or_id: str) -> Token:
    """Revoke a token by name or id; it stops working at once.

    Raises
    ------
    NotFoundError
        No token has this name or id.
    """
    if not _utf8(name_or_id):
        raise NotFoundError(f"no token named {shown(name_or_id)} (names are UTF-8 text)")
    t = store.tables.tokens
    now = datetime.now(UTC)
    with store.write() as conn:
        row = conn.execute(
            sa.select(t).where(sa.or_(t.c.name == name_or_id, t.c.id == name_or_id))
        ).first()
        if row is None:
            raise NotFoundError(f"no token named {shown(name_or_id)}")
        revoked = row.revoked_at or now
        conn.execute(sa.update(t).where(t.c.id == row.id).values(revoked_at=revoked))
    return Token(row.id, row.name, Role(row.role), row.created_at, revoked)


def list_tokens(store: ActionStore) -> list[Token]:
    """Every token (names, roles, dates; no secrets)."""
    t = store.tables.tokens
    with store.read() as conn:
        rows = conn.execute(sa.select(t).order_by(t.c.created_at)).all()
    return [Token(r.id, r.name, Role(r.role), r.created_at, r.revoked_at) for r in rows]


def authenticate(store: ActionStore, secret: str) -> Token:
    """Return the live token for a presented secret.

    Raises
    ------
    UnauthorizedError
        Unknown or revoked token.
    """
    digest = hash_token(secret)
    t = store.tables.tokens
    with store.read() as conn:
        row = conn.execute(sa.select(t).where(t.c.token_hash == digest)).first()
    if row is None or not hmac.compare_digest(row.token_hash, digest):
        raise UnauthorizedError("the bearer token is not valid")
    if row.revoked_at is not None:
        raise UnauthorizedError("the bearer token has been revoked")
    return Token(row.id, row.name, Role(row.role), row.created_at, row.revoked_at)


def require(token: Token | None, needed: Role) -> Token:
    """Check that a request carries a token of at least role ``needed``.

    Raises
    ------
    UnauthorizedError
        No token (401).
    ForbiddenError
        A token whose role is too weak (403).
    """
    if token is None:
        raise UnauthorizedError(
            "this request needs a bearer token (Authorization: Bearer <token>); "
            "an admin creates one with `ketahanan token create`"
        )
    if not token.allows(needed):
        raise ForbiddenError(
            f"token {token.name!r} has role {token.role}; this request needs {needed} or higher"
        )
    return token
