"""The actions tracker page (``/aksi``, Jinja): filters, a server-paged table, one action's
detail with its history, and in-place status and progress changes (``aksi-page.js``).

The filters are a plain GET form (so the page works, and a filtered list is a link, without
the script); the script keeps them in the URL as the planner changes them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from geo.actions.organisations import Organisation
from web.assets import APP_CSS, FAVICON, LEAFLET_CSS, LEAFLET_JS, TRACKER_JS, module_tags
from web.data import BuildTables
from web.i18n import Translator, normalise_lang
from web.pages import script_config, script_vocabulary
from web.render import env, header, json_for_script

FILTERS = ("q", "pillar", "status", "agency", "org", "org_role", "kota", "kecamatan")
"""The tracker's filters, named as the actions API names them."""
PAGE_SIZE = 50
"""Actions per page of the table."""


def _units(tables: BuildTables) -> tuple[list[dict[str, str]], list[dict[str, Any]]]:
    kota = [{"kode": p[0], "nama": p[1]} for p in tables.places if p[0].count(".") == 1]
    names = {k["kode"]: k["nama"] for k in kota}
    groups: dict[str, list[dict[str, str]]] = {k["kode"]: [] for k in kota}
    for kode, nama, _, _, parent in tables.places:
        if kode.count(".") == 2 and parent in groups:
            groups[parent].append({"kode": kode, "nama": nama, "parent": parent})
    kecamatan: list[dict[str, Any]] = []
    for code, units in groups.items():
        units.sort(key=lambda unit: unit["nama"])
        kecamatan.append({"kota": names[code], "units": units})
    return kota, kecamatan


def tracker_page(
    tables: BuildTables,
    query: Mapping[str, str],
    lang: str | None,
    organisations: Sequence[Organisation] = (),
    org_id: str | None = None,
) -> str:
    """Render the actions tracker with the filters of ``query`` filled in.

    ``organisations`` fill the organisation filter; ``org_id`` is the one ``org`` names (the
    API takes an id or any name; the form sends the id).
    """
    t = Translator(normalise_lang(lang))
    filters = {name: str(query.get(name, ""))[:200] for name in FILTERS}
    if org_id:
        filters["org"] = org_id
    kota, kecamatan = _units(tables)
    config = {
        **script_config(t, tables),
        "filters": list(FILTERS),
        "pageSize": PAGE_SIZE,
        "selected": str(query.get("id", ""))[:64],
    }
    return env.get_template("aksi.html").render(
        t=t,
        lang=t.lang,
        header=header(t, "aksi", {**filters, "lang": t.lang}),
        filters=filters,
        vocabulary=script_vocabulary(t),
        kota=kota,
        kecamatan=kecamatan,
        organisations=organisations,
        config_json=json_for_script(config),
        leaflet_js=LEAFLET_JS,
        leaflet_css=LEAFLET_CSS,
        app_modules=module_tags(TRACKER_JS),
        app_css=APP_CSS,
        favicon=FAVICON,
    )
