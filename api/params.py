"""Query parameters shared by the routes: their OpenAPI entries and their checks.

Every API route refuses a query parameter it does not declare (400, naming it), as OGC API
- Features asks: the layer collections in :func:`geo.features.parse_items_query`, the actions
listing in :func:`actions_query` and every other route through :func:`reject_unknown_query`,
a router dependency that reads the route's own declaration. The HTML pages (``/peta``,
``/kelurahan/{kode}``) stay lenient, because links shared through chat and social media
arrive with tracking parameters (``fbclid``, ``utm_source``) appended.

The numbers, boxes and dates themselves are parsed by :mod:`geo.params` (ASCII digits,
bounded ranges), for the layers and the actions alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.dependencies.models import Dependant

from geo.actions.model import MAX_AGENCY, Pillar, Status
from geo.actions.store import ActionFilter
from geo.errors import InvalidParameterError
from geo.params import MAX_OFFSET, parse_bbox, parse_int, shown, single_values
from geo.settings import Settings


def query_param(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    """One OpenAPI query parameter entry (``form`` style, not exploded)."""
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
        "style": "form",
        "explode": False,
    }


def limit_param(default: int, maximum: int) -> dict[str, Any]:
    """The ``limit`` entry: features per page (a larger value is lowered to the maximum)."""
    return query_param(
        "limit",
        f"Features per page (default {default}, maximum {maximum}; a larger value "
        "is lowered to the maximum)",
        {"type": "integer", "minimum": 1, "maximum": maximum, "default": default},
    )


OFFSET = query_param(
    "offset",
    f"Features to skip, 0..{MAX_OFFSET} (next and prev links page through)",
    {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET, "default": 0},
)
BBOX = query_param(
    "bbox",
    "minx,miny,maxx,maxy in CRS84 (longitude -180..180, latitude -90..90); features "
    "intersecting it",
    {"type": "array", "minItems": 4, "maxItems": 6, "items": {"type": "number"}},
)

_PILLARS = [p.value for p in Pillar]
_STATUSES = [s.value for s in Status]
ACTION_FILTERS = [
    query_param("pillar", "siap, sehat or terhubung", {"type": "string", "enum": _PILLARS}),
    query_param(
        "status", "planned, in_progress, done or cancelled", {"type": "string", "enum": _STATUSES}
    ),
    query_param("agency", "lead agency (any case)", {"type": "string", "maxLength": MAX_AGENCY}),
    query_param(
        "kelurahan", "a kelurahan code the action touches (31.71.01.1001)", {"type": "string"}
    ),
    BBOX,
]
"""The filters of the actions listing and export."""
_FILTER_NAMES = ("pillar", "status", "agency", "kelurahan", "bbox")
ACTION_FORMAT = query_param(
    "f", "geojson (default) or gpkg", {"type": "string", "enum": ["geojson", "json", "gpkg"]}
)


@dataclass(frozen=True)
class ActionsQuery:
    """The checked query of an actions listing or export."""

    filter: ActionFilter
    echo: dict[str, str]
    """The filters as given (they travel in the paging links and the export's header)."""
    limit: int | None
    offset: int
    f: str | None


def actions_query(request: Request, settings: Settings, *, paged: bool) -> ActionsQuery:
    """Parse the query of ``/collections/actions/items`` (``paged``) or ``/export``.

    Raises
    ------
    InvalidParameterError
        An unknown or repeated parameter, an unknown pillar or status, an over-long agency,
        a bad bbox (as on every collection), or a limit / offset that is not a whole number
        in range.
    """
    names = [*_FILTER_NAMES, "f", *(("limit", "offset") if paged else ())]
    raw = single_values(request.query_params.multi_items(), allowed=names)
    for name, allowed in (("pillar", _PILLARS), ("status", _STATUSES)):
        if name in raw and raw[name] not in allowed:
            raise InvalidParameterError(
                f"{name} must be one of {', '.join(allowed)}, got {shown(raw[name])}",
                details=[{"field": name, "message": "one of " + ", ".join(allowed)}],
            )
    if len(raw.get("agency", "")) > MAX_AGENCY:
        raise InvalidParameterError(
            f"agency is longer than {MAX_AGENCY} characters (no lead agency is)",
            details=[{"field": "agency", "message": f"at most {MAX_AGENCY} characters"}],
        )
    flt = ActionFilter(
        pillar=raw.get("pillar"),
        status=raw.get("status"),
        agency=raw.get("agency"),
        kelurahan=raw.get("kelurahan"),
        bbox=parse_bbox(raw["bbox"]) if "bbox" in raw else None,
    )
    limit = None
    if "limit" in raw:
        limit = min(parse_int("limit", raw["limit"], lo=1), settings.items_limit_max)
    offset = parse_int("offset", raw["offset"], lo=0, hi=MAX_OFFSET) if "offset" in raw else 0
    echo: dict[str, str] = {k: raw[k] for k in _FILTER_NAMES if k in raw}
    return ActionsQuery(flt, echo, limit, offset, raw.get("f"))


def _declared(dependant: Dependant, lang_call: Any) -> set[str]:
    names = {p.alias for p in dependant.query_params}
    for sub in dependant.dependencies:
        if sub.call is lang_call:
            names.add("lang")
        names |= _declared(sub, lang_call)
    return names


_DECLARED = "_ketahanan_query_names"
"""The attribute a route keeps its declared query names in (computed on first use)."""


def declared_query_names(route: Any) -> frozenset[str]:
    """Query parameters a route declares: its own, its dependencies', its ``openapi_extra``."""
    found: frozenset[str] | None = getattr(route, _DECLARED, None)
    if found is None:
        from api.deps import get_lang

        names = _declared(route.dependant, get_lang)
        extra = (getattr(route, "openapi_extra", None) or {}).get("parameters", [])
        names |= {p["name"] for p in extra if p.get("in") == "query"}
        found = frozenset(names)
        setattr(route, _DECLARED, found)
    return found


async def reject_unknown_query(request: Request) -> None:
    """A router dependency: 400 for a query parameter the route does not declare, or a repeat."""
    route = request.scope.get("route")
    if route is None or not hasattr(route, "dependant"):
        return
    single_values(request.query_params.multi_items(), allowed=declared_query_names(route))
