"""The pages' assets: folium classes that load everything from the app, and the page modules.

folium keeps its includes as class attributes (``default_js`` / ``default_css``, lists of
``(name, url)``). The subclasses here point them at the files vendored under
``web/static/vendor`` (see :mod:`web.vendor_assets`) and drop what the pages do not use
(jQuery, Bootstrap, awesome-markers, glyphicons, Font Awesome), so a page loads with no
internet.

The app's own scripts are native ES modules in ``web/static/js`` (no bundler): each page
loads one entry module (``MAP_PAGE_JS``, ``PROFILE_JS``, ``TRACKER_JS``, ``RANKING_JS``), and
:func:`module_urls` walks its ``import`` statements so the page can list every module it
needs as ``modulepreload`` (the browser then fetches them in parallel instead of one import
level at a time).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import folium
import folium.plugins

from web.vendor_assets import vendor_path

STATIC_DIR = Path(__file__).resolve().parent / "static"
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"

LEAFLET_JS = vendor_path("leaflet", "dist/leaflet.js")
LEAFLET_CSS = vendor_path("leaflet", "dist/leaflet.css")
STATIC_URL = "/static/"
MAP_PAGE_JS = "/static/js/map-page.js"
PROFILE_JS = "/static/js/profile.js"
TRACKER_JS = "/static/js/aksi-page.js"
RANKING_JS = "/static/js/peringkat-page.js"
OGC_MAP_JS = "/static/js/ogc-map.js"
DRAW_LOCALE_JS = "/static/js/draw-locale.js"
APP_CSS = "/static/css/ketahanan.css"
FAVICON = "/static/favicon.svg"


_IMPORT = re.compile(r"""^\s*(?:import|export)\b[^;]*?\bfrom\s*["'](\.{1,2}/[^"']+)["']""", re.M)
"""A static ``import ... from "./x.js"`` (or ``export ... from``) of a page module."""
_DYNAMIC_IMPORT = re.compile(r"""\bimport\(\s*["'](\.{1,2}/[^"']+)["']\s*\)""")
"""A dynamic ``import("./x.js")``: a module loaded later (not preloaded with the page)."""


@lru_cache
def module_urls(entry: str, *, dynamic: bool = False) -> tuple[str, ...]:
    """URLs of an entry module and every module it imports, directly or not (entry first).

    With ``dynamic``, modules imported later (``import("./x.js")``) and theirs are included
    too; without, only the static imports the page needs at once.

    Raises
    ------
    FileNotFoundError
        When a module names an import that is not in ``web/static``.
    """
    order: list[str] = []
    todo = [entry]
    while todo:
        url = todo.pop(0)
        if url in order:
            continue
        order.append(url)
        path = STATIC_DIR / url.removeprefix(STATIC_URL)
        base = url.rsplit("/", 1)[0]
        text = path.read_text(encoding="utf-8")
        targets = _IMPORT.findall(text) + (_DYNAMIC_IMPORT.findall(text) if dynamic else [])
        for target in targets:
            parts = base.split("/")
            for step in target.split("/"):
                if step == "..":
                    parts.pop()
                elif step != ".":
                    parts.append(step)
            todo.append("/".join(parts))
    return tuple(order)


def module_tags(entry: str) -> str:
    """The ``<script type="module">`` of an entry and a ``modulepreload`` for each import."""
    urls = module_urls(entry)
    preloads = "".join(f'<link rel="modulepreload" href="{u}"/>' for u in urls[1:])
    return f'<script type="module" src="{entry}"></script>{preloads}'


def _includes(*pairs: tuple[str, str]) -> list[tuple[str, str]]:
    """A folium include list: ``(name, url)`` pairs."""
    return list(pairs)


class LocalMap(folium.Map):
    """folium.Map with Leaflet from the app and none of folium's other default includes."""

    default_js = _includes(("leaflet", LEAFLET_JS))
    default_css = _includes(("leaflet_css", LEAFLET_CSS))


class LocalDraw(folium.plugins.Draw):
    """Leaflet.draw from the app."""

    default_js = _includes(
        ("leaflet_draw_js", vendor_path("leaflet-draw", "dist/leaflet.draw.js")),
        ("ketahanan_draw_locale", DRAW_LOCALE_JS),  # labels in the page's language
    )
    default_css = _includes(
        ("leaflet_draw_css", vendor_path("leaflet-draw", "dist/leaflet.draw.css"))
    )


class LocalMarkerCluster(folium.plugins.MarkerCluster):
    """Leaflet.markercluster from the app."""

    default_js = _includes(
        ("markerclusterjs", vendor_path("leaflet.markercluster", "dist/leaflet.markercluster.js"))
    )
    default_css = _includes(
        ("markerclustercss", vendor_path("leaflet.markercluster", "dist/MarkerCluster.css")),
        (
            "markerclusterdefaultcss",
            vendor_path("leaflet.markercluster", "dist/MarkerCluster.Default.css"),
        ),
    )


class LocalFullscreen(folium.plugins.Fullscreen):
    """leaflet.fullscreen from the app."""

    default_js = _includes(
        ("Control.Fullscreen.js", vendor_path("leaflet.fullscreen", "Control.FullScreen.js"))
    )
    default_css = _includes(
        ("Control.FullScreen.css", vendor_path("leaflet.fullscreen", "Control.FullScreen.css"))
    )
