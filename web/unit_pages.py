"""The profile pages of kecamatan and kota, and the side-by-side comparison (Jinja, server-built).

A profile page is :func:`web.profiles.unit_profile` rendered by ``unit_profile.html`` with a
static SVG map (:mod:`web.reports.maps`: the unit, its neighbours, its actions), so it needs no
script, prints as it shows (``print.css``) and matches the PDF report. The comparison puts 2 to
4 units of one level side by side: scores, every indicator and the median over all units of
the level, with a small map of the units.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from geo.actions.records import Action
from web.assets import APP_CSS, FAVICON
from web.i18n import Translator, normalise_lang
from web.params import PageParameterError
from web.profiles import indicator_text, score_text, status_colour, unit_profile
from web.render import env, header, other_lang
from web.reports.maps import COMPARE, MapAction, compare_map_svg, unit_map_svg
from web.styles import STATUS_UNKNOWN_COLOUR
from web.units import LEVELS, SCORE_PILLARS, AdminUnits, level_of_code, score_column

COMPARE_MIN, COMPARE_MAX = 2, 4
"""How many units a comparison holds."""
PAGE_ASSETS = {"app_css": APP_CSS, "favicon": FAVICON}
"""What ``base.html`` links (these pages run no script)."""


def map_actions(actions: Sequence[Action]) -> list[MapAction]:
    """The actions that have a geometry, each in the colour of its status."""
    out = []
    for a in actions:
        if a.geometry is not None:
            colour = status_colour(a.props.get("status")) or STATUS_UNKNOWN_COLOUR
            out.append(MapAction(a.geometry, colour))
    return out


def unit_links(units: AdminUnits, level: str, kode: str, lang: str) -> dict[str, Any]:
    """The report link and the 'compare with' choices (the other units of the level)."""
    frame = units.frames[level].sort_values("nama")
    peers = [(str(r.kode), str(r.nama)) for r in frame.itertuples() if str(r.kode) != kode]
    return {"kode": kode, "pdf": f"/laporan/{level}/{kode}.pdf?lang={lang}", "peers": peers}


def unit_page(
    units: AdminUnits, level: str, kode: str, lang: str | None, actions: Sequence[Action] | None
) -> str | None:
    """The profile page of a kecamatan or kota, or None when ``kode`` is not one."""
    t = Translator(normalise_lang(lang))
    profile = unit_profile(units, level, kode, t, actions)
    if profile is None:
        return None
    return env.get_template("unit_profile.html").render(
        t=t,
        lang=t.lang,
        other_lang=other_lang(t.lang),
        header=header(t, "", {}, path=f"/{level}/{kode}"),
        p=profile,
        links=unit_links(units, level, kode, t.lang),
        map_svg=unit_map_svg(units, level, kode, map_actions(actions or [])) or "",
        **PAGE_ASSETS,
    )


def parse_compare(units: AdminUnits, codes: Sequence[str]) -> tuple[str, list[str], list[str]]:
    """Check the ``kode`` values of a comparison.

    Returns
    -------
    tuple of (str, list of str, list of str)
        The level, the codes, and the codes that name no unit of the build (for a 404).

    Raises
    ------
    PageParameterError
        Fewer than 2 or more than 4 codes, a code that is not a unit code, codes of two
        levels, or a code given twice.
    """
    wanted = [c.strip() for c in codes if c.strip()]
    if not COMPARE_MIN <= len(wanted) <= COMPARE_MAX:
        raise PageParameterError(
            "kode", f"give {COMPARE_MIN} to {COMPARE_MAX} codes, not {len(wanted)}"
        )
    levels = [level_of_code(c) for c in wanted]
    bad = [c for c, level in zip(wanted, levels, strict=True) if level is None]
    if bad:
        raise PageParameterError(
            "kode", f"not a kota, kecamatan or kelurahan code: {', '.join(bad)}"
        )
    if len(set(levels)) > 1:
        raise PageParameterError(
            "kode", "all codes must be of one level (kota, kecamatan or kelurahan)"
        )
    if len(set(wanted)) < len(wanted):
        raise PageParameterError("kode", "a code is given twice")
    level = str(levels[0])
    unknown = [c for c in wanted if units.position(level, c) is None]
    return level, wanted, unknown


def _rows(
    units: AdminUnits, level: str, profiles: list[dict[str, Any]], t: Translator
) -> dict[str, Any]:
    scores = []
    for n, pillar in enumerate(SCORE_PILLARS):
        scores.append(
            {
                "label": t(f"pillar.{pillar}"),
                "cells": [p["scores"][n] for p in profiles],
                "median": score_text(units.median(level, score_column(pillar)), t.lang),
            }
        )
    indicators = []
    for n, d in enumerate(units.dictionary):
        indicators.append(
            {
                "name": profiles[0]["indicators"][n]["name"],
                "pillar": profiles[0]["indicators"][n]["pillar_label"],
                "unit": d.get("unit") or "",
                "cells": [p["indicators"][n]["value"] for p in profiles],
                "median": indicator_text(units.median(level, str(d["id"])), d.get("unit"), t.lang),
            }
        )
    return {"scores": scores, "indicators": indicators}


def compare_page(units: AdminUnits, level: str, codes: Sequence[str], lang: str | None) -> str:
    """The comparison of known units of one level (see :func:`parse_compare`)."""
    t = Translator(normalise_lang(lang))
    profiles = [unit_profile(units, level, c, t) for c in codes]
    known = [p for p in profiles if p is not None]
    query = "&".join(f"kode={c}" for c in codes)
    return env.get_template("compare.html").render(
        t=t,
        lang=t.lang,
        other_lang=other_lang(t.lang),
        header=header(t, "", {"kode": list(codes)}, path="/bandingkan"),
        level=level,
        level_label=t(f"level.{level}"),
        units=[{**p, "colour": COMPARE[n], "letter": chr(65 + n)} for n, p in enumerate(known)],
        rows=_rows(units, level, known, t),
        map_svg=compare_map_svg(units, level, codes),
        query=query,
        levels=LEVELS,
        **PAGE_ASSETS,
    )
