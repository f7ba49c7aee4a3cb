"""Turn a decoded GeoJSON Feature into a checked action, naming every field error."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from shapely.geometry.base import BaseGeometry

from geo.actions.geometry import parse_geometry
from geo.actions.model import ActionIn, Kind, property_errors
from geo.actions.places import Places
from geo.errors import ValidationError

FieldErrors = list[dict[str, str]]


@dataclass
class CheckedAction:
    """An action ready to store.

    Attributes
    ----------
    props : ActionIn
        The checked properties (``unit_codes`` normalised to dotted codes).
    geometry : BaseGeometry or None
        The checked geometry, or None when the action names unit codes instead.
    kelurahan : list of str
        Kelurahan codes the action touches, derived from the geometry or the codes.
    feature_id : str or None
        The Feature's ``id`` when it held a UUID (used by imports).
    """

    props: ActionIn
    geometry: BaseGeometry | None
    kelurahan: list[str]
    feature_id: str | None = None


def check_feature(
    body: Any, places: Places, max_vertices: int
) -> tuple[CheckedAction | None, FieldErrors]:
    """Check one GeoJSON Feature describing an action.

    Parameters
    ----------
    body : Any
        The decoded JSON.
    places : Places
        The build's kelurahan, for code checks and the spatial join.
    max_vertices : int
        Most positions the geometry may have.

    Returns
    -------
    tuple of (CheckedAction or None, list of dict)
        The checked action when there is no error, and every field error found.
    """
    if not isinstance(body, dict):
        return None, [{"field": "body", "message": "must be a GeoJSON Feature object"}]
    errors: FieldErrors = []
    if body.get("type") != "Feature":
        errors.append({"field": "type", "message": "must be 'Feature'"})
    feature_id: str | None = None
    raw_id = body.get("id")
    if raw_id is not None:
        try:
            feature_id = str(uuid.UUID(str(raw_id)))
        except ValueError:
            feature_id = None
    geom, geom_errors = parse_geometry(body.get("geometry"), max_vertices)
    errors += geom_errors
    props, prop_errors = property_errors(body.get("properties"))
    errors += prop_errors
    if props is None or errors:
        return None, errors
    codes, code_errors = places.check_codes(props.unit_codes)
    errors += code_errors
    has_geometry = body.get("geometry") is not None
    if has_geometry and props.unit_codes:
        errors.append(
            {
                "field": "properties.unit_codes",
                "message": "give either a geometry or unit codes, not both",
            }
        )
    elif not has_geometry and not props.unit_codes and props.kind != Kind.related_initiative:
        # a related initiative whose source names no place has none
        errors.append(
            {
                "field": "geometry",
                "message": "an action needs a geometry or at least one kelurahan/kecamatan "
                "code in properties.unit_codes",
            }
        )
    if errors:
        return None, errors
    props = props.model_copy(update={"unit_codes": codes})
    kelurahan = (
        places.kelurahan_touched(geom) if geom is not None else places.kelurahan_of_codes(codes)
    )
    return CheckedAction(props, geom, kelurahan, feature_id), []


def require_feature(body: Any, places: Places, max_vertices: int) -> CheckedAction:
    """Like :func:`check_feature` but raise :class:`ValidationError` (422) on any error."""
    checked, errors = check_feature(body, places, max_vertices)
    if checked is None:
        fields = ", ".join(e["field"] for e in errors)
        raise ValidationError(f"the action is not valid ({fields})", details=errors)
    return checked


def merge_patch(target: Any, patch: Any) -> Any:
    """Apply a JSON Merge Patch (RFC 7396) to ``target`` and return the result.

    Parameters
    ----------
    target : Any
        The current document (not modified).
    patch : Any
        The patch: objects merge recursively, ``null`` removes a member, anything else
        replaces.

    Returns
    -------
    Any
    """
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result
