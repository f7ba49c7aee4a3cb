"""The one way the API spells a URL: Starlette's ``url_for`` and ``include_query_params``.

:class:`RequestHrefs` implements :class:`geo.ogc.links.Hrefs` for a request, so every link of
every collection (pages, features, documents, Location headers) is built from the route names
below, with path values quoted and query values URL-encoded (``Dinas SDA & PU`` becomes
``Dinas+SDA+%26+PU``); no link is assembled by joining strings.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from urllib.parse import quote

from fastapi import Request

ROUTE_NAMES = {
    "landing": "landing",
    "collections": "collections",
    "collection": "collection",
    "items": "items",
    "item": "item",
    "history": "action_history",
    "queryables": "queryables",
}
"""Resource names of :mod:`geo.ogc.links` to the names of the routes serving them."""


class RequestHrefs:
    """URLs of the app's resources as seen by one request (its scheme, host and root path)."""

    def __init__(self, request: Request) -> None:
        self.request = request

    def url(
        self,
        name: str,
        path: Mapping[str, str] | None = None,
        query: Sequence[tuple[str, str]] = (),
    ) -> str:
        """The absolute URL of resource ``name`` with ``path`` and ``query``, URL-encoded."""
        params = {k: quote(str(v), safe="") for k, v in (path or {}).items()}
        url = self.request.url_for(ROUTE_NAMES[name], **params)
        if query:
            url = url.include_query_params(**dict(query))
        return str(url)
