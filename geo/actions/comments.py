"""Comments on an action: one thread per action, kept for good.

A comment has an author (the token's name), the author's organisation, a time and a text. A
deleted comment stays in the thread as a tombstone (who deleted it and when; its text is no
longer shown), so the thread is a record like the action's history.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from geo.actions.auth import Actor, Role, permit
from geo.actions.records import iso_utc
from geo.actions.service import ActionService
from geo.errors import ForbiddenError, NotFoundError, ValidationError

MAX_COMMENT = 4000
"""Longest comment, in characters."""


def _text(body: Any) -> str:
    text = body.get("text") if isinstance(body, dict) else None
    if not isinstance(text, str) or not text.strip():
        raise ValidationError(
            'a comment is a JSON object {"text": "..."} with some text',
            details=[{"field": "text", "message": "required, a non-empty string"}],
        )
    text = text.strip()
    if len(text) > MAX_COMMENT:
        raise ValidationError(
            f"a comment has at most {MAX_COMMENT} characters (got {len(text)})",
            details=[{"field": "text", "message": "too long"}],
        )
    if any(not (c.isprintable() or c in "\n\t") for c in text):
        raise ValidationError(
            "a comment may not hold control characters",
            details=[{"field": "text", "message": "control characters"}],
        )
    return text


def _json(row: Any) -> dict[str, Any]:
    deleted = row.deleted_at is not None
    return {
        "id": row.id,
        "author": row.author,
        "organisation": row.org_name,
        "created_at": iso_utc(row.created_at),
        "text": None if deleted else row.text,
        "deleted": deleted,
        "deleted_at": iso_utc(row.deleted_at) if deleted else None,
        "deleted_by": row.deleted_by,
    }


class Comments:
    """The comment threads of a store's actions.

    Parameters
    ----------
    service : ActionService
        The store (its actions, organisations and database).
    """

    def __init__(self, service: ActionService, database: Any) -> None:
        self.service = service
        self.db = database
        self.t = database.tables.comments

    def thread(self, action_id: str) -> list[dict[str, Any]]:
        """The comments of an action, oldest first, tombstones included (404/410 as get)."""
        action = self.service.get(action_id, include_deleted=True)
        with self.db.read() as conn:
            rows = conn.execute(
                sa.select(self.t)
                .where(self.t.c.action_id == action.id)
                .order_by(self.t.c.created_at, self.t.c.id)
            ).all()
        return [_json(r) for r in rows]

    def add(self, action_id: str, body: Any, actor: str) -> dict[str, Any]:
        """Add a comment (the lead's and the partners' planners, and admins)."""
        action = self.service.get(action_id)
        permit(
            actor,
            "comment",
            action.props.get("lead_org_id"),
            list(action.props.get("partner_org_ids") or []),
        )
        text = _text(body)
        org_id = actor.org_id if isinstance(actor, Actor) else None
        org_name = actor.org_name if isinstance(actor, Actor) else None
        row = {
            "id": str(uuid.uuid4()),
            "action_id": action.id,
            "author": str(actor),
            "org_id": org_id,
            "org_name": org_name,
            "created_at": datetime.now(UTC),
            "text": text,
            "deleted_at": None,
            "deleted_by": None,
        }
        with self.db.write() as conn:
            conn.execute(sa.insert(self.t).values(**row))
        return _json(_Row(row))

    def delete(self, action_id: str, comment_id: str, actor: str) -> dict[str, Any]:
        """Delete a comment (its author or an admin): it stays as a tombstone."""
        action = self.service.get(action_id, include_deleted=True)
        try:
            comment_id = str(uuid.UUID(comment_id))
        except ValueError:
            raise NotFoundError(f"no comment {comment_id!r} (ids are UUIDs)") from None
        with self.db.write() as conn:
            row = conn.execute(
                sa.select(self.t).where(self.t.c.id == comment_id, self.t.c.action_id == action.id)
            ).first()
            if row is None:
                raise NotFoundError(f"action {action.id} has no comment {comment_id}")
            admin = isinstance(actor, Actor) and actor.role == Role.admin
            if isinstance(actor, Actor) and not admin and row.author != str(actor):
                raise ForbiddenError(
                    f"token {str(actor)!r} may delete only its own comments; this one is "
                    f"{row.author!r}'s (an admin may delete any)"
                )
            if row.deleted_at is None:
                conn.execute(
                    sa.update(self.t)
                    .where(self.t.c.id == comment_id)
                    .values(deleted_at=datetime.now(UTC), deleted_by=str(actor))
                )
            row = conn.execute(sa.select(self.t).where(self.t.c.id == comment_id)).one()
        return _json(row)


class _Row:
    """A dict read like a row."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)
