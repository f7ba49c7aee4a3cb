"""Action validation on tiny exact fixtures (no database, no build)."""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import box

from geo.actions.geometry import parse_geometry
from geo.actions.places import Places, normalise_unit_code
from geo.actions.validate import check_feature, merge_patch
from geo.crs import STORAGE_CRS


@pytest.fixture
def places() -> Places:
    """Two kelurahan side by side in one kecamatan, and one in another."""
    frame = gpd.GeoDataFrame(
        {
            "kode": ["31.71.01.1001", "31.71.01.1002", "31.72.01.1001"],
            "kode_kecamatan": ["31.71.01", "31.71.01", "31.72.01"],
        },
        geometry=[
            box(106.80, -6.20, 106.81, -6.19),
            box(106.81, -6.20, 106.82, -6.19),
            box(106.90, -6.10, 106.91, -6.09),
        ],
        crs=STORAGE_CRS,
    )
    return Places.from_frame(frame)


def feature(geometry: object = None, **props: object) -> dict[str, object]:
    base = {"title": "t", "pillar": "siap", "lead_agency": "a"}
    base.update(props)
    return {"type": "Feature", "geometry": geometry, "properties": base}


def test_touched_kelurahan_are_derived_spatially(places: Places) -> None:
    line = {"type": "LineString", "coordinates": [[106.805, -6.195], [106.815, -6.195]]}
    checked, errors = check_feature(feature(line), places, 100)
    assert errors == []
    assert checked is not None
    assert checked.kelurahan == ["31.71.01.1001", "31.71.01.1002"]
    point = {"type": "Point", "coordinates": [106.905, -6.095]}
    checked, _ = check_feature(feature(point), places, 100)
    assert checked is not None and checked.kelurahan == ["31.72.01.1001"]


def test_codes_expand_and_unknown_codes_are_named(places: Places) -> None:
    checked, errors = check_feature(feature(unit_codes=["317101"]), places, 100)
    assert errors == [] and checked is not None
    assert checked.props.unit_codes == ["31.71.01"]
    assert checked.kelurahan == ["31.71.01.1001", "31.71.01.1002"]
    _, errors = check_feature(feature(unit_codes=["31.71.01.1001", "31.71.01.1999"]), places, 100)
    assert [e["field"] for e in errors] == ["properties.unit_codes.1"]


def test_bow_tie_names_the_crossing() -> None:
    bow = [[106.80, -6.20], [106.81, -6.19], [106.81, -6.20], [106.80, -6.19], [106.80, -6.20]]
    geom, errors = parse_geometry({"type": "Polygon", "coordinates": [bow]}, 100)
    assert geom is None
    assert "Self-intersection[106.805 -6.195]" in errors[0]["message"]


def test_polygons_come_back_counter_clockwise() -> None:
    clockwise = [
        [106.80, -6.20],
        [106.80, -6.19],
        [106.81, -6.19],
        [106.81, -6.20],
        [106.80, -6.20],
    ]
    geom, errors = parse_geometry({"type": "Polygon", "coordinates": [clockwise]}, 100)
    assert errors == [] and geom is not None
    assert geom.exterior.is_ccw


def test_vertex_limit_and_kepulauan_seribu() -> None:
    line = {"type": "LineString", "coordinates": [[106.8, -6.2]] * 11}
    _, errors = parse_geometry(line, 10)
    assert "more than 10 vertices" in errors[0]["message"]
    seribu = {"type": "Point", "coordinates": [106.52, -5.60]}  # Pulau Pramuka area
    assert parse_geometry(seribu, 10)[1] == []


def test_codes_are_normalised() -> None:
    assert normalise_unit_code("3171011001") == "31.71.01.1001"
    assert normalise_unit_code(" 31.71.01 ") == "31.71.01"
    assert normalise_unit_code("31.71") is None


def test_merge_patch_follows_rfc_7396() -> None:
    target = {"a": "b", "c": {"d": "e", "f": "g"}}
    assert merge_patch(target, {"a": "z", "c": {"f": None}}) == {"a": "z", "c": {"d": "e"}}
    assert merge_patch({"a": [1, 2]}, {"a": [3]}) == {"a": [3]}
    assert merge_patch(target, {"c": None}) == {"a": "b"}
