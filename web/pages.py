"""Planner pages: the pillar map (folium), the kelurahan profile and friendly error pages.

The map page is a folium figure whose layers are empty feature groups; the page's ES modules
(``web/static/js``, entry ``map-page.js``) fill them from the OGC API items routes at the
generalisation the current zoom needs, so the HTML stays small and the data stays in the API.
Every label comes from :mod:`web.i18n`. The scripts get everything they would otherwise have
to spell as JSON in the page (:func:`script_vocabulary`, :func:`script_styles`): the
pillars, levels, classification methods, the k range, action statuses, their labels and
every colour they draw with.
"""

from __future__ import annotations

import html
import json
import math
import numbers
from dataclasses import dataclass
from typing import Any

import folium
import jinja2
from branca.element import Element
from branca.utilities import color_brewer

from geo.actions.model import ActionIn
from geo.settings import Settings
from geo.vocabulary import (
    K_DEFAULT,
    K_MAX,
    K_MIN,
    MAP_METHODS,
    Level,
    Pillar,
    Status,
    Text,
    score_column,
)
from web import impact as dampak
from web.assets import (
    APP_CSS,
    FAVICON,
    LEAFLET_CSS,
    LEAFLET_JS,
    MAP_PAGE_JS,
    PROFILE_JS,
    TEMPLATES_DIR,
    LocalDraw,
    LocalFullscreen,
    LocalMap,
    LocalMarkerCluster,
    module_tags,
)
from web.data import BuildTables
from web.i18n import Translator, normalise_lang

JAKARTA_CENTRE = (-6.2, 106.83)
START_ZOOM = 11
CLASSIFICATIONS = tuple(str(m) for m in MAP_METHODS)
K_RANGE = (K_MIN, K_MAX)
PILLARS = tuple(str(p) for p in Pillar)
LEVELS = tuple(str(level) for level in Level)
SCORE_COLUMNS = {p: score_column(p) for p in PILLARS}
PROFILE_LEVEL = str(Level.kelurahan)
"""The level whose units have a profile page (``/kelurahan/{kode}``)."""
NUMBER_LOCALES = {"id": "id-ID", "en": "en-GB"}
"""The ``Intl.NumberFormat`` locale of each page language."""

OVERLAYS: dict[str, tuple[str, ...]] = {
    Pillar.siap: ("flood_rw_2007", "flood_2017_rw_max", "pumps", "floodgates"),
    Pillar.sehat: ("slum_rw",),
    Pillar.terhubung: ("tj_stops", "tj_routes", "rail_stations", "rail_lines"),
}
"""Overlay layers (build layer = API collection id) shown with each pillar's map."""

CLUSTERED = frozenset({"tj_stops"})
"""Point overlays drawn as marker clusters."""

OVERLAY_STYLES: dict[str, dict[str, Any]] = {
    "flood_rw_2007": {"color": "#1565c0", "weight": 1, "fillColor": "#64b5f6", "fillOpacity": 0.45},
    "flood_2017_rw_max": {
        "color": "#0d47a1",
        "weight": 1,
        "fillColor": "#1e88e5",
        "fillOpacity": 0.55,
    },
    "pumps": {"color": "#004d40", "fillColor": "#26a69a", "radius": 6},
    "floodgates": {"color": "#311b92", "fillColor": "#7e57c2", "radius": 6},
    "slum_rw": {"color": "#6d4c41", "weight": 1, "fillColor": "#a1887f", "fillOpacity": 0.55},
    "tj_stops": {"color": "#b71c1c", "fillColor": "#e53935", "radius": 4},
    "tj_routes": {"color": "#c62828", "weight": 2, "opacity": 0.7},
    "rail_stations": {"color": "#212121", "fillColor": "#fdd835", "radius": 6},
    "rail_lines": {"color": "#212121", "weight": 3, "opacity": 0.8, "dashArray": "6 4"},
}
"""Leaflet path options of each overlay layer."""

STATUS_COLOURS = {
    Status.planned: "#1e88e5",
    Status.in_progress: "#fb8c00",
    Status.done: "#2e7d32",
    Status.cancelled: "#757575",
}
"""The colour an action is drawn in, by its status."""

RAMP = "YlOrRd"
"""The ColorBrewer scheme of the choropleth classes (low = light yellow, high = dark red)."""

NAME_FIELDS: dict[str, tuple[str, ...]] = {
    "pumps": ("name",),
    "floodgates": ("name",),
    "tj_stops": ("stop_name",),
    "tj_routes": ("route_long_name", "route_short_name", "route_id"),
    "rail_stations": ("name", "station_name"),
    "rail_lines": ("route_name", "corridor_name"),
    "flood_rw_2007": ("rw", "nama_kelurahan_sumber"),
    "flood_2017_rw_max": ("depth_class", "max_state"),
    "slum_rw": ("rw", "nama_kelurahan_sumber"),
}
"""Properties an overlay's tooltip shows, first present wins."""

API_PARAMS = {
    "zoom": "zoom",
    "limit": "limit",
    "properties": "properties",
    "classify": "classify",
    "k": "k",
    "lang": "lang",
    "classify_property": "classify_by",
}
"""Names of the items-route query parameters the page script uses (one place to change)."""

_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
    autoescape=jinja2.select_autoescape(["html"]),
)


class PageParameterError(ValueError):
    """A map or profile query parameter is not valid (rendered as a friendly 400 page)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class MapParams:
    """The shareable state of a map page (its query string)."""

    pillar: str = PILLARS[0]
    level: str = LEVELS[0]
    indicator: str | None = None
    classification: str = CLASSIFICATIONS[0]
    k: int = K_DEFAULT
    lang: str = "id"
    scenario: str | None = None
    """The impact scenario (``skenario``) when the indicator is the impact choice."""
    measure: str | None = None
    """The impact measure (``ukuran``) when the indicator is the impact choice."""

    @property
    def column(self) -> str:
        """The column the choropleth shows: the indicator or the pillar score."""
        return self.indicator or SCORE_COLUMNS[self.pillar]

    @property
    def impact(self) -> bool:
        """Whether the map shows the impact analysis (``indikator=dampak``)."""
        return self.indicator == dampak.CHOICE


def parse_map_params(
    tables: BuildTables,
    pilar: str | None = None,
    tingkat: str | None = None,
    indikator: str | None = None,
    klasifikasi: str | None = None,
    k: str | None = None,
    lang: str | None = None,
    skenario: str | None = None,
    ukuran: str | None = None,
) -> MapParams:
    """Check the map page's query values.

    ``indikator=dampak`` on the Siap map shows the impact analysis: ``skenario`` names the
    scenario (default: the first, today), ``ukuran`` the measure (default: people affected).

    Raises
    ------
    PageParameterError
        Unknown pillar, level, indicator, scenario, measure or classification, or k out of
        range.
    """
    pillar = (pilar or MapParams.pillar).strip().lower()
    if pillar not in PILLARS:
        raise PageParameterError("pilar", f"use one of {', '.join(PILLARS)}")
    level = (tingkat or MapParams.level).strip().lower()
    if level not in LEVELS:
        raise PageParameterError("tingkat", f"use one of {', '.join(LEVELS)}")
    indicator = (indikator or "").strip() or None
    known = {d["id"] for d in tables.indicators(pillar)} | {SCORE_COLUMNS[pillar]}
    if pillar == Pillar.siap:
        known.add(dampak.CHOICE)
    if indicator is not None and indicator not in known:
        raise PageParameterError("indikator", f"not an indicator of pillar {pillar}")
    scenario = measure = None
    if indicator == dampak.CHOICE:
        try:
            scenario, measure = dampak.parse_choice(tables.impact, skenario, ukuran)
        except dampak.ImpactChoiceError as exc:
            raise PageParameterError(exc.field, exc.message) from None
    if indicator == SCORE_COLUMNS[pillar]:
        indicator = None
    method = (klasifikasi or MapParams.classification).strip().lower()
    if method not in CLASSIFICATIONS:
        raise PageParameterError("klasifikasi", f"use one of {', '.join(CLASSIFICATIONS)}")
    try:
        classes = int(k) if k not in (None, "") else K_DEFAULT
    except ValueError:
        raise PageParameterError("k", "must be a whole number") from None
    if not K_RANGE[0] <= classes <= K_RANGE[1]:
        raise PageParameterError("k", f"must be between {K_RANGE[0]} and {K_RANGE[1]}")
    return MapParams(
        pillar, level, indicator, method, classes, normalise_lang(lang), scenario, measure
    )


def _json_for_script(data: Any) -> str:
    """JSON safe inside a ``<script type="application/json">`` element."""
    text = json.dumps(data, ensure_ascii=False, allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _clean(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _indicator_meta(tables: BuildTables, params: MapParams, t: Translator) -> dict[str, Any]:
    entry = tables.entry(params.column)
    if entry is None:
        return {
            "id": params.column,
            "name": f"{t('indicator.score')}: {t('pillar.' + params.pillar)}",
            "unit": "0-1",
            "score": True,
        }
    name = Text.pick(entry, "name", t.lang)
    return {"id": params.column, "name": name, "unit": entry.get("unit") or "", "score": False}


def map_page(settings: Settings, tables: BuildTables, params: MapParams) -> str:
    """Render the pillar map page (HTML) for ``params``."""
    t = Translator(params.lang)
    basemap = settings.basemap_url.strip()
    has_basemap = basemap.lower() != "none" and basemap != ""
    fmap = LocalMap(
        location=JAKARTA_CENTRE,
        zoom_start=START_ZOOM,
        tiles=None,
        control_scale=True,
        # Map options (not the tile layer's): marker clusters need the map's maxZoom.
        minZoom=8,
        maxZoom=18,
    )
    if has_basemap:
        folium.TileLayer(
            tiles=basemap,
            attr=settings.basemap_attribution,
            name=t("layer.basemap"),
            control=False,
            max_zoom=19,
        ).add_to(fmap)

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
    LocalDraw(
        feature_group=drawn,
        show_geometry_on_click=False,
        draw_options={
            "polyline": {"shapeOptions": {"color": "#1565c0"}},
            "polygon": {"allowIntersection": False, "shapeOptions": {"color": "#1565c0"}},
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

    config = {
        **_script_config(t),
        "pillar": params.pillar,
        "level": params.level,
        "indicator": _indicator_meta(tables, params, t),
        "indicators": [
            {
                "id": d["id"],
                "name": Text.pick(d, "name", t.lang),
                "unit": d.get("unit") or "",
            }
            for d in tables.indicators(params.pillar)
        ]
        + _impact_choices(tables, params, t),
        "classification": params.classification,
        "k": params.k,
        "profiles": params.level == PROFILE_LEVEL,  # a unit click opens its profile
        "map": fmap.get_name(),
        "groups": {
            "choropleth": choropleth.get_name(),
            "gaps": gaps.get_name(),
            "actions": actions.get_name(),
            "drawn": drawn.get_name(),
            "overlays": overlays,
            "clusters": clusters,
        },
        "nameFields": NAME_FIELDS,
        "kelurahan": tables.search_index(),
    }
    if params.impact and tables.impact is not None:
        assert params.scenario is not None and params.measure is not None
        config.update(
            dampak.map_config(tables.impact, params.scenario, params.measure, params.level, t)
        )
    _finish_figure(fmap, t, config)
    page: str = fmap.get_root().render()
    return page.replace("<html>", f'<html lang="{t.lang}">', 1)


def _impact_choices(tables: BuildTables, params: MapParams, t: Translator) -> list[dict[str, Any]]:
    """The impact choice of the Siap map's indicator list (when the build has one)."""
    if params.pillar != Pillar.siap or tables.impact is None:
        return []
    return [{"id": dampak.CHOICE, "name": t("impact.choice"), "unit": ""}]


def _finish_figure(fmap: folium.Map, t: Translator, config: dict[str, Any]) -> None:
    figure = fmap.get_root()
    header = figure.header  # type: ignore[attr-defined]
    header.add_child(Element(f"<title>{_escape(t('app.title'))}</title>"), name="title")
    header.add_child(Element(f'<link rel="icon" href="{FAVICON}"/>'), name="favicon")
    header.add_child(Element(f'<link rel="stylesheet" href="{APP_CSS}"/>'), name="app_css")
    header.add_child(Element(module_tags(MAP_PAGE_JS)), name="app_js")
    body = figure.html  # type: ignore[attr-defined]
    body.add_child(
        Element(
            '<script type="application/json" id="ketahanan-config">'
            f"{_json_for_script(config)}</script>"
            '<svg width="0" height="0" style="position:absolute" aria-hidden="true"><defs>'
            '<pattern id="ketahanan-hatch" width="6" height="6" patternUnits="userSpaceOnUse"'
            ' patternTransform="rotate(45)"><rect width="6" height="6" fill="#e0e0e0"/>'
            '<line x1="0" y1="0" x2="0" y2="6" stroke="#8a8a8a" stroke-width="2"/>'
            "</pattern></defs></svg>"
        ),
        name="ketahanan_config",
    )


def script_vocabulary(t: Translator) -> dict[str, Any]:
    """The domain words the page scripts need, each with its label: the one hand-off to the JS.

    Pillars, levels, the classification methods the map offers, the k range and default,
    and the action statuses (with the default of a new action), all from
    :mod:`geo.vocabulary`. The scripts spell none of them; they read them from here.
    """

    def words(kind: str, ids: Any) -> list[dict[str, str]]:
        return [{"id": str(i), "label": t(f"{kind}.{i}")} for i in ids]

    return {
        "pillars": words("pillar", PILLARS),
        "levels": words("level", LEVELS),
        "classifications": words("classification", CLASSIFICATIONS),
        "k": {"min": K_RANGE[0], "max": K_RANGE[1], "default": K_DEFAULT},
        "statuses": words("status", Status),
        "status_default": str(ActionIn.model_fields["status"].default),
    }


def script_styles() -> dict[str, Any]:
    """Every colour and line style the page scripts draw with.

    ``ramps[n]`` holds the fill colours of a classification with ``n`` classes (ColorBrewer
    YlOrRd; fewer than three classes take alternate colours of the four-class ramp).
    """
    ramps = {n: color_brewer(RAMP, n) for n in range(3, K_RANGE[1] + 1)}
    ramps |= {n: color_brewer(RAMP, 4)[1::2][:n] for n in (1, 2)}
    return {
        "ramps": {str(n): ramps[n] for n in sorted(ramps)},
        "unit": {"color": "#5d4037", "weight": 0.6, "fillOpacity": 0.75},
        "nodata": {"color": "#616161", "weight": 0.6, "fillColor": "#d6d6d6", "fillOpacity": 0.9},
        "statuses": {str(s): colour for s, colour in STATUS_COLOURS.items()},
        "overlays": OVERLAY_STYLES,
        "gap": {"color": "#d81b60", "weight": 3, "fill": False, "dashArray": "4 3"},
        "highlight": {"color": "#00bcd4", "weight": 4, "fill": False},
        "profile_unit": {"color": "#bd0026", "weight": 2, "fillOpacity": 0.15},
    }


def _script_config(t: Translator) -> dict[str, Any]:
    """What both pages' scripts read: strings, vocabulary, styles, API parameter names."""
    return {
        "lang": t.lang,
        "otherLang": _other_lang(t.lang),
        "numberLocale": NUMBER_LOCALES[t.lang],
        "strings": t.strings,
        "vocabulary": script_vocabulary(t),
        "profileLevel": PROFILE_LEVEL,
        "styles": script_styles(),
        "api": {"params": API_PARAMS},
    }


def _other_lang(lang: str) -> str:
    """The language the page's switch links to."""
    return "en" if lang == "id" else "id"


def _escape(text: str) -> str:
    return html.escape(text, quote=True)


def profile_page(
    settings: Settings, tables: BuildTables, kode: str, lang: str | None
) -> str | None:
    """Render the profile of one kelurahan, or None when ``kode`` is unknown."""
    t = Translator(normalise_lang(lang))
    kel = tables.kelurahan
    match = kel[kel["kode"] == kode]
    if match.empty:
        return None
    row = match.iloc[0]
    total = len(kel)
    scores = []
    for pillar, column in SCORE_COLUMNS.items():
        value = _clean(row.get(column)) if column in kel else None
        rank = tables.ranks(column).loc[match.index[0]] if column in kel else None
        scores.append(
            {
                "pillar": pillar,
                "label": t(f"pillar.{pillar}"),
                "value": None if value is None else _format(float(value), t.lang, decimals=2),
                "rank": None if rank is None or not math.isfinite(rank) else int(rank),
                "missing": _clean(row.get(f"{column}_missing")),
            }
        )
    indicators = []
    for d in tables.dictionary:
        column = d["id"]
        value = _clean(row.get(column)) if column in kel else None
        indicators.append(
            {
                "id": column,
                "pillar": t(f"pillar.{d.get('pillar')}"),
                "name": Text.pick(d, "name", t.lang),
                "value": _format(
                    value, t.lang, decimals=0 if d.get("unit") == "persons (estimate)" else 3
                ),
                "unit": d.get("unit") or "",
                "sources": ", ".join(d.get("sources") or []),
                "formula": d.get("formula") or "",
                "estimate": bool(d.get("estimate")),
                "no_data_reason": d.get("no_data_reason"),
            }
        )
    config = {**_script_config(t), "kode": str(row["kode"])}
    template = _env.get_template("profile.html")
    return template.render(
        t=t,
        lang=t.lang,
        other_lang=_other_lang(t.lang),
        kel={k: _clean(row.get(k)) for k in ("kode", "nama", "nama_kecamatan", "nama_kota")},
        population=_format(_clean(row.get("population")), t.lang),
        area=_format(_clean(row.get("area_km2")), t.lang, decimals=2),
        scores=scores,
        total=total,
        indicators=indicators,
        impact=dampak.profile_section(tables.impact, str(row["kode"]), t, _format),
        config_json=_json_for_script(config),
        leaflet_js=LEAFLET_JS,
        leaflet_css=LEAFLET_CSS,
        app_modules=module_tags(PROFILE_JS),
        app_css=APP_CSS,
        favicon=FAVICON,
    )


def _format(value: Any, lang: str = "id", decimals: int = 3) -> str:
    """A number as planners read it: '1.234,5' in Bahasa Indonesia, '1,234.5' in English."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, numbers.Real):  # numpy integers and floats too
        number = float(value)
        if number.is_integer() and abs(number) >= 1:
            text = f"{int(number):,}"
        else:
            text = f"{number:,.{decimals}f}"
        if lang == "id":  # swap the separators: 1,234.5 -> 1.234,5
            text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
        return text
    return str(value)


def error_page(status: int, title_key: str, message: str, lang: str | None) -> str:
    """A friendly error page (HTML, escaped) with a link back to the map."""
    t = Translator(normalise_lang(lang))
    template = _env.get_template("error.html")
    return template.render(
        t=t,
        lang=t.lang,
        status=status,
        title=t(title_key),
        message=message,
        app_css=APP_CSS,
        favicon=FAVICON,
    )
