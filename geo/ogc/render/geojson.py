"""GeoJSON bytes: features of a collection held in memory, FeatureCollections, single features.

Features of a build layer are assembled from bytes made once per feature (geometry per
generalisation level, properties), so a page costs a join, not a serialisation. Features of
other collections (actions) arrive as dicts and are serialised here with orjson.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import orjson

from geo.ogc.collection import Collection
from geo.ogc.engine import QueryResult
from geo.ogc.query import ItemsQuery


def _properties_bytes(
    collection: Collection, query: ItemsQuery, result: QueryResult, pos: int
) -> bytes:
    if query.properties is None and not result.overrides:
        return collection.properties_json[pos]
    record = collection.records[pos]
    if result.overrides:
        record = {**record, **{k: v[pos] for k, v in result.overrides.items()}}
    if query.properties is not None:
        record = {k: record.get(k) for k in query.properties}
    return orjson.dumps(record)


def feature_bytes(
    collection: Collection, query: ItemsQuery, result: QueryResult, positions: Iterable[int]
) -> list[bytes]:
    """GeoJSON Feature bytes of the features at ``positions``.

    Parameters
    ----------
    collection : Collection
    query : ItemsQuery
        Its generalisation level and property selection apply.
    result : QueryResult
        Computed properties (custom scores, classes) are merged in.
    positions : iterable of int

    Returns
    -------
    list of bytes
    """
    geoms = collection.level(query.level).json if collection.geometry is not None else None
    out = []
    for pos in positions:
        g = b"null" if geoms is None else geoms[pos]
        out.append(
            b'{"type":"Feature","id":'
            + collection.id_json[pos]
            + b',"geometry":'
            + g
            + b',"properties":'
            + _properties_bytes(collection, query, result, pos)
            + b"}"
        )
    return out


def dict_feature_bytes(feature: Mapping[str, Any], properties: tuple[str, ...] | None) -> bytes:
    """A GeoJSON Feature given as a dict, as bytes, with only ``properties`` when given."""
    if properties is not None:
        props = feature.get("properties") or {}
        feature = {**feature, "properties": {k: props.get(k) for k in properties}}
    return orjson.dumps(feature)


def feature_collection(
    features: list[bytes],
    *,
    matched: int,
    links: list[dict[str, Any]],
    timestamp: str,
    members: Mapping[str, Any] | None = None,
) -> bytes:
    """A GeoJSON FeatureCollection with the OGC members.

    Returns
    -------
    bytes
        ``{"type": "FeatureCollection", "features": [...], "numberMatched": ...,
        "numberReturned": ..., "timeStamp": ..., "links": [...]}`` plus ``members`` (e.g.
        ``classification``).
    """
    tail: dict[str, Any] = {
        "numberMatched": matched,
        "numberReturned": len(features),
        "timeStamp": timestamp,
        "links": links,
        **(members or {}),
    }
    return (
        b'{"type":"FeatureCollection","features":['
        + b",".join(features)
        + b"],"
        + orjson.dumps(tail)[1:]
    )


def with_links(feature: bytes, links: list[dict[str, Any]]) -> bytes:
    """A Feature's bytes with a ``links`` member added."""
    return feature[:-1] + b',"links":' + orjson.dumps(links) + b"}"
