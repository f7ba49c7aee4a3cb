"""The offline context lines on tiny exact geometries: each border drawn once, by kind."""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry import LineString, box

from geo.context import context_lines


def test_borders_are_drawn_once_by_kind() -> None:
    # two kota side by side (a 2 x 1 degree block around Jakarta), each cut in two kecamatan
    west, east = box(106.0, -7.0, 107.0, -6.0), box(107.0, -7.0, 108.0, -6.0)
    kecamatan = np.array(
        [
            box(106.0, -7.0, 106.5, -6.0),
            box(106.5, -7.0, 107.0, -6.0),
            box(107.0, -7.0, 107.5, -6.0),
            box(107.5, -7.0, 108.0, -6.0),
        ]
    )
    river = LineString([(106.2, -6.9), (106.2000001, -6.5), (106.2, -6.1)])
    found = dict(context_lines(np.array([west, east]), kecamatan, {"waterways": np.array([river])}))
    assert list(found) == ["coast", "kota", "kecamatan", "waterways"]
    assert abs(found["coast"].length - 6.0) < 1e-9  # the province's outline
    assert abs(found["kota"].length - 1.0) < 1e-5  # only the shared edge of the kota
    assert found["kota"].distance(shapely.Point(107.0, -6.5)) < 1e-9
    assert abs(found["kecamatan"].length - 2.0) < 1e-5  # the two inner kecamatan edges
    assert found["kecamatan"].distance(shapely.Point(107.0, -6.5)) > 0.4
    assert len(shapely.get_coordinates(found["waterways"])) == 2  # simplified in metres


def test_missing_line_layers_are_left_out() -> None:
    kota = np.array([box(106.0, -7.0, 107.0, -6.0)])
    found = dict(context_lines(kota, kota, {}))
    assert set(found) == {"coast"}  # one kota: no inner borders, no lines
