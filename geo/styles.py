"""Map styles that travel with an export: the class colours, a QGIS ``.qml`` and an SLD.

The colours of a classification with ``n`` classes are those the map page fills its classes
with (:func:`class_colours`); :func:`qml` and :func:`sld` write them, with the breaks of the
items response's ``classification``, as a graduated QGIS renderer and as SLD 1.0 rules, so a
GeoPackage opened with its style shows the classes the planner saw.
"""

from __future__ import annotations

from branca.utilities import color_brewer

RAMP = "YlOrRd"
"""The ColorBrewer scheme of the choropleth classes (low = light yellow, high = dark red)."""


def class_colours(n: int) -> list[str]:
    """The fill colours of a classification with ``n`` classes, lightest first.

    ColorBrewer YlOrRd for 3 to 9 classes; one or two classes take alternate colours of the
    four-class ramp (ColorBrewer starts at three).
    """
    if n >= 3:
        return [str(c) for c in color_brewer(RAMP, n)]
    return [str(c) for c in color_brewer(RAMP, 4)[1::2][:n]]
