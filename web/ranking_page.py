"""Rendering of the ranking page (``/peringkat``): the form, the summary, the downloads and
the table rows as planners read them (numbers in the reader's language, classes with their
colour and range). The rows themselves come from :func:`web.ranking.ranking`.
"""

from __future__ import annotations

from typing import Any

from geo.snapshot import BuildSnapshot
from web.assets import APP_CSS, FAVICON, RANKING_JS, module_tags
from web.data import BuildTables
from web.i18n import Translator
from web.pages import indicator_meta, script_config, script_vocabulary
from web.params import MapParams
from web.ranking import Ranking, higher_is_worse, ranking
from web.render import env, format_number, header, json_for_script, page_url
from web.wording import indicator_text

DOWNLOAD_FORMATS = ("csv", "geojson", "gpkg", "zip")


def _choosers(tables: BuildTables, params: MapParams, t: Translator) -> list[dict[str, Any]]:
    """The form's selects: the map's choosers and the kota / kecamatan filters."""
    vocabulary = script_vocabulary(t)

    def words(kind: str) -> list[tuple[str, str]]:
        return [(w["id"], w["label"]) for w in vocabulary[kind]]

    indicators = [("", t("indicator.score"))] + [
        (d["id"], str(indicator_text(d, t)["name"])) for d in tables.indicators(params.pillar)
    ]
    k_min, k_max = vocabulary["k"]["min"], vocabulary["k"]["max"]
    kota = [(p[0], p[1]) for p in tables.places if p[0].count(".") == 1]
    kecamatan = [
        (p[0], p[1])
        for p in sorted(tables.places, key=lambda p: p[1])
        if p[0].count(".") == 2 and (not params.kota or p[4] == params.kota)
    ]
    fields = [
        ("pilar", t("pillar.label"), words("pillars"), params.pillar),
        ("tingkat", t("level.label"), words("levels"), params.level),
        ("indikator", t("indicator.label"), indicators, params.indicator or ""),
        ("klasifikasi", t("classification.label"), words("classifications"), params.classification),
        (
            "k",
            t("classification.k"),
            [(str(n), str(n)) for n in range(k_min, k_max + 1)],
            str(params.k),
        ),
        ("kota", t("level.kota"), [("", t("filter.all")), *kota], params.kota or ""),
    ]
    if params.level == "kelurahan":
        fields.append(
            (
                "kecamatan",
                t("level.kecamatan"),
                [("", t("filter.all")), *kecamatan],
                params.kecamatan or "",
            )
        )
    resets = {"pilar": "indikator", "kota": "kecamatan"}
    return [
        {"name": n, "label": lab, "options": o, "current": c, "resets": resets.get(n)}
        for n, lab, o, c in fields
    ]


def _range_text(classification: dict[str, Any], cls: int, lowest: float | None, lang: str) -> str:
    lower = lowest if cls == 0 else classification["breaks"][cls - 1]
    upper = classification["breaks"][cls]
    start = "" if lower is None else f"{format_number(lower, lang)} – "
    return start + format_number(upper, lang)


def _rows(result: Ranking, params: MapParams, t: Translator) -> list[dict[str, Any]]:
    present = [r["value"] for r in result.rows if r["value"] is not None]
    decimals = 0 if all(float(v).is_integer() for v in present) else 3
    lowest = min(present) if present else None
    shown = []
    for row in result.rows:
        cls = row["class"]
        extra: dict[str, Any] = {
            "value_text": format_number(row["value"], t.lang, decimals),
            "partial_text": None
            if row.get("partial") is None
            else format_number(row["partial"], t.lang, decimals),
            "colour": result.colours[cls] if cls is not None else None,
            "range": _range_text(result.classification, cls, lowest, t.lang)
            if cls is not None and result.classification
            else "",
            "map_url": page_url("/peta", params.query(fokus=row["kode"], kota="", kecamatan="")),
            "profile_url": page_url(f"/kelurahan/{row['kode']}", {"lang": t.lang})
            if params.level == "kelurahan"
            else None,
        }
        shown.append({**row, **extra})
    return shown


def _downloads(
    params: MapParams, result: Ranking, t: Translator, worse_first: bool
) -> list[dict[str, str]]:
    """The downloads of exactly the rows shown: their filters, weights, classes and order."""
    query: dict[str, Any] = {"lang": t.lang, "weights": params.weights}
    query.update(result.plan.query(params.column))
    if params.kota:
        query["kode_kota"] = params.kota
    if params.kecamatan:
        query["kode_kecamatan"] = params.kecamatan
    if (params.kota or params.kecamatan) and result.plan.method is not None:
        query["classify_scope"] = "collection"  # the classes of the whole map, as shown
    query["sortby"] = ("-" if worse_first else "") + params.column
    return [
        {
            "format": f,
            "text": t(f"download.{f}"),
            "href": page_url(f"/collections/{params.level}/items", {**query, "f": f}),
        }
        for f in DOWNLOAD_FORMATS
    ]


def _note(result: Ranking, t: Translator) -> str:
    if result.classification is None:
        return t("legend.empty")
    if result.classification["k"] < result.plan.requested_k:
        return (
            t("legend.fewer")
            .replace("{k}", str(result.classification["k"]))
            .replace("{asked}", str(result.plan.requested_k))
            .replace("{distinct}", str(result.plan.distinct))
        )
    return ""


def ranking_page(
    snapshot: BuildSnapshot, tables: BuildTables, params: MapParams, counts: dict[str, int]
) -> str:
    """Render the ranking of ``params`` (HTML)."""
    t = Translator(params.lang)
    result = ranking(snapshot, tables, params, counts)
    indicator = indicator_meta(tables, params, t)
    level = t(f"level.{params.level}")
    heading = t("rank.heading").replace("{level}", level).replace("{indicator}", indicator["name"])
    method = result.classification["method"] if result.classification else None
    config = {**script_config(t, tables), "higherIsWorse": higher_is_worse(tables, params)}
    return env.get_template("peringkat.html").render(
        t=t,
        lang=t.lang,
        header=header(t, "peringkat", params.query()),
        heading=heading,
        params=params,
        indicator=indicator,
        choosers=_choosers(tables, params, t),
        rows=_rows(result, params, t),
        note=_note(result, t),
        method=t(f"classification.{method}") if method else t("legend.no_data"),
        downloads=_downloads(params, result, t, higher_is_worse(tables, params)),
        map_url=page_url("/peta", params.query(kota="", kecamatan="")),
        reset_url=page_url("/peringkat", params.query(kota="", kecamatan="")),
        filtered=bool(params.kota or params.kecamatan),
        show_kecamatan=params.level == "kelurahan",
        show_kota=params.level != "kota",
        level_size=result.level_size,
        config_json=json_for_script(config),
        app_modules=module_tags(RANKING_JS),
        app_css=APP_CSS,
        favicon=FAVICON,
    )
