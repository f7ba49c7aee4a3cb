"""OGC API - Features items: GeoJSON pages, single features and file downloads."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from api.deps import CollectionId, FeatureId, LangDep, StoreDep, get_lang, get_store
from api.params import BBOX, OFFSET, limit_param, query_param
from api.responses import (
    BINARY,
    FEATURE_COLLECTION_SCHEMA,
    FEATURE_SCHEMA,
    NOT_MODIFIED,
    content,
    errors,
)
from api.routes.collections import base_url
from api.store import CachedResponse, cached, holder_of, respond
from geo import generalise
from geo.features import (
    ItemsQuery,
    items_links,
    parse_items_query,
    render_feature,
    render_gpkg,
    render_items,
    run_query,
)
from geo.settings import Settings

router = APIRouter(tags=["ogc"])

_DEFAULTS = Settings.model_fields
_LIMIT_DEFAULT = _DEFAULTS["items_limit_default"].default
_LIMIT_MAX = _DEFAULTS["items_limit_max"].default

MEDIA = {
    "json": "application/geo+json",
    "geojson": "application/geo+json",
    "gpkg": "application/geopackage+sqlite3",
}


_COMMON = [
    query_param(
        "f",
        "json (default: a page of GeoJSON), geojson or gpkg (a file download with a file "
        "name, holding every matched feature unless limit is given)",
        {"type": "string", "enum": ["json", "geojson", "gpkg"]},
    ),
    query_param(
        "lang",
        "Response language, id or en (default: Accept-Language, then id)",
        {"type": "string", "enum": ["id", "en"]},
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
        "recomputing the pillar scores",
        {"type": "string"},
    ),
    query_param(
        "classify",
        "kelurahan/kecamatan/kota: map classes of classify_by (quantiles, fisher_jenks, "
        "equal_interval, user); each feature gets property class, the response a "
        "classification member with the breaks",
        {"type": "string", "enum": ["quantiles", "fisher_jenks", "equal_interval", "user"]},
    ),
    query_param(
        "classify_by", "Numeric property to classify (default score_siap)", {"type": "string"}
    ),
    query_param(
        "k", "Number of classes (default 5)", {"type": "integer", "minimum": 2, "maximum": 20}
    ),
    query_param(
        "breaks", "Up to 20 upper bounds for classify=user, e.g. 0.2,0.4,0.6", {"type": "string"}
    ),
]

_ITEMS_PARAMETERS = [
    limit_param(_LIMIT_DEFAULT, _LIMIT_MAX),
    OFFSET,
    BBOX,
    query_param(
        "datetime",
        "RFC 3339 instant or interval start/end (.. open) on collections with a time "
        "property; instants from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z (UTC)",
        {"type": "string"},
    ),
    *_COMMON,
]
_ITEMS_EXTRA: dict[str, Any] = {
    "parameters": _ITEMS_PARAMETERS,
    "description": (
        "Any other query parameter named after a property filters by equality, e.g. "
        "kode_kota=31.71 (an unknown name gives 400)."
    ),
}
_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: content(
        "A GeoJSON page (f=json), or a GeoJSON / GeoPackage download",
        geojson=FEATURE_COLLECTION_SCHEMA,
        gpkg=BINARY,
    ),
    **NOT_MODIFIED,
    **errors(400, 404, 503),
}
_ITEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    **_RESPONSES,
    200: content(
        "A GeoJSON Feature, or a GeoJSON / GeoPackage download",
        geojson=FEATURE_SCHEMA,
        gpkg=BINARY,
    ),
}


def _timestamp() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _headers(collection_id: str, query: ItemsQuery, lang: str, suffix: str = "") -> dict[str, str]:
    headers = {"Content-Language": lang}
    if query.fmt != "json":
        ext = "gpkg" if query.fmt == "gpkg" else "geojson"
        headers["Content-Disposition"] = f'attachment; filename="{collection_id}{suffix}.{ext}"'
    return headers


@router.get(
    "/collections/{collectionId}/items",
    response_class=Response,
    openapi_extra=_ITEMS_EXTRA,
    responses=_RESPONSES,
)
async def items(collection_id: CollectionId, request: Request) -> Response:
    """Features of a collection: GeoJSON page, or GeoJSON / GeoPackage download (f)."""
    holder = holder_of(request.app)
    base = base_url(request)
    # a repeated request is answered from the raw key before any parsing (the scope's own
    # bytes: request.url would decode the query string as strict UTF-8 and fail on others)
    raw_key = (
        "items-raw",
        request.scope["path"],
        bytes(request.scope.get("query_string", b"")),
        request.headers.get("accept-language"),
        base,
    )
    hit = holder.cache.get(raw_key)
    if hit is not None and not holder.is_stale():
        return respond(request, hit, max_age=holder.settings.http_cache_max_age)
    store = await get_store(request)
    lang = await get_lang(request)
    coll = store.get(collection_id)
    settings = holder.settings
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    query = parse_items_query(
        coll, params, limit_default=settings.items_limit_default, limit_max=settings.items_limit_max
    )
    explicit_lang = lang if "lang" in request.query_params else None

    def make() -> CachedResponse:
        result = run_query(coll, query, store.settings)
        headers = _headers(coll.id, query, lang)
        if query.fmt == "gpkg":
            return CachedResponse.make(
                render_gpkg(coll, query, result, lang=lang), MEDIA["gpkg"], headers
            )
        url = f"{base}/collections/{coll.id}/items"
        links = items_links(url, query, len(result.matched), len(result.page), lang=explicit_lang)
        links.append(
            {
                "href": f"{base}/collections/{coll.id}",
                "rel": "collection",
                "type": "application/json",
                "title": coll.title(lang),
            }
        )
        body = render_items(coll, query, result, links=links, timestamp=_timestamp())
        return CachedResponse.make(body, MEDIA[query.fmt], headers)

    key = ("items", coll.id, query, lang, explicit_lang, base)
    return await cached(request, holder, key, make, raw_key=raw_key)


@router.get(
    "/collections/{collectionId}/items/{featureId}",
    response_class=Response,
    openapi_extra={"parameters": _COMMON},
    responses=_ITEM_RESPONSES,
)
async def item(
    collection_id: CollectionId,
    feature_id: FeatureId,
    request: Request,
    store: StoreDep,
    lang: LangDep,
) -> Response:
    """One feature by id (kode for kelurahan, kecamatan and kota; fid for other layers)."""
    holder = holder_of(request.app)
    coll = store.get(collection_id)
    base = base_url(request)
    settings = holder.settings
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    query = parse_items_query(
        coll,
        params,
        limit_default=settings.items_limit_default,
        limit_max=settings.items_limit_max,
        single_feature=True,
    )
    # the whole pipeline runs first so an unknown feature is a 404 before any caching
    if feature_id not in coll.index_of:
        run_query(coll, query, store.settings, feature_id=feature_id)

    def make() -> CachedResponse:
        result = run_query(coll, query, store.settings, feature_id=feature_id)
        headers = _headers(coll.id, query, lang, suffix=f"-{feature_id}")
        if query.fmt == "gpkg":
            return CachedResponse.make(
                render_gpkg(coll, query, result, lang=lang), MEDIA["gpkg"], headers
            )
        url = f"{base}/collections/{coll.id}"
        links = [
            {
                "href": f"{url}/items/{feature_id}",
                "rel": "self",
                "type": "application/geo+json",
                "title": "this feature",
            },
            {
                "href": f"{url}/items/{feature_id}?f=gpkg",
                "rel": "alternate",
                "type": "application/geopackage+sqlite3",
                "title": "GeoPackage download",
            },
            {
                "href": url,
                "rel": "collection",
                "type": "application/json",
                "title": coll.title(lang),
            },
        ]
        return CachedResponse.make(
            render_feature(coll, query, result, links=links), MEDIA[query.fmt], headers
        )

    key = ("item", coll.id, feature_id, query, lang, base)
    return await cached(request, holder, key, make)
