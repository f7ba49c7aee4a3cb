"""Query parameters shared by the routes: their OpenAPI entries and their checks.

Every API route refuses a query parameter it does not declare (400, naming it), as OGC API
- Features asks: the items of every collection (layers, actions, gaps) in
:func:`geo.ogc.query.parse_items_query`, against the collection's queryables, and every other
route through :func:`reject_unknown_query`, a dependency that reads the route's own
declaration. The HTML pages (``/peta``,
``/kelurahan/{kode}``) stay lenient, because links shared through chat and social media
arrive with tracking parameters (``fbclid``, ``utm_source``) appended.

The numbers, boxes and dates themselves are parsed by :mod:`geo.params` (ASCII digits,
bounded ranges), for every collection alike.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.dependencies.models import Dependant

from geo.params import MAX_OFFSET, single_values


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
