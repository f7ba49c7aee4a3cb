"""The printable report of a unit at any level: an A4 PDF made on the server by WeasyPrint.

The report (``report.html`` + ``static/css/report.css``) holds: the title, the date of the report
and of the build; a map of the unit with its neighbours and its actions (SVG from
:mod:`web.reports.maps`, no tiles); the three pillar scores with their rank; every indicator
with its unit, source and formula; the units inside it; the actions with status and progress;
for a kelurahan, the flood impact report of its profile (``_impact.html``, :mod:`web.impact`);
the data sources the build read with their licences (from the data catalogue); and on every
page a footer with the page number and the request that made it. Numbers are written as on the
unit's profile page (:mod:`web.profiles`), so the PDF and the page say the same.

WeasyPrint reads the stylesheet and fonts from disk (``base_url`` is ``web/static``): nothing is
fetched from the network.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from geo.actions.records import Action
from geo.catalogue import Catalogue
from geo.errors import KetahananError
from geo.vocabulary import Level
from web import impact as dampak
from web.assets import STATIC_DIR
from web.i18n import Translator, normalise_lang
from web.profiles import unit_profile
from web.render import env, format_number
from web.reports.maps import unit_map_svg
from web.unit_pages import map_actions
from web.units import AdminUnits

PROFILE_LEVEL = str(Level.kelurahan)
"""The level whose report carries the flood impact report (as its profile page does)."""

STRATEGY_SOURCE = "strategy_2019"
"""Listed among the sources when a related initiative is in the report."""


def report_sources(
    units: AdminUnits, catalogue: Catalogue | None, lang: str, *, strategy: bool
) -> list[dict[str, Any]]:
    """The catalogue entries of the sources the build read (and of the strategy, if asked)."""
    ids = [*units.sources, *([STRATEGY_SOURCE] if strategy else [])]
    out = []
    for source_id in dict.fromkeys(ids):
        entry: dict[str, Any] = {"id": source_id, "title": None, "licence": None, "date": None}
        if catalogue is not None:
            try:
                source = catalogue.source(source_id)
            except KetahananError:
                source = None
            if source is not None:
                title = source.title.en if lang == "en" else source.title.id
                entry.update(title=title, licence=source.licence, date=source.date)
        out.append(entry)
    return out


def report_html(
    units: AdminUnits,
    level: str,
    kode: str,
    lang: str | None,
    actions: Sequence[Action] | None,
    *,
    catalogue: Catalogue | None,
    query: str,
    now: datetime | None = None,
) -> str | None:
    """The report of one unit as HTML for WeasyPrint (None when the unit is unknown).

    Parameters
    ----------
    units : AdminUnits
    level, kode : str
    lang : str or None
        ``id`` (default) or ``en``.
    actions : sequence of Action or None
        The actions touching the unit (None: the store could not be read; the report says so).
    catalogue : Catalogue or None
        For the sources' titles and licences.
    query : str
        The request that made the report (printed in the footer).
    now : datetime, optional
        The report's date (default: now, UTC).
    """
    t = Translator(normalise_lang(lang))
    profile = unit_profile(units, level, kode, t, actions)
    if profile is None:
        return None
    related = any((a.props.get("kind") == "related_initiative") for a in actions or [])
    made = (now or datetime.now(UTC)).astimezone(UTC)
    return env.get_template("report.html").render(
        t=t,
        lang=t.lang,
        p=profile,
        map_svg=unit_map_svg(
            units, level, kode, map_actions(actions or []), width_in=7.0, height_in=4.3
        )
        or "",
        report_date=made.strftime("%Y-%m-%d %H:%M UTC"),
        build_date=_build_date(units.built),
        sources=report_sources(units, catalogue, t.lang, strategy=related),
        related=related,
        query=query,
        # the flood impact report of a kelurahan, as its profile shows it (web/impact.py)
        impact=(
            dampak.profile_section(units.impact, kode, t, format_number)
            if level == PROFILE_LEVEL
            else None
        ),
    )


def _build_date(built: str | None) -> str | None:
    """The build's finishing time as ``YYYY-MM-DD HH:MM UTC`` (the text tests look for)."""
    if not built:
        return None
    try:
        return datetime.fromisoformat(built).astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    except ValueError:
        return built


def render_pdf(html: str) -> bytes:
    """The PDF of a report's HTML (A4, fonts and stylesheet from disk)."""
    from weasyprint import HTML  # imported on first use: it loads fonts and Pango

    pdf: bytes = HTML(string=html, base_url=str(Path(STATIC_DIR))).write_pdf()
    return pdf
