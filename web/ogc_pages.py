"""HTML of the OGC API resources: landing page, conformance, collections, a collection, items
and one item (``f=html``, or a browser's ``Accept: text/html``).

Each page is drawn from the very JSON document the API answers (so the two never disagree),
in the request's language, with ``rel=alternate`` links to the JSON; items and a single
item have a small Leaflet map (vendored, no basemap: offline) drawn by
``web/static/js/ogc-map.js`` from the JSON alternate. Every value is escaped by Jinja's
autoescape; the page JSON goes through :func:`web.render.json_for_script`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from web.assets import APP_CSS, FAVICON, LEAFLET_CSS, LEAFLET_JS, OGC_MAP_JS
from web.i18n import LOCALES_DIR, Translator
from web.render import env, format_number, header, json_for_script
from web.styles import script_styles

MAP_JS = OGC_MAP_JS
ITEM_COLUMNS = 10
"""Properties shown as columns of the items table (the rest are on each feature's page)."""
KINDS = ("landing", "conformance", "collections", "collection", "items", "item")
OGC_LOCALES = LOCALES_DIR / "ogc"
"""The pages' own strings (``ogc/{id,en}.json``): kept out of the catalogue every planner page
embeds, so those pages do not grow."""


class OgcTranslator(Translator):
    """The catalogue of the planner pages (header, language switch) and the OGC pages' own."""

    def __init__(self, lang: str) -> None:
        super().__init__(lang)
        self.strings = {**self.strings, **_ogc_strings(self.lang)}


@lru_cache
def _ogc_strings(lang: str) -> dict[str, str]:
    strings: dict[str, str] = json.loads((OGC_LOCALES / f"{lang}.json").read_text("utf-8"))
    return strings


def with_format(href: str, fmt: str) -> str:
    """``href`` with its ``f`` query item set to ``fmt`` (other items kept, in order)."""
    parts = urlsplit(href)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "f"]
    query.append(("f", fmt))
    return urlunsplit(parts._replace(query=urlencode(query)))


def _text(value: Any, t: Translator) -> str:
    if value is None or value == "":
        return t("ogc.no_data")
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):  # as in the JSON (a dot), to 6 significant digits
        return f"{value:.6g}"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _link_rows(links: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "href": str(x.get("href", "")),
            "rel": x.get("rel"),
            "type": x.get("type"),
            "title": x.get("title"),
        }
        for x in links
    ]


def _by_rel(links: Sequence[Mapping[str, Any]], rel: str) -> Mapping[str, Any] | None:
    return next((x for x in links if x.get("rel") == rel), None)


def _collection(doc: Mapping[str, Any], t: Translator) -> dict[str, Any]:
    facts: list[tuple[str, str]] = [(t("ogc.id"), str(doc.get("id")))]
    if doc.get("description"):
        facts.append((t("ogc.description"), str(doc["description"])))
    facts.append((t("ogc.crs"), ", ".join(doc.get("crs", []))))
    facts.append((t("ogc.storage_crs"), str(doc.get("storageCrs", ""))))
    bbox = (doc.get("extent") or {}).get("spatial", {}).get("bbox")
    if bbox:
        facts.append((t("ogc.extent"), ", ".join(f"{v:.5f}" for v in bbox[0])))
    if doc.get("numberOfFeatures") is not None:
        facts.append((t("ogc.features"), format_number(doc["numberOfFeatures"], t.lang, 0)))
    items = _by_rel(doc.get("links", []), "items")
    paging = []
    if items is not None:
        paging.append(
            {
                "href": with_format(str(items["href"]), "html"),
                "rel": "items",
                "text": t("ogc.browse_items"),
            }
        )
    return {"heading": str(doc.get("title") or doc.get("id")), "facts": facts, "paging": paging}


def _collections(doc: Mapping[str, Any], t: Translator) -> dict[str, Any]:
    rows = []
    for c in doc.get("collections", []):
        this = _by_rel(c.get("links", []), "self")
        items = _by_rel(c.get("links", []), "items")
        rows.append(
            [
                {
                    "text": str(c.get("id")),
                    "href": with_format(str(this["href"]), "html") if this else None,
                },
                {"text": str(c.get("title") or "")},
                {
                    "text": t("ogc.items"),
                    "href": with_format(str(items["href"]), "html") if items else None,
                },
            ]
        )
    head = [t("ogc.id"), t("ogc.title"), t("ogc.items")]
    return {"heading": t("ogc.collections"), "table": {"head": head, "rows": rows}}


def _items(doc: Mapping[str, Any], t: Translator, item_href: Any) -> dict[str, Any]:
    features = doc.get("features", [])
    names: list[str] = []
    for f in features:
        for name in f.get("properties") or {}:
            if name not in names:
                names.append(name)
    shown = names[:ITEM_COLUMNS]
    rows = []
    for f in features:
        props = f.get("properties") or {}
        cells = [
            {"text": str(f.get("id")), "href": with_format(item_href(str(f.get("id"))), "html")}
        ]
        cells += [{"text": _text(props.get(n), t)} for n in shown]
        rows.append(cells)
    links = doc.get("links", [])
    collection = _by_rel(links, "collection")
    paging = []
    for rel, key in (("prev", "ogc.prev"), ("next", "ogc.next")):
        found = _by_rel(links, rel)
        if found is not None:
            paging.append(
                {"href": with_format(str(found["href"]), "html"), "rel": rel, "text": t(key)}
            )
    self_link = _by_rel(links, "self")
    start = 1
    if self_link is not None:
        offset = dict(parse_qsl(urlsplit(str(self_link["href"])).query)).get("offset", "0")
        start = int(offset) + 1 if offset.isdigit() else 1
    summary = (
        t("ogc.matched")
        .replace("{returned}", format_number(doc.get("numberReturned", len(features)), t.lang, 0))
        .replace("{matched}", format_number(doc.get("numberMatched", len(features)), t.lang, 0))
        .replace("{start}", format_number(start, t.lang, 0))
    )
    note = (
        t("ogc.more_columns").replace("{n}", str(len(names) - len(shown)))
        if len(names) > len(shown)
        else None
    )
    heading = f"{collection.get('title') if collection else ''} · {t('ogc.items')}"
    return {
        "heading": heading,
        "summary": summary,
        "paging": paging,
        "table": {"head": [t("ogc.id"), *shown], "rows": rows, "note": note},
        "map": True,
        "trail_collection": collection,
    }


def _item(doc: Mapping[str, Any], t: Translator) -> dict[str, Any]:
    props = doc.get("properties") or {}
    rows = [[{"text": str(k)}, {"text": _text(v, t)}] for k, v in props.items()]
    collection = _by_rel(doc.get("links", []), "collection")
    return {
        "heading": f"{t('ogc.item')} {doc.get('id')}",
        "table": {"head": [t("ogc.property"), t("ogc.value")], "rows": rows},
        "map": doc.get("geometry") is not None,
        "trail_collection": collection,
    }


def ogc_page(
    kind: str,
    doc: Mapping[str, Any],
    lang: str,
    *,
    json_href: str,
    json_type: str,
    hrefs: Mapping[str, str],
    path: str,
    item_href: Any = None,
) -> str:
    """The HTML page of an OGC resource.

    Parameters
    ----------
    kind : str
        One of :data:`KINDS`.
    doc : mapping
        The JSON document the API answers for the same request.
    lang : {"id", "en"}
    json_href, json_type : str
        The JSON alternate of this page (its URL and media type); the map reads it.
    hrefs : mapping
        ``landing`` and ``collections`` URLs (the page's trail).
    path : str
        The page's own path (the language switch keeps it).
    item_href : callable, optional
        ``item_href(feature_id)``: the URL of one feature (items pages).
    """
    t = OgcTranslator(lang)
    trail = [
        {"href": with_format(hrefs["landing"], "html"), "text": "OGC API"},
    ]
    if kind not in ("landing", "conformance", "collections"):
        trail.append(
            {"href": with_format(hrefs["collections"], "html"), "text": t("ogc.collections")}
        )
    parts: dict[str, Any]
    if kind == "landing":
        parts = {"heading": t("ogc.landing"), "intro": t("ogc.landing_intro")}
        parts["paging"] = [
            {"href": f"/peta?lang={t.lang}", "rel": "related", "text": t("ogc.open_map")}
        ]
    elif kind == "conformance":
        rows = [[{"text": str(uri), "href": str(uri)}] for uri in doc.get("conformsTo", [])]
        parts = {"heading": t("ogc.conformance"), "table": {"head": ["URI"], "rows": rows}}
    elif kind == "collections":
        parts = _collections(doc, t)
    elif kind == "collection":
        parts = _collection(doc, t)
    elif kind == "items":
        parts = _items(doc, t, item_href)
    else:
        parts = _item(doc, t)
    collection = parts.pop("trail_collection", None)
    if collection is not None:
        trail.append(
            {
                "href": with_format(str(collection["href"]), "html"),
                "text": str(collection.get("title") or ""),
            }
        )
    alternates = [{"href": json_href, "type": json_type, "title": t("ogc.json")}]
    links = [
        *_link_rows(doc.get("links", [])),
        {"href": json_href, "rel": "alternate", "type": json_type, "title": t("ogc.json")},
    ]
    config = {
        "geojson": json_href if parts.get("map") else None,
        "style": script_styles()["profile_unit"],
    }
    return env.get_template("ogc.html").render(
        t=t,
        lang=t.lang,
        kind=kind,
        trail=trail,
        alternates=alternates,
        links=links,
        header=header(t, "", {}, path=path),
        app_css=APP_CSS,
        favicon=FAVICON,
        leaflet_css=LEAFLET_CSS,
        leaflet_js=LEAFLET_JS,
        map_js=MAP_JS,
        config=json_for_script(config),
        **{
            "intro": None,
            "facts": None,
            "summary": None,
            "paging": None,
            "table": None,
            "map": False,
            **parts,
        },
    )
