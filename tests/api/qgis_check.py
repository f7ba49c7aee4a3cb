"""Open an exported GeoPackage with its .qml in QGIS (PyQGIS, headless) and report what QGIS
makes of it: the renderer, its ranges and colours, the colour QGIS gives every feature, and
the colour of the rendered map at a point inside each of some features.

Run with Debian's Python, which has PyQGIS (``apt-get install python3-qgis``), not the
project's virtual environment::

    /usr/bin/python3 tests/api/qgis_check.py BUNDLE.gpkg LAYER STYLE.qml > report.json

It prints one JSON object; the test that runs it (tests/api/test_export_bundle.py) compares
it with the items response's classification and the map's colours.
"""

import json
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (
    QgsApplication,
    QgsMapRendererSequentialJob,
    QgsMapSettings,
    QgsRenderContext,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor

SAMPLES = 40


def main(gpkg, layer_name, qml):
    app = QgsApplication([], False)
    app.initQgis()
    try:
        layer = QgsVectorLayer(f"{gpkg}|layername={layer_name}", layer_name, "ogr")
        if not layer.isValid():
            return {"error": "QGIS could not open the layer"}
        message, ok = layer.loadNamedStyle(qml)
        renderer = layer.renderer()
        report = {
            "style_loaded": bool(ok),
            "message": message,
            "renderer": renderer.type(),
            "attribute": renderer.classAttribute() if hasattr(renderer, "classAttribute") else "",
            "ranges": [
                [r.lowerValue(), r.upperValue(), r.symbol().color().name(), r.label()]
                for r in (renderer.ranges() if hasattr(renderer, "ranges") else [])
            ],
            "features": {},
            "pixels": {},
        }
        context = QgsRenderContext()
        renderer.startRender(context, layer.fields())
        samples = []
        for feature in layer.getFeatures():
            symbol = renderer.symbolForFeature(feature, context)
            colour = symbol.color().name() if symbol is not None else None
            report["features"][str(feature["kode"])] = colour
            if colour is not None and len(samples) < SAMPLES:
                point = feature.geometry().pointOnSurface().asPoint()
                samples.append((str(feature["kode"]), point))
        renderer.stopRender(context)

        settings = QgsMapSettings()
        settings.setLayers([layer])
        settings.setDestinationCrs(layer.crs())
        settings.setExtent(layer.extent())
        settings.setOutputSize(QSize(1600, 1600))
        settings.setBackgroundColor(QColor(255, 255, 255))
        job = QgsMapRendererSequentialJob(settings)
        job.start()
        job.waitForFinished()
        image = job.renderedImage()
        to_pixel = settings.mapToPixel()
        for kode, point in samples:
            pixel = to_pixel.transform(point)
            report["pixels"][kode] = image.pixelColor(int(pixel.x()), int(pixel.y())).name()
        return report
    finally:
        app.exitQgis()


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:4])))
