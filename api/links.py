"""The one way the API spells a URL: the routes' own paths, by route name, URL-encoded.

:class:`RequestHrefs` implements :class:`geo.ogc.links.Hrefs` for a request, so every link of
every collection (pages, features, documents, Location headers) is built from the route names
below, with path values quoted and query values URL-encoded (``Dinas SDA & PU`` becomes
``Dinas+SDA+%26+PU``). The path of a route is asked of the router (``url_path_for``) once per
route and set of path parameters and kept as a template: the router walks every route on each
call (2 ms of the 5 ms of one action's answer went there, five links a feature).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from urllib.parse import quote, urlencode

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
        base = request.base_url
        self._base = f"{base.scheme}://{base.netloc}{base.path.rstrip('/')}"

    def _template(self, route: str, names: tuple[str, ...]) -> str:
        """The path of ``route`` with ``{name}`` for each path parameter (asked once)."""
        state = self.request.app.state
        templates: dict[tuple[str, tuple[str, ...]], str] | None = getattr(
            state, "url_templates", None
        )
        if templates is None:
            templates = state.url_templates = {}
        template = templates.get((route, names))
        if template is None:
            marks = {n: f"__{i}__" for i, n in enumerate(names)}
            path = str(self.request.app.url_path_for(route, **marks))
            for n, mark in marks.items():
                path = path.replace(mark, "{" + n + "}")
            template = templates[(route, names)] = path
        return template

    def url(
        self,
        name: str,
        path: Mapping[str, str] | None = None,
        query: Sequence[tuple[str, str]] = (),
    ) -> str:
        """The absolute URL of resource ``name`` with ``path`` and ``query``, URL-encoded."""
        params = {k: quote(str(v), safe="") for k, v in (path or {}).items()}
        template = self._template(ROUTE_NAMES[name], tuple(sorted(params)))
        url = self._base + template.format(**params)
        if query:
            url += "?" + urlencode([(str(k), str(v)) for k, v in dict(query).items()])
        return url
