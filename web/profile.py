"""The kelurahan profile page (Jinja): every indicator with unit, source and formula, the three
pillar scores with their rank, the actions touching it (drawn by ``profile.js``), downloads.

Indicator names, units and formulas are shown in the page's language (:mod:`web.wording`);
a score's missing inputs are named, never given as raw ids.
"""

from __future__ import annotations

import math
from typing import Any

from geo.settings import Settings
from geo.vocabulary import missing_column
from web.assets import APP_CSS, FAVICON, LEAFLET_CSS, LEAFLET_JS, PROFILE_JS, module_tags
from web.data import BuildTables
from web.i18n import Translator, normalise_lang
from web.pages import PROFILE_LEVEL, script_config
from web.params import SCORE_COLUMNS
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


def _scores(tables: BuildTables, row: Any, index: Any, t: Translator) -> list[dict[str, Any]]:
    kel = tables.kelurahan
    scores = []
    for pillar, column in SCORE_COLUMNS.items():
        value = clean(row.get(column)) if column in kel else None
        rank = tables.ranks(column).loc[index] if column in kel else None
        scores.append(
            {
                "pillar": pillar,
                "label": t(f"pillar.{pillar}"),
                "value": None if value is None else format_number(float(value), t.lang, 2),
                "rank": None if rank is None or not math.isfinite(rank) else int(rank),
                "of": int(kel[column].notna().sum()) if column in kel else 0,
                "missing": missing_names(
                    tables.dictionary, clean(row.get(missing_column(pillar))), t.lang
                ),
            }
        )
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
        scores=_scores(tables, row, match.index[0], t),
        indicators=_indicators(
            tables, row, t, {k: v[t.lang] for k, v in (source_titles or {}).items()}
        ),
        links={  # the PDF report and "bandingkan dengan..." (web/templates/_unit.html)
            "kode": str(row["kode"]),
            "pdf": f"/laporan/{PROFILE_LEVEL}/{row['kode']}.pdf?lang={t.lang}",
            "peers": [(c, f"{n}, {k}") for c, n, k in tables.search_index() if c != row["kode"]],
        },
        config_json=json_for_script(config),
        leaflet_js=LEAFLET_JS,
        leaflet_css=LEAFLET_CSS,
        app_modules=module_tags(PROFILE_JS),
        app_css=APP_CSS,
        favicon=FAVICON,
    )
