"""Organisations: the lead agencies and partners of actions, and the tokens' owners.

An organisation has a name, a short name, a kind (:class:`geo.vocabulary.OrgKind`) and an
optional parent (a UKPD under its SKPD). Every spelling that names it (its name, short name,
the aliases of ``org_aliases.csv`` and names it had before a rename or a merge) is kept
normalised in ``organisation_aliases``, so "BPBD", "BPBD DKI" and "BPBD Provinsi DKI Jakarta"
resolve to one record. An action stores the ids (``lead_org_id``, ``partner_org_ids``) and the
readable names (``lead_agency``, ``partners``); a rename or merge rewrites both, without a new
version of the actions (the organisation changed, not the action).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from geo.actions.db import Database
from geo.actions.records import ActionFilter
from geo.errors import ConflictError, InvalidParameterError, NotFoundError, ValidationError
from geo.params import shown
from geo.vocabulary import OrgKind, OrgRole, values

SUFFIXES = ("provinsi dki jakarta", "prov. dki jakarta", "prov dki jakarta", "dki jakarta", "dki")
"""Endings that do not tell two organisations apart (everything here is in DKI Jakarta)."""

MAX_NAME = 200
"""Longest organisation name."""

HOW_TO_ADD = "an admin adds it with `ketahanan org add NAME --short SHORT --kind pemerintah`"


def normalise(text: str) -> str:
    """The key spellings of an organisation are compared by.

    Lower case, runs of whitespace as one space, surrounding punctuation and a trailing
    "DKI", "DKI Jakarta" or "Provinsi DKI Jakarta" dropped (the migration 0003 has a frozen
    copy of this function).
    """
    key = " ".join(text.split()).lower().strip(" .,;")
    changed = True
    while changed:
        changed = False
        for suffix in SUFFIXES:
            if key.endswith(" " + suffix):
                key = key[: -len(suffix) - 1].strip(" .,;")
                changed = True
    return key


@dataclass(frozen=True)
class Organisation:
    """One organisation (never a merged one: those resolve to what they were merged into)."""

    id: str
    name: str
    short_name: str | None
    kind: str | None
    parent_id: str | None

    def to_json(self) -> dict[str, Any]:
        """The organisation as JSON."""
        return {
            "id": self.id,
            "name": self.name,
            "short_name": self.short_name,
            "kind": self.kind,
            "parent_id": self.parent_id,
        }


def _org(row: Any) -> Organisation:
    return Organisation(row.id, row.name, row.short_name, row.kind, row.parent_id)


def _check_name(name: str, what: str = "name") -> str:
    name = " ".join(str(name).split())
    if not 1 <= len(name) <= MAX_NAME or not name.isprintable():
        raise InvalidParameterError(
            f"an organisation {what} must be 1 to {MAX_NAME} printable characters; "
            f"got {shown(name)}"
        )
    if not normalise(name):
        raise InvalidParameterError(f"an organisation {what} needs letters; got {shown(name)}")
    return name


class Organisations:
    """The organisations of one store: SQL and rules (add, list, rename, merge, resolve).

    Parameters
    ----------
    db : Database
    """

    def __init__(self, db: Database) -> None:
        self.db = db
        self.t = db.tables.organisations
        self.aliases = db.tables.org_aliases

    # --- reads ------------------------------------------------------------------------------

    def all(self) -> list[Organisation]:
        """Every organisation (merged ones left out), by name."""
        with self.db.read() as conn:
            rows = conn.execute(
                sa.select(self.t).where(self.t.c.merged_into.is_(None)).order_by(self.t.c.name)
            ).all()
        return [_org(r) for r in rows]

    def get(self, org_id: str) -> Organisation:
        """The organisation with this id (a merged one: the one it was merged into); 404."""
        with self.db.read() as conn:
            for _ in range(16):
                row = conn.execute(sa.select(self.t).where(self.t.c.id == org_id)).first()
                if row is None:
                    break
                if row.merged_into is None:
                    return _org(row)
                org_id = row.merged_into
        raise NotFoundError(f"no organisation with id {shown(org_id)}")

    def find(self, name: str) -> Organisation | None:
        """The organisation a name, short name or alias names (any case), or None."""
        key = normalise(name)
        if not key:
            return None
        with self.db.read() as conn:
            org_id = conn.execute(
                sa.select(self.aliases.c.org_id).where(self.aliases.c.alias == key)
            ).scalar()
        return None if org_id is None else self.get(org_id)

    def resolve(self, name: str, field: str = "lead_agency") -> Organisation:
        """Like :meth:`find`, but an unknown name is a 422 naming it and how to add it."""
        org = self.find(name)
        if org is None:
            raise ValidationError(
                f"{field}: no organisation is named {shown(name)}; use the name, short name or "
                f"an alias of one (GET /organisations lists them), or {HOW_TO_ADD}",
                details=[{"field": field, "message": f"unknown organisation {shown(name)}"}],
            )
        return org

    def lookup(self, name_or_id: str) -> Organisation:
        """An organisation by id or by any of its names (404 when none)."""
        try:
            return self.get(str(uuid.UUID(name_or_id)))
        except (ValueError, NotFoundError):
            pass
        org = self.find(name_or_id)
        if org is None:
            raise NotFoundError(f"no organisation named {shown(name_or_id)}; {HOW_TO_ADD}")
        return org

    def resolve_filter(self, flt: ActionFilter) -> ActionFilter:
        """An actions filter with its organisations as ids.

        ``agency`` naming an organisation (any spelling) becomes ``lead_org``, its id (a name
        of none stays, compared as text); ``org`` must name one (400 otherwise) and becomes its
        id; ``org_role`` must be a :class:`geo.vocabulary.OrgRole` and goes with ``org``.
        """
        if flt.agency:
            org = self.find(flt.agency)
            if org is not None:
                flt = replace(flt, agency=None, lead_org=org.id)
        if flt.org_role is not None and flt.org_role not in values(OrgRole):
            raise InvalidParameterError(
                f"org_role={shown(flt.org_role)} is not one of {', '.join(values(OrgRole))}",
                details=[{"field": "org_role", "message": "lead or partner"}],
            )
        if flt.org:
            try:
                org = self.lookup(flt.org)
            except NotFoundError:
                raise InvalidParameterError(
                    f"org={shown(flt.org)} names no organisation; use its id, name, short name "
                    "or an alias (GET /organisations lists them)",
                    details=[{"field": "org", "message": "unknown organisation"}],
                ) from None
            flt = replace(flt, org=org.id)
        elif flt.org_role is not None:
            raise InvalidParameterError(
                "org_role goes with org, e.g. org=BPBD&org_role=lead",
                details=[{"field": "org_role", "message": "needs org"}],
            )
        return flt

    def migration_report(self) -> list[dict[str, Any]]:
        """What migration 0003 did with each free-text value: matched, merged, split or new."""
        r = self.db.tables.org_migration
        with self.db.read() as conn:
            rows = conn.execute(sa.select(r).order_by(r.c.id)).all()
        names = {o.id: o.name for o in self.all()}
        return [
            {
                "value": row.value,
                "outcome": row.outcome,
                "organisation": names.get(row.org_id) if row.org_id else None,
                "actions": row.actions,
            }
            for row in rows
        ]

    # --- writes -----------------------------------------------------------------------------

    def add(
        self,
        name: str,
        *,
        short_name: str | None = None,
        kind: str | None = None,
        parent: str | None = None,
        aliases: tuple[str, ...] = (),
    ) -> Organisation:
        """Add an organisation; every spelling of it must be free (409 otherwise)."""
        name = _check_name(name)
        short = _check_name(short_name, "short name") if short_name else None
        if kind is not None:
            try:
                kind = str(OrgKind(kind))
            except ValueError:
                raise InvalidParameterError(
                    f"unknown kind {shown(kind)}; use pemerintah or non-pemerintah"
                ) from None
        parent_id = self.lookup(parent).id if parent else None
        org = Organisation(str(uuid.uuid4()), name, short, kind, parent_id)
        keys = {normalise(s) for s in (name, short or "", *aliases) if normalise(s)}
        with self.db.write() as conn:
            taken = conn.execute(
                sa.select(self.aliases.c.alias).where(self.aliases.c.alias.in_(sorted(keys)))
            ).first()
            if taken is not None:
                raise ConflictError(
                    f"{shown(taken.alias)} already names an organisation "
                    "(`ketahanan org list`); rename or merge instead"
                )
            conn.execute(sa.insert(self.t).values(**org.to_json(), created_at=datetime.now(UTC)))
            conn.execute(sa.insert(self.aliases), [{"alias": k, "org_id": org.id} for k in keys])
        return org

    def rename(
        self, name_or_id: str, new_name: str, *, short_name: str | None = None
    ) -> Organisation:
        """Rename an organisation (its old name stays an alias); actions show the new name."""
        org = self.lookup(name_or_id)
        new_name = _check_name(new_name)
        short = _check_name(short_name, "short name") if short_name else org.short_name
        with self.db.write() as conn:
            for key in {normalise(new_name), normalise(short or "")} - {""}:
                owner = conn.execute(
                    sa.select(self.aliases.c.org_id).where(self.aliases.c.alias == key)
                ).scalar()
                if owner is not None and owner != org.id:
                    raise ConflictError(f"{shown(key)} already names another organisation")
                if owner is None:
                    conn.execute(sa.insert(self.aliases).values(alias=key, org_id=org.id))
            conn.execute(
                sa.update(self.t)
                .where(self.t.c.id == org.id)
                .values(name=new_name, short_name=short)
            )
            self._rewrite_actions(conn, {org.id: org.id}, {org.id: new_name})
        return Organisation(org.id, new_name, short, org.kind, org.parent_id)

    def merge(self, source: str, target: str) -> Organisation:
        """Merge ``source`` into ``target``: its spellings, actions and tokens move over."""
        src, dst = self.lookup(source), self.lookup(target)
        if src.id == dst.id:
            raise InvalidParameterError(f"{shown(source)} and {shown(target)} are one organisation")
        tokens = self.db.tables.tokens
        comments = self.db.tables.comments
        with self.db.write() as conn:
            conn.execute(
                sa.update(self.aliases).where(self.aliases.c.org_id == src.id).values(org_id=dst.id)
            )
            conn.execute(sa.update(tokens).where(tokens.c.org_id == src.id).values(org_id=dst.id))
            conn.execute(
                sa.update(comments).where(comments.c.org_id == src.id).values(org_id=dst.id)
            )
            conn.execute(
                sa.update(self.t).where(self.t.c.parent_id == src.id).values(parent_id=dst.id)
            )
            conn.execute(sa.update(self.t).where(self.t.c.id == src.id).values(merged_into=dst.id))
            self._rewrite_actions(conn, {src.id: dst.id}, {dst.id: dst.name})
        return dst

    def _rewrite_actions(self, conn: Any, moved: dict[str, str], names: dict[str, str]) -> None:
        """Point actions at ``moved``'s targets and show ``names`` (ids to names)."""
        a = self.db.tables.actions
        rows = conn.execute(sa.select(a.c.id, a.c.lead_org_id, a.c.partner_org_ids)).all()
        for row in rows:
            partners = list(row.partner_org_ids or [])
            if row.lead_org_id not in moved and not set(partners) & set(moved):
                continue
            lead = moved.get(row.lead_org_id, row.lead_org_id)
            ids: list[str] = []
            for p in partners:
                p = moved.get(p, p)
                if p != lead and p not in ids:
                    ids.append(p)
            values: dict[str, Any] = {"lead_org_id": lead, "partner_org_ids": ids}
            if lead in names:
                values["lead_agency"] = names[lead]
            shown_names = conn.execute(
                sa.select(self.t.c.id, self.t.c.name).where(self.t.c.id.in_(ids))
            ).all()
            by_id = {r.id: names.get(r.id, r.name) for r in shown_names}
            values["partners"] = [by_id[i] for i in ids if i in by_id]
            conn.execute(sa.update(a).where(a.c.id == row.id).values(**values))
