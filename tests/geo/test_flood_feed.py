"""Reading one fetch of the flood feed: the archive and live forms, TopoJSON, and every fault
refused whole (empty, truncated, garbage, no id, a state outside 1-4, a bad time)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from floodkit import live_form, snapshot_files

from geo.errors import FeedError
from geo.flood.feed import parse_feed
from geo.flood.follower import parse_duration
from geo.settings import Settings

HOUR = "2017-02-21T13:00:00"


@pytest.fixture(scope="module")
def snapshot(real_settings: Settings) -> Path:
    return snapshot_files(real_settings.data_dir)[HOUR]


@pytest.mark.realdata
def test_archive_and_live_forms_read_alike(snapshot: Path) -> None:
    archive = parse_feed(snapshot.read_bytes())
    live = parse_feed(live_form(snapshot))
    assert len(archive) == len(live) == 168
    assert [(a.geom_id, a.state, a.last_updated) for a in archive] == [
        (a.geom_id, a.state, a.last_updated) for a in live
    ]
    assert all(a.geometry is not None for a in archive)
    # the archive's local time without an offset is UTC+7
    first = json.loads(snapshot.read_text())["features"][0]["properties"]["changed"]
    assert archive[0].last_updated is not None
    assert archive[0].last_updated.hour == (int(first[11:13]) - 7) % 24


@pytest.mark.realdata
def test_topojson_and_wrapped_result(snapshot: Path) -> None:
    """The same areas as a TopoJSON Topology (one arc per ring), wrapped as CogniCity does."""
    doc = json.loads(live_form(snapshot))
    arcs, geometries = [], []
    for feature in doc["features"][:5]:
        geom = feature["geometry"]
        polygons = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
        parts = []
        for polygon in polygons:
            rings = []
            for ring in polygon:
                arcs.append(ring)
                rings.append([len(arcs) - 1])
            parts.append(rings)
        kind, value = ("Polygon", parts[0]) if len(parts) == 1 else ("MultiPolygon", parts)
        props = {**feature["properties"], "area_id": str(len(geometries) + 1)}
        geometries.append({"type": kind, "arcs": value, "properties": props})
    topo = {
        "type": "Topology",
        "objects": {"output": {"type": "GeometryCollection", "geometries": geometries}},
        "arcs": arcs,
    }
    areas = parse_feed(json.dumps({"statusCode": 200, "result": topo}).encode())
    plain = parse_feed(live_form(snapshot))[:5]
    assert [a.area_id for a in areas] == ["1", "2", "3", "4", "5"]
    for got, want in zip(areas, plain, strict=True):
        assert got.geometry is not None and want.geometry is not None
        assert got.geometry.equals_exact(want.geometry, 1e-9)


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b'{"type": "FeatureCollection", "features": [{"type": "Feat', "not JSON"),
        (b"\x00\xffgarbage", "not JSON"),
        (b"[1, 2, 3]", "not a GeoJSON"),
        (b'{"type": "Feature"}', "not a GeoJSON"),
        (b'{"type": "FeatureCollection"}', "no features"),
        (b'{"type": "FeatureCollection", "features": [{"properties": {"state": 2}}]}', "neither"),
        (
            b'{"type": "FeatureCollection", "features": '
            b'[{"properties": {"geom_id": 1, "state": 5}}]}',
            "state",
        ),
        (
            b'{"type": "FeatureCollection", "features": '
            b'[{"properties": {"geom_id": 1, "state": "x"}}]}',
            "state",
        ),
        (
            b'{"type": "FeatureCollection", "features": '
            b'[{"properties": {"geom_id": 1, "state": 2.5}}]}',
            "state",
        ),
        (
            b'{"type": "FeatureCollection", "features": [{"properties": {"geom_id": 1, "state": 2, '
            b'"last_updated": "yesterday"}}]}',
            "last_updated",
        ),
        (b'{"type": "Topology", "objects": {}}', "no objects"),
    ],
)
def test_faults_are_refused_whole(body: bytes, says: str) -> None:
    with pytest.raises(FeedError, match=says):
        parse_feed(body)


def test_no_flooded_rw_is_a_good_feed() -> None:
    assert parse_feed(b'{"type": "FeatureCollection", "features": []}') == []


@pytest.mark.parametrize(("text", "seconds"), [("30s", 30), ("5m", 300), ("1h", 3600), ("90", 90)])
def test_durations(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "0", "5 minutes", "-5m", "1d", "9999999h"])
def test_bad_durations(text: str) -> None:
    from geo.errors import InvalidParameterError

    with pytest.raises(InvalidParameterError, match="--every"):
        parse_duration(text)
