"""GET /auth/me: the page's sign-in asks the API whose token it holds."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from geo.actions.auth import Role, create_token, revoke_token
from geo.actions.store import ActionStore
from geo.settings import Settings


@pytest.fixture
def app_and_store(tmp_path: Path) -> Iterator[tuple[TestClient, ActionStore]]:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'a.sqlite'}", build_path=tmp_path / "none.gpkg"
    )
    store = ActionStore.from_settings(settings)
    store.migrate()
    yield TestClient(create_app(settings), raise_server_exceptions=False), store
    store.dispose()


def test_names_the_token_and_its_role(app_and_store: tuple[TestClient, ActionStore]) -> None:
    client, store = app_and_store
    planner, _ = create_token(store, "Rina (BAPPEDA)", Role.planner)
    viewer, _ = create_token(store, "Budi (BPBD)", Role.viewer)
    answer = client.get("/auth/me", headers={"Authorization": f"Bearer {planner}"})
    assert answer.status_code == 200
    assert answer.json() == {"name": "Rina (BAPPEDA)", "role": "planner", "can_write": True}
    assert answer.headers["cache-control"] == "no-store"
    answer = client.get("/auth/me", headers={"Authorization": f"Bearer {viewer}"})
    assert answer.json() == {"name": "Budi (BPBD)", "role": "viewer", "can_write": False}


def test_refuses_no_token_a_wrong_one_and_a_revoked_one(
    app_and_store: tuple[TestClient, ActionStore],
) -> None:
    client, store = app_and_store
    secret, _ = create_token(store, "Sari", Role.admin)
    assert client.get("/auth/me").status_code == 401
    for header in ("Bearer not-a-token", "Basic abc", "Bearer "):
        answer = client.get("/auth/me", headers={"Authorization": header})
        assert answer.status_code == 401, header
        assert answer.json()["code"] == "unauthorized"
    assert client.get("/auth/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    revoke_token(store, "Sari")
    answer = client.get("/auth/me", headers={"Authorization": f"Bearer {secret}"})
    assert answer.status_code == 401
    assert secret not in answer.text


def test_an_admin_revokes_a_token_over_http(app_and_store: tuple[TestClient, ActionStore]) -> None:
    client, store = app_and_store
    admin, _ = create_token(store, "Sari (admin)", Role.admin)
    planner, made = create_token(store, "Rina", Role.planner)
    answer = client.delete("/auth/tokens/Rina", headers={"Authorization": f"Bearer {admin}"})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["name"] == "Rina" and body["id"] == made.id and body["role"] == "planner"
    assert body["revoked_at"]
    assert answer.headers["cache-control"] == "no-store"
    refused = client.get("/auth/me", headers={"Authorization": f"Bearer {planner}"})
    assert refused.status_code == 401
    assert "revoked" in refused.json()["description"]
    # again (by id): still revoked, at the first time
    again = client.delete(f"/auth/tokens/{made.id}", headers={"Authorization": f"Bearer {admin}"})
    assert again.status_code == 200 and again.json()["revoked_at"] == body["revoked_at"]


def test_only_an_admin_may_revoke_and_only_a_known_token(
    app_and_store: tuple[TestClient, ActionStore],
) -> None:
    client, store = app_and_store
    admin, _ = create_token(store, "Sari (admin)", Role.admin)
    planner, _ = create_token(store, "Rina", Role.planner)
    assert client.delete("/auth/tokens/Rina").status_code == 401
    weak = client.delete("/auth/tokens/Rina", headers={"Authorization": f"Bearer {planner}"})
    assert weak.status_code == 403 and weak.json()["code"] == "forbidden"
    assert client.get("/auth/me", headers={"Authorization": f"Bearer {planner}"}).is_success
    unknown = client.delete("/auth/tokens/nobody", headers={"Authorization": f"Bearer {admin}"})
    assert unknown.status_code == 404 and unknown.json()["code"] == "not_found"
