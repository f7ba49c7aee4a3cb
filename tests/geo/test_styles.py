"""The QGIS and SLD styles of an export: every class's range and colour, exactly."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest

from geo.styles import class_colours, class_ranges, qml, sld

OGC = "{http://www.opengis.net/ogc}"
SLD = "{http://www.opengis.net/sld}"
BREAKS = [0.2, 0.45, 0.8]


def test_class_colours_are_the_maps_ramp() -> None:
    assert class_colours(5) == ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"]
    assert class_colours(1) == ["#fecc5c"]
    assert [len(class_colours(n)) for n in range(1, 10)] == list(range(1, 10))


def test_class_ranges_follow_the_upper_bound_rule() -> None:
    assert class_ranges(BREAKS, 0.05) == [(0.05, 0.2), (0.2, 0.45), (0.45, 0.8)]
    assert class_ranges([3.0], 3.0) == [(3.0, 3.0)]
    assert class_ranges(BREAKS, None) == [(0.2, 0.2), (0.2, 0.45), (0.45, 0.8)]


def test_qml_is_a_graduated_renderer_of_the_breaks() -> None:
    colours = class_colours(3)
    text = qml("score_siap", BREAKS, colours, ["a", "b", "c"], 0.05)
    assert text.startswith("<!DOCTYPE qgis")
    root = ElementTree.fromstring(text)
    renderer = root.find("renderer-v2")
    assert renderer is not None
    assert (renderer.get("type"), renderer.get("attr")) == ("graduatedSymbol", "score_siap")
    ranges = renderer.findall("ranges/range")
    assert [(float(r.get("lower", "")), float(r.get("upper", ""))) for r in ranges] == [
        (0.05, 0.2),
        (0.2, 0.45),
        (0.45, 0.8),
    ]
    assert [r.get("label") for r in ranges] == ["a", "b", "c"]
    symbols = {s.get("name"): s for s in renderer.findall("symbols/symbol")}
    for r, colour in zip(ranges, colours, strict=True):
        symbol = symbols[r.get("symbol")]
        new = symbol.find("layer/Option/Option[@name='color']")
        old = symbol.find("layer/prop[@k='color']")
        assert new is not None and old is not None
        rgb = tuple(int(c) for c in (new.get("value") or "").split(",")[:3])
        assert rgb == tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
        assert old.get("v") == new.get("value")


def test_sld_rules_match_the_classes_and_name_no_data() -> None:
    colours = class_colours(3)
    root = ElementTree.fromstring(
        sld("kelurahan", "score_siap", BREAKS, colours, ["a", "b", "c"], 0.05, "tidak ada data")
    )
    rules = root.findall(f".//{SLD}Rule")
    assert len(rules) == 4
    for i, (rule, (lower, upper)) in enumerate(
        zip(rules, class_ranges(BREAKS, 0.05), strict=False)
    ):
        low = "PropertyIsGreaterThanOrEqualTo" if i == 0 else "PropertyIsGreaterThan"
        assert float(rule.findtext(f".//{OGC}{low}/{OGC}Literal") or "nan") == lower
        assert (
            float(rule.findtext(f".//{OGC}PropertyIsLessThanOrEqualTo/{OGC}Literal") or "nan")
            == upper
        )
        assert rule.findtext(f".//{SLD}CssParameter[@name='fill']") == colours[i]
    assert rules[3].find(f".//{OGC}PropertyIsNull") is not None
    assert rules[3].findtext(f"{SLD}Title") == "tidak ada data"


@pytest.mark.parametrize("k", [1, 2, 5, 9])
def test_every_class_count_makes_valid_xml(k: int) -> None:
    breaks = [float(i + 1) for i in range(k)]
    labels = [str(b) for b in breaks]
    ElementTree.fromstring(qml("v", breaks, class_colours(k), labels, 0.0))
    ElementTree.fromstring(sld("l", "v", breaks, class_colours(k), labels, 0.0, "-"))
