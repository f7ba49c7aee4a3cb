"""OGC API - Features collections: every layer of the build, the actions, the coverage gaps."""

from __future__ import annotations

import orjson
from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from api.deps import CollectionId, LangDep, RegistryDep, allow_read
from api.links import RequestHrefs
from api.ogc_html import FormatParam, check_format, page_response, wants_page
from api.params import reject_unknown_query
from api.responses import NOT_MODIFIED, content, errors
from api.store import CachedResponse, cached, served_build
from geo.ogc.documents import collection_document
from geo.ogc.links import QUERYABLES_REL, collections_links
from geo.ogc.queryables import queryables_document
from geo.ogc.reproject import SUPPORTED as SUPPORTED_CRS

router = APIRouter(tags=["ogc"], dependencies=[Depends(reject_unknown_query)])


@router.get(
    "/collections",
    name="collections",
    response_class=Response,
    responses={
        200: content("every collection", json={"type": "object", "required": ["collections"]}),
        **NOT_MODIFIED,
        **errors(400, 503),
    },
)
async def collections(
    request: Request, registry: RegistryDep, lang: LangDep, f: FormatParam = None
) -> Response:
    """Every collection with its title, extent, CRS and links (in the requested language)."""
    check_format(f)
    hrefs = RequestHrefs(request)
    limit_max = request.app.state.settings.items_limit_max

    def make() -> CachedResponse:
        docs = [
            collection_document(p.describe(), hrefs, lang, limit_max=limit_max)
            for p in registry.all()
        ]
        for doc in docs:
            doc.pop("dataDictionary", None)
        body = {
            "links": collections_links(hrefs, lang),
            "crs": list(SUPPORTED_CRS),
            "collections": docs,
        }
        return CachedResponse.make(
            orjson.dumps(body), "application/json", {"Content-Language": lang}
        )

    key = ("collections", registry.snapshot.key, lang, str(request.base_url))
    if wants_page(request):
        return page_response(request, "collections", make().body, lang)
    return await cached(request, served_build(request.app), key, make)


@router.get(
    "/collections/{collectionId}",
    name="collection",
    response_class=Response,
    responses={
        200: content("one collection", json={"type": "object", "required": ["id", "links"]}),
        **NOT_MODIFIED,
        **errors(400, 401, 403, 404, 503),
    },
)
async def collection(
    collection_id: CollectionId,
    request: Request,
    registry: RegistryDep,
    lang: LangDep,
    f: FormatParam = None,
) -> Response:
    """One collection: title, description, extent, CRS, links and its data dictionary."""
    check_format(f)
    provider = registry.get(collection_id)
    await allow_read(request, provider)
    hrefs = RequestHrefs(request)
    limit_max = request.app.state.settings.items_limit_max

    def make() -> CachedResponse:
        doc = collection_document(provider.describe(), hrefs, lang, limit_max=limit_max)
        queryables = next(x for x in doc["links"] if x["rel"] == QUERYABLES_REL)["href"]
        headers = {
            "Content-Language": lang,
            "Link": f'<{queryables}>; rel="{QUERYABLES_REL}"; type="application/schema+json"',
        }
        return CachedResponse.make(orjson.dumps(doc), "application/json", headers)

    key = ("collection", registry.snapshot.key, provider.id, lang, str(request.base_url))
    if wants_page(request):
        return page_response(request, "collection", make().body, lang)
    return await cached(request, served_build(request.app), key, make)


@router.get(
    "/collections/{collectionId}/queryables",
    name="queryables",
    response_class=Response,
    responses={
        200: {
            "description": "the properties a CQL2 filter may name, as JSON Schema",
            "content": {
                "application/schema+json": {
                    "schema": {"type": "object", "required": ["$schema", "type", "properties"]}
                }
            },
        },
        **NOT_MODIFIED,
        **errors(400, 401, 403, 404, 503),
    },
)
async def queryables(
    collection_id: CollectionId, request: Request, registry: RegistryDep, lang: LangDep
) -> Response:
    """What a ``filter`` of the collection may name: each property's type and title, and the
    geometry (OGC API - Features Part 3)."""
    provider = registry.get(collection_id)
    await allow_read(request, provider)
    # $id is the URL the queryables link gives (with its lang), as the Part 3 test requires
    href = str(request.url)

    def make() -> CachedResponse:
        doc = queryables_document(provider.describe(), href, lang)
        return CachedResponse.make(
            orjson.dumps(doc), "application/schema+json", {"Content-Language": lang}
        )

    key = ("queryables", registry.snapshot.key, provider.id, lang, href)
    return await cached(request, served_build(request.app), key, make)
