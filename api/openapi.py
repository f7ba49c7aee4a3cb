"""What the items routes declare in OpenAPI: parameters, request bodies, responses.

The parameters are written from the vocabulary (class methods, the k range) and completed
for the running instance at start (:func:`instance_limits`: the page size and its maximum are
the instance's settings, not the class defaults). The action bodies are described by the
pydantic model of an action's properties.
"""

from __future__ import annotations

from typing import Any

from api.params import BBOX, OFFSET, query_param
from api.responses import (
    BINARY,
    FEATURE_COLLECTION_SCHEMA,
    FEATURE_SCHEMA,
    NOT_MODIFIED,
    READ_ERRORS,
    WRITE_ERRORS,
    content,
    errors,
)
from geo import generalise
from geo.actions.model import ActionIn
from geo.ogc.query import CLASS_SCOPES, MAX_SORT_KEYS
from geo.ogc.reproject import SUPPORTED as SUPPORTED_CRS
from geo.settings import HTTPSettings
from geo.vocabulary import API_METHODS, DEFAULT_CLASSIFY_BY, K_DEFAULT, K_MAX, K_MIN, LANGUAGES

GEOJSON = "application/geo+json"
ITEMS_PATH = "/collections/{collectionId}/items"


COMMON = [
    query_param(
        "f",
        "json (default: a page of GeoJSON); geojson, gpkg or csv (a file download with a "
        "file name, holding every matched feature unless limit is given); zip (the "
        "GeoPackage with its map style as QGIS .qml and SLD, from the classification, and a "
        "README with the query, the build and the data sources)",
        {"type": "string", "enum": ["json", "geojson", "gpkg", "csv", "zip"]},
    ),
    query_param(
        "lang",
        "Response language, id or en (default: Accept-Language, then id)",
        {"type": "string", "enum": list(LANGUAGES)},
    ),
    query_param(
        "zoom",
        f"Web-map zoom 0..{generalise.MAX_ZOOM}: geometry generalised for that zoom "
        "(polygon coverages keep shared edges); full resolution when absent or from zoom "
        f"{generalise.FULL_RESOLUTION_ZOOM}",
        {"type": "integer", "minimum": 0, "maximum": generalise.MAX_ZOOM},
    ),
    query_param(
        "properties",
        "Comma-separated properties to return (unknown names give 400)",
        {"type": "string"},
    ),
    query_param(
        "weights",
        "kelurahan/kecamatan/kota: indicator weights id:w,... (each 0 or 0.001..1000) "
        "recomputing the pillar scores from the weights the build scored with",
        {"type": "string"},
    ),
    query_param(
        "classify",
        "kelurahan/kecamatan/kota and the impact layers (dampak_*): map classes of "
        "classify_by; each feature gets property class, the response a classification member "
        "with the breaks",
        {"type": "string", "enum": list(API_METHODS)},
    ),
    query_param(
        "classify_by",
        f"Numeric property to classify (default {DEFAULT_CLASSIFY_BY})",
        {"type": "string"},
    ),
    query_param(
        "k",
        f"Number of classes, {K_MIN}..{K_MAX} (default {K_DEFAULT})",
        {"type": "integer", "minimum": K_MIN, "maximum": K_MAX, "default": K_DEFAULT},
    ),
    query_param(
        "breaks",
        f"Up to {K_MAX} upper bounds for classify=user, e.g. 0.2,0.4,0.6",
        {"type": "string"},
    ),
    query_param(
        "classify_scope",
        "matched (default: classes over the features the filters match) or collection "
        "(over every feature, so a filtered download keeps the whole map's classes)",
        {"type": "string", "enum": list(CLASS_SCOPES)},
    ),
]
"""Parameters of both items routes."""

ITEMS_PARAMETERS = [
    query_param(
        "limit",
        "Features per page (a larger value is lowered to the maximum)",
        {"type": "integer", "minimum": 1},
    ),
    OFFSET,
    BBOX,
    query_param(
        "sortby",
        f"Up to {MAX_SORT_KEYS} comma-separated properties to order by, - for descending "
        "(e.g. -score_siap,nama); empty values last (OGC API - Features Part 3)",
        {"type": "string"},
    ),
    query_param(
        "filter",
        "CQL2 filter (OGC API - Features Part 3) on the properties listed at "
        "/collections/{collectionId}/queryables: comparisons, AND/OR/NOT, IS NULL, LIKE, IN, "
        "BETWEEN and the S_* spatial functions of geometry and a CRS84 literal, e.g. "
        "score_siap > 0.5 AND S_INTERSECTS(geometry, BBOX(106.7,-6.3,106.9,-6.1))",
        {"type": "string"},
    ),
    query_param(
        "filter-lang",
        "cql2-text (default) or cql2-json",
        {"type": "string", "enum": ["cql2-text", "cql2-json"], "default": "cql2-text"},
    ),
    query_param(
        "filter-crs",
        "CRS of the filter's geometry literals: only CRS84",
        {"type": "string", "enum": ["http://www.opengis.net/def/crs/OGC/1.3/CRS84"]},
    ),
    query_param(
        "datetime",
        "RFC 3339 instant or interval start/end (.. open) on collections with a time "
        "property; instants from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z (UTC)",
        {"type": "string"},
    ),
    *COMMON,
]

ITEMS_EXTRA: dict[str, Any] = {
    "parameters": ITEMS_PARAMETERS,
    "description": (
        "Any other query parameter named after a property filters by equality, e.g. "
        "kode_kota=31.71 on the admin layers, pillar=siap or lead_agency=BPBD DKI on the "
        "actions (an unknown name gives 400). Every collection pages, filters and downloads "
        "the same way."
    ),
}

CSV = {"type": "string", "description": "comma-separated rows with a header"}

ITEMS_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: content(
        "A GeoJSON page (f=json), or a GeoJSON / GeoPackage / CSV / bundle (zip) download",
        geojson=FEATURE_COLLECTION_SCHEMA,
        gpkg=BINARY,
        csv=CSV,
        zip=BINARY,
    ),
    **NOT_MODIFIED,
    **errors(*READ_ERRORS),
}

ETAG_HEADER = {"ETag": {"description": "the feature's version", "schema": {"type": "string"}}}

IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "required": False,
    "description": 'The ETag of the version you last read, e.g. "3" (428 without it on PUT, '
    "PATCH and DELETE; 412 when someone changed the action since)",
    "schema": {"type": "string"},
}
IF_NONE_MATCH = {
    "name": "If-None-Match",
    "in": "header",
    "required": False,
    "description": "An ETag you hold: 304 when the feature is still at that version",
    "schema": {"type": "string"},
}

CRS_PARAMETER = query_param(
    "crs",
    "CRS of the answer (OGC API - Features Part 2), one of "
    + ", ".join(SUPPORTED_CRS)
    + " (default CRS84; EPSG:4326 is latitude first; also EPSG:32748 or [EPSG:32748])",
    {"type": "string", "format": "uri", "enum": list(SUPPORTED_CRS)},
)

ITEMS_PARAMETERS.append(CRS_PARAMETER)
ITEMS_PARAMETERS.append(
    query_param(
        "bbox-crs",
        "CRS of bbox (default CRS84), one of the crs values; bbox is then in its axis order",
        {"type": "string", "format": "uri", "enum": list(SUPPORTED_CRS)},
    )
)

ITEM_EXTRA: dict[str, Any] = {"parameters": [*COMMON, CRS_PARAMETER, IF_NONE_MATCH]}


def feature_ok(description: str, **media: dict[str, Any]) -> dict[str, Any]:
    """A 200/201 answer holding one Feature (or ``media``) with its version ETag."""
    return {
        **content(description, **(media or {"geojson": FEATURE_SCHEMA})),
        "headers": ETAG_HEADER,
    }


ITEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: feature_ok(
        "A GeoJSON Feature, or a GeoJSON / GeoPackage / CSV / bundle (zip) download",
        geojson=FEATURE_SCHEMA,
        gpkg=BINARY,
        csv=CSV,
        zip=BINARY,
    ),
    **NOT_MODIFIED,
    308: {
        "description": "a kelurahan asked for by its BPS code: Location (and Link "
        "rel=canonical) is the feature at its Kemendagri code, with the same query"
    },
    **errors(*READ_ERRORS, 410),
}


def _inline_refs(schema: dict[str, Any]) -> dict[str, Any]:
    """A pydantic JSON schema with its ``$defs`` references replaced by the definitions."""
    defs = schema.pop("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/$defs/"):
                return walk(defs[ref.removeprefix("#/$defs/")])
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    result: dict[str, Any] = walk(schema)
    return result


_GEOMETRY_TYPES = [
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
]


def _action_feature_schema() -> dict[str, Any]:
    """The request schema of one action Feature (properties from :class:`ActionIn`)."""
    props = _inline_refs(ActionIn.model_json_schema())
    props.pop("title", None)
    props.pop("description", None)
    geometry = {
        "type": "object",
        "required": ["type", "coordinates"],
        "properties": {"type": {"enum": _GEOMETRY_TYPES}, "coordinates": {"type": "array"}},
    }
    return {
        "type": "object",
        "description": "a GeoJSON Feature: a geometry (lon/lat) or properties.unit_codes",
        "required": ["type", "properties"],
        "properties": {
            "type": {"const": "Feature"},
            "id": {"type": "string"},
            "geometry": {"anyOf": [{"type": "null"}, geometry]},
            "properties": props,
        },
    }


ACTION_FEATURE = _action_feature_schema()
ACTION_COLLECTION = {
    "type": "object",
    "description": "a GeoJSON FeatureCollection of actions (imported all or nothing)",
    "required": ["type", "features"],
    "properties": {
        "type": {"const": "FeatureCollection"},
        "features": {"type": "array", "items": ACTION_FEATURE},
    },
}
ACTION_PATCH = {
    "type": "object",
    "description": "a JSON Merge Patch (RFC 7396) of the action Feature",
    "properties": {
        "geometry": ACTION_FEATURE["properties"]["geometry"],
        "properties": {"type": "object"},
    },
}


def body_doc(
    schema: dict[str, Any], *, if_match: bool = False, media: tuple[str, ...] = ()
) -> dict[str, Any]:
    """``openapi_extra`` of a route that reads a JSON body with ``schema``."""
    types = (GEOJSON, "application/json", *media)
    return {
        **({"parameters": [IF_MATCH]} if if_match else {}),
        "requestBody": {"required": True, "content": {t: {"schema": schema} for t in types}},
    }


CREATE_DOC = body_doc({"anyOf": [ACTION_FEATURE, ACTION_COLLECTION]})
REPLACE_DOC = body_doc(ACTION_FEATURE, if_match=True)
PATCH_DOC = body_doc(ACTION_PATCH, if_match=True, media=("application/merge-patch+json",))
IMPORT_DOC = body_doc(ACTION_COLLECTION)

IMPORT_REPORT = {
    "type": "object",
    "required": ["imported", "features"],
    "properties": {"imported": {"type": "integer"}, "features": {"type": "array"}},
}

WRITE_RESPONSES = errors(*WRITE_ERRORS, 405)
"""Errors of every write (405: the collection is read-only)."""


CREATE_RESPONSES: dict[int | str, dict[str, Any]] = {
    201: feature_ok(
        "the created feature (ETag, Location), or the import report",
        geojson=FEATURE_SCHEMA,
        json=IMPORT_REPORT,
    ),
    **WRITE_RESPONSES,
}

DOWNLOAD = content(
    "GeoJSON FeatureCollection or GeoPackage file",
    geojson=FEATURE_COLLECTION_SCHEMA,
    gpkg=BINARY,
)


def instance_limits(schema: dict[str, Any], settings: HTTPSettings) -> None:
    """Write the running instance's page size and maximum into the items parameters."""
    operation = schema.get("paths", {}).get(ITEMS_PATH, {}).get("get", {})
    for param in operation.get("parameters", []):
        if param.get("name") == "limit":
            default, maximum = settings.items_limit_default, settings.items_limit_max
            param["schema"] = {
                "type": "integer",
                "minimum": 1,
                "maximum": maximum,
                "default": default,
            }
            param["description"] = (
                f"Features per page (default {default}, maximum {maximum}; a larger value is "
                "lowered to the maximum; downloads default to the maximum)"
            )
