"""Which actions touch the replay's flooded places: geometry against RWs, or attached kelurahan."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import numpy as np
from shapely.geometry import LineString, Point, box

from geo.actions.records import Action
from geo.flood_actions import flood_links, touching

NOW = datetime(2026, 1, 1, tzinfo=UTC)
RWS = np.asarray(
    [box(106.80, -6.20, 106.81, -6.19), box(106.82, -6.20, 106.83, -6.19)], dtype=object
)


def action(id_: str, geometry: Any, kelurahan: list[str], deleted: bool = False) -> Action:
    return Action(
        id=id_,
        props={"title": f"<b>{id_}</b>", "pillar": "siap", "status": "planned"},
        geometry=geometry,
        kelurahan=kelurahan,
        created_by="t",
        created_at=NOW,
        updated_by="t",
        updated_at=NOW,
        version=1,
        deleted=deleted,
    )


def test_geometry_counts_by_the_rws_it_intersects_not_by_its_kelurahan() -> None:
    inside = action("a", Point(106.805, -6.195), ["31.71.01.1001"])
    far = action("b", Point(106.90, -6.30), ["31.71.01.1001"])  # same kelurahan, no flooded RW
    across = action("c", LineString([(106.805, -6.195), (106.825, -6.195)]), ["31.71.01.1001"])
    links = {link.id: link for link in flood_links([inside, far, across], RWS)}
    assert set(links) == {"a", "c"}
    assert links["a"].rw == (0,) and links["a"].kelurahan == ()
    assert links["c"].rw == (0, 1)
    assert links["a"].title == "<b>a</b>"  # kept as text; the page writes it with textContent


def test_attached_actions_count_by_their_kelurahan_and_deleted_ones_never() -> None:
    unit = action("u", None, ["31.71.01.1001", "31.71.01.1002"])
    gone = action("g", Point(106.805, -6.195), [], deleted=True)
    links = flood_links([unit, gone], RWS)
    assert [link.id for link in links] == ["u"]
    assert links[0].rw == () and links[0].kelurahan == ("31.71.01.1001", "31.71.01.1002")


def test_touching_an_hour_needs_one_of_its_rws_or_kelurahan() -> None:
    links = flood_links(
        [action("a", Point(106.805, -6.195), []), action("u", None, ["31.71.01.1002"])], RWS
    )
    assert [x.id for x in touching(links, [0], [])] == ["a"]
    assert [x.id for x in touching(links, [1], ["31.71.01.1002"])] == ["u"]
    assert touching(links, [], []) == []
    assert touching(flood_links([], RWS), [0, 1], ["31.71.01.1002"]) == []
