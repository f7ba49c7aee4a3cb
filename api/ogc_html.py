"""The HTML answer of the OGC resources: when a request wants it, and how it is sent.

A request wants HTML with ``f=html``, or without ``f`` when its Accept header prefers
``text/html`` (a browser). The page itself is :func:`web.ogc_pages.ogc_page`, drawn from the
JSON document of the same request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import orjson
from fastapi import Query, Request
from starlette.responses import HTMLResponse

from api.links import RequestHrefs
from geo.errors import InvalidParameterError
from geo.params import shown
from web.ogc_pages import ogc_page, with_format

HTML_HEADERS = {"Cache-Control": "no-cache", "Vary": "Accept, Accept-Language"}


FormatParam = Annotated[
    str | None,
    Query(description="json (default for clients) or html (default for browsers, by Accept)"),
]
"""The ``f`` of the OGC documents (landing page, conformance, collections, a collection)."""


def check_format(f: str | None) -> None:
    """400 unless ``f`` is absent, ``json`` or ``html``."""
    if f is not None and f.strip().lower() not in ("json", "html"):
        raise InvalidParameterError(
            f"f must be json or html, got {shown(f)}",
            details=[{"field": "f", "message": "json or html"}],
        )


def wants_page(request: Request) -> bool:
    """``f=html``, or no ``f`` and an Accept header that prefers ``text/html``."""
    f = request.query_params.get("f")
    if f is not None:
        return f.strip().lower() == "html"
    accept = request.headers.get("accept", "").lower()
    return "text/html" in accept and "json" not in accept.split(",")[0]


def page_response(
    request: Request,
    kind: str,
    doc: bytes | dict[str, Any],
    lang: str,
    *,
    json_type: str = "application/json",
) -> HTMLResponse:
    """The HTML page of OGC resource ``kind`` drawn from its JSON document ``doc``."""
    body = orjson.loads(doc) if isinstance(doc, bytes) else doc
    hrefs = RequestHrefs(request)
    collection_id = request.path_params.get("collectionId")
    item_href: Callable[[str], str] | None = None
    if collection_id is not None:

        def item_href(feature_id: str) -> str:
            return hrefs.url("item", {"collectionId": collection_id, "featureId": feature_id})

    page = ogc_page(
        kind,
        body,
        lang,
        json_href=with_format(str(request.url), "json"),
        json_type=json_type,
        hrefs={"landing": hrefs.url("landing"), "collections": hrefs.url("collections")},
        path=request.url.path,
        item_href=item_href,
    )
    return HTMLResponse(page, headers={**HTML_HEADERS, "Content-Language": lang})
