"""The map bundle for QGIS (``f=zip``): the GeoPackage with its style, the style files, a README.

``<name>.gpkg`` holds the features with the map's classes (``class``) and weighted scores,
the data dictionary and the classification tables, and the QGIS style in its ``layer_styles``
table (QGIS applies it when the layer is opened); ``<name>.qml`` and ``<name>.sld`` are the
same style for QGIS's *Load Style* and for other clients (GeoServer, uDig); ``README.txt``
says what was asked for (the query), from which build, and where the data come from. The
classes, breaks and colours are those of the items response's ``classification`` and of the
map (:mod:`geo.styles`).
"""

from __future__ import annotations

import io
import sqlite3
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from geo.ogc.render.gpkg import GpkgTable, gpkg_bytes
from geo.styles import class_colours, class_labels, qml, sld
from geo.vocabulary import Text

NO_DATA = Text("Tidak ada data", "No data")
STYLE_NAME = Text("Kelas peta Ketahanan", "Ketahanan map classes")


@dataclass(frozen=True)
class BundleInfo:
    """What the README says besides the classes: the query, the build and the sources."""

    query: str
    """The request's path and query, as asked for."""
    build: Sequence[tuple[str, str]]
    """``(what, value)`` lines about the build (file, when it was made and read)."""
    sources: Sequence[str] = field(default_factory=tuple)
    """One line per data source (title, date, licence, origin)."""


@dataclass(frozen=True)
class Styles:
    """The QGIS and SLD text of a classification (empty without one)."""

    qml: str = ""
    sld: str = ""
    labels: tuple[str, ...] = ()


def styles_of(table: GpkgTable, classification: dict[str, Any] | None, lang: str) -> Styles:
    """The styles of ``table`` classed as ``classification`` says, labelled in ``lang``."""
    if classification is None:
        return Styles()
    prop = str(classification["property"])
    breaks = [float(b) for b in classification["breaks"]]
    column = table.frame[prop] if prop in table.frame else pd.Series(dtype=float)
    present = pd.to_numeric(column, errors="coerce").dropna()
    lowest = float(present.min()) if len(present) else None
    colours = class_colours(len(breaks))
    labels = class_labels(breaks, lowest, lang)
    return Styles(
        qml=qml(prop, breaks, colours, labels, lowest),
        sld=sld(table.layer, prop, breaks, colours, labels, lowest, NO_DATA(lang)),
        labels=tuple(labels),
    )


def _with_default_style(gpkg: bytes, table: GpkgTable, styles: Styles, lang: str) -> bytes:
    """``gpkg`` with ``styles`` as the layer's default style (QGIS's ``layer_styles`` table)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bundle.gpkg"
        path.write_bytes(gpkg)
        with sqlite3.connect(path) as db:
            db.execute(
                "CREATE TABLE layer_styles (id INTEGER PRIMARY KEY AUTOINCREMENT, "
                "f_table_catalog TEXT(256), f_table_schema TEXT(256), f_table_name TEXT(256), "
                "f_geometry_column TEXT(256), styleName TEXT(30), styleQML TEXT, styleSLD TEXT, "
                "useAsDefault BOOLEAN, description TEXT, owner TEXT(30), ui TEXT(30), "
                "update_time DATETIME DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))"
            )
            column = db.execute(
                "SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?",
                (table.layer,),
            ).fetchone()
            db.execute(
                "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, "
                "f_geometry_column, styleName, styleQML, styleSLD, useAsDefault, description) "
                "VALUES ('', '', ?, ?, ?, ?, ?, 1, ?)",
                (
                    table.layer,
                    column[0] if column else "geom",
                    STYLE_NAME(lang),
                    styles.qml,
                    styles.sld,
                    STYLE_NAME(lang),
                ),
            )
            db.execute(
                "INSERT INTO gpkg_contents (table_name, data_type, identifier, description) "
                "VALUES ('layer_styles', 'attributes', 'layer_styles', ?)",
                (STYLE_NAME(lang),),
            )
        return path.read_bytes()


WORDS = {
    "title": Text(
        "Ketahanan Jakarta: paket peta untuk QGIS", "Ketahanan Jakarta: map bundle for QGIS"
    ),
    "files": Text("Isi paket", "Contents"),
    "gpkg": Text(
        "data (GeoPackage): unit, kelas (kolom class), kamus data, klasifikasi; gayanya "
        "tersimpan di dalam (QGIS memakainya saat lapisan dibuka)",
        "the data (GeoPackage): units, classes (column class), data dictionary, "
        "classification; its style is stored inside (QGIS uses it when the layer is opened)",
    ),
    "qml": Text(
        "gaya QGIS (Layer Properties > Symbology > Style > Load Style)",
        "QGIS style (Layer Properties > Symbology > Style > Load Style)",
    ),
    "sld": Text("gaya SLD 1.0 (GeoServer, uDig, QGIS)", "SLD 1.0 style (GeoServer, uDig, QGIS)"),
    "query": Text(
        "Permintaan (sama dengan yang tampil di halaman)", "Query (the same as shown on the page)"
    ),
    "classes": Text("Kelas", "Classes"),
    "no_classes": Text(
        "Tanpa kelas: permintaan ini tidak meminta klasifikasi.",
        "No classes: this request asked for no classification.",
    ),
    "rule": Text(
        "Kelas i memuat nilai dalam (batas[i-1], batas[i]]; kelas 0 nilai <= batas[0]; unit "
        "tanpa nilai tidak berkelas (tidak ada data).",
        "Class i holds values in (breaks[i-1], breaks[i]]; class 0 values <= breaks[0]; "
        "units without a value have no class (no data).",
    ),
    "scope": Text(
        "Kelas dihitung atas semua unit di tingkat ini (seperti peta).",
        "Classes were computed over every unit of the level (as the map is).",
    ),
    "build": Text("Build", "Build"),
    "sources": Text("Sumber data", "Data sources"),
    "open": Text(
        "Di QGIS: Layer > Add Layer > Add Vector Layer, pilih berkas .gpkg; kelas dan warnanya "
        "sama dengan peta Ketahanan.",
        "In QGIS: Layer > Add Layer > Add Vector Layer and choose the .gpkg file; its classes "
        "and colours are those of the Ketahanan map.",
    ),
}


def readme(
    name: str,
    classification: dict[str, Any] | None,
    styles: Styles,
    info: BundleInfo,
    lang: str,
) -> str:
    """The README of a bundle in ``lang``: the files, the query, the classes, build, sources."""
    w = {k: v(lang) for k, v in WORDS.items()}
    lines = [w["title"], "=" * len(w["title"]), "", f"{w['files']}:"]
    lines += [f"  {name}.gpkg  {w['gpkg']}"]
    if styles.qml:
        lines += [f"  {name}.qml   {w['qml']}", f"  {name}.sld   {w['sld']}"]
    lines += ["", f"{w['query']}:", f"  {info.query}", "", f"{w['classes']}:"]
    if classification is None:
        lines.append(f"  {w['no_classes']}")
    else:
        c = classification
        lines.append(f"  {c['property']}: {c['method']}, k = {c['k']}")
        colours = class_colours(len(c["breaks"]))
        for i, label in enumerate(styles.labels):
            lines.append(f"  {i}  {label:<24} {colours[i]}  ({c['counts'][i]})")
        lines.append(f"  {w['rule']}")
        if c.get("scope") == "collection":
            lines.append(f"  {w['scope']}")
    lines += ["", f"{w['build']}:"]
    lines += [f"  {what}: {value}" for what, value in info.build]
    lines += ["", f"{w['sources']}:"]
    lines += [f"  - {source}" for source in info.sources]
    lines += ["", w["open"], ""]
    return "\n".join(lines)


def bundle_bytes(
    table: GpkgTable, classification: dict[str, Any] | None, info: BundleInfo, lang: str
) -> bytes:
    """The zip of the GeoPackage (with its default style), the .qml, the .sld and a README."""
    styles = styles_of(table, classification, lang)
    gpkg = gpkg_bytes(table)
    if styles.qml:
        gpkg = _with_default_style(gpkg, table, styles, lang)
    name = table.layer
    out = io.BytesIO()
    files: list[tuple[str, bytes | str]] = [(f"{name}.gpkg", gpkg)]
    if styles.qml:
        files += [(f"{name}.qml", styles.qml), (f"{name}.sld", styles.sld)]
    files.append(("README.txt", readme(name, classification, styles, info, lang)))
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for file_name, data in files:
            entry = zipfile.ZipInfo(file_name, date_time=(2025, 1, 1, 0, 0, 0))
            entry.external_attr = 0o644 << 16  # readable files when unpacked
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, data)
    return out.getvalue()


BUILD_WORDS = {
    "file": Text("berkas build", "build file"),
    "finished": Text("build selesai", "build finished"),
    "read": Text("dibaca server", "read by the server"),
    "version": Text("versi", "version"),
}


def source_line(source: dict[str, Any], lang: str) -> str:
    """A catalogue source as one README line: title (date; licence), origin."""
    title = Text.from_json(source.get("title") or source.get("id") or "?")(lang)
    origin = source.get("origin") or {}
    where = origin.get("repository", "")
    if origin.get("commit"):
        where += f" @ {str(origin['commit'])[:10]}"
    parts = [p for p in (source.get("date"), source.get("licence")) if p]
    return f"{title} ({'; '.join(str(p) for p in parts)}){', ' + where if where else ''}"


def bundle_info(snapshot: Any, collection_id: str, query: str, lang: str) -> BundleInfo:
    """The README's query, build and sources for a collection of ``snapshot``.

    The sources are the collection's own catalogue source and, for the admin layers, those
    of every layer the indicators are computed from.
    """
    report = snapshot.report or {}
    words = {k: v(lang) for k, v in BUILD_WORDS.items()}
    build = [
        (words["file"], snapshot.path.name),
        (words["finished"], str(report.get("finished", "–"))),
        (words["read"], snapshot.loaded_at),
        (words["version"], snapshot.key),
    ]
    layers = [collection_id]
    collection = snapshot.collections.get(collection_id)
    for entry in getattr(collection, "dictionary", None) or ():
        layers += [s for s in entry.get("sources") or () if s not in layers]
    seen: dict[str, str] = {}
    for layer in layers:
        source = getattr(snapshot.collections.get(layer), "source", None)
        if source and source.get("id") not in seen:
            seen[str(source.get("id"))] = source_line(source, lang)
    return BundleInfo(query=query, build=build, sources=tuple(seen.values()))
