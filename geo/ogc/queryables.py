"""The ``/collections/{id}/queryables`` document (OGC API - Features Part 3): JSON Schema.

Every property a CQL2 ``filter`` may name, with its JSON Schema type and its title in the
request's language, and the geometry (``x-ogc-role: primary-geometry``) when the collection
has one.
"""

from __future__ import annotations

from typing import Any

from geo.ogc.cql import GEOMETRY
from geo.ogc.documents import CollectionInfo
from geo.ogc.prose import property_title, score_title
from geo.vocabulary import Pillar, Text, score_column

SCHEMA = "https://json-schema.org/draft/2020-12/schema"

_TYPES: dict[str, dict[str, Any]] = {
    "number": {"type": "number"},
    "bool": {"type": "boolean"},
    "time": {"type": "string", "format": "date-time"},
    "text": {"type": "string"},
    "enum": {"type": "string"},
}

_GEOMETRY_FORMATS = {
    "Point": "geometry-point",
    "MultiPoint": "geometry-multipoint",
    "LineString": "geometry-linestring",
    "MultiLineString": "geometry-multilinestring",
    "Polygon": "geometry-polygon",
    "MultiPolygon": "geometry-multipolygon",
}

_GEOMETRY_TITLE = Text("Geometri (CRS84)", "Geometry (CRS84)")


def _titles(info: CollectionInfo, lang: str) -> dict[str, str]:
    titles: dict[str, str] = {}
    for entry in info.dictionary:
        if "id" in entry:
            titles[str(entry["id"])] = Text.pick(entry, "name", lang)
    for pillar in Pillar:
        titles[score_column(pillar)] = score_title(pillar)(lang)
    return titles


def queryables_document(info: CollectionInfo, self_href: str, lang: str) -> dict[str, Any]:
    """The queryables of a collection as a JSON Schema object.

    Parameters
    ----------
    info : CollectionInfo
    self_href : str
        The document's own URL (its ``$id``).
    lang : {"id", "en"}
        Language of the titles.
    """
    named = _titles(info, lang)
    properties: dict[str, Any] = {}
    if info.geometry_type is not None and info.queryables.geometry:
        properties[GEOMETRY] = {
            "title": _GEOMETRY_TITLE(lang),
            "format": _GEOMETRY_FORMATS.get(info.geometry_type, "geometry-any"),
            "x-ogc-role": "primary-geometry",
        }
    for name, kind in info.queryables.filter_kinds().items():
        title = property_title(name)
        entry: dict[str, Any] = {"title": title(lang) if title else named.get(name, name)}
        entry.update(_TYPES.get(kind, {"type": "string"}))
        spec = info.queryables.filters.get(name)
        if kind == "enum" and spec is not None and spec.choices:
            entry["enum"] = list(spec.choices)
        properties[name] = entry
    return {
        "$schema": SCHEMA,
        "$id": self_href,
        "type": "object",
        "title": info.title(lang),
        "properties": properties,
        "additionalProperties": False,
    }
