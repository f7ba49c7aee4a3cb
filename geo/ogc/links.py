"""The links of every OGC resource: which links a page, a feature or a collection has.

Which links a resource carries (``self``, ``alternate`` formats, ``next`` / ``prev`` pages,
``collection``, downloads) is decided here, once for every collection; how a URL is spelled
is the web adapter's (:class:`Hrefs`: the API builds them with Starlette's ``url_for`` and
``include_query_params``, so every query value is URL-encoded).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any, Protocol

from geo.ogc.query import CRS84, MEDIA_TYPES, ItemsQuery
from geo.vocabulary import DEFAULT_CLASSIFY_BY, Text

JSON = "application/json"
HTML = "text/html"

FORMAT_TITLES = {"json": "GeoJSON", "geojson": "GeoJSON download", "gpkg": "GeoPackage download"}

_THIS_COLLECTION = Text("koleksi ini", "this collection")
_FEATURES = Text("fitur (GeoJSON)", "features (GeoJSON)")


Query = Sequence[tuple[str, str]]


class Hrefs(Protocol):
    """Spells the URL of a named resource (the web adapter implements it)."""

    def url(self, name: str, path: Mapping[str, str] | None = None, query: Query = ()) -> str:
        """The absolute URL of resource ``name`` (``landing``, ``collections``,
        ``collection``, ``items``, ``item``, ``history``) with path parameters ``path``
        (``collectionId``, ``featureId``) and query items ``query``, URL-encoded."""
        ...


def link(href: str, rel: str, media: str, title: str | None = None) -> dict[str, Any]:
    """One link object."""
    out: dict[str, Any] = {"href": href, "rel": rel, "type": media}
    if title is not None:
        out["title"] = title
    return out


def query_params(query: ItemsQuery, *, lang: str | None = None) -> list[tuple[str, str]]:
    """The normalised query string items of ``query`` (for self, next and prev links).

    Parameters
    ----------
    query : ItemsQuery
    lang : str, optional
        Added as ``lang`` when given.

    Returns
    -------
    list of (name, value)
    """
    out: list[tuple[str, str]] = []
    if query.bbox is not None:
        out.append(("bbox", ",".join(f"{v:g}" for v in query.bbox)))
    if query.datetime is not None:
        start, end = query.datetime
        out.append(
            (
                "datetime",
                start if query.datetime_instant and start else f"{start or '..'}/{end or '..'}",
            )
        )
    out.extend(query.filters)
    if query.properties is not None:
        out.append(("properties", ",".join(query.properties)))
    if query.zoom is not None:
        out.append(("zoom", str(query.zoom)))
    if query.weights:
        out.append(("weights", ",".join(f"{k}:{w:g}" for k, w in query.weights)))
    if query.classify is not None:
        out.append(("classify", str(query.classify)))
        out.append(("classify_by", query.classify_by or DEFAULT_CLASSIFY_BY))
        if query.breaks is not None:
            out.append(("breaks", ",".join(f"{b:g}" for b in query.breaks)))
        else:
            out.append(("k", str(query.k)))
    if query.sortby:
        out.append(("sortby", ",".join(("-" if d else "") + n for n, d in query.sortby)))
    if query.cql is not None:
        out += [("filter", query.cql), ("filter-lang", "cql2-json")]
    if query.fmt != "json":
        out.append(("f", query.fmt))
    if query.crs != CRS84:
        out.append(("crs", query.crs))
    if lang is not None:
        out.append(("lang", lang))
    out.append(("limit", str(query.limit)))
    out.append(("offset", str(query.offset)))
    return out


def items_links(
    hrefs: Hrefs,
    collection_id: str,
    query: ItemsQuery,
    *,
    matched: int,
    returned: int,
    title: str,
    lang: str | None = None,
) -> list[dict[str, Any]]:
    """``self``, ``alternate`` (other formats), ``next``, ``prev`` and ``collection`` links.

    Parameters
    ----------
    hrefs : Hrefs
    collection_id : str
    query : ItemsQuery
    matched, returned : int
        numberMatched and numberReturned of the page.
    title : str
        The collection's title (of the ``collection`` link).
    lang : str, optional
        Kept in the links when the request named it.

    Returns
    -------
    list of dict
    """

    def href(q: ItemsQuery) -> str:
        return hrefs.url("items", {"collectionId": collection_id}, query_params(q, lang=lang))

    media = MEDIA_TYPES[query.fmt]
    out = [link(href(query), "self", media, FORMAT_TITLES[query.fmt])]
    for fmt in ("json", "geojson", "gpkg"):
        if fmt != query.fmt:
            other = replace(query, fmt=fmt)
            out.append(link(href(other), "alternate", MEDIA_TYPES[fmt], FORMAT_TITLES[fmt]))
    page = hrefs.url(
        "items", {"collectionId": collection_id}, [*query_params(query, lang=lang), ("f", "html")]
    )
    out.append(link(page, "alternate", HTML, "HTML"))
    if query.offset + returned < matched:
        following = replace(query, offset=query.offset + returned)
        out.append(link(href(following), "next", media, "next page"))
    if query.offset > 0:
        prev = replace(query, offset=max(0, query.offset - query.limit))
        out.append(link(href(prev), "prev", media, "previous page"))
    collection = hrefs.url("collection", {"collectionId": collection_id})
    out.append(link(collection, "collection", JSON, title))
    return out


def item_links(
    hrefs: Hrefs, collection_id: str, feature_id: str, *, title: str, versioned: bool = False
) -> list[dict[str, Any]]:
    """``self``, ``alternate`` (GeoPackage), ``collection`` (and ``version-history``) links."""
    path = {"collectionId": collection_id, "featureId": feature_id}
    self_href = hrefs.url("item", path)
    gpkg = hrefs.url("item", path, [("f", "gpkg")])
    out = [
        link(self_href, "self", MEDIA_TYPES["json"], "this feature"),
        link(gpkg, "alternate", MEDIA_TYPES["gpkg"], FORMAT_TITLES["gpkg"]),
        link(hrefs.url("item", path, [("f", "html")]), "alternate", HTML, "HTML"),
        link(hrefs.url("collection", {"collectionId": collection_id}), "collection", JSON, title),
    ]
    if versioned:
        history = hrefs.url("history", {"featureId": feature_id})
        out.append(link(history, "version-history", JSON, "versions"))
    return out


QUERYABLES_REL = "http://www.opengis.net/def/rel/ogc/1.0/queryables"
"""Link relation of a collection's queryables (OGC API - Features Part 3)."""


def collection_links(
    hrefs: Hrefs, collection_id: str, lang: str, *, origin: str | None = None
) -> list[dict[str, Any]]:
    """``self``, ``items``, the two downloads (``enclosure``) and the source (``via``)."""
    own = [("lang", lang)]
    path = {"collectionId": collection_id}
    this = hrefs.url("collection", path, own)
    items = hrefs.url("items", path, own)
    out = [
        link(this, "self", JSON, _THIS_COLLECTION(lang)),
        link(items, "items", MEDIA_TYPES["json"], _FEATURES(lang)),
        link(hrefs.url("collection", path, [*own, ("f", "html")]), "alternate", HTML, "HTML"),
    ]
    for fmt in ("geojson", "gpkg"):
        href = hrefs.url("items", path, [("f", fmt), *own])
        out.append(link(href, "enclosure", MEDIA_TYPES[fmt], f"download {collection_id}.{fmt}"))
    queryables = hrefs.url("queryables", path, own)
    out.append(link(queryables, QUERYABLES_REL, "application/schema+json", "queryables"))
    if origin:
        out.append(link(origin, "via", "text/html", "original public source"))
    return out


def collections_links(hrefs: Hrefs, lang: str) -> list[dict[str, Any]]:
    """``self`` and ``root`` links of the collections document."""
    return [
        link(hrefs.url("collections", query=[("lang", lang)]), "self", JSON, "collections"),
        link(
            hrefs.url("collections", query=[("lang", lang), ("f", "html")]),
            "alternate",
            HTML,
            "HTML",
        ),
        link(hrefs.url("landing"), "root", JSON, "landing page"),
    ]
