"""Downloads of what the map shows: CSV, and the bundle for QGIS (``f=zip``) whose styles hold
the classes, breaks and colours of the items response's classification.

The bundle's GeoPackage is opened by GDAL's ``ogrinfo`` and by QGIS itself (PyQGIS from
Debian's ``python3-qgis``, run headless by ``tests/api/qgis_check.py``): QGIS must read the
style stored in the GeoPackage and the ``.qml``, colour every unit as the map does, and draw
those colours.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from fastapi.testclient import TestClient

from geo.styles import class_colours, class_ranges

pytestmark = pytest.mark.realdata

HERE = Path(__file__).resolve().parent
DEBIAN_PYTHON = Path("/usr/bin/python3")
SLD = "{http://www.opengis.net/sld}"
OGC = "{http://www.opengis.net/ogc}"
WEIGHTS = "siap_depth_mean:3,siap_flood_share_2007:0"
QUERY = {
    "classify": "fisher_jenks",
    "classify_by": "score_siap",
    "k": "6",
    "weights": WEIGHTS,
    "lang": "id",
}


def _json(client: TestClient, **extra: str) -> dict[str, Any]:
    response = client.get(
        "/collections/kelurahan/items", params={**QUERY, "limit": "1000", **extra}
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _bundle(client: TestClient, tmp_path: Path, **extra: str) -> dict[str, Path]:
    response = client.get("/collections/kelurahan/items", params={**QUERY, "f": "zip", **extra})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    assert response.headers["content-disposition"] == 'attachment; filename="kelurahan.zip"'
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        names = sorted(archive.namelist())
        assert names == ["README.txt", "kelurahan.gpkg", "kelurahan.qml", "kelurahan.sld"]
        archive.extractall(tmp_path)
    return {(n if n == "README.txt" else Path(n).suffix): tmp_path / n for n in names}


def test_the_bundle_styles_are_the_classification(client: TestClient, tmp_path: Path) -> None:
    served = _json(client)
    c = served["classification"]
    files = _bundle(client, tmp_path)
    values = [f["properties"]["score_siap"] for f in served["features"]]
    lowest = min(v for v in values if v is not None)
    expected = class_ranges(c["breaks"], lowest)
    colours = class_colours(c["k"])

    root = ElementTree.parse(files[".qml"]).getroot()
    renderer = root.find("renderer-v2")
    assert renderer is not None and renderer.get("attr") == c["property"] == "score_siap"
    ranges = renderer.findall("ranges/range")
    found = [float(r.get(end, "")) for r in ranges for end in ("lower", "upper")]
    assert found == pytest.approx([x for pair in expected for x in pair])
    for r, colour in zip(ranges, colours, strict=True):
        symbol = renderer.find(f"symbols/symbol[@name='{r.get('symbol')}']")
        assert symbol is not None
        value = symbol.find("layer/prop[@k='color']")
        assert value is not None
        rgb = tuple(int(x) for x in (value.get("v") or "").split(",")[:3])
        assert rgb == tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))

    rules = ElementTree.parse(files[".sld"]).getroot().findall(f".//{SLD}Rule")
    assert len(rules) == c["k"] + 1
    for i, (lower, upper) in enumerate(expected):
        low = "PropertyIsGreaterThanOrEqualTo" if i == 0 else "PropertyIsGreaterThan"
        literal = rules[i].findtext(f".//{OGC}{low}/{OGC}Literal")
        assert float(literal or "nan") == pytest.approx(lower)
        top = rules[i].findtext(f".//{OGC}PropertyIsLessThanOrEqualTo/{OGC}Literal")
        assert float(top or "nan") == pytest.approx(upper)
        assert rules[i].findtext(f".//{SLD}CssParameter[@name='fill']") == colours[i]

    readme = files["README.txt"].read_text(encoding="utf-8")
    assert "classify=fisher_jenks" in readme and f"weights={WEIGHTS}" in readme
    assert "ketahanan.gpkg" in readme and "Sumber data" in readme
    assert "inasafe" in readme  # the 2007 flood layer's origin


def test_ogrinfo_opens_the_bundle_geopackage(client: TestClient, tmp_path: Path) -> None:
    files = _bundle(client, tmp_path)
    listing = subprocess.run(
        ["ogrinfo", "-ro", "-q", str(files[".gpkg"])],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    for layer in ("kelurahan", "data_dictionary", "classification", "layer_styles"):
        assert layer in listing, listing
    summary = subprocess.run(
        ["ogrinfo", "-ro", "-so", str(files[".gpkg"]), "kelurahan"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    assert "Feature Count: 267" in summary and "class:" in summary


def test_a_filtered_bundle_keeps_the_whole_maps_classes(client: TestClient, tmp_path: Path) -> None:
    whole = _json(client)["classification"]
    utara = _json(client, kode_kota="31.72", classify_scope="collection")
    assert utara["numberMatched"] == 31
    assert utara["classification"]["breaks"] == whole["breaks"]
    files = _bundle(client, tmp_path, kode_kota="31.72", classify_scope="collection")
    root = ElementTree.parse(files[".qml"]).getroot()
    uppers = [float(r.get("upper", "")) for r in root.findall(".//ranges/range")]
    assert uppers == pytest.approx(whole["breaks"])


def test_csv_holds_the_rows_weights_and_classes_shown(client: TestClient) -> None:
    served = _json(client, kode_kota="31.72", sortby="-score_siap")
    response = client.get(
        "/collections/kelurahan/items",
        params={**QUERY, "kode_kota": "31.72", "sortby": "-score_siap", "f": "csv"},
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r["kode"] for r in rows] == [f["properties"]["kode"] for f in served["features"]]
    for row, feature in zip(rows, served["features"], strict=True):
        props = feature["properties"]
        assert float(row["score_siap"]) == pytest.approx(props["score_siap"])
        assert row["class"] == ("" if props["class"] is None else str(props["class"]))
    assert "geometry" not in rows[0]


def test_sortby_orders_every_page_and_puts_empty_values_last(client: TestClient) -> None:
    body = client.get(
        "/collections/kelurahan/items",
        params={"sortby": "-score_siap,nama", "limit": "1000", "properties": "nama,score_siap"},
    ).json()
    values = [f["properties"]["score_siap"] for f in body["features"]]
    present = [v for v in values if v is not None]
    assert present == sorted(present, reverse=True)
    assert values[len(present) :] == [None] * (len(values) - len(present))
    page = client.get(
        "/collections/kelurahan/items",
        params={"sortby": "-score_siap,nama", "limit": "5", "offset": "5", "properties": "nama"},
    ).json()
    names = [f["properties"]["nama"] for f in body["features"][5:10]]
    assert [f["properties"]["nama"] for f in page["features"]] == names
    for bad in ("nope", "-", "a,b,c,d", "nama,-nama"):
        answer = client.get("/collections/kelurahan/items", params={"sortby": bad})
        assert answer.status_code == 400, bad


def _qgis(report_args: list[str]) -> dict[str, Any]:
    probe = subprocess.run(
        [str(DEBIAN_PYTHON), "-c", "import qgis.core"], capture_output=True, timeout=60
    )
    if probe.returncode != 0:
        pytest.skip("QGIS (Debian's python3-qgis) is not installed; .ci/run installs it")
    done = subprocess.run(
        [str(DEBIAN_PYTHON), str(HERE / "qgis_check.py"), *report_args],
        capture_output=True,
        text=True,
        timeout=300,
        env={"QT_QPA_PLATFORM": "offscreen", "HOME": "/tmp"},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    report: dict[str, Any] = json.loads(done.stdout)
    return report


def test_qgis_draws_the_bundle_with_the_maps_classes(client: TestClient, tmp_path: Path) -> None:
    served = _json(client)
    c = served["classification"]
    colours = class_colours(c["k"])
    files = _bundle(client, tmp_path)
    report = _qgis([str(files[".gpkg"]), "kelurahan", str(files[".qml"])])
    assert report["style_loaded"], report.get("message")
    for style in (report, report["stored_style"]):  # the .qml, and the GeoPackage's own
        assert style["renderer"] == "graduatedSymbol" and style["attribute"] == "score_siap"
        assert [r[1] for r in style["ranges"]] == pytest.approx(c["breaks"])
        assert [r[2] for r in style["ranges"]] == colours
    expected = {
        f["properties"]["kode"]: None
        if f["properties"]["class"] is None
        else colours[f["properties"]["class"]]
        for f in served["features"]
    }
    assert report["features"] == expected  # QGIS colours every unit as the map does
    pixels = report["pixels"]
    same = sum(pixels[k] == expected[k] for k in pixels)
    assert len(pixels) >= 40 and same >= 0.9 * len(pixels), pixels
