"""folium classes that load every script and stylesheet from the app, never from a CDN.

folium keeps its includes as class attributes (``default_js`` / ``default_css``, lists of
``(name, url)``). The subclasses here point them at the files vendored under
``web/static/vendor`` (see :mod:`web.vendor_assets`) and drop what the pages do not use
(jQuery, Bootstrap, awesome-markers, glyphicons, Font Awesome), so a page loads with no
internet.
"""

from __future__ import annotations

from pathlib import Path

import folium
import folium.plugins

from web.vendor_assets import vendor_path

STATIC_DIR = Path(__file__).resolve().parent / "static"
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"

LEAFLET_JS = vendor_path("leaflet", "dist/leaflet.js")
LEAFLET_CSS = vendor_path("leaflet", "dist/leaflet.css")
APP_JS = "/static/js/ketahanan.js"
DRAW_LOCALE_JS = "/static/js/draw-locale.js"
APP_CSS = "/static/css/ketahanan.css"
FAVICON = "/static/favicon.svg"


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
