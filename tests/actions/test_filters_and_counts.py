"""The tracker's filters in the store (kota, kecamatan, text) and the actions per unit, on
SQLite and PostGIS: exact small cases whose answer is known by hand."""

from __future__ import annotations

import pytest
from actionkit import point_feature

from geo.actions.records import ActionFilter
from geo.actions.store import ActionStore

pytestmark = pytest.mark.realdata  # the store places actions on the real build

GAMBIR = (106.8272, -6.1754)  # Monas: kelurahan Gambir, kecamatan Gambir, Jakarta Pusat
PLUIT = (106.7909, -6.1094)  # kelurahan Pluit, kecamatan Penjaringan, Jakarta Utara

TEST_ORGANISATIONS = ("PT 100% Air_Bersih",)
"""Organisations only these tests use (added by conftest)."""


def _titles(store: ActionStore, **flt: str) -> list[str]:
    actions, total = store.query(ActionFilter(**flt))
    assert total == len(actions)
    return sorted(a.props["title"] for a in actions)


def test_kota_kecamatan_and_text_filters(store: ActionStore) -> None:
    store.create(point_feature(*GAMBIR, title="Sumur resapan Monas"), "ani")
    store.create(
        point_feature(*PLUIT, title="Rumah pompa Pluit", partners=["PT 100% Air_Bersih"]), "ani"
    )
    store.create(
        {
            "type": "Feature",
            "geometry": None,
            "properties": {
                "title": "Tanggul Muara Baru",
                "pillar": "siap",
                "lead_agency": "Dinas Sumber Daya Air",
                "description": "Penguatan tanggul pantai",
                "unit_codes": ["31.72.01"],
            },
        },
        "ani",
    )
    assert _titles(store, kota="31.72") == ["Rumah pompa Pluit", "Tanggul Muara Baru"]
    assert _titles(store, kota="31.71") == ["Sumur resapan Monas"]
    assert _titles(store, kecamatan="31.72.01") == ["Rumah pompa Pluit", "Tanggul Muara Baru"]
    assert _titles(store, kecamatan="31.72.02") == []
    assert _titles(store, text="POMPA") == ["Rumah pompa Pluit"]  # any case
    assert _titles(store, text="sumber daya") == ["Tanggul Muara Baru"]  # agency, all words
    assert _titles(store, text="pantai tanggul") == ["Tanggul Muara Baru"]  # description
    assert _titles(store, text="100%") == ["Rumah pompa Pluit"]  # partners; % is text
    assert _titles(store, text="air_bersih") == ["Rumah pompa Pluit"]  # _ is text too
    assert _titles(store, text="%") == ["Rumah pompa Pluit"]
    assert _titles(store, text="monas", kota="31.72") == []


def test_actions_touching_each_unit_count_each_action_once(store: ActionStore) -> None:
    store.create(point_feature(*PLUIT, title="a"), "ani")
    store.create(point_feature(*PLUIT, title="b", pillar="sehat"), "ani")
    whole = store.create(
        {
            "type": "Feature",
            "geometry": None,
            "properties": {
                "title": "c",
                "pillar": "siap",
                "lead_agency": "BPBD",
                "unit_codes": ["31.72.01"],
            },
        },
        "ani",
    )
    kelurahan = store.actions_touching("siap", 4)
    assert kelurahan["31.72.01.1005"] == 2  # Pluit: its point and the whole kecamatan
    assert len(kelurahan) == 5 and set(kelurahan.values()) <= {1, 2}
    assert store.actions_touching("siap", 3) == {"31.72.01": 2}
    assert store.actions_touching("siap", 2) == {"31.72": 2}
    assert store.actions_touching("sehat", 2) == {"31.72": 1}
    store.delete(whole.id, whole.version, "ani")
    assert store.actions_touching("siap", 3) == {"31.72.01": 1}
    assert store.actions_touching("terhubung", 4) == {}
