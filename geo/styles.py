"""Map styles that travel with an export: the class colours, a QGIS ``.qml`` and an SLD.

The colours of a classification with ``n`` classes are those the map page fills its classes
with (:func:`class_colours`); :func:`qml` and :func:`sld` write them, with the breaks of the
items response's ``classification``, as a graduated QGIS renderer and as SLD 1.0 rules, so a
GeoPackage opened with its style shows the classes the planner saw.
"""

from __future__ import annotations

import math
import numbers
from typing import Any
from xml.etree import ElementTree

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


OUTLINE = "#5d4037"
"""The unit outline colour of the map (``web.styles`` draws units with it)."""
OUTLINE_MM = 0.16
"""The unit outline width in QGIS millimetres (about the map's 0.6 px)."""
NO_DATA_FILL = "#d6d6d6"
"""The fill of a unit without a value (the map hatches it over this grey)."""


def number_text(value: Any, lang: str = "id", decimals: int = 3) -> str:
    """A number as planners read it: '1.234,5' in Bahasa Indonesia, '1,234.5' in English.

    Whole numbers keep no decimals; others at most ``decimals``; "–" for a missing value.
    """
    if value is None:
        return "–"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return str(value)
    number = float(value)  # numpy integers and floats too
    if not math.isfinite(number):
        return "–"
    if number.is_integer() and abs(number) >= 1:
        text = f"{int(number):,}"
    else:
        text = f"{number:,.{decimals}f}"
    if lang == "id":  # swap the separators: 1,234.5 -> 1.234,5
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def class_labels(
    breaks: list[float], lowest: float | None, lang: str, decimals: int = 3
) -> list[str]:
    """The legend text of each class, "0,109 – 0,219", as the map's legend writes it."""
    return [
        f"{number_text(lower, lang, decimals)} – {number_text(upper, lang, decimals)}"
        for lower, upper in class_ranges(breaks, lowest)
    ]


def class_ranges(breaks: list[float], lowest: float | None) -> list[tuple[float, float]]:
    """``(lower, upper)`` of each class: class i holds ``(breaks[i-1], breaks[i]]``, class 0
    everything up to ``breaks[0]`` (its lower bound is the smallest value, or the break)."""
    first = breaks[0] if lowest is None else min(lowest, breaks[0])
    lowers = [first, *breaks[:-1]]
    return list(zip(lowers, breaks, strict=True))


def _rgba(colour: str, alpha: int = 255) -> str:
    """``#ffeda0`` as QGIS writes a colour: ``255,237,160,255``."""
    text = colour.lstrip("#")
    red, green, blue = (int(text[i : i + 2], 16) for i in (0, 2, 4))
    return f"{red},{green},{blue},{alpha}"


def _fill_symbol(name: str, colour: str) -> ElementTree.Element:
    symbol = ElementTree.Element(
        "symbol",
        {"type": "fill", "name": name, "alpha": "1", "clip_to_extent": "1", "force_rhr": "0"},
    )
    layer = ElementTree.SubElement(
        symbol, "layer", {"class": "SimpleFill", "enabled": "1", "locked": "0", "pass": "0"}
    )
    props = {
        "color": _rgba(colour),
        "style": "solid",
        "outline_color": _rgba(OUTLINE),
        "outline_style": "solid",
        "outline_width": str(OUTLINE_MM),
        "outline_width_unit": "MM",
        "joinstyle": "bevel",
    }
    options = ElementTree.SubElement(layer, "Option", {"type": "Map"})
    for key, value in props.items():  # QGIS 3.26 and later
        ElementTree.SubElement(options, "Option", {"type": "QString", "name": key, "value": value})
    for key, value in props.items():  # earlier QGIS 3 releases
        ElementTree.SubElement(layer, "prop", {"k": key, "v": value})
    return symbol


def qml(
    prop: str, breaks: list[float], colours: list[str], labels: list[str], lowest: float | None
) -> str:
    """A QGIS layer style (``.qml``): a graduated renderer on ``prop`` with these classes.

    Parameters
    ----------
    prop : str
        The classified property (a field of the layer).
    breaks : list of float
        Class upper bounds (the items response's ``classification.breaks``).
    colours : list of str
        Fill colour of each class (``#rrggbb``), as the map fills it.
    labels : list of str
        The legend text of each class.
    lowest : float or None
        The smallest value (the lower bound of the first class).

    Returns
    -------
    str
        The XML text. QGIS gives a value to the first range with ``lower <= value <= upper``;
        with ascending ranges that is mapclassify's rule (a value on a break belongs to the
        lower class).
    """
    root = ElementTree.Element("qgis", {"version": "3.28.0", "styleCategories": "Symbology"})
    renderer = ElementTree.SubElement(
        root,
        "renderer-v2",
        {
            "type": "graduatedSymbol",
            "attr": prop,
            "graduatedMethod": "GraduatedColor",
            "symbollevels": "0",
            "enableorderby": "0",
            "forceraster": "0",
        },
    )
    ranges = ElementTree.SubElement(renderer, "ranges")
    symbols = ElementTree.SubElement(renderer, "symbols")
    for i, (lower, upper) in enumerate(class_ranges(breaks, lowest)):
        attrs = {"lower": repr(lower), "upper": repr(upper), "symbol": str(i)}
        attrs |= {"label": labels[i], "render": "true"}
        ElementTree.SubElement(ranges, "range", attrs)
        symbols.append(_fill_symbol(str(i), colours[i]))
    ElementTree.SubElement(renderer, "rotation")
    ElementTree.SubElement(renderer, "sizescale")
    ElementTree.SubElement(root, "layerGeometryType").text = "2"  # polygons
    ElementTree.indent(root)
    body = ElementTree.tostring(root, encoding="unicode")
    return "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n" + body + "\n"


SLD = "http://www.opengis.net/sld"
OGC = "http://www.opengis.net/ogc"


def _comparison(kind: str, prop: str, value: float) -> ElementTree.Element:
    node = ElementTree.Element(f"{{{OGC}}}{kind}")
    ElementTree.SubElement(node, f"{{{OGC}}}PropertyName").text = prop
    ElementTree.SubElement(node, f"{{{OGC}}}Literal").text = repr(value)
    return node


def _polygon(rule: ElementTree.Element, fill: str) -> None:
    symbolizer = ElementTree.SubElement(rule, f"{{{SLD}}}PolygonSymbolizer")
    fill_node = ElementTree.SubElement(symbolizer, f"{{{SLD}}}Fill")
    ElementTree.SubElement(fill_node, f"{{{SLD}}}CssParameter", {"name": "fill"}).text = fill
    stroke = ElementTree.SubElement(symbolizer, f"{{{SLD}}}Stroke")
    ElementTree.SubElement(stroke, f"{{{SLD}}}CssParameter", {"name": "stroke"}).text = OUTLINE
    width = ElementTree.SubElement(stroke, f"{{{SLD}}}CssParameter", {"name": "stroke-width"})
    width.text = "0.6"


def sld(
    layer: str,
    prop: str,
    breaks: list[float],
    colours: list[str],
    labels: list[str],
    lowest: float | None,
    no_data_label: str,
) -> str:
    """An SLD 1.0 style: one rule per class (class 0 ``>= lower``, the others ``> lower``,
    all ``<= upper``), and a rule for units without a value.

    Returns
    -------
    str
        The XML text.
    """
    ElementTree.register_namespace("", SLD)
    ElementTree.register_namespace("ogc", OGC)
    root = ElementTree.Element(f"{{{SLD}}}StyledLayerDescriptor", {"version": "1.0.0"})
    named = ElementTree.SubElement(root, f"{{{SLD}}}NamedLayer")
    ElementTree.SubElement(named, f"{{{SLD}}}Name").text = layer
    style = ElementTree.SubElement(named, f"{{{SLD}}}UserStyle")
    ElementTree.SubElement(style, f"{{{SLD}}}Title").text = prop
    features = ElementTree.SubElement(style, f"{{{SLD}}}FeatureTypeStyle")
    for i, (lower, upper) in enumerate(class_ranges(breaks, lowest)):
        rule = ElementTree.SubElement(features, f"{{{SLD}}}Rule")
        ElementTree.SubElement(rule, f"{{{SLD}}}Name").text = f"class {i}"
        ElementTree.SubElement(rule, f"{{{SLD}}}Title").text = labels[i]
        both = ElementTree.SubElement(
            ElementTree.SubElement(rule, f"{{{OGC}}}Filter"), f"{{{OGC}}}And"
        )
        low = "PropertyIsGreaterThanOrEqualTo" if i == 0 else "PropertyIsGreaterThan"
        both.append(_comparison(low, prop, lower))
        both.append(_comparison("PropertyIsLessThanOrEqualTo", prop, upper))
        _polygon(rule, colours[i])
    rule = ElementTree.SubElement(features, f"{{{SLD}}}Rule")
    ElementTree.SubElement(rule, f"{{{SLD}}}Name").text = "no data"
    ElementTree.SubElement(rule, f"{{{SLD}}}Title").text = no_data_label
    empty = ElementTree.SubElement(
        ElementTree.SubElement(rule, f"{{{OGC}}}Filter"), f"{{{OGC}}}PropertyIsNull"
    )
    ElementTree.SubElement(empty, f"{{{OGC}}}PropertyName").text = prop
    _polygon(rule, NO_DATA_FILL)
    ElementTree.indent(root)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        + ElementTree.tostring(root, encoding="unicode")
        + "\n"
    )
