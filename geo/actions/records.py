"""What the actions store hands out: one stored action (a version of it) and a listing filter.

Shared by the repository (which reads and writes them), the service (which builds them) and
the API (which renders them); imports nothing else of the store.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

PROPERTY_ORDER = (
    "title",
    "description",
    "pillar",
    "strategy_goal",
    "lead_agency",
    "partners",
    "status",
    "progress",
    "budget_idr",
    "start_date",
    "end_date",
    "unit_codes",
    "kind",
    "source_url",
)
"""The editable properties, in the order they are returned."""

ORG_COLUMNS = ("lead_org_id", "partner_org_ids")
"""Columns the service derives from ``lead_agency`` and ``partners`` (the organisations'
ids); held in :attr:`Action.props` but not shown as properties."""

Bounds = tuple[float, float, float, float]
"""(minx, miny, maxx, maxy) in lon/lat."""


def as_utc(value: datetime) -> datetime:
    """``value`` as an aware UTC datetime (a naive one is read as UTC, as SQLite returns it)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def iso_utc(value: datetime) -> str:
    """``value`` as ISO 8601 in UTC with a ``Z``, e.g. ``2025-01-31T08:00:00.123456Z``."""
    return as_utc(value).isoformat().replace("+00:00", "Z")


@dataclass
class Action:
    """One stored action (a version of it).

    Attributes
    ----------
    id : str
        UUID.
    props : dict
        The editable properties (see :class:`geo.actions.model.ActionIn`).
    geometry : BaseGeometry or None
        Lon/lat geometry, or None for an action given by unit codes.
    kelurahan : list of str
        Kelurahan codes the action touches.
    version : int
        Starts at 1; every change adds one.
    """

    id: str
    props: dict[str, Any]
    geometry: BaseGeometry | None
    kelurahan: list[str]
    created_by: str
    created_at: datetime
    updated_by: str
    updated_at: datetime
    version: int
    deleted: bool = False
    updated_by_org: str | None = None

    @property
    def etag(self) -> str:
        """Strong ETag of this version, e.g. ``"3"``."""
        return f'"{self.version}"'

    def to_feature(self) -> dict[str, Any]:
        """The action as a GeoJSON Feature (RFC 7946)."""
        props: dict[str, Any] = {}
        for name in PROPERTY_ORDER:
            value = self.props.get(name)
            props[name] = value.isoformat() if isinstance(value, date) else value
        props.update(
            kelurahan=list(self.kelurahan),
            created_by=self.created_by,
            created_at=iso_utc(self.created_at),
            updated_by=self.updated_by,
            updated_at=iso_utc(self.updated_at),
            version=self.version,
        )
        geometry = None if self.geometry is None else _geojson(self.geometry)
        return {"type": "Feature", "id": self.id, "geometry": geometry, "properties": props}


def _geojson(geom: BaseGeometry) -> dict[str, Any]:
    def lists(value: Any) -> Any:
        if isinstance(value, tuple | list):
            return [lists(v) for v in value]
        return value

    return {k: lists(v) for k, v in mapping(geom).items()}


@dataclass
class ActionFilter:
    """Filters of an actions listing; every one given must hold.

    Attributes
    ----------
    pillar, status : str, optional
        Exact values.
    agency : str, optional
        Lead agency, compared without regard to case.
    kelurahan : str, optional
        A kelurahan code the action touches (dotted or plain).
    kecamatan, kota : str, optional
        A kecamatan (``31.72.01``) or kota (``31.72``) code: actions touching a kelurahan in
        it.
    text : str, optional
        Words that must all appear, in any case, in the title, description, lead agency or
        partners.
    bbox : tuple of float, optional
        (minx, miny, maxx, maxy) in lon/lat: actions whose bounding box intersects it.
    ids : list of str, optional
        Only these action ids.
    within : str, optional
        A kecamatan or kota code (dotted): actions touching a kelurahan inside it.
    kind : str, optional
        ``action`` or ``related_initiative``.
    cql : str, optional
        A checked CQL2 filter as canonical CQL2 JSON (:func:`geo.ogc.cql.parse_filter`).
    org : str, optional
        An organisation (its id, name, short name or an alias; the service turns it into the
        id): actions it leads or is a partner in.
    org_role : str, optional
        With ``org``: only the actions it leads (``lead``) or only those it is a partner in
        (``partner``; :class:`geo.vocabulary.OrgRole`).
    lead_org : str, optional
        An organisation id: actions it leads (what ``agency`` becomes when it names one).
    """

    pillar: str | None = None
    status: str | None = None
    agency: str | None = None
    kelurahan: str | None = None
    kecamatan: str | None = None
    kota: str | None = None
    text: str | None = None
    bbox: tuple[float, float, float, float] | None = None
    ids: list[str] | None = field(default=None)
    within: str | None = None
    kind: str | None = None
    cql: str | None = None
    org: str | None = None
    org_role: str | None = None
    lead_org: str | None = None
