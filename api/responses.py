"""What the routes declare in OpenAPI: media types, the error model and response documents.

Every route lists the statuses it can answer with, each with its media type and schema, so
the OpenAPI document at ``/api`` is a contract a client (or a fuzzer) can check responses
against. Errors are always the one JSON body of :mod:`api.errors`.
"""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

JSON = "application/json"
GEOJSON = "application/geo+json"
GPKG = "application/geopackage+sqlite3"
HTML = "text/html"


class GeoJSONResponse(JSONResponse):
    """A JSON response served as ``application/geo+json`` (RFC 7946)."""

    media_type = GEOJSON


class FieldError(BaseModel):
    """One problem with one field of a request."""

    field: str = Field(description="Where: a parameter, header or dotted body path.")
    message: str = Field(description="What is wrong with it.")


class ErrorBody(BaseModel):
    """The body of every error response."""

    code: str = Field(description="A stable machine code, e.g. not_found or validation_error.")
    description: str = Field(description="A message for a person.")
    details: Any = Field(
        default=None, description="Optional details, usually a list of FieldError objects."
    )


_ERROR_TEXT: dict[int, str] = {
    400: "A malformed parameter, header or body; details name it",
    401: "No bearer token, or one that is unknown or revoked",
    403: "The token's role is too weak for this request",
    404: "Unknown collection, feature, action or unit",
    405: "The collection is read-only (only the actions collection takes writes)",
    409: "The request conflicts with the current state",
    410: "The action was deleted (it can be restored)",
    412: "If-Match names an old version: someone changed the action first",
    413: "The request body is larger than the configured limit",
    415: "The body is not sent as JSON or GeoJSON (Content-Type) in UTF-8",
    422: "A well-formed body that breaks a rule; details list every field error",
    428: "If-Match is required for this change",
    503: "A backing service (the actions database or the build) is not available",
}

READ_ERRORS = (400, 401, 403, 404, 503)
"""Errors any read of the actions store can answer with."""
WRITE_ERRORS = (400, 401, 403, 404, 409, 410, 412, 413, 415, 422, 428, 503)
"""Errors any write to the actions store can answer with."""

FEATURE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["type", "geometry", "properties"],
    "properties": {
        "type": {"const": "Feature"},
        "id": {"type": ["string", "integer"]},
        "geometry": {"type": ["object", "null"]},
        "properties": {"type": ["object", "null"]},
        "links": {"type": "array"},
    },
}
"""A GeoJSON Feature (RFC 7946), loosely: members are checked, geometries are not."""

FEATURE_COLLECTION_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["type", "features"],
    "properties": {
        "type": {"const": "FeatureCollection"},
        "features": {"type": "array", "items": FEATURE_SCHEMA},
        "numberMatched": {"type": "integer", "minimum": 0},
        "numberReturned": {"type": "integer", "minimum": 0},
        "links": {"type": "array"},
    },
}
"""A GeoJSON FeatureCollection with the OGC API paging members."""

BINARY: dict[str, Any] = {"type": "string", "format": "binary"}
"""A file download."""


ERROR_REF = "#/components/schemas/ErrorBody"
"""Where the OpenAPI document keeps the schema of :class:`ErrorBody`."""


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries for error ``statuses``, each the JSON :class:`ErrorBody`."""
    out: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        entry: dict[str, Any] = {
            "description": _ERROR_TEXT[status],
            "content": {JSON: {"schema": {"$ref": ERROR_REF}}},
        }
        if status == 401:
            entry["headers"] = {
                "WWW-Authenticate": {
                    "description": "The bearer challenge",
                    "schema": {"type": "string"},
                }
            }
        out[status] = entry
    return out


def content(description: str, **media: dict[str, Any]) -> dict[str, Any]:
    """One response entry with a schema per media type (``media`` keys: json, geojson, ...)."""
    names = {"json": JSON, "geojson": GEOJSON, "gpkg": GPKG, "html": HTML}
    return {
        "description": description,
        "content": {names[k]: {"schema": schema} for k, schema in media.items()},
    }


NOT_MODIFIED: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not modified: the If-None-Match ETag is current"}
}
"""The conditional-GET answer of cached and versioned resources."""
