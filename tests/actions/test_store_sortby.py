"""``sortby`` of the actions in the store, on SQLite and PostGIS: sorted in SQL, ties broken
on the feature id so pages of a sorted, filtered listing neither overlap nor skip."""

from __future__ import annotations

import pytest
from actionkit import point_feature

from geo.actions.records import ActionFilter
from geo.actions.store import ActionStore
from geo.ogc.cql import parse_filter
from geo.ogc.providers.actions import FILTERABLE

pytestmark = pytest.mark.realdata  # the store places actions on the real build

PILLARS = ("siap", "sehat", "terhubung")


def test_sorted_pages_are_stable_and_filtered(store: ActionStore) -> None:
    for i in range(12):
        store.create(
            point_feature(title=f"Aksi {i:02d}", pillar=PILLARS[i % 3], progress=10 * (i % 4)),
            "ani",
        )
    flt = ActionFilter(cql=parse_filter("progress >= 10", None, FILTERABLE, geometry=True))
    order = (("pillar", True), ("progress", False))  # sortby=-pillar,progress: many ties
    every, total = store.query(flt, order=order)
    assert total == 9 == len(every)
    paged = []
    for offset in range(0, total, 2):
        page, count = store.query(flt, limit=2, offset=offset, order=order)
        assert count == total
        paged += page
    assert [a.id for a in paged] == [a.id for a in every]
    assert len({a.id for a in paged}) == total
    keys = [(a.props["pillar"], a.props["progress"]) for a in every]
    assert [k[0] for k in keys] == sorted((k[0] for k in keys), reverse=True)
    for pillar in PILLARS:
        progress = [k[1] for k in keys if k[0] == pillar]
        assert progress == sorted(progress)
    assert all(a.props["progress"] >= 10 for a in every)
