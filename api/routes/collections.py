"""OGC API - Features collections: every layer and indicator table of the build."""

from __future__ import annotations

import orjson
from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from api.deps import CollectionId, LangDep, StoreDep
from api.params import reject_unknown_query
from api.responses import NOT_MODIFIED, content, errors
from api.routes.actions import collection_document as actions_collection_document
from api.routes.coverage import gaps_collection_document
from api.store import CachedResponse, cached, holder_of
from geo.features import CRS84, collection_document
from geo.indicators import PILLARS

router = APIRouter(tags=["ogc"], dependencies=[Depends(reject_unknown_query)])


def base_url(request: Request) -> str:
    """The service root URL of a request, without a trailing slash."""
    return str(request.base_url).rstrip("/")


@router.get(
    "/collections",
    response_class=Response,
    responses={
        200: content("every collection", json={"type": "object", "required": ["collections"]}),
        **NOT_MODIFIED,
        **errors(400, 503),
    },
)
async def collections(request: Request, store: StoreDep, lang: LangDep) -> Response:
    """Every collection with its title, extent, CRS and links (in the requested language)."""
    holder = holder_of(request.app)
    base = base_url(request)
    limit_max = holder.settings.items_limit_max

    def make() -> CachedResponse:
        docs = [
            collection_document(c, base, lang, limit_max=limit_max)
            for c in store.collections.values()
        ]
        for doc in docs:
            doc.pop("dataDictionary", None)
        # The actions store and the coverage gaps are collections too (their own routers).
        docs.append(actions_collection_document(base))
        docs.extend(gaps_collection_document(base, pillar) for pillar in PILLARS)
        body = {
            "links": [
                {
                    "href": f"{base}/collections?lang={lang}",
                    "rel": "self",
                    "type": "application/json",
                    "title": "collections",
                },
                {
                    "href": f"{base}/",
                    "rel": "root",
                    "type": "application/json",
                    "title": "landing page",
                },
            ],
            "crs": [CRS84],
            "collections": docs,
        }
        return CachedResponse.make(
            orjson.dumps(body), "application/json", {"Content-Language": lang}
        )

    return await cached(request, holder, ("collections", lang, base), make)


@router.get(
    "/collections/{collectionId}",
    response_class=Response,
    responses={
        200: content("one collection", json={"type": "object", "required": ["id", "links"]}),
        **NOT_MODIFIED,
        **errors(400, 404, 503),
    },
)
async def collection(
    collection_id: CollectionId,
    request: Request,
    store: StoreDep,
    lang: LangDep,
) -> Response:
    """One collection: title, description, extent, CRS, links and its data dictionary."""
    holder = holder_of(request.app)
    coll = store.get(collection_id)
    base = base_url(request)

    def make() -> CachedResponse:
        doc = collection_document(coll, base, lang, limit_max=holder.settings.items_limit_max)
        return CachedResponse.make(
            orjson.dumps(doc), "application/json", {"Content-Language": lang}
        )

    return await cached(request, holder, ("collection", coll.id, lang, base), make)
