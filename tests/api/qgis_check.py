"""Open an exported GeoPackage with its .qml in QGIS (PyQGIS, headless) and report what QGIS
makes of it: the renderer, its ranges and colours, the colour QGIS gives every feature, the
colour of the rendered map at a point inside features, and the style QGIS finds stored in
the GeoPackage itself (its default when the layer is opened).

Run with Debian's Python, which has PyQGIS (``apt-get install python3-qgis``), not the
project's virtual environment::

    /usr/bin/python3 tests/api/qgis_check.py BUNDLE.gpkg LAYER STYLE.qml > report.json

It prints one JSON object; tests/api/test_export_bundle.py compares it with the items
response's classification and the map's colours.
"""

import json
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (
    QgsApplication,
    QgsMapRendererCustomPainterJob,
    QgsMapSettings,
    QgsRenderContext,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor, QImage, QPainter
from qgis.PyQt.QtXml import QDomDocument

SIZE = 1600
SAMPLES = 60


def renderer_report(layer):
    """The renderer's type, attribute and ranges (lower, upper, colour, label)."""
    renderer = layer.renderer()
    ranges = renderer.ranges() if hasattr(renderer, "ranges") else []
    return {
        "renderer": renderer.type(),
        "attribute": renderer.classAttribute() if hasattr(renderer, "classAttribute") else "",
        "ranges": [
            [r.lowerValue(), r.upperValue(), r.symbol().color().name(), r.label()] for r in ranges
        ],
    }


def feature_colours(layer):
    """The fill colour QGIS gives each feature (None: not drawn), and points inside some."""
    renderer = layer.renderer()
    context = QgsRenderContext()
    renderer.startRender(context, layer.fields())
    colours, samples = {}, []
    for feature in layer.getFeatures():
        symbol = renderer.symbolForFeature(feature, context)
        colour = symbol.color().name() if symbol is not None else None
        colours[str(feature["kode"])] = colour
        if colour is not None and len(samples) < SAMPLES:
            samples.append((str(feature["kode"]), feature.geometry().pointOnSurface().asPoint()))
    renderer.stopRender(context)
    return colours, samples


def rendered_pixels(layer, samples):
    """The colour of the rendered map at each sample point."""
    settings = QgsMapSettings()
    settings.setLayers([layer])
    settings.setDestinationCrs(layer.crs())
    settings.setExtent(layer.extent())
    settings.setOutputSize(QSize(SIZE, SIZE))
    settings.setBackgroundColor(QColor(255, 255, 255))
    image = QImage(QSize(SIZE, SIZE), QImage.Format_ARGB32_Premultiplied)
    image.fill(QColor(255, 255, 255))
    painter = QPainter(image)
    job = QgsMapRendererCustomPainterJob(settings, painter)
    job.start()
    job.waitForFinished()
    painter.end()
    to_pixel = settings.mapToPixel()
    found = {}
    for kode, point in samples:
        pixel = to_pixel.transform(point)
        found[kode] = image.pixelColor(int(pixel.x()), int(pixel.y())).name()
    return found


def main(gpkg, layer_name, qml):
    app = QgsApplication([], False)
    app.initQgis()
    uri = f"{gpkg}|layername={layer_name}"
    stored = QgsVectorLayer(uri, layer_name, "ogr")  # opened as a planner opens it
    if not stored.isValid():
        return {"error": "QGIS could not open the layer"}
    report = {"stored_style": renderer_report(stored)}
    layer = QgsVectorLayer(uri, layer_name, "ogr")
    doc = QDomDocument()
    with open(qml, encoding="utf-8") as handle:
        doc.setContent(handle.read())
    ok, message = layer.importNamedStyle(doc)
    report.update({"style_loaded": bool(ok), "message": message, **renderer_report(layer)})
    colours, samples = feature_colours(layer)
    report["features"] = colours
    report["pixels"] = rendered_pixels(layer, samples)
    report["app"] = bool(app)  # the application lives until the process ends (below)
    return report


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:4])))
    sys.stdout.flush()
    # QGIS's teardown can crash once Python frees layers after it; the report is out.
    os._exit(0)
