"""CQL2 filters of the actions in the store, on SQLite and PostGIS: bound-parameter SQL whose
answer is known by hand, the same on both dialects."""

from __future__ import annotations

import pytest
from actionkit import point_feature

from geo.actions.records import ActionFilter
from geo.actions.store import ActionStore
from geo.ogc.cql import parse_filter
from geo.ogc.providers.actions import FILTERABLE

pytestmark = pytest.mark.realdata  # the store places actions on the real build

GAMBIR = (106.8272, -6.1754)
PLUIT = (106.7909, -6.1094)
CENTRAL = "BBOX(106.80,-6.20,106.85,-6.15)"  # holds Gambir, not Pluit


def _titles(store: ActionStore, text: str, lang: str = "cql2-text") -> list[str]:
    tree = parse_filter(text, lang, FILTERABLE, geometry=True)
    actions, total = store.query(ActionFilter(cql=tree))
    assert total == len(actions)
    return sorted(a.props["title"] for a in actions)


@pytest.fixture
def three(store: ActionStore) -> ActionStore:
    store.create(
        point_feature(*GAMBIR, title="Sumur resapan Monas", progress=40, budget_idr=5_000_000),
        "ani",
    )
    store.create(
        point_feature(
            *PLUIT, title="Rumah pompa Pluit", pillar="sehat", lead_agency="Dinas SDA", progress=80
        ),
        "ani",
    )
    store.create(
        {
            "type": "Feature",
            "geometry": None,
            "properties": {
                "title": "tanggul 100%",
                "pillar": "siap",
                "lead_agency": "BPBD DKI",
                "unit_codes": ["31.72.01"],
            },
        },
        "ani",
    )
    return store


def test_comparisons_logic_and_null(three: ActionStore) -> None:
    everything = ["Rumah pompa Pluit", "Sumur resapan Monas", "tanggul 100%"]
    assert _titles(three, "progress > 50") == ["Rumah pompa Pluit"]
    assert _titles(three, "50 > progress") == ["Sumur resapan Monas", "tanggul 100%"]  # 0
    assert _titles(three, "progress >= 40 AND pillar = 'siap'") == ["Sumur resapan Monas"]
    assert _titles(three, "pillar = 'sehat' OR progress = 0") == [
        "Rumah pompa Pluit",
        "tanggul 100%",
    ]
    assert _titles(three, "budget_idr IS NULL") == ["Rumah pompa Pluit", "tanggul 100%"]
    assert _titles(three, "NOT budget_idr IS NULL") == ["Sumur resapan Monas"]
    # three-valued logic: NOT (budget_idr > x) is unknown where budget_idr is null
    assert _titles(three, "NOT (budget_idr > 1000000000)") == ["Sumur resapan Monas"]
    assert _titles(three, "progress <> 40") == ["Rumah pompa Pluit", "tanggul 100%"]
    assert _titles(three, "TRUE") == everything
    assert _titles(three, "FALSE OR TRUE AND NOT FALSE") == everything


def test_like_in_between_are_exact_and_case_sensitive(three: ActionStore) -> None:
    assert _titles(three, "title LIKE 'Rumah%'") == ["Rumah pompa Pluit"]
    assert _titles(three, "title LIKE 'rumah%'") == []  # case-sensitive on SQLite too
    assert _titles(three, "title LIKE '%100\\%'") == ["tanggul 100%"]  # escaped %
    assert _titles(three, "title LIKE 'Sumur_resapan%'") == ["Sumur resapan Monas"]
    assert _titles(three, "lead_agency IN ('Dinas Sumber Daya Air', 'x')") == ["Rumah pompa Pluit"]
    assert _titles(three, "progress BETWEEN 30 AND 50") == ["Sumur resapan Monas"]
    assert _titles(three, "version = 1 AND created_at > TIMESTAMP('2000-01-01T00:00:00Z')") == [
        "Rumah pompa Pluit",
        "Sumur resapan Monas",
        "tanggul 100%",
    ]
    assert _titles(three, "created_at < TIMESTAMP('2000-01-01T00:00:00Z')") == []
    everything = ["Rumah pompa Pluit", "Sumur resapan Monas", "tanggul 100%"]
    since_2000 = "INTERVAL('2000-01-01T00:00:00Z','..')"
    assert _titles(three, f"T_INTERSECTS(created_at, {since_2000})") == everything
    assert _titles(three, f"T_DURING(updated_at, {since_2000})") == everything
    assert _titles(three, "T_AFTER(created_at, DATE('2000-01-01'))") == everything
    assert _titles(three, f"T_BEFORE(created_at, {since_2000})") == []
    assert _titles(three, "T_EQUALS(created_at, TIMESTAMP('2000-01-01T00:00:00Z'))") == []


def test_spatial_functions(three: ActionStore) -> None:
    assert _titles(three, f"S_INTERSECTS(geometry, {CENTRAL})") == ["Sumur resapan Monas"]
    assert _titles(three, f"S_WITHIN(geometry, {CENTRAL})") == ["Sumur resapan Monas"]
    assert _titles(three, f"S_DISJOINT(geometry, {CENTRAL})") == ["Rumah pompa Pluit"]
    point = f"POINT({GAMBIR[0]} {GAMBIR[1]})"
    assert _titles(three, f"S_EQUALS(geometry, {point})") == ["Sumur resapan Monas"]
    polygon = "POLYGON((106.78 -6.12, 106.80 -6.12, 106.80 -6.10, 106.78 -6.10, 106.78 -6.12))"
    assert _titles(three, f"S_INTERSECTS(geometry, {polygon}) AND progress > 10") == [
        "Rumah pompa Pluit"
    ]
    as_json = (
        '{"op": "s_intersects", "args": [{"property": "geometry"}, '
        '{"type": "Point", "coordinates": [106.7909, -6.1094]}]}'
    )
    assert _titles(three, as_json, "cql2-json") == ["Rumah pompa Pluit"]


def test_hostile_text_is_a_bound_value(three: ActionStore) -> None:
    assert _titles(three, "title = 'x'' OR 1=1 --'") == []
    assert _titles(three, "title LIKE '%''; DROP TABLE actions; --%'") == []
    assert len(_titles(three, "TRUE")) == 3  # nothing was dropped


def test_a_whole_float_past_64_bits_is_compared_as_a_float(three: ActionStore) -> None:
    """cql2 reads 18446744073709551617 as the float 1.8e19: it is compared, not cast to int."""
    assert _titles(three, "progress < 18446744073709551617") == [
        "Rumah pompa Pluit",
        "Sumur resapan Monas",
        "tanggul 100%",
    ]
    assert _titles(three, "progress > 18446744073709551617") == []
