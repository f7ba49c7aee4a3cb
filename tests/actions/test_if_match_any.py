"""``If-Match: *`` matches any current version: a write that loses a race to another writer
between its read and its write is applied to the newer version, never answered with 412."""

from __future__ import annotations

from typing import Any

import pytest
from actionkit import point_feature

from geo.actions.records import Action
from geo.actions.store import ActionStore
from geo.errors import PreconditionFailedError

pytestmark = pytest.mark.realdata


def _racing(store: ActionStore, monkeypatch: pytest.MonkeyPatch, times: int) -> None:
    """Make another writer change the action right after each of the next ``times`` reads."""
    read = store.get
    left = [times]

    def get(action_id: str, **kw: Any) -> Action:
        found = read(action_id, **kw)
        if left[0] > 0:
            left[0] -= 1
            other = read(action_id)
            budget = other.to_feature()["properties"].get("budget_idr") or 0
            store.repository.update(
                store._version_of(
                    action_id,
                    store.check(
                        {
                            **other.to_feature(),
                            "properties": {
                                **other.to_feature()["properties"],
                                "budget_idr": budget + 1,
                            },
                        }
                    ),
                    other,
                    "other",
                    other.updated_at,
                ),
                store._bounds(store.check(other.to_feature())),
                other.version,
                "update",
            )
        return found

    monkeypatch.setattr(store, "get", get)


def test_patch_with_any_version_is_applied_over_a_concurrent_update(
    store: ActionStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = store.create(point_feature(budget_idr=0), "ani")
    _racing(store, monkeypatch, 2)
    done = store.patch(made.id, {"properties": {"title": "Pompa baru"}}, None, "rina")
    monkeypatch.undo()
    current = store.get(made.id)
    assert done.version == current.version == 4  # two writes of the other writer, then ours
    props = current.to_feature()["properties"]
    assert props["title"] == "Pompa baru" and props["budget_idr"] == 2  # nothing lost


def test_a_named_version_still_loses_the_race_with_412(
    store: ActionStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = store.create(point_feature(), "ani")
    _racing(store, monkeypatch, 1)
    with pytest.raises(PreconditionFailedError):
        store.patch(made.id, {"properties": {"title": "x"}}, 1, "rina")
    monkeypatch.undo()
    assert store.get(made.id).version == 2
