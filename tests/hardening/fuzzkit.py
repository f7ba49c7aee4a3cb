"""Helpers of the hardening tests: an app on the real build with a fresh actions store."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app import create_app
from api.store import served_build
from geo.actions.auth import Role, create_token
from geo.actions.store import Action, ActionStore
from geo.settings import Settings
from geo.snapshot import BuildSnapshot


def point_feature(lon: float = 106.8272, lat: float = -6.1754, **props: Any) -> dict[str, Any]:
    """A valid action at a point (default: Monas, kelurahan Gambir)."""
    properties = {"title": "Pompa banjir", "pillar": "siap", "lead_agency": "BPBD DKI"}
    properties.update(props)
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": properties,
    }


@dataclass
class Harness:
    """An app over the real build, its actions store, seeded actions and tokens."""

    app: FastAPI
    client: TestClient
    store: ActionStore
    settings: Settings
    planner: str
    viewer: str
    actions: list[Action]

    def features(self) -> BuildSnapshot:
        """The app's build snapshot (collections and their feature ids)."""
        return self.client.portal.call(served_build(self.app).snapshot)  # type: ignore[union-attr]

    def auth(self, secret: str | None = None) -> dict[str, str]:
        """The Authorization header of a token (the planner's by default)."""
        return {"Authorization": f"Bearer {secret or self.planner}"}


def make_harness(real_build: Settings, folder: Path, **overrides: Any) -> Harness:
    """Build a :class:`Harness` with a SQLite actions store in ``folder``."""
    settings = real_build.model_copy(
        update={
            "database_url": f"sqlite:///{folder / 'actions.sqlite'}",
            "items_warm_zooms": [],
            **overrides,
        }
    )
    store = ActionStore.from_settings(settings)
    store.migrate()
    planner = create_token(store, "fuzz-planner", Role.planner)[0]
    viewer = create_token(store, "fuzz-viewer", Role.viewer)[0]
    actions = [
        store.create(point_feature(), "seed"),
        store.create(point_feature(106.80, -6.22, title="Halte", pillar="terhubung"), "seed"),
        store.create(
            {
                "type": "Feature",
                "geometry": None,
                "properties": {
                    "title": "Bank sampah",
                    "pillar": "sehat",
                    "lead_agency": "DLH",
                    "unit_codes": ["31.71.01"],
                },
            },
            "seed",
        ),
    ]
    app = create_app(settings)
    client = TestClient(app, raise_server_exceptions=False)
    return Harness(app, client, store, settings, planner, viewer, actions)


@pytest.fixture(scope="module")
def harness(real_build: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Harness]:
    """A :class:`Harness` shared by a test module (start-up run once)."""
    h = make_harness(real_build, tmp_path_factory.mktemp("hardening"))
    with h.client:
        yield h
    h.store.dispose()
    if getattr(h.app.state, "action_store", None) is not None:
        h.app.state.action_store.dispose()
