"""OGC API - Features items of every collection: pages, single features, downloads, writes.

One router for the build layers, the actions and the coverage gaps: each request finds its
collection's provider in the :class:`~geo.ogc.providers.registry.Registry`, parses the query
against the provider's queryables, and renders, pages and links the answer the same way.
Writes (OGC API - Features Part 4) go to providers that take them (the actions); any other
collection answers 405.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote_plus

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, Response

from api.body import JsonBodyDep
from api.codes import canonical_redirect
from api.deps import (
    CollectionId,
    FeatureId,
    RegistryDep,
    WriteTargetDep,
    allow_read,
    expected_version,
    get_lang,
    get_registry,
)
from api.fast_items import raw_items_key, request_headers
from api.headers import none_match
from api.links import RequestHrefs
from api.ogc_html import page_response, wants_page
from api.openapi import (
    CREATE_DOC,
    CREATE_RESPONSES,
    IF_MATCH,
    ITEM_EXTRA,
    ITEM_RESPONSES,
    ITEMS_EXTRA,
    ITEMS_RESPONSES,
    PATCH_DOC,
    REPLACE_DOC,
    WRITE_RESPONSES,
    feature_ok,
)
from api.params import reject_unknown_query
from api.responses import GeoJSONResponse
from api.store import CachedResponse, cached, respond, served_build
from geo.ogc.links import item_links, items_links
from geo.ogc.providers.base import CollectionProvider, Selection, Written
from geo.ogc.providers.registry import Registry
from geo.ogc.query import FILE_EXTENSIONS, MEDIA_TYPES, ItemsQuery, parse_items_query
from geo.ogc.render.bundle import bundle_bytes, bundle_info
from geo.ogc.render.csv import csv_bytes
from geo.ogc.render.geojson import feature_collection, with_links
from geo.ogc.render.gpkg import gpkg_bytes
from geo.ogc.reproject import content_crs, in_crs
from geo.settings import Settings

router = APIRouter(tags=["ogc"])

STRICT = [Depends(reject_unknown_query)]
"""Writes take no query parameter (reads check theirs against the collection's queryables)."""


def _timestamp() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _headers(name: str, query: ItemsQuery, lang: str) -> dict[str, str]:
    headers = {"Content-Language": lang}
    if query.fmt != "csv":
        headers["Content-Crs"] = content_crs(query.crs)
    if query.fmt != "json":
        ext = FILE_EXTENSIONS[query.fmt]
        headers["Content-Disposition"] = f'attachment; filename="{name}.{ext}"'
    return headers


def _file(
    request: Request,
    registry: Any,
    collection_id: str,
    query: ItemsQuery,
    chosen: Selection,
    lang: str,
) -> bytes | None:
    """The bytes of a file download (GeoPackage, CSV, bundle), or None for GeoJSON."""
    if query.fmt == "gpkg":
        return gpkg_bytes(chosen.table(lang))
    if query.fmt == "csv":
        return csv_bytes(chosen.table(lang))
    if query.fmt == "zip":
        query_text = unquote_plus(request.url.query)  # readable in the README
        asked = request.url.path + (f"?{query_text}" if query_text else "")
        info = bundle_info(registry.snapshot, collection_id, asked, lang)
        classification = chosen.members.get("classification")
        return bundle_bytes(chosen.table(lang), classification, info, lang)
    return None


def _params(
    request: Request, default_fmt: str | None = None, drop: tuple[str, ...] = ()
) -> list[tuple[str, str]]:
    """The query items (not ``lang`` nor ``drop``), with ``f`` from Accept or
    ``default_fmt`` when absent."""
    skip = {"lang", *drop}
    params = [(k, v) for k, v in request.query_params.multi_items() if k not in skip]
    if not any(k == "f" for k, _ in params):
        if MEDIA_TYPES["gpkg"] in request.headers.get("accept", ""):
            params.append(("f", "gpkg"))
        elif default_fmt is not None:
            params.append(("f", default_fmt))
    return params


def _parse(
    request: Request, provider: CollectionProvider, params: list[tuple[str, str]], single: bool
) -> ItemsQuery:
    settings: Settings = request.app.state.settings
    return parse_items_query(
        provider.queryables(),
        params,
        limit_default=settings.items_limit_default,
        limit_max=settings.items_limit_max,
        single_feature=single,
    )


async def serve_items(
    request: Request,
    collection_id: str,
    *,
    default_fmt: str | None = None,
    drop: tuple[str, ...] = (),
    provider_of: Callable[[Registry], CollectionProvider] | None = None,
) -> Response:
    """The items answer of ``collection_id`` (shared by the alias routes of the gaps and the
    actions export, which give a default format or parameters of their own to leave out, or
    a provider made for the request: ``provider_of``, the gaps during a flood)."""
    page = wants_page(request)
    drop = (*drop, "f") if page else drop
    served = served_build(request.app)
    base = str(request.base_url)
    headers = request_headers(request.scope)  # None with an Origin: CORS answers it
    raw_key = None if headers is None else raw_items_key(request.scope, headers, served.loaded_key)
    hit = None if page or raw_key is None else served.cache.get(raw_key)
    if hit is not None and not served.is_stale():
        return respond(request, hit, max_age=served.max_age)
    registry = await get_registry(request)
    provider = registry.get(collection_id) if provider_of is None else provider_of(registry)
    await allow_read(request, provider)
    lang = await get_lang(request)
    query = _parse(request, provider, _params(request, default_fmt, drop), single=False)
    explicit_lang = lang if "lang" in request.query_params else None
    hrefs = RequestHrefs(request)
    # a cached body is the build's, the same in every worker: so is its timeStamp (and ETag)
    stamp = registry.snapshot.built_at if provider.cacheable else None
    finish = CachedResponse.make if provider.cacheable else CachedResponse.once

    def make() -> CachedResponse:
        chosen = in_crs(provider.query(query), query.crs)
        headers = _headers(provider.download_name, query, lang)
        file = _file(request, registry, collection_id, query, chosen, lang)
        if file is not None:
            return finish(file, MEDIA_TYPES[query.fmt], headers)
        title = provider.describe().title(lang)
        links = items_links(
            hrefs,
            collection_id,
            query,
            matched=chosen.matched,
            returned=len(chosen.features),
            title=title,
            lang=explicit_lang,
        )
        body = feature_collection(
            chosen.features,
            matched=chosen.matched,
            links=links,
            timestamp=stamp or _timestamp(),
            members=chosen.members,
        )
        return finish(body, MEDIA_TYPES[query.fmt], headers)

    if not provider.cacheable:
        entry = await run_in_threadpool(make)
        if page:
            return page_response(request, "items", entry.body, lang, json_type=MEDIA_TYPES["json"])
        return Response(entry.body, media_type=entry.media_type, headers=dict(entry.headers))
    key = ("items", registry.snapshot.key, collection_id, query, lang, explicit_lang, base)
    if page:  # the HTML page of the same JSON answer (kept in the cache as JSON)
        entry = await _entry(served, key, make)
        return page_response(request, "items", entry.body, lang, json_type=MEDIA_TYPES["json"])
    return await cached(request, served, key, make, raw_key=raw_key)


async def _entry(served: Any, key: Any, make: Callable[[], CachedResponse]) -> CachedResponse:
    """The cached answer of ``key`` (made and kept when absent)."""
    entry: CachedResponse | None = served.cache.get(key)
    if entry is None:
        entry = await run_in_threadpool(make)
        served.cache.put(key, entry)
    return entry


@router.get(
    "/collections/{collectionId}/items",
    name="items",
    response_class=Response,
    openapi_extra=ITEMS_EXTRA,
    responses=ITEMS_RESPONSES,
)
async def items(collection_id: CollectionId, request: Request) -> Response:
    """Features of a collection: GeoJSON page, or GeoJSON / GeoPackage download (f)."""
    return await serve_items(request, collection_id)


def _item_body(
    request: Request, provider: CollectionProvider, feature_id: str, chosen: Selection, lang: str
) -> bytes:
    title = provider.describe().title(lang)
    versioned = chosen.etag is not None
    links = item_links(
        RequestHrefs(request), provider.id, feature_id, title=title, versioned=versioned
    )
    (feature,) = chosen.features
    return with_links(feature, links)


@router.get(
    "/collections/{collectionId}/items/{featureId}",
    name="item",
    response_class=Response,
    openapi_extra=ITEM_EXTRA,
    responses=ITEM_RESPONSES,
)
async def item(
    collection_id: CollectionId, feature_id: FeatureId, request: Request, registry: RegistryDep
) -> Response:
    """One feature by id (kode for kelurahan, kecamatan and kota; id for actions; fid else)."""
    provider = registry.get(collection_id)
    await allow_read(request, provider)
    lang = await get_lang(request)
    page = wants_page(request)
    query = _parse(request, provider, _params(request, drop=("f",) if page else ()), single=True)
    redirect = canonical_redirect(request, provider, feature_id)
    if redirect is not None:
        return redirect
    finish = CachedResponse.make if provider.cacheable else CachedResponse.once

    def render(chosen: Selection) -> CachedResponse:
        chosen = in_crs(chosen, query.crs)
        headers = _headers(f"{provider.download_name}-{feature_id}", query, lang)
        file = _file(request, registry, collection_id, query, chosen, lang)
        if file is not None:
            return finish(file, MEDIA_TYPES[query.fmt], headers)
        body = _item_body(request, provider, feature_id, chosen, lang)
        return finish(body, MEDIA_TYPES[query.fmt], headers)

    if provider.cacheable:  # an unknown feature raises in make(): nothing is cached
        served = served_build(request.app)
        key = (
            "item",
            registry.snapshot.key,
            provider.id,
            feature_id,
            query,
            lang,
            str(request.base_url),
        )
        make = lambda: render(provider.get(feature_id, query))  # noqa: E731
        if page:
            entry = await _entry(served, key, make)
            return page_response(request, "item", entry.body, lang, json_type=MEDIA_TYPES["json"])
        return await cached(request, served, key, make)
    if_none_match = None if page else request.headers.get("if-none-match")

    def read() -> tuple[Selection, CachedResponse | None]:
        # one trip to the thread pool: the read, then the body unless a 304 answers
        chosen = provider.get(feature_id, query)
        if chosen.etag is not None and none_match(if_none_match, (chosen.etag.strip('"'),)):
            return chosen, None
        return chosen, render(chosen)

    chosen, answer = await run_in_threadpool(read)
    if answer is None:  # a versioned feature the client holds (its version is its ETag)
        return Response(status_code=304, headers={"ETag": str(chosen.etag)})
    if page:
        return page_response(request, "item", answer.body, lang, json_type=MEDIA_TYPES["json"])
    headers = dict(answer.headers)
    if chosen.etag is not None:
        headers["ETag"] = chosen.etag
    return Response(answer.body, media_type=answer.media_type, headers=headers)


# --- writes (OGC API - Features Part 4) ---------------------------------------------------------


def written_response(
    request: Request, collection_id: str, written: Written, status: int = 200
) -> JSONResponse:
    """A written feature with its links and ETag (and Location when it was created)."""
    hrefs = RequestHrefs(request)
    feature = dict(written.feature)
    feature["links"] = item_links(
        hrefs, collection_id, written.id, title=collection_id, versioned=True
    )
    headers = {"ETag": written.etag}
    if status == 201:
        headers["Location"] = hrefs.url(
            "item", {"collectionId": collection_id, "featureId": written.id}
        )
    return GeoJSONResponse(feature, status_code=status, headers=headers)


def import_report(request: Request, collection_id: str, written: list[Written]) -> JSONResponse:
    """The report of an import: how many, and where each imported feature is."""
    hrefs = RequestHrefs(request)
    features: list[dict[str, Any]] = [
        {
            "index": i,
            "id": w.id,
            "href": hrefs.url("item", {"collectionId": collection_id, "featureId": w.id}),
        }
        for i, w in enumerate(written)
    ]
    return JSONResponse({"imported": len(written), "features": features}, status_code=201)


def _is_collection(body: Any) -> bool:
    return isinstance(body, dict) and body.get("type") == "FeatureCollection"


@router.post(
    "/collections/{collectionId}/items",
    name="create_item",
    status_code=201,
    dependencies=STRICT,
    openapi_extra=CREATE_DOC,
    response_model=None,
    response_class=GeoJSONResponse,
    responses=CREATE_RESPONSES,
)
def create_item(target: WriteTargetDep, body: JsonBodyDep) -> Response:
    """Create a feature from a GeoJSON Feature, or import a FeatureCollection (all or nothing)."""
    provider, request, cid = target.provider, target.request, target.collection_id
    if _is_collection(body):
        return import_report(request, cid, provider.import_features(body, target.actor))
    return written_response(request, cid, provider.create(body, target.actor), status=201)


def _change_endpoint(replace: bool) -> Callable[..., Response]:
    """The PUT (replace) or PATCH (merge-patch) endpoint: the same checks, another change."""

    def change_item(target: WriteTargetDep, feature_id: FeatureId, body: JsonBodyDep) -> Response:
        provider = target.provider
        change = provider.replace if replace else provider.update
        written = change(feature_id, body, expected_version(target.request), target.actor)
        return written_response(target.request, target.collection_id, written)

    return change_item


for _method, _name, _doc, _summary, _text in (
    (
        "PUT",
        "replace_item",
        REPLACE_DOC,
        "Replace a feature",
        "Replace a feature (If-Match required: 428 without it, 412 when stale).",
    ),
    (
        "PATCH",
        "update_item",
        PATCH_DOC,
        "Update part of a feature",
        "Change part of a feature with a JSON Merge Patch of properties/geometry (If-Match).",
    ),
):
    router.add_api_route(
        "/collections/{collectionId}/items/{featureId}",
        _change_endpoint(_method == "PUT"),
        methods=[_method],
        dependencies=STRICT,
        name=_name,
        summary=_summary,
        description=_text,
        openapi_extra=_doc,
        response_model=None,
        response_class=GeoJSONResponse,
        responses={200: feature_ok("the new version"), **WRITE_RESPONSES},
    )


@router.delete(
    "/collections/{collectionId}/items/{featureId}",
    name="delete_item",
    status_code=204,
    dependencies=STRICT,
    response_model=None,
    openapi_extra={"parameters": [IF_MATCH]},
    responses={204: {"description": "deleted"}, **WRITE_RESPONSES},
)
def delete_item(target: WriteTargetDep, feature_id: FeatureId) -> Response:
    """Delete a feature (kept in its history; it can be restored). If-Match required."""
    target.provider.delete(feature_id, expected_version(target.request), target.actor)
    return Response(status_code=204)
