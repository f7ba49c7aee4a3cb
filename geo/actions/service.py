"""What the actions store decides: validation, versions, merge-patch, import, restore, history.

:class:`ActionService` checks every body against the build's kelurahan, builds each new
version of an action and hands it to :class:`~geo.actions.repository.ActionRepository`, which
only runs the SQL. When a versioned write matches no row, the service reads the action again
to say why (gone, not deleted, or changed by someone else).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Sequence, Set
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from geo.actions.auth import Actor, permit
from geo.actions.organisations import Organisations
from geo.actions.places import Places, normalise_unit_code
from geo.actions.records import Action, ActionFilter, Bounds, iso_utc
from geo.actions.repository import SORTABLE, ActionRepository
from geo.actions.validate import CheckedAction, check_feature, merge_patch, require_feature
from geo.errors import (
    ConflictError,
    GoneError,
    InvalidParameterError,
    NotFoundError,
    PreconditionFailedError,
    ValidationError,
)
from geo.params import shown
from geo.vocabulary import ACTIVE_STATUSES

_KECAMATAN = re.compile(r"[0-9]{2}\.[0-9]{2}\.[0-9]{2}", re.ASCII)
_KOTA = re.compile(r"[0-9]{2}\.[0-9]{2}", re.ASCII)
"""Dotted kecamatan (31.72.01) and kota (31.72) codes: the prefixes of kelurahan codes."""

ANY_VERSION_ATTEMPTS = 5
"""How often a write under ``If-Match: *`` is tried when other writers keep changing the action
between its read and its write (each try reads the newest version)."""

Expected = int | Set[int] | None
"""The version(s) a change expects: one version, the versions named by If-Match, or None
(any version: ``If-Match: *``)."""

_WITHIN = re.compile(r"[0-9]{2}\.[0-9]{2}(\.[0-9]{2})?", re.ASCII)
"""A kota (``31.71``) or kecamatan (``31.71.01``) code."""

PATCHABLE = frozenset({"type", "id", "properties", "geometry"})
"""Members a merge patch may hold (``type`` and ``id`` are ignored)."""


class ActionService:
    """Actions and their history, checked and versioned.

    Parameters
    ----------
    repository : ActionRepository
        Where the actions are stored.
    places : callable
        Returns the build's kelurahan (:class:`Places`), called when first needed.
    max_vertices : int
        Most positions an action geometry may have.
    max_import_features : int
        Most features one import may hold.
    """

    def __init__(
        self,
        repository: ActionRepository,
        places: Callable[[], Places],
        *,
        max_vertices: int = 10_000,
        max_import_features: int = 2_000,
        organisations: Organisations | None = None,
    ) -> None:
        self.repository = repository
        self.organisations = organisations
        self._places = places
        self.max_vertices = max_vertices
        self.max_import_features = max_import_features

    @property
    def places(self) -> Places:
        """The build's kelurahan."""
        return self._places()

    def check(self, body: Any) -> CheckedAction:
        """Validate a Feature body against the build's kelurahan (422 on any error)."""
        return require_feature(body, self.places, self.max_vertices)

    # --- reads ------------------------------------------------------------------------------

    def get(self, action_id: str, *, include_deleted: bool = False) -> Action:
        """Return one action.

        Raises
        ------
        NotFoundError
            No action has this id.
        GoneError
            The action was deleted (and ``include_deleted`` is false).
        """
        action = self.repository.find(_uuid_or_404(action_id))
        if action is None:
            raise NotFoundError(f"no action with id {action_id}")
        if action.deleted and not include_deleted:
            raise GoneError(
                f"action {action_id} was deleted (version {action.version}); "
                "POST to its /restore to bring it back",
                details={"version": action.version},
            )
        return action

    def query(
        self,
        flt: ActionFilter | None = None,
        *,
        limit: int | None = None,
        offset: int = 0,
        order: Sequence[tuple[str, bool]] = (),
    ) -> tuple[list[Action], int]:
        """List live actions, oldest first (after ``order``).

        Parameters
        ----------
        flt : ActionFilter, optional
            Filters; all must hold.
        limit : int, optional
            Page size (None: all).
        offset : int
            Rows to skip.
        order : sequence of (property, descending)
            Sort keys, most significant first (``updated_at``, ``title``, ...).

        Returns
        -------
        tuple of (list of Action, int)
            The page and the number of actions matching the filters.

        Raises
        ------
        InvalidParameterError
            ``flt.kelurahan`` is not a kelurahan code, ``flt.kecamatan`` or ``flt.kota`` not
            a kecamatan (31.72.01) or kota (31.72) code, or a sort key not sortable.
        """
        flt = flt or ActionFilter()
        if self.organisations is not None:
            flt = self.organisations.resolve_filter(flt)
        if flt.kelurahan:
            code = normalise_unit_code(flt.kelurahan)
            if code is None:
                raise InvalidParameterError(
                    f"kelurahan={shown(flt.kelurahan)} is not a kelurahan code like 31.71.01.1001"
                )
            flt = replace(flt, kelurahan=code)
        if flt.within and not _WITHIN.fullmatch(flt.within):
            raise InvalidParameterError(
                f"within={shown(flt.within)} is not a kota or kecamatan code like 31.71 or 31.71.01"
            )
        for name, value, pattern in (
            ("kecamatan", flt.kecamatan, _KECAMATAN),
            ("kota", flt.kota, _KOTA),
        ):
            if value is not None and not pattern.fullmatch(value):
                raise InvalidParameterError(
                    f"{name}={shown(value)} is not a {name} code like "
                    f"{'31.71.01' if name == 'kecamatan' else '31.71'}",
                    details=[{"field": name, "message": "a dotted code"}],
                )
        unknown = [name for name, _ in order if name not in SORTABLE]
        if unknown:
            raise InvalidParameterError(f"actions cannot be sorted by {shown(unknown[0])}")
        return self.repository.page(flt, limit=limit, offset=offset, order=order)

    def history(self, action_id: str) -> list[dict[str, Any]]:
        """Every version of an action, oldest first, with who changed it, when and how.

        Raises
        ------
        NotFoundError
            No action has this id.
        """
        rows = self.repository.history(_uuid_or_404(action_id))
        if not rows:
            raise NotFoundError(f"no action with id {action_id}")
        return [
            {
                "version": r.version,
                "operation": r.operation,
                "changed_by": r.changed_by,
                "changed_by_org": r.changed_by_org,
                "changed_at": iso_utc(r.changed_at),
                "feature": r.snapshot,
            }
            for r in rows
        ]

    def actions_touching(self, pillar: str, parts: int) -> dict[str, int]:
        """How many live actions of ``pillar`` touch each unit of a level.

        Parameters
        ----------
        pillar : str
        parts : int
            The level, by the parts of its codes: 4 kelurahan, 3 kecamatan, 2 kota.

        Returns
        -------
        dict of str to int
            Unit code to number of distinct actions (units without any are left out).
        """
        seen: dict[str, set[str]] = {}
        for kode, action_id in self.repository.links(pillar):
            unit = ".".join(kode.split(".")[:parts])
            seen.setdefault(unit, set()).add(action_id)
        return {unit: len(ids) for unit, ids in seen.items()}

    def covered_kelurahan(self, pillar: str) -> set[str]:
        """Kelurahan touched by a live planned or in-progress action of ``pillar``."""
        return self.repository.covered(pillar, [str(s) for s in ACTIVE_STATUSES])

    def integrity_problems(self) -> list[str]:
        """Check the database and the store's own invariants; an empty list means healthy.

        SQLite runs ``PRAGMA integrity_check`` and ``foreign_key_check``; on both backends each
        action's version must equal its newest history row, history versions must run 1..n
        and every kelurahan link must point at an action.
        """
        return self.repository.integrity_problems()

    # --- new versions -----------------------------------------------------------------------

    def _bounds(self, checked: CheckedAction) -> Bounds | None:
        """The box the ``bbox`` filter uses: the geometry's, or its kelurahan's."""
        if checked.geometry is not None:
            minx, miny, maxx, maxy = (float(b) for b in checked.geometry.bounds)
            return (minx, miny, maxx, maxy)
        return self.places.bounds_of(checked.kelurahan)

    def _orgs_of(self, props: dict[str, Any], base: Action | None = None) -> None:
        """Resolve ``lead_agency`` and ``partners`` to organisations (422 for an unknown one):
        store their ids and show their names. Names just as ``base`` stores them (a patch of
        the status or the budget) keep ``base``'s ids unasked: a rename or merge rewrites the
        stored names of every action, so they always name those organisations."""
        if self.organisations is None:
            return
        lead = props.get("lead_agency")
        if base is not None and _same_orgs(props, base.props):
            props["lead_org_id"] = base.props.get("lead_org_id")
            props["partner_org_ids"] = list(base.props.get("partner_org_ids") or [])
            return
        org = self.organisations.resolve(lead) if lead else None
        props["lead_agency"] = org.name if org else None
        props["lead_org_id"] = org.id if org else None
        ids: list[str] = []
        names: list[str] = []
        for i, name in enumerate(props.get("partners") or []):
            partner = self.organisations.resolve(name, f"partners.{i}")
            if partner.id not in ids and (org is None or partner.id != org.id):
                ids.append(partner.id)
                names.append(partner.name)
        props["partners"], props["partner_org_ids"] = names, ids

    def _version_of(
        self,
        action_id: str,
        checked: CheckedAction,
        base: Action | None,
        actor: str,
        now: datetime,
    ) -> Action:
        """The version after ``base`` (None: the first) with the content of ``checked``."""
        props = checked.props.model_dump()
        for name in ("pillar", "status", "kind"):  # enums stored as their text (None stays)
            value = getattr(checked.props, name)
            props[name] = None if value is None else str(value)
        self._orgs_of(props, base)
        return Action(
            id=action_id,
            props=props,
            geometry=checked.geometry,
            kelurahan=checked.kelurahan,
            created_by=base.created_by if base else actor,
            created_at=base.created_at if base else now,
            updated_by=actor,
            updated_at=now,
            version=base.version + 1 if base else 1,
            updated_by_org=_org_name(actor),
        )

    @staticmethod
    def _expect(current: Action, expected: Expected) -> None:
        """Pass when ``expected`` names the current version (None: any), else 412.

        ``expected`` is one version, or the versions an If-Match header names under the
        strong comparison (an empty set when it named only weak or foreign tags).
        """
        versions = {expected} if isinstance(expected, int) else expected
        if versions is None or current.version in versions:
            return
        sent = None
        if versions:
            sent = ", ".join(f'"{v}"' for v in sorted(versions)[:5])
            why = f"If-Match was {sent} but the current version is {current.etag}"
        else:
            why = (
                "If-Match named no version of it that the strong comparison can match (a "
                f'weak tag like W/"3" never does, RFC 9110); the current ETag is {current.etag}'
            )
        raise PreconditionFailedError(
            f"action {current.id} changed or was not named: {why}; GET it again and reapply "
            "your change",
            details={"current_etag": current.etag, "sent_etag": sent},
        )

    def _why_not(self, action_id: str, expected: int, *, want_deleted: bool = False) -> Exception:
        """Why a versioned write of ``action_id`` at ``expected`` matched no row."""
        state = self.repository.state(action_id)
        if state is None:
            return NotFoundError(f"no action with id {action_id}")
        version, deleted = state
        if deleted != want_deleted:
            if want_deleted:
                return ConflictError(f"action {action_id} is not deleted; nothing to restore")
            return GoneError(f"action {action_id} was deleted; POST to its /restore first")
        return PreconditionFailedError(
            f'action {action_id} changed: If-Match was "{expected}" but the current version is '
            f'"{version}"; GET it again and reapply your change',
            details={"current_etag": f'"{version}"', "sent_etag": f'"{expected}"'},
        )

    # --- writes -----------------------------------------------------------------------------

    def _insert(
        self, items: list[tuple[str, CheckedAction]], actor: str, operation: str
    ) -> list[Action]:
        now = datetime.now(UTC)
        rows = [
            (self._version_of(action_id, checked, None, actor, now), self._bounds(checked))
            for action_id, checked in items
        ]
        for action, _ in rows:
            permit(actor, "create", None, None, action.props.get("lead_org_id"))
        self.repository.insert(rows, operation)
        return [action for action, _ in rows]

    def create(self, body: Any, actor: str) -> Action:
        """Create an action from a GeoJSON Feature; the server assigns its id."""
        checked = self.check(body)
        return self._insert([(str(uuid.uuid4()), checked)], actor, "create")[0]

    def _update(
        self,
        current: Action,
        checked: CheckedAction,
        actor: str,
        operation: str,
        permission: str | None = None,
    ) -> Action:
        action = self._version_of(current.id, checked, current, actor, datetime.now(UTC))
        lead, partners = _orgs(current)
        permit(actor, permission or operation, lead, partners, action.props.get("lead_org_id"))
        bounds = self._bounds(checked)
        if not self.repository.update(
            action, bounds, current.version, operation, kelurahan_before=current.kelurahan
        ):
            raise self._why_not(current.id, current.version)
        return action

    def _any_version(self, expected: Expected, write: Callable[[], Action]) -> Action:
        """Run ``write``; with ``If-Match: *`` (``expected`` None) run it again on the newer
        version when another writer changed the action between its read and its write.

        ``*`` matches any current version (RFC 9110 13.1.1), so a concurrent update is no
        reason for a 412 there; with a named version it is, and ``write`` runs once.
        """
        for _ in range(ANY_VERSION_ATTEMPTS - 1):
            try:
                return write()
            except PreconditionFailedError:
                if expected is not None:
                    raise
        return write()

    def replace(self, action_id: str, body: Any, expected: Expected, actor: str) -> Action:
        """Replace an action (PUT) if it is still at version ``expected`` (None: any)."""

        def write() -> Action:
            current = self.get(action_id)
            self._expect(current, expected)
            return self._update(current, self.check(body), actor, "replace")

        return self._any_version(expected, write)

    def patch(self, action_id: str, patch: Any, expected: Expected, actor: str) -> Action:
        """Apply a JSON Merge Patch (RFC 7396) of ``properties`` and/or ``geometry`` (PATCH).

        Raises
        ------
        ValidationError
            The patch is not an object, names other members, or its result is not a valid
            action.
        """
        members = _patch_members(patch)
        props = members.get("properties")
        status_only = (
            "geometry" not in members
            and isinstance(props, dict)
            and set(props) <= {"status", "progress"}
        )

        def write() -> Action:
            current = self.get(action_id)
            self._expect(current, expected)
            feature = current.to_feature()
            doc = {
                "type": "Feature",
                "geometry": feature["geometry"],
                "properties": feature["properties"],
            }
            merged = merge_patch(doc, members)
            merged["type"] = "Feature"
            merged.setdefault("properties", {})
            merged.setdefault("geometry", None)
            return self._update(
                current, self.check(merged), actor, "update", "status" if status_only else None
            )

        return self._any_version(expected, write)

    def _flip(self, current: Action, actor: str, *, deleted: bool) -> Action:
        permit(actor, "delete" if deleted else "restore", *_orgs(current))
        action = replace(
            current,
            updated_by=actor,
            updated_at=datetime.now(UTC),
            version=current.version + 1,
            deleted=deleted,
            updated_by_org=_org_name(actor),
        )
        if not self.repository.set_deleted(action, current.version):
            raise self._why_not(current.id, current.version, want_deleted=not deleted)
        return action

    def delete(self, action_id: str, expected: Expected, actor: str) -> Action:
        """Soft-delete an action if it is still at version ``expected`` (None: any)."""

        def write() -> Action:
            current = self.get(action_id)
            self._expect(current, expected)
            return self._flip(current, actor, deleted=True)

        return self._any_version(expected, write)

    def restore(self, action_id: str, expected: Expected, actor: str) -> Action:
        """Bring back a deleted action (its last content, as a new version)."""
        current = self.get(action_id, include_deleted=True)
        if not current.deleted:
            raise ConflictError(f"action {action_id} is not deleted; nothing to restore")
        self._expect(current, expected)
        return self._flip(current, actor, deleted=False)

    # --- import -----------------------------------------------------------------------------

    def import_features(self, body: Any, actor: str) -> list[Action]:
        """Import a GeoJSON FeatureCollection: all features or none.

        A feature whose ``id`` is a UUID keeps it (so an export can be imported elsewhere).

        Raises
        ------
        ValidationError
            When any feature is wrong; ``details`` names each one as
            ``{"feature": i, "field": "features.i....", "message": ...}`` and nothing is stored.
        """
        features = _import_features(body, self.max_import_features)
        items, errors = self._check_import(features)
        if not errors and items:
            errors = self._ids_taken(items)
        if errors:
            bad = sorted({e["feature"] for e in errors})
            raise ValidationError(
                f"{len(bad)} of {len(features)} features are not valid; nothing was imported",
                details=errors,
            )
        return self._insert(items, actor, "import")

    def _check_import(
        self, features: list[Any]
    ) -> tuple[list[tuple[str, CheckedAction]], list[dict[str, Any]]]:
        """Check each feature; give each an id (its own UUID or a new one)."""
        errors: list[dict[str, Any]] = []
        items: list[tuple[str, CheckedAction]] = []
        places = self.places
        seen: set[str] = set()
        for i, feature in enumerate(features):
            checked, problems = check_feature(feature, places, self.max_vertices)
            errors += [_feature_error(i, p["field"], p["message"]) for p in problems]
            if checked is None:
                continue
            action_id = checked.feature_id or str(uuid.uuid4())
            if action_id in seen:
                errors.append(_feature_error(i, "id", "id repeated in this import"))
            seen.add(action_id)
            items.append((action_id, checked))
        return items, errors

    def _ids_taken(self, items: list[tuple[str, CheckedAction]]) -> list[dict[str, Any]]:
        """An error for each item whose id an action already has."""
        taken = self.repository.existing_ids(a for a, _ in items)
        return [
            _feature_error(i, "id", f"an action {action_id} already exists")
            for i, (action_id, _) in enumerate(items)
            if action_id in taken
        ]


def _import_features(body: Any, most: int) -> list[Any]:
    """The ``features`` of an import body, or a :class:`ValidationError` saying what is wrong."""
    if not isinstance(body, dict) or body.get("type") != "FeatureCollection":
        raise ValidationError(
            "an import must be a GeoJSON FeatureCollection",
            details=[{"field": "type", "message": "must be 'FeatureCollection'"}],
        )
    features = body.get("features")
    if not isinstance(features, list) or not features:
        raise ValidationError(
            "the FeatureCollection holds no features",
            details=[{"field": "features", "message": "must be a non-empty array"}],
        )
    if len(features) > most:
        raise ValidationError(
            f"too many features: {len(features):,} (at most {most:,})",
            details=[{"field": "features", "message": "too many features"}],
        )
    return features


def _feature_error(i: int, field: str, message: str) -> dict[str, Any]:
    return {"feature": i, "field": f"features.{i}.{field}", "message": message}


def _patch_members(patch: Any) -> dict[str, Any]:
    """The ``properties`` and ``geometry`` of a merge patch (422 for anything else)."""
    if not isinstance(patch, dict):
        raise ValidationError(
            "a merge patch must be a JSON object",
            details=[{"field": "body", "message": "must be a JSON object"}],
        )
    unknown = sorted(set(patch) - PATCHABLE)
    if unknown:
        raise ValidationError(
            f"cannot patch {', '.join(unknown)}",
            details=[
                {"field": k, "message": "only properties and geometry can be patched"}
                for k in unknown
            ],
        )
    return {k: patch[k] for k in ("properties", "geometry") if k in patch}


def _same_orgs(props: dict[str, Any], stored: dict[str, Any]) -> bool:
    """Whether ``props`` name the lead and partners exactly as ``stored`` holds them, ids
    included (an action from before organisations has names without ids: resolved again)."""
    lead, partners = props.get("lead_agency"), list(props.get("partners") or [])
    ids = list(stored.get("partner_org_ids") or [])
    return (
        lead == stored.get("lead_agency")
        and partners == list(stored.get("partners") or [])
        and (lead is None) == (stored.get("lead_org_id") is None)
        and len(ids) == len(partners)
    )


def _org_name(actor: str) -> str | None:
    """The organisation an actor acts for (None: the command line or a token without one)."""
    return actor.org_name if isinstance(actor, Actor) else None


def _orgs(action: Action) -> tuple[str | None, list[str]]:
    """An action's lead organisation id and partner organisation ids."""
    return action.props.get("lead_org_id"), list(action.props.get("partner_org_ids") or [])


def _uuid_or_404(action_id: str) -> str:
    try:
        return str(uuid.UUID(action_id))
    except ValueError:
        raise NotFoundError(f"no action with id {action_id!r} (ids are UUIDs)") from None
