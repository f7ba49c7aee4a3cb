"""The planner map page (``/peta``): a folium figure whose layers the page's ES modules fill.

folium builds the Leaflet map, its empty layer groups, the draw and fullscreen controls and
the layer list; the modules (``web/static/js``, entry ``map-page.js``) find them by the names
put in the page config and fill them from the OGC API items routes at the generalisation the
zoom needs, so the HTML stays small and the data stay in the API. The page also carries the
shared header (navigation, language, sign-in), the side panel of the ranked table, and
everything the scripts would otherwise have to spell (:func:`script_config`): strings,
vocabulary, styles, place names and the class plan of the map (:mod:`web.mapdata`).
"""

from __future__ import annotations

from typing import Any

import folium
from branca.element import Element

from geo.actions.auth import Role
from geo.actions.model import ActionIn
from geo.settings import Settings
from geo.vocabulary import (
    ClassMethod,
    Direction,
    Level,
    Pillar,
    ScoreStatus,
    Status,
    missing_column,
    partial_column,
    status_column,
    values,
)
from web import impact as dampak
from web.assets import (
    APP_CSS,
    FAVICON,
    MAP_PAGE_JS,
    LocalDraw,
    LocalFullscreen,
    LocalMap,
    LocalMarkerCluster,
    module_tags,
)
from web.data import BuildTables
from web.i18n import Translator
from web.mapdata import ClassPlan
from web.params import CLASSIFICATIONS, K_DEFAULT, K_RANGE, MapParams
from web.render import escape, header, json_for_script, other_lang, page_url
from web.styles import CLUSTERED, NAME_FIELDS, OVERLAYS, script_styles
from web.wording import indicator_text, names_of, unit_text

JAKARTA_CENTRE = (-6.2, 106.83)
START_ZOOM = 11
PROFILE_LEVEL = str(Level.kelurahan)
"""The level whose units have a profile page (``/kelurahan/{kode}``)."""
NUMBER_LOCALES = {"id": "id-ID", "en": "en-GB"}
"""The ``Intl.NumberFormat`` locale of each page language."""
LESS_EXPOSED = str(Direction.higher_less_exposed)
"""The direction of an indicator where a higher value is better (ranked lowest first)."""
CODE_LEVELS = {"2": str(Level.kota), "3": str(Level.kecamatan), "4": str(Level.kelurahan)}
"""The level of a unit code by its number of parts (31.71, 31.71.01, 31.71.01.1001)."""
DRAW_COLOUR = "#1565c0"
"""The line colour of a shape while it is being drawn."""

API_PARAMS = {
    "zoom": "zoom",
    "limit": "limit",
    "offset": "offset",
    "properties": "properties",
    "classify": "classify",
    "k": "k",
    "breaks": "breaks",
    "lang": "lang",
    "weights": "weights",
    "format": "f",
    "classify_property": "classify_by",
    "classify_scope": "classify_scope",
    "sortby": "sortby",
}
"""Names of the items-route query parameters the page script uses (one place to change)."""


def script_vocabulary(t: Translator) -> dict[str, Any]:
    """The domain words the page scripts need, each with its label: the one hand-off to the JS.

    Pillars, levels, the classification methods the map offers, the k range and default,
    the action statuses (with the default of a new action), all from
    :mod:`geo.vocabulary`, and the token roles. The scripts spell none of them; they read
    them from here.
    """

    def words(kind: str, ids: Any) -> list[dict[str, str]]:
        return [{"id": str(i), "label": t(f"{kind}.{i}")} for i in ids]

    return {
        "pillars": words("pillar", values(Pillar)),
        "levels": words("level", values(Level)),
        "classifications": words("classification", CLASSIFICATIONS),
        "k": {"min": K_RANGE[0], "max": K_RANGE[1], "default": K_DEFAULT},
        "statuses": words("status", Status),
        "status_default": str(ActionIn.model_fields["status"].default),
        "roles": words("role", Role),
        "method_labels": {str(m): t(f"classification.{m}") for m in ClassMethod},
    }


IMPACT_STRINGS = "impact."
"""Catalogue keys only the impact map's scripts read (left out of every other page)."""
REPLAY_STRINGS = "replay."
REPLAY_PAGE_STRINGS = frozenset({"replay.open", "replay.close", "replay.title", "replay.loading"})
"""The flood replay's words travel with its document (``/peta/banjir-2017?lang=``, see
:func:`replay_strings`); only those of its button stay in the page."""


def replay_strings(t: Translator) -> dict[str, str]:
    """The flood replay's strings in the page's language (sent with the replay document)."""
    return {k: v for k, v in t.strings.items() if k.startswith(REPLAY_STRINGS)}


def script_config(t: Translator, tables: BuildTables, impact: bool = False) -> dict[str, Any]:
    """What every page's scripts read: strings, vocabulary, styles, API names, places.

    The impact analysis's strings go only to the impact map (``impact``): the other pages
    stay small.
    """
    strings = {
        k: v
        for k, v in t.strings.items()
        if not k.startswith(REPLAY_STRINGS) or k in REPLAY_PAGE_STRINGS
    }
    if not impact:
        strings = {k: v for k, v in strings.items() if not k.startswith(IMPACT_STRINGS)}
    return {
        "lang": t.lang,
        "otherLang": other_lang(t.lang),
        "numberLocale": NUMBER_LOCALES[t.lang],
        "strings": strings,
        "vocabulary": script_vocabulary(t),
        "profileLevel": PROFILE_LEVEL,
        "styles": script_styles(),
        "api": {"params": API_PARAMS},
        "places": [list(p) for p in tables.places],
        "codeLevels": CODE_LEVELS,
    }


def indicator_meta(tables: BuildTables, params: MapParams, t: Translator) -> dict[str, Any]:
    """Name, unit and formula of the column a map or ranking shows, in the page's language."""
    entry = tables.entry(params.column)
    if entry is None:
        inputs = [d for d in tables.indicators(params.pillar) if float(d.get("weight") or 0) > 0]
        dates = dict.fromkeys(str(d["data_date"]) for d in inputs if d.get("data_date"))
        return {
            "id": params.column,
            "name": f"{t('indicator.score')} {t('pillar.' + params.pillar)}",
            "unit": t("unit.score"),
            "formula": t("indicator.score_formula"),
            "score": True,
            "higherIsWorse": True,
            # A partial score (too little data) has no class: the map hatches it apart.
            "partial": partial_column(params.pillar),
            "status": status_column(params.pillar),
            "partial_status": str(ScoreStatus.partial),
            "missing": missing_column(params.pillar),
            "data_date": " / ".join(dates) or None,
            "data_note": None,
        }
    worse = entry.get("direction") != LESS_EXPOSED
    names = names_of(tables.dictionary, t)
    meta = indicator_text(entry, t, names)
    return {
        "id": params.column,
        **meta,
        "score": False,
        "higherIsWorse": worse,
        "data_date": entry.get("data_date"),
        "data_note": entry.get("data_note") or None,
    }


def map_properties(meta: dict[str, Any], classified: bool) -> list[str]:
    """The item properties the choropleth asks for (a score's partial columns too)."""
    extra = [meta.get("partial"), meta.get("status"), meta.get("missing")]
    props = ["kode", "nama", str(meta["id"]), *(["class"] if classified else [])]
    return props + [str(p) for p in extra if p]


def weights_meta(tables: BuildTables, params: MapParams, t: Translator) -> list[dict[str, Any]]:
    """The pillar's indicators with their default and current weight (the weights panel)."""
    given = dict(item.split(":", 1) for item in params.weights.split(",") if item)
    return [
        {
            "id": d["id"],
            "name": indicator_text(d, t)["name"],
            "unit": unit_text(d.get("unit"), t, d),
            "default": float(d.get("weight") or 0),
            "value": float(given[d["id"]]) if d["id"] in given else None,
        }
        for d in tables.indicators(params.pillar)
    ]


def _layers(fmap: folium.Map, t: Translator, params: MapParams, offline: bool) -> dict[str, Any]:
    """The map's empty layer groups, named for the page config."""
    context = folium.FeatureGroup(name=t("layer.context"), show=offline).add_to(fmap)
    choropleth = folium.FeatureGroup(name=t("layer.choropleth"), show=True).add_to(fmap)
    gaps = folium.FeatureGroup(name=t("layer.gaps"), show=False).add_to(fmap)
    overlays: dict[str, str] = {}
    clusters: dict[str, str] = {}
    for layer in OVERLAYS[params.pillar]:
        group = folium.FeatureGroup(name=t(f"layer.{layer}"), show=False).add_to(fmap)
        overlays[layer] = group.get_name()
        if layer in CLUSTERED:
            cluster = LocalMarkerCluster(control=False).add_to(group)
            clusters[layer] = cluster.get_name()
    actions = folium.FeatureGroup(name=t("layer.actions"), show=True).add_to(fmap)
    drawn = folium.FeatureGroup(name="drawn", show=True, control=False).add_to(fmap)
    return {
        "context": context.get_name(),
        "choropleth": choropleth.get_name(),
        "gaps": gaps.get_name(),
        "actions": actions.get_name(),
        "drawn": drawn.get_name(),
        "overlays": overlays,
        "clusters": clusters,
        "_drawn": drawn,
    }


def choropleth_url(
    params: MapParams, plan: ClassPlan, meta: dict[str, Any], zoom: int = START_ZOOM
) -> str:
    """The items URL of the map's first choropleth load (preloaded by the page's head).

    The script asks for exactly this URL at the start zoom, so the browser's preload serves it.
    """
    props = map_properties(meta, bool(plan.method))
    query = {
        API_PARAMS["limit"]: 1000,
        API_PARAMS["zoom"]: zoom,
        API_PARAMS["properties"]: ",".join(props),
        API_PARAMS["weights"]: params.weights,
        API_PARAMS["lang"]: params.lang,
        **plan.query(params.column),
        **params.filters,  # an impact layer: the units of the page's level
    }
    return page_url(f"/collections/{params.collection}/items", query)


def _controls(fmap: folium.Map, drawn: folium.FeatureGroup, t: Translator) -> None:
    """Add the draw, fullscreen and layer controls."""
    shape = {"shapeOptions": {"color": DRAW_COLOUR}}
    LocalDraw(
        feature_group=drawn,
        show_geometry_on_click=False,
        draw_options={
            "polyline": shape,
            "polygon": {"allowIntersection": False, **shape},
            "rectangle": False,
            "circle": False,
            "circlemarker": False,
            "marker": True,
        },
        edit_options={"edit": False, "remove": False},
    ).add_to(fmap)
    LocalFullscreen(
        position="topleft",
        title=t("control.fullscreen"),
        title_cancel=t("control.fullscreen_exit"),
    ).add_to(fmap)
    folium.LayerControl(collapsed=False, position="topright").add_to(fmap)


REPLAY_ZOOM = 12
"""The generalisation of the February 2017 replay's RWs (fetched once, at any zoom)."""


def map_page(settings: Settings, tables: BuildTables, params: MapParams, plan: ClassPlan) -> str:
    """Render the pillar map page (HTML) for ``params``, classified as ``plan`` says."""
    t = Translator(params.lang)
    basemap = settings.basemap_url.strip()
    has_basemap = basemap.lower() != "none" and basemap != ""
    fmap = LocalMap(
        location=JAKARTA_CENTRE,
        zoom_start=START_ZOOM,
        tiles=None,
        control_scale=False,  # the page adds a metric-only scale
        # Map options (not the tile layer's): marker clusters need the map's maxZoom.
        minZoom=8,
        maxZoom=18,
    )
    tiles = None
    if has_basemap:
        tiles = folium.TileLayer(
            tiles=basemap,
            attr=settings.basemap_attribution,
            name=t("layer.basemap"),
            control=False,
            max_zoom=19,
        ).add_to(fmap)
    groups = _layers(fmap, t, params, offline=not has_basemap)
    impact = _impact_config(tables, params, t)
    meta = impact.pop("indicator", None) or indicator_meta(tables, params, t)
    _controls(fmap, groups.pop("_drawn"), t)
    config = {
        **script_config(t, tables, impact=bool(impact)),
        "pillar": params.pillar,
        "level": params.level,
        "indicator": meta,
        "indicators": [
            {"id": d["id"], **indicator_text(d, t)} for d in tables.indicators(params.pillar)
        ]
        + _impact_choices(tables, params, t),
        "classification": params.classification,
        "k": params.k,
        "plan": plan.to_dict(params.column),
        "weights": params.weights,
        "weightsPanel": weights_meta(tables, params, t),
        "focus": params.focus,
        "startZoom": START_ZOOM,
        "firstUrl": choropleth_url(params, plan, meta),
        "profiles": params.level == PROFILE_LEVEL,
        "map": fmap.get_name(),
        "tiles": tiles.get_name() if tiles is not None else None,
        "groups": groups,
        "nameFields": NAME_FIELDS,
        "replay": {
            "url": f"/peta/banjir-2017?zoom={REPLAY_ZOOM}&lang={t.lang}",
            "actionsUrl": "/peta/banjir-2017/aksi",
            "param": "banjir",
        },
        **impact,  # source (the impact layer and level) and the impact choosers
    }
    _finish_figure(fmap, t, config, header(t, "peta", params.query()), config["firstUrl"])
    page: str = fmap.get_root().render()
    return page.replace("<html>", f'<html lang="{t.lang}">', 1)


def _impact_choices(tables: BuildTables, params: MapParams, t: Translator) -> list[dict[str, Any]]:
    """The impact choice of the Siap map's indicator list (when the build has one)."""
    if params.pillar != Pillar.siap or tables.impact is None:
        return []
    return [{"id": dampak.CHOICE, "name": t("impact.choice"), "unit": "", "formula": ""}]


def _impact_config(tables: BuildTables, params: MapParams, t: Translator) -> dict[str, Any]:
    """The config of the impact map (:func:`web.impact.map_config`), empty for another map."""
    if not params.impact or tables.impact is None or params.scenario is None:
        return {}
    measure = params.measure or dampak.DEFAULT_MEASURE
    config = dampak.map_config(tables.impact, params.scenario, measure, params.level, t)
    # a gain (fewer people affected) is good: ranked lowest first like a "less exposed" value
    gain = measure in dampak.DIFFERENCE_MEASURES
    about = config["indicator"]["about"]
    config["indicator"] = {
        **config["indicator"],
        "higherIsWorse": not gain,
        "formula": about["formula"],
    }
    return config


def _finish_figure(
    fmap: folium.Map, t: Translator, config: dict[str, Any], top: str, first_url: str
) -> None:
    figure = fmap.get_root()
    head = figure.header  # type: ignore[attr-defined]
    # The choropleth's data start loading with the scripts, not after them.
    preload = f'<link rel="preload" as="fetch" crossorigin="anonymous" href="{escape(first_url)}"/>'
    head.add_child(Element(preload), name="choropleth_preload")
    head.add_child(Element(f"<title>{escape(t('app.title'))}</title>"), name="title")
    head.add_child(Element(f'<link rel="icon" href="{FAVICON}"/>'), name="favicon")
    head.add_child(Element(f'<link rel="stylesheet" href="{APP_CSS}"/>'), name="app_css")
    body = figure.html  # type: ignore[attr-defined]
    side = (
        '<aside id="ketahanan-side" class="side-panel" hidden '
        f'aria-label="{escape(t("rank.title"))}"></aside>'
    )
    body.add_child(Element(top + side), name="ketahanan_header")
    body.add_child(
        Element(
            '<script type="application/json" id="ketahanan-config">'
            f"{json_for_script(config)}</script>"
            '<svg width="0" height="0" style="position:absolute" aria-hidden="true"><defs>'
            '<pattern id="ketahanan-hatch" width="6" height="6" patternUnits="userSpaceOnUse"'
            ' patternTransform="rotate(45)"><rect width="6" height="6" fill="#e0e0e0"/>'
            '<line x1="0" y1="0" x2="0" y2="6" stroke="#8a8a8a" stroke-width="2"/></pattern>'
            '<pattern id="ketahanan-hatch-partial" width="6" height="6"'
            ' patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
            '<rect width="6" height="6" fill="#fff3e0"/>'
            '<line x1="0" y1="0" x2="0" y2="6" stroke="#fb8c00" stroke-width="1.5"/>'
            "</pattern></defs></svg>"
        ),
        name="ketahanan_config",
    )
    # The modules last: folium's classic scripts in the head (Leaflet and its plugins, which
    # its inline map script needs) are found and fetched first; the modules run after it.
    body.add_child(Element(module_tags(MAP_PAGE_JS)), name="app_js")
