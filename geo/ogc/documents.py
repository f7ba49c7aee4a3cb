"""The OGC documents: conformance, the collections list, one collection's description.

Every collection (a build layer, the actions, a pillar's coverage gaps) describes itself as a
:class:`CollectionInfo`; :func:`collection_document` turns any of them into the one document
shape, with the same links, extent, CRS, parameters and (for the admin layers) data dictionary.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from geo import generalise
from geo.ogc.links import Hrefs, collection_links
from geo.ogc.prose import property_title, score_title
from geo.ogc.query import CRS84, Queryables
from geo.ogc.reproject import SUPPORTED as SUPPORTED_CRS
from geo.ogc.temporal import TRS
from geo.params import MAX_OFFSET
from geo.vocabulary import (
    API_METHODS,
    DEFAULT_CLASSIFY_BY,
    K_DEFAULT,
    K_MAX,
    K_MIN,
    SCORE_COLUMNS,
    Pillar,
    Text,
    is_score_column,
    score_column,
)

CONFORMANCE = (
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-json",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
    "http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions-plus",
    "http://www.opengis.net/spec/cql2/1.0/conf/spatial-functions",
)
"""The conformance classes implemented, and only those (tests/api/test_conformance_classes.py
checks each): OGC API - Features Part 1 core, GeoJSON and HTML, Part 2 CRS by reference
(CRS84, EPSG:4326, EPSG:32748), Part 3 filtering with CQL2 text
and JSON, Basic CQL2, LIKE/BETWEEN/IN and every spatial function on geometry literals.

Not declared: Part 1 ``oas30`` (the API document is OpenAPI 3.1, which Part 1 has no class
for); Part 3 ``queryables-query-parameters`` (the actions take ``name=value`` only for some of
their queryables); CQL2 property-property comparisons, case- and accent-insensitive
comparison, temporal and array functions, arithmetic (none implemented); Part 4 (its writes
require ``If-Match``, answering 428 without it, where Part 4 lets a client replace or delete
without a precondition)."""

SCORE_FORMULA = (
    "sum(w_i * scaled_i) / sum(w_i) over the inputs the unit has; a full score needs data for "
    "at least 2 distinct indicators and half the pillar's reachable weight, else it is null "
    "here and the value is in score_<pillar>_partial; change the weights with ?weights=id:w,..."
)
SCORE_COLUMN_FORMULAS = {
    "partial": "the value of a unit with some data but too little for a full score (fewer than "
    "2 indicators or less than half the reachable weight): drawn hatched, never ranked",
    "coverage": "weight of the inputs the unit has / weight of the inputs any unit has (0-1)",
    "status": "full, partial or no_data",
    "missing": "comma-separated ids of the weighted inputs the unit lacks",
    "rank": "rank among the full scores of the level, 1 = most exposed (ties share the "
    "smallest rank)",
    "uncertainty": "Monte Carlo after the OECD/JRC Handbook: 5th/50th/95th percentile of the "
    "rank, and the share of draws in the top fifth, over seeded draws of Dirichlet weights "
    "around the build's and of the normalisation (min-max, percentile rank, z-score clipped at "
    "3 sd); null under ?weights= (they belong to the build's weights); the build report holds "
    "the draws, seed and concentration",
    "contribution": "driver: scaled value x weight / total weight of the inputs the unit has; "
    "a pillar's contributions add up to its full or partial score",
}
"""What each scoring column beside ``score_<pillar>`` holds (:mod:`geo.scores`)."""


@dataclass(frozen=True)
class CollectionInfo:
    """What a collection says about itself.

    Attributes
    ----------
    id : str
    title, description : Text
    queryables : Queryables
        What its items take (filters, zoom, datetime, weights, classes).
    geometry_type : str or None
        None for a table without geometry.
    bbox : tuple of 4 floats, optional
        Spatial extent in CRS84.
    interval : tuple, optional
        Temporal extent (ISO 8601 start and end).
    size : int, optional
        Number of features (None when it changes with every write).
    feature_id : str
        What a feature id is (``kode``, ``fid``, ``id``).
    source : dict, optional
        The catalogue source (licence, title, date, origin).
    dictionary : tuple of dict
        The data dictionary entries (admin layers).
    writable : bool
        Items can be created, replaced, updated and deleted (OGC API - Features Part 4).
    """

    id: str
    title: Text
    description: Text
    queryables: Queryables
    geometry_type: str | None
    bbox: tuple[float, float, float, float] | None = None
    interval: tuple[str | None, str | None] | None = None
    size: int | None = None
    feature_id: str = "fid"
    source: Mapping[str, Any] | None = None
    dictionary: Sequence[Mapping[str, Any]] = field(default_factory=tuple)
    writable: bool = False


def extent_of(info: CollectionInfo) -> dict[str, Any] | None:
    """The OGC ``extent`` member (spatial bbox in CRS84, temporal interval where known)."""
    extent: dict[str, Any] = {}
    if info.bbox is not None:
        extent["spatial"] = {"bbox": [list(info.bbox)], "crs": CRS84}
    if info.interval is not None:
        extent["temporal"] = {"interval": [list(info.interval)], "trs": TRS}
    return extent or None


def dictionary_for(info: CollectionInfo, lang: str) -> list[dict[str, Any]]:
    """The data dictionary of an admin collection, with ``title`` in ``lang``.

    Covers the base properties (codes, names, population, area), the indicators (names,
    units, formulas, sources, weights) and the pillar scores.
    """
    out: list[dict[str, Any]] = []
    for name in info.queryables.properties:
        title = property_title(name)
        if title is not None:
            out.append({"id": name, "title": title(lang), "kind": "base"})
    for entry in info.dictionary:
        out.append({"title": Text.pick(entry, "name", lang), "kind": "indicator", **entry})
    for pillar in Pillar:
        column = score_column(pillar)
        if column in info.queryables.properties:
            entry = {"id": column, "title": score_title(pillar)(lang), "kind": "score"}
            out.append({**entry, "formula": SCORE_FORMULA})
    present = [c for c in info.queryables.properties if is_score_column(c)]
    for name in present:
        if name in SCORE_COLUMNS:
            continue
        formula = SCORE_COLUMN_FORMULAS[_kind_of(name)]
        out.append({"id": name, "title": name, "kind": "score", "formula": formula})
    return out


def _kind_of(column: str) -> str:
    """Which of :data:`SCORE_COLUMN_FORMULAS` describes a scoring column."""
    if column.startswith("contribution_"):
        return "contribution"
    if column.startswith("top_class_") or column.endswith(("_p05", "_p50", "_p95")):
        return "uncertainty"
    if column.startswith("rank_"):
        return "rank"
    return column.rsplit("_", 1)[-1]


def parameters_of(info: CollectionInfo, limit_max: int) -> dict[str, str]:
    """The query parameters a collection's items take, in words."""
    q = info.queryables
    params: dict[str, str] = {
        "limit": f"page size, 1..{limit_max} (larger values are lowered to {limit_max})",
        "offset": f"features to skip, 0..{MAX_OFFSET} (next/prev links page through)",
        "bbox": "minx,miny,maxx,maxy in CRS84, or in the axis order of bbox-crs",
        "crs": "CRS of the answer: " + ", ".join(SUPPORTED_CRS) + " (EPSG:4326 is lat/lon)",
        "bbox-crs": "CRS of bbox (default CRS84), one of crs",
        "properties": "comma-separated property names to return",
        "<property>=<value>": "equality filter on "
        + ("any property" if set(q.filters) == set(q.properties) else ", ".join(q.filters)),
        "f": "json (page), geojson or gpkg (file download of every matched feature)",
        "lang": "id or en (also Accept-Language)",
    }
    if q.generalised:
        params["zoom"] = (
            f"0..{generalise.MAX_ZOOM}: geometry generalised for a web map at that zoom "
            f"(topology kept for polygon coverages; full resolution from "
            f"{generalise.FULL_RESOLUTION_ZOOM})"
        )
    if q.time is not None:
        params["datetime"] = (
            f"RFC 3339 instant or interval on '{q.time}' "
            "(0001-01-01T00:00:00Z..9999-12-31T23:59:59Z; a/b, ../b or a/..)"
        )
    if q.scored:
        params["weights"] = (
            "indicator_id:weight,... (each 0 or 0.001..1000) to recompute the pillar scores"
        )
    if q.scored or q.classified:
        params["classify"] = " | ".join(API_METHODS) + " (user with breaks)"
        params["classify_by"] = f"numeric property to classify (default {DEFAULT_CLASSIFY_BY})"
        params["k"] = f"number of classes, {K_MIN}..{K_MAX} (default {K_DEFAULT})"
        params["breaks"] = f"up to {K_MAX} upper bounds for classify=user, e.g. 0.2,0.4,0.6"
    return params


def _source(info: CollectionInfo, lang: str) -> tuple[dict[str, Any], dict[str, Any]]:
    source = info.source or {}
    origin = source.get("origin") or {}
    described = {
        "id": source.get("id"),
        "title": (source.get("title") or {}).get(lang),
        "date": source.get("date"),
        "repository": origin.get("repository"),
        "commit": origin.get("commit"),
    }
    return described, origin


def collection_document(
    info: CollectionInfo, hrefs: Hrefs, lang: str, *, limit_max: int
) -> dict[str, Any]:
    """The OGC ``/collections/{id}`` document of a collection.

    Parameters
    ----------
    info : CollectionInfo
    hrefs : Hrefs
        Spells the links.
    lang : {"id", "en"}
    limit_max : int
        Largest page (stated in the document).

    Returns
    -------
    dict
        id, title, description, links, extent, itemType, crs, storageCrs and the
        Ketahanan members (geometryType, numberOfFeatures, featureId, properties, licence,
        source, dataDictionary for the admin collections, parameters, writable).
    """
    origin: dict[str, Any] = {}
    described: dict[str, Any] | None = None
    if info.source is not None:
        described, origin = _source(info, lang)
    doc: dict[str, Any] = {
        "id": info.id,
        "title": info.title(lang),
        "description": info.description(lang),
        "links": collection_links(hrefs, info.id, lang, origin=origin.get("repository")),
        "itemType": "feature",
        "crs": list(SUPPORTED_CRS),
        "storageCrs": CRS84,
    }
    extent = extent_of(info)
    if extent is not None:
        doc["extent"] = extent
    doc["geometryType"] = info.geometry_type
    if info.size is not None:
        doc["numberOfFeatures"] = info.size
    doc["featureId"] = info.feature_id
    doc["properties"] = list(info.queryables.properties)
    if described is not None:
        doc["licence"] = (info.source or {}).get("licence")
        doc["source"] = described
    if info.queryables.scored or info.dictionary:
        doc["dataDictionary"] = dictionary_for(info, lang)
    doc["parameters"] = parameters_of(info, limit_max)
    doc["writable"] = info.writable
    return doc
