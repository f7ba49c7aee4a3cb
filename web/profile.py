"""The kelurahan profile page (Jinja): every indicator with unit, source, date of its data and
formula, the three pillar scores with their status (full or partial), rank and rank interval and
the bars of their drivers, the actions touching it (drawn by ``profile.js``), downloads.

Indicator names, units and formulas are shown in the page's language (:mod:`web.wording`);
a score's missing inputs are named, never given as raw ids.
"""

from __future__ import annotations

from typing import Any

from geo.settings import Settings
from web import impact as dampak
from web.assets import APP_CSS, FAVICON, LEAFLET_CSS, LEAFLET_JS, PROFILE_JS, module_tags
from web.data import BuildTables
from web.i18n import Translator, normalise_lang
from web.pages import PROFILE_LEVEL, script_config
from web.profile_rows import score_rows
from web.render import clean, env, format_number, header, json_for_script
from web.wording import formula_text, names_of, unit_text

PERSONS_UNIT = "persons (estimate)"
"""The unit of a count of people: shown without decimals."""


def missing_names(dictionary: list[dict[str, Any]], text: Any, lang: str) -> str | None:
    """The names of a score's missing inputs (the build stores their ids, comma-separated).

    Parameters
    ----------
    dictionary : list of dict
        The build's data dictionary (``id``, ``name_id``, ``name_en``).
    text : Any
        The ``score_<pilar>_missing`` value; anything but a non-blank string gives None.
    lang : str
        ``id`` or ``en``; an id without a name is shown as itself.
    """
    if not isinstance(text, str) or not text.strip():
        return None
    names = {d["id"]: d.get("name_en" if lang == "en" else "name_id") for d in dictionary}
    return ", ".join(str(names.get(i.strip()) or i.strip()) for i in text.split(",") if i.strip())


def _scores(tables: BuildTables, row: Any, t: Translator) -> list[dict[str, Any]]:
    """The pillar scores (:func:`web.profile_rows.score_rows`: status, rank and interval,
    drivers) with their missing inputs named."""
    record = {str(k): v for k, v in row.items()}
    scores = score_rows(record, tables.kelurahan, tables.dictionary, t, format_number)
    for score in scores:
        score["missing"] = missing_names(tables.dictionary, score["missing"], t.lang)
    return scores


def _indicators(
    tables: BuildTables, row: Any, t: Translator, sources: dict[str, str]
) -> list[dict[str, Any]]:
    kel = tables.kelurahan
    names = names_of(tables.dictionary, t)
    rows = []
    for d in tables.dictionary:
        column = d["id"]
        value = clean(row.get(column)) if column in kel else None
        decimals = 0 if d.get("unit") == PERSONS_UNIT else 3
        rows.append(
            {
                "id": column,
                "pillar": t(f"pillar.{d.get('pillar')}"),
                "name": tables.name_of(column, t.lang),
                "value": format_number(value, t.lang, decimals=decimals),
                "unit": unit_text(d.get("unit"), t),
                "sources": "; ".join(sources.get(s, s) for s in d.get("sources") or []),
                "formula": formula_text(d, t, names),
                "estimate": bool(d.get("estimate")),
                "proxy": bool(d.get("proxy")),
                "data_date": d.get("data_date") or "",
                "data_note": d.get("data_note") or "",
                "no_data_reason": d.get("no_data_reason"),
            }
        )
    return rows


def profile_page(
    settings: Settings,
    tables: BuildTables,
    kode: str,
    lang: str | None,
    source_titles: dict[str, dict[str, str]] | None = None,
) -> str | None:
    """Render the profile of one kelurahan, or None when ``kode`` is unknown.

    ``source_titles`` names each source layer of an indicator by language (``{layer: {lang:
    title}}``), so the page shows titles, not layer ids.
    """
    t = Translator(normalise_lang(lang))
    kel = tables.kelurahan
    match = kel[kel["kode"] == kode]
    if match.empty:
        return None
    row = match.iloc[0]
    config = {**script_config(t, tables), "kode": str(row["kode"])}
    return env.get_template("profile.html").render(
        t=t,
        lang=t.lang,
        header=header(t, "", {}, path=f"/kelurahan/{row['kode']}"),
        kel={k: clean(row.get(k)) for k in ("kode", "nama", "nama_kecamatan", "nama_kota")},
        population=format_number(clean(row.get("population")), t.lang),
        area=format_number(clean(row.get("area_km2")), t.lang, decimals=2),
        scores=_scores(tables, row, t),
        indicators=_indicators(
            tables, row, t, {k: v[t.lang] for k, v in (source_titles or {}).items()}
        ),
        links={  # the PDF report and "bandingkan dengan..." (web/templates/_unit.html)
            "kode": str(row["kode"]),
            "pdf": f"/laporan/{PROFILE_LEVEL}/{row['kode']}.pdf?lang={t.lang}",
            "peers": [(c, f"{n}, {k}") for c, n, k in tables.search_index() if c != row["kode"]],
        },
        impact=dampak.profile_section(tables.impact, str(row["kode"]), t, format_number),
        config_json=json_for_script(config),
        leaflet_js=LEAFLET_JS,
        leaflet_css=LEAFLET_CSS,
        app_modules=module_tags(PROFILE_JS),
        app_css=APP_CSS,
        favicon=FAVICON,
    )
