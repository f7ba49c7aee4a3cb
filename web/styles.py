"""Every colour and line style the planner pages draw with, in one place.

The page scripts spell no colour: they read these from the page config (``styles``). The
choropleth's class colours come from :func:`geo.styles.class_colours`, as do those of the
exported QGIS and SLD styles, so an export looks like the screen.
"""

from __future__ import annotations

from typing import Any

from geo.styles import class_colours
from geo.vocabulary import FloodState, Pillar, Status

K_MAX = 9
"""The most classes a map offers (the ramps go up to it)."""

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
STATUS_UNKNOWN_COLOUR = "#616161"
"""The colour of an action whose status is not known (a related initiative may not state it)."""

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

CONTEXT_STYLES: dict[str, dict[str, Any]] = {
    "coast": {"color": "#1f5f8b", "weight": 2.2, "opacity": 0.9},
    "kota": {"color": "#424242", "weight": 1.8, "opacity": 0.85},
    "kecamatan": {"color": "#757575", "weight": 0.8, "opacity": 0.8, "dashArray": "3 3"},
    "waterways": {"color": "#2b8cbe", "weight": 1.2, "opacity": 0.8},
    "rail_lines": {"color": "#212121", "weight": 1.4, "opacity": 0.7, "dashArray": "5 3"},
}
"""Line styles of the offline context layer (see :mod:`geo.context`), by kind."""


FLOOD_STATE_COLOURS = {
    FloodState.unknown: "#bdbdbd",
    FloodState.shallow: "#6baed6",
    FloodState.deep: "#2171b5",
    FloodState.very_deep: "#08306b",
}
"""Fill of an RW by its PetaBencana flood state (grey: flooded, depth unknown; deeper, darker)."""

FLOOD_LIVE_STYLE: dict[str, Any] = {
    "color": "#08306b",
    "weight": 0.6,
    "fillOpacity": 0.7,
    "staleFillOpacity": 0.35,
    "staleDashArray": "4 3",
}
"""The flood feed's RWs on /peta (a stale state is paler and dashed)."""


_FLOODED = {"weight": 0.8, "opacity": 0.9, "color": "#08306b", "fillOpacity": 0.75}
FLOOD_STATE_STYLES: dict[str, dict[str, Any]] = {
    **{
        str(int(state)): {**_FLOODED, "fillColor": fill}
        for state, fill in FLOOD_STATE_COLOURS.items()
    },
    "dry": {"color": "#78909c", "weight": 0.5, "opacity": 0.5, "fillOpacity": 0.0},
}
"""The February 2017 replay's RWs by flood state (PetaBencana: 1 depth unknown, 2 = 10-70 cm,
3 = 71-150 cm, 4 = over 150 cm; deeper is darker) and the RWs not flooded at that hour."""
FLOOD_CHART_STYLE = {"bar": "#1e88e5", "current": "#d81b60", "axis": "#616161"}
"""The replay's chart of flooded RWs per hour: bars, the current hour's mark, the axis."""


def replay_styles() -> dict[str, Any]:
    """The flood replay's styles (sent with the replay document, merged into the page's)."""
    return {"flood_states": FLOOD_STATE_STYLES, "flood_chart": FLOOD_CHART_STYLE}


def script_styles() -> dict[str, Any]:
    """Every colour and line style the page scripts draw with.

    ``ramps[n]`` holds the fill colours of a classification with ``n`` classes (ColorBrewer
    YlOrRd; fewer than three classes take alternate colours of the four-class ramp).
    """
    ramps = {n: class_colours(n) for n in range(1, K_MAX + 1)}
    return {
        "ramps": {str(n): ramps[n] for n in sorted(ramps)},
        "unit": {"color": "#5d4037", "weight": 0.6, "fillOpacity": 0.75},
        "nodata": {"color": "#616161", "weight": 0.6, "fillColor": "#d6d6d6", "fillOpacity": 0.9},
        "partial": {"color": "#e65100", "weight": 0.8, "fillColor": "#fff3e0", "fillOpacity": 0.9},
        "statuses": {str(s): colour for s, colour in STATUS_COLOURS.items()},
        "status_unknown": STATUS_UNKNOWN_COLOUR,
        "overlays": OVERLAY_STYLES,
        "gap": {"color": "#d81b60", "weight": 3, "fill": False, "dashArray": "4 3"},
        "highlight": {"color": "#00bcd4", "weight": 4, "fill": False},
        "profile_unit": {"color": "#bd0026", "weight": 2, "fillOpacity": 0.15},
        "unit_action": {"weight": 2.5, "fill": False, "dashArray": "5 4"},
        "selected": {"color": "#00bcd4", "weight": 4},
        "context": CONTEXT_STYLES,
        "flood_states": {str(int(k)): v for k, v in FLOOD_STATE_COLOURS.items()},
        "flood_live": FLOOD_LIVE_STYLE,
    }
