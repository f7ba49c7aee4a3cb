"""Static maps of admin units as SVG, drawn by matplotlib on the server: no tiles, no browser.

Used by the printable reports (WeasyPrint embeds the SVG), the profiles of kecamatan and kota
and the comparison page, so a printed page and a page read offline show the same map.
Geometry is projected to :data:`geo.crs.METRIC_CRS` (so a kilometre is as long east-west as
north-south) and simplified once per level as a coverage (neighbours keep their shared edges).
"""

from __future__ import annotations

import io
import threading
from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import matplotlib

matplotlib.use("Agg")  # no display: draw to files only
matplotlib.rcParams["svg.fonttype"] = "none"  # text stays text (small, selectable, printable)

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import shapely  # noqa: E402
from matplotlib.patches import PathPatch  # noqa: E402
from matplotlib.path import Path as MplPath  # noqa: E402
from shapely.geometry.base import BaseGeometry  # noqa: E402

from geo.crs import METRIC_CRS, STORAGE_CRS  # noqa: E402
from web.units import AdminUnits  # noqa: E402

SIMPLIFY_M = {"kelurahan": 5.0, "kecamatan": 10.0, "kota": 25.0}
"""Tolerance (metres) of the coverage simplification of each level's polygons."""
MARGIN = 0.18
"""Share of the unit's extent shown around it (where the neighbours are)."""
MIN_HOLE_M2 = 20_000.0
"""Holes smaller than this (2 ha: slivers left where kelurahan were merged) are not drawn."""
COLOURS = {
    "neighbour": "#eeeeee",
    "edge": "#9e9e9e",
    "unit": "#fcbba1",
    "unit_edge": "#bd0026",
}
"""Fills and edges of the unit map."""
ISLANDS_KOTA = "31.01."
"""Code prefix of the kelurahan of Kepulauan Seribu (islands far off the mainland)."""
ROLE_FILLS = {"lead": "#fcae91", "partner": "#cbc9e2"}
"""Fill of the kelurahan an organisation's actions touch: those it leads, those it partners in."""
COMPARE = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a")
"""Fill of each compared unit (at most four), in the order given."""


@dataclass(frozen=True)
class MapAction:
    """An action drawn on a map: its lon/lat geometry and its colour (by status)."""

    geometry: BaseGeometry
    colour: str


_projected: dict[tuple[int, str], np.ndarray] = {}
_lock = threading.Lock()


def _metric(units: AdminUnits, level: str) -> np.ndarray:
    """The level's polygons in METRIC_CRS, simplified as a coverage (kept per build)."""
    key = (id(units.geoms[level]), level)
    with _lock:
        cached = _projected.get(key)
        if cached is None:
            projected = gpd.GeoSeries(units.geoms[level], crs=STORAGE_CRS).to_crs(METRIC_CRS)
            tolerance = SIMPLIFY_M.get(level, 10.0)
            cached = np.asarray(shapely.coverage_simplify(projected.array, tolerance))
            if len(_projected) > 6:
                _projected.clear()
            _projected[key] = cached
        return cached


def _patch(geom: BaseGeometry, **style: object) -> PathPatch | None:
    """A matplotlib patch of a (multi)polygon, holes included."""
    vertices: list[np.ndarray] = []
    codes: list[np.ndarray] = []
    for poly in getattr(geom, "geoms", [geom]):
        if poly.is_empty or poly.geom_type != "Polygon":
            continue
        holes = [r for r in poly.interiors if shapely.Polygon(r).area >= MIN_HOLE_M2]
        for ring in (poly.exterior, *holes):
            xy = np.asarray(ring.coords)[:, :2]
            ring_codes = np.full(len(xy), MplPath.LINETO, dtype=np.uint8)
            ring_codes[0], ring_codes[-1] = MplPath.MOVETO, MplPath.CLOSEPOLY
            vertices.append(xy)
            codes.append(ring_codes)
    if not vertices:
        return None
    return PathPatch(MplPath(np.concatenate(vertices), np.concatenate(codes)), **style)


def _draw(ax: plt.Axes, geoms: Sequence[BaseGeometry], **style: object) -> None:
    for geom in geoms:
        patch = _patch(geom, **style)
        if patch is not None:
            ax.add_patch(patch)


def _svg(fig: plt.Figure) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", pad_inches=0.02)
    plt.close(fig)
    text = buffer.getvalue()
    return text[text.index("<svg") :]  # no XML prolog: the SVG goes inside an HTML page


def _frame(ax: plt.Axes, bounds: np.ndarray) -> BaseGeometry:
    """Set the view around ``bounds`` (with a margin and a scale bar); the view's box."""
    minx, miny, maxx, maxy = bounds
    pad = max(maxx - minx, maxy - miny) * MARGIN + 200.0
    ax.set_xlim(minx - pad, maxx + pad)
    ax.set_ylim(miny - pad, maxy + pad)
    ax.set_aspect("equal")
    ax.set_axis_off()
    span_km = (maxx - minx + 2 * pad) / 1000
    bar = 1.0 if span_km < 15 else 5.0
    x0, y0 = minx - pad * 0.8, miny - pad * 0.7
    ax.plot([x0, x0 + bar * 1000], [y0, y0], color="#424242", linewidth=2)
    ax.text(x0, y0 + pad * 0.08, f"{bar:g} km", fontsize=7, color="#424242")
    return shapely.box(minx - pad, miny - pad, maxx + pad, maxy + pad)


def _actions_metric(actions: Sequence[MapAction]) -> list[tuple[BaseGeometry, str]]:
    if not actions:
        return []
    series = gpd.GeoSeries([a.geometry for a in actions], crs=STORAGE_CRS).to_crs(METRIC_CRS)
    return [(g, a.colour) for g, a in zip(series.array, actions, strict=True)]


def _draw_actions(ax: plt.Axes, actions: Sequence[MapAction], marker: float = 6.0) -> None:
    """Points, lines and polygons of actions over the units, each in its colour."""
    for geom, colour in _actions_metric(actions):
        if geom.geom_type in ("Point", "MultiPoint"):
            for p in getattr(geom, "geoms", [geom]):
                ax.plot(p.x, p.y, "o", color=colour, markersize=marker, markeredgecolor="white")
        elif geom.geom_type in ("LineString", "MultiLineString"):
            for line in getattr(geom, "geoms", [geom]):
                xy = np.asarray(line.coords)
                ax.plot(xy[:, 0], xy[:, 1], color=colour, linewidth=2.2)
        else:
            _draw(ax, [geom], facecolor=colour, edgecolor=colour, alpha=0.35, linewidth=1.5)


def _label(
    ax: plt.Axes, geom: BaseGeometry, text: str, size: float = 7.0, view: BaseGeometry | None = None
) -> None:
    """Name a polygon at a point inside it (within the view: a label is never off the map)."""
    part = geom if view is None else geom.intersection(view)
    if part.is_empty:
        return
    point = shapely.point_on_surface(part)
    ax.text(
        point.x,
        point.y,
        text,
        fontsize=size,
        ha="center",
        va="center",
        color="#212121",
        clip_on=True,
    )


def unit_map_svg(
    units: AdminUnits,
    level: str,
    kode: str,
    actions: Sequence[MapAction] = (),
    *,
    width_in: float = 6.5,
    height_in: float = 4.2,
) -> str | None:
    """The map of one unit with its neighbours (named) and the actions touching it.

    Parameters
    ----------
    units : AdminUnits
    level, kode : str
        The unit.
    actions : sequence of MapAction
        Actions with a geometry; lines and points are drawn over the polygons.
    width_in, height_in : float
        Size in inches.

    Returns
    -------
    str or None
        An ``<svg>`` element, or None when the unit has no geometry.
    """
    pos = units.position(level, kode)
    geoms = _metric(units, level)
    if pos is None or geoms[pos] is None:
        return None
    names = units.frames[level]["nama"].astype(str).tolist()
    fig, ax = plt.subplots(figsize=(width_in, height_in))
    near = units.neighbours(level, kode)
    _draw(
        ax,
        [geoms[i] for i in near],
        facecolor=COLOURS["neighbour"],
        edgecolor=COLOURS["edge"],
        linewidth=0.6,
    )
    _draw(
        ax,
        [geoms[pos]],
        facecolor=COLOURS["unit"],
        edgecolor=COLOURS["unit_edge"],
        linewidth=1.6,
        alpha=0.9,
    )
    view = _frame(ax, shapely.bounds(geoms[pos]))
    for i in near:
        _label(ax, geoms[i], names[i], 6.0, view)
    _label(ax, geoms[pos], names[pos], 8.5)
    _draw_actions(ax, actions)
    return _svg(fig)


def compare_map_svg(
    units: AdminUnits,
    level: str,
    codes: Sequence[str],
    *,
    width_in: float = 6.5,
    height_in: float = 3.6,
) -> str:
    """The compared units (each in its colour of :data:`COMPARE`) among all of their level."""
    geoms = _metric(units, level)
    rows = [p for p in (units.position(level, k) for k in codes) if p is not None]
    fig, ax = plt.subplots(figsize=(width_in, height_in))
    view = _frame(ax, shapely.total_bounds(np.asarray([geoms[p] for p in rows], dtype=object)))
    context = [
        g for i, g in enumerate(geoms) if i not in rows and g is not None and g.intersects(view)
    ]
    _draw(ax, context, facecolor=COLOURS["neighbour"], edgecolor=COLOURS["edge"], linewidth=0.4)
    for n, pos in enumerate(rows):
        _draw(
            ax,
            [geoms[pos]],
            facecolor=COMPARE[n % len(COMPARE)],
            edgecolor="#212121",
            linewidth=0.8,
        )
        _label(ax, geoms[pos], chr(ord("A") + n), 9.0)
    return _svg(fig)


def organisation_map_svg(
    units: AdminUnits,
    lead_kelurahan: Sequence[str],
    partner_kelurahan: Sequence[str],
    actions: Sequence[MapAction] = (),
    *,
    width_in: float = 6.5,
    height_in: float = 4.6,
) -> str | None:
    """Where an organisation acts: the kelurahan its actions touch among the kota of Jakarta.

    Parameters
    ----------
    units : AdminUnits
    lead_kelurahan, partner_kelurahan : sequence of str
        Kelurahan codes touched by the actions it leads (filled in ``ROLE_FILLS["lead"]``) and
        by those it is a partner in (``ROLE_FILLS["partner"]``; a kelurahan in both shows as
        led).
    actions : sequence of MapAction
        The actions with a geometry, drawn over the kelurahan.

    Returns
    -------
    str or None
        An ``<svg>`` element, or None when no kelurahan is touched and no action has a place.
    """
    kel = _metric(units, "kelurahan")
    led = [p for p in (units.position("kelurahan", k) for k in lead_kelurahan) if p is not None]
    led_set = set(led)
    partnered = [
        p
        for p in (units.position("kelurahan", k) for k in partner_kelurahan)
        if p is not None and p not in led_set
    ]
    drawn = _actions_metric(actions)
    codes = units.frames["kelurahan"]["kode"].astype(str).tolist()
    touched = [p for p in (*led, *partnered) if kel[p] is not None]
    islands = {p for p in touched if codes[p].startswith(ISLANDS_KOTA)}
    # framed on the mainland: kelurahan of Kepulauan Seribu, 40 km out to sea, would shrink
    # the city to a corner of the map; they are counted on it instead (unless they are all)
    mainland = [kel[p] for p in touched if p not in islands] + [g for g, _ in drawn]
    shown = mainland or [kel[p] for p in touched]
    if not shown:
        return None
    kota = _metric(units, "kota")
    fig, ax = plt.subplots(figsize=(width_in, height_in))
    view = _frame(ax, shapely.total_bounds(np.asarray(shown, dtype=object)))
    if mainland and islands:
        ax.text(
            0.01,
            0.99,
            f"Kepulauan Seribu: {len(islands)} kelurahan",
            transform=ax.transAxes,
            fontsize=7,
            va="top",
            color="#424242",
        )
    context = [g for g in kota if g is not None and g.intersects(view)]
    _draw(ax, context, facecolor=COLOURS["neighbour"], edgecolor=COLOURS["edge"], linewidth=0.8)
    for positions, fill in ((partnered, ROLE_FILLS["partner"]), (led, ROLE_FILLS["lead"])):
        _draw(ax, [kel[p] for p in positions], facecolor=fill, edgecolor="#616161", linewidth=0.3)
    names = units.frames["kota"]["nama"].astype(str).tolist()
    kota_codes = units.frames["kota"]["kode"].astype(str).tolist()
    for geom, name, code in zip(kota, names, kota_codes, strict=True):
        off_frame = bool(mainland) and f"{code}.".startswith(ISLANDS_KOTA)  # counted above
        if geom is not None and geom.intersects(view) and not off_frame:
            _label(ax, geom, name, 6.5, view)
    _draw_actions(ax, actions, marker=4.0)
    return _svg(fig)
