"""Read one fetch of a flood-state feed in PetaBencana's published format.

PetaBencana (CogniCity, ``/floods?city=...``) publishes the RW areas BPBD DKI marks flooded as a
GeoJSON FeatureCollection or a TopoJSON Topology, optionally wrapped in ``{"result": ...}``.
Each area has ``area_id`` and/or ``geom_id``, ``state`` (1 unknown depth, 2 = 10-70 cm,
3 = 71-150 cm, 4 = over 150 cm) and ``last_updated``. The archive snapshots of February 2017
(``flood/petabencana_2017_02/floods/``) hold the same data in its archive form: ``geom_id``,
``state`` and ``changed`` (local time, UTC+7, without an offset).

A fetch is good as a whole or not at all: an empty or truncated file, garbage, an area without
an id, a state outside 1-4 or an unreadable time is a :class:`~geo.errors.FeedError` naming
what was wrong, and nothing of it is used.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import orjson
import shapely
from shapely.geometry.base import BaseGeometry

from geo.errors import FeedError
from geo.vocabulary import FloodState

ARCHIVE_OFFSET = timezone(timedelta(hours=7))
"""The offset of the archive's ``changed`` times, which carry none (WIB, UTC+7)."""

MAX_FEED_BYTES = 50_000_000
"""Largest feed accepted (the whole of Jakarta's RWs as GeoJSON is under 20 MB)."""

MAX_AREAS = 10_000
"""Most areas one feed may hold (Jakarta has about 2,700 RWs)."""


@dataclass(frozen=True)
class FeedArea:
    """One flooded RW area of a feed."""

    area_id: str | None
    geom_id: str | None
    state: FloodState
    last_updated: datetime | None
    geometry: BaseGeometry | None

    @property
    def label(self) -> str:
        """How the feed names it (``area_id`` first, as PetaBencana's API does)."""
        return self.area_id or self.geom_id or "?"


def _time(value: Any, where: str) -> datetime | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str) or len(value) > 40:
        raise FeedError(f"{where}: last_updated must be an ISO 8601 time, got {value!r:.60}")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise FeedError(f"{where}: last_updated {value!r:.60} is not an ISO 8601 time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ARCHIVE_OFFSET)
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise FeedError(f"{where}: last_updated {value!r:.60} is out of range") from None


def _ident(value: Any) -> str | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | str):
        text = str(value).strip()
        return text[:64] if text else None
    return None


def _state(value: Any, where: str) -> FloodState:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise FeedError(f"{where}: state must be 1-4, got {value!r:.40}")
    try:
        number = float(value)
        return FloodState(int(number)) if number == int(number) else FloodState(-1)
    except (ValueError, OverflowError):
        raise FeedError(f"{where}: state must be 1, 2, 3 or 4, got {value!r:.40}") from None


def _area(props: Any, geometry: BaseGeometry | None, index: int) -> FeedArea:
    where = f"area {index}"
    if not isinstance(props, dict):
        raise FeedError(f"{where} has no properties")
    area_id, geom_id = _ident(props.get("area_id")), _ident(props.get("geom_id"))
    if area_id is None and geom_id is None:
        raise FeedError(f"{where} has neither area_id nor geom_id")
    where = f"area {area_id or geom_id}"
    when = props.get("last_updated", props.get("changed"))
    return FeedArea(
        area_id, geom_id, _state(props.get("state"), where), _time(when, where), geometry
    )


def _geojson_geometry(value: Any) -> BaseGeometry | None:
    if not isinstance(value, dict):
        return None
    try:
        geom = shapely.from_geojson(orjson.dumps(value))
    except (shapely.errors.GEOSException, ValueError, TypeError, orjson.JSONEncodeError):
        return None
    return None if geom is None or geom.is_empty else geom


def _features(doc: dict[str, Any]) -> list[FeedArea]:
    features = doc.get("features")
    if not isinstance(features, list):
        raise FeedError("the FeatureCollection has no features list")
    if len(features) > MAX_AREAS:
        raise FeedError(f"the feed holds {len(features):,} areas; at most {MAX_AREAS:,}")
    out = []
    for i, feature in enumerate(features):
        if not isinstance(feature, dict):
            raise FeedError(f"area {i} is not a GeoJSON Feature")
        out.append(_area(feature.get("properties"), _geojson_geometry(feature.get("geometry")), i))
    return out


def _arc_points(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    arcs = topology.get("arcs")
    if not isinstance(arcs, list):
        raise FeedError("the TopoJSON Topology has no arcs")
    transform = topology.get("transform")
    scale: Any = (1.0, 1.0)
    shift: Any = (0.0, 0.0)
    if isinstance(transform, dict):
        scale = tuple(transform.get("scale", scale))
        shift = tuple(transform.get("translate", shift))
    decoded = []
    for arc in arcs:
        x = y = 0.0
        points = []
        for pos in arc:
            if transform is not None:
                x, y = x + pos[0], y + pos[1]
                points.append((x * scale[0] + shift[0], y * scale[1] + shift[1]))
            else:
                points.append((float(pos[0]), float(pos[1])))
        decoded.append(points)
    return decoded


def _ring(arcs: list[list[tuple[float, float]]], indices: list[int]) -> list[tuple[float, float]]:
    ring: list[tuple[float, float]] = []
    for i in indices:
        points = arcs[i] if i >= 0 else arcs[~i][::-1]
        ring.extend(points if not ring else points[1:])
    return ring


def _topo_geometry(geom: dict[str, Any], arcs: list[list[tuple[float, float]]]) -> Any:
    kind = geom.get("type")
    parts: Any = geom.get("arcs")
    try:
        if kind == "Polygon":
            return shapely.Polygon(_ring(arcs, parts[0]), [_ring(arcs, r) for r in parts[1:]])
        if kind == "MultiPolygon":
            return shapely.MultiPolygon(
                [shapely.Polygon(_ring(arcs, p[0]), [_ring(arcs, r) for r in p[1:]]) for p in parts]
            )
    except (TypeError, IndexError, ValueError, shapely.errors.GEOSException):
        return None
    return None


def _topology(doc: dict[str, Any]) -> list[FeedArea]:
    objects = doc.get("objects")
    if not isinstance(objects, dict) or not objects:
        raise FeedError("the TopoJSON Topology has no objects")
    try:
        arcs = _arc_points(doc)
    except (TypeError, IndexError, ValueError):
        raise FeedError("the TopoJSON arcs are not lists of positions") from None
    out: list[FeedArea] = []
    for obj in objects.values():
        geometries = obj.get("geometries") if isinstance(obj, dict) else None
        if not isinstance(geometries, list):
            raise FeedError("a TopoJSON object is not a GeometryCollection")
        if len(out) + len(geometries) > MAX_AREAS:
            raise FeedError(f"the feed holds more than {MAX_AREAS:,} areas")
        for geom in geometries:
            if not isinstance(geom, dict):
                raise FeedError(f"area {len(out)} is not a TopoJSON geometry")
            out.append(_area(geom.get("properties"), _topo_geometry(geom, arcs), len(out)))
    return out


def parse_feed(data: bytes) -> list[FeedArea]:
    """The flooded areas of one fetch.

    Parameters
    ----------
    data : bytes
        The body fetched: GeoJSON FeatureCollection or TopoJSON Topology (live or archive form),
        possibly wrapped in ``{"result": ...}``. A collection without features is a good feed
        saying no RW is flooded.

    Returns
    -------
    list of FeedArea

    Raises
    ------
    FeedError
        Empty, too large, not JSON (garbage or truncated), not a FeatureCollection or
        Topology, or an area without an id, with a state outside 1-4 or a bad time.
    """
    if not data.strip():
        raise FeedError("the feed is empty (0 bytes of JSON)")
    if len(data) > MAX_FEED_BYTES:
        raise FeedError(f"the feed is {len(data):,} bytes; at most {MAX_FEED_BYTES:,}")
    try:
        doc = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise FeedError(f"the feed is not JSON (truncated or garbage): {exc}") from None
    if isinstance(doc, dict) and isinstance(doc.get("result"), dict):
        doc = doc["result"]
    kind = doc.get("type") if isinstance(doc, dict) else None
    if kind == "FeatureCollection":
        return _features(doc)
    if kind == "Topology":
        return _topology(doc)
    raise FeedError(
        f"the feed is not a GeoJSON FeatureCollection or TopoJSON Topology ({kind!r:.40})"
    )
