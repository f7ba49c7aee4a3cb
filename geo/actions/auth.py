"""API tokens: bearer secrets with a role, stored only as a sha256 hash.

Creation, hashing, authentication, revocation and role checks live here; the SQL is
:class:`geo.actions.token_rows.TokenRepository`'s. Nothing here knows about actions.

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
from typing import Protocol

from geo.actions.token_rows import TokenRepository, TokenRow
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
    org_id: str | None = None
    org_name: str | None = None

    def allows(self, needed: Role) -> bool:
        """True when this token's role is at least ``needed``."""
        return RANK[self.role] >= RANK[needed]


def hash_token(secret: str) -> str:
    """The sha256 hex digest stored for a token secret."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class TokenStore(Protocol):
    """Whatever holds the tokens table, such as :class:`geo.actions.store.ActionStore`."""

    @property
    def token_repository(self) -> TokenRepository:
        """The SQL over ``api_tokens``."""
        ...


def _token(row: TokenRow) -> Token:
    return Token(
        row.id, row.name, Role(row.role), row.created_at, row.revoked_at, row.org_id, row.org_name
    )


def create_token(
    store: TokenStore, name: str, role: Role | str, org_id: str | None = None
) -> tuple[str, Token]:
    """Create a token.

    Parameters
    ----------
    store : TokenStore
        The store (tokens live in its database).
    name : str
        A unique name, 1 to 100 characters; it is recorded on every change the token makes.
    role : Role or str
        ``viewer``, ``planner`` or ``admin``.
    org_id : str, optional
        The organisation the token acts for (see :func:`permit`).

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
    row = TokenRow(
        str(uuid.uuid4()), name, str(role), hash_token(secret), datetime.now(UTC), None, org_id
    )
    if not store.token_repository.insert_if_name_free(row):
        raise ConflictError(f"a token named {name!r} exists; revoke it or pick another name")
    return secret, _token(row)


def _utf8(text: str) -> bool:
    """Whether ``text`` encodes as UTF-8 (a command-line argument of undecodable bytes does not)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def revoke_token(store: TokenStore, name_or_id: str) -> Token:
    """Revoke a token by name or id; it stops working at once.

    Raises
    ------
    NotFoundError
        No token has this name or id.
    """
    if not _utf8(name_or_id):
        raise NotFoundError(f"no token named {shown(name_or_id)} (names are UTF-8 text)")
    row = store.token_repository.revoke(name_or_id, datetime.now(UTC))
    if row is None:
        raise NotFoundError(f"no token named {shown(name_or_id)}")
    return _token(row)


def list_tokens(store: TokenStore) -> list[Token]:
    """Every token (names, roles, dates; no secrets)."""
    return [_token(row) for row in store.token_repository.all()]


def authenticate(store: TokenStore, secret: str) -> Token:
    """Return the live token for a presented secret.

    Raises
    ------
    UnauthorizedError
        Unknown or revoked token.
    """
    digest = hash_token(secret)
    row = store.token_repository.by_hash(digest)
    if row is None or not hmac.compare_digest(row.token_hash, digest):
        raise UnauthorizedError("the bearer token is not valid")
    if row.revoked_at is not None:
        raise UnauthorizedError("the bearer token has been revoked")
    return _token(row)


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
            f"token {token.name!r} has role {token.role}"
            + (" and may only read" if token.role == Role.viewer else "")
            + f"; this request needs {needed} or higher"
        )
    return token


class Actor(str):
    """Who writes: the token's name (recorded as ``created_by``/``updated_by``), its role and
    its organisation. A plain ``str`` actor (the CLI, ``seed-initiatives``) is not checked.
    """

    role: Role
    org_id: str | None
    org_name: str | None

    def __new__(cls, token: Token) -> Actor:
        actor = super().__new__(cls, token.name)
        actor.role = token.role
        actor.org_id = token.org_id
        actor.org_name = token.org_name
        return actor


LEAD_OPS = frozenset({"create", "replace", "update", "delete", "restore"})
"""Operations only the lead organisation's planners (and admins) may make."""
PARTNER_OPS = frozenset({"status", "comment"})
"""Operations a partner organisation's planners may make too: status/progress, comments."""


def permit(
    actor: str,
    operation: str,
    lead: str | None,
    partners: list[str] | None,
    new_lead: str | None = None,
) -> None:
    """Check that ``actor`` may make ``operation`` on an action (403 saying what it may do).

    Parameters
    ----------
    actor : str
        An :class:`Actor` (a plain ``str`` is the command line: allowed).
    operation : str
        ``create``, ``replace``, ``update``, ``status`` (a patch of only status and
        progress), ``delete``, ``restore`` or ``comment``.
    lead, partners : str or None, list of str
        The action's lead organisation id and partner organisation ids (now).
    new_lead : str, optional
        The lead organisation id the action would have after the change (create, replace,
        update).

    Notes
    -----
    An admin may do anything. A planner of organisation O may create actions led by O and
    change, delete and restore those (without giving the lead away); a planner of a partner
    organisation may change status and progress and comment; a viewer only reads. A planner
    token without an organisation (made before organisations existed) keeps its old rights:
    any action, as before.
    """
    if not isinstance(actor, Actor) or actor.role == Role.admin:
        return
    org = actor.org_id
    if actor.role != Role.planner:
        raise ForbiddenError(f"token {str(actor)!r} has role {actor.role}: it may only read")
    if org is None:
        return
    name = actor.org_name or org
    may = (
        f"token {str(actor)!r} of {name!r} may create actions led by {name!r}, change, delete "
        f"and restore those, and change status and progress of and comment on actions "
        f"{name!r} is a partner in"
    )
    if operation == "create":
        if new_lead != org:
            raise ForbiddenError(f"{may}; this action would be led by another organisation")
        return
    is_lead = lead == org
    is_partner = org in (partners or [])
    if operation in LEAD_OPS and is_lead:
        if operation in {"replace", "update"} and new_lead != org:
            raise ForbiddenError(f"{may}; it cannot hand the lead of an action to another")
        return
    if operation in PARTNER_OPS and (is_lead or is_partner):
        return
    why = (
        "a partner may only change status and progress, and comment"
        if is_partner
        else ("it neither leads this action nor is a partner in it")
    )
    raise ForbiddenError(f"{may}; {why}")
