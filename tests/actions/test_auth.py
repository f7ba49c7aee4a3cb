"""Bearer tokens: 401 without or with a revoked token, 403 for a viewer writing."""

from __future__ import annotations

import logging

import pytest
import sqlalchemy as sa
from actionkit import Tokens, counts, point_feature
from fastapi.testclient import TestClient

from api.app import create_app
from geo.actions.auth import Role, authenticate, create_token, hash_token, revoke_token
from geo.actions.store import ActionStore
from geo.errors import ConflictError, InvalidParameterError, UnauthorizedError
from geo.settings import Settings

pytestmark = pytest.mark.realdata

ITEMS = "/collections/actions/items"


def test_write_needs_a_planner_token(
    client: TestClient, store: ActionStore, tokens: Tokens
) -> None:
    feature = point_feature()
    no_token = client.post(ITEMS, json=feature)
    assert no_token.status_code == 401
    assert no_token.headers["WWW-Authenticate"].startswith("Bearer")
    assert no_token.json()["code"] == "unauthorized"
    assert (
        client.post(ITEMS, json=feature, headers={"Authorization": "Basic abc"}).status_code == 401
    )
    assert client.post(ITEMS, json=feature, headers=Tokens.header("made-up")).status_code == 401
    viewer = client.post(ITEMS, json=feature, headers=Tokens.header(tokens.viewer))
    assert viewer.status_code == 403
    assert viewer.json()["code"] == "forbidden"
    assert counts(store) == (0, 0, 0)

    created = client.post(ITEMS, json=feature, headers=Tokens.header(tokens.planner))
    assert created.status_code == 201
    url = created.headers["location"]
    for method in ("PUT", "PATCH", "DELETE"):
        kwargs = {"json": feature} if method != "DELETE" else {}
        r = client.request(method, url, headers={"If-Match": '"1"'}, **kwargs)
        assert r.status_code == 401, method
        r = client.request(
            method, url, headers={**Tokens.header(tokens.viewer), "If-Match": '"1"'}, **kwargs
        )
        assert r.status_code == 403, method
    assert client.post(f"{url}/restore", headers=Tokens.header(tokens.viewer)).status_code == 403
    # reads are open by default
    assert client.get(url).status_code == 200
    assert client.get(ITEMS).status_code == 200

    revoke_token(store, "ani")
    revoked = client.post(ITEMS, json=feature, headers=Tokens.header(tokens.planner))
    assert revoked.status_code == 401
    assert "revoked" in revoked.json()["description"]
    assert client.post(ITEMS, json=feature, headers=Tokens.header(tokens.admin)).status_code == 201


def test_changes_record_the_token_name(client: TestClient, tokens: Tokens) -> None:
    created = client.post(ITEMS, json=point_feature(), headers=Tokens.header(tokens.planner))
    url = created.headers["location"]
    client.patch(
        url,
        json={"properties": {"progress": 5}},
        headers={**Tokens.header(tokens.admin), "If-Match": '"1"'},
    )
    versions = client.get(f"{url}/history").json()["versions"]
    assert [v["changed_by"] for v in versions] == ["ani", "adi"]
    props = client.get(url).json()["properties"]
    assert (props["created_by"], props["updated_by"]) == ("ani", "adi")


def test_reads_can_be_closed(settings: Settings, store: ActionStore, tokens: Tokens) -> None:
    closed = TestClient(create_app(settings.model_copy(update={"read_requires_token": True})))
    assert closed.get(ITEMS).status_code == 401
    assert closed.get("/collections/actions").status_code == 401
    assert closed.get(ITEMS, headers=Tokens.header(tokens.viewer)).status_code == 200


def test_only_a_hash_is_stored_and_tokens_are_not_logged(
    client: TestClient, store: ActionStore, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    secret, _ = create_token(store, "budi", Role.planner)
    assert len(secret) >= 43
    with store.read() as conn:
        stored = conn.execute(sa.select(store.tables.tokens.c.token_hash)).scalars().all()
    assert hash_token(secret) in stored
    assert secret not in stored
    client.post(ITEMS, json=point_feature(), headers=Tokens.header(secret))
    client.post(ITEMS, json=point_feature(), headers=Tokens.header(secret + "x"))
    assert secret not in caplog.text
    assert authenticate(store, secret).name == "budi"
    with pytest.raises(UnauthorizedError):
        authenticate(store, secret[:-1])
    with pytest.raises(ConflictError):
        create_token(store, "budi", Role.viewer)
    with pytest.raises(InvalidParameterError):
        create_token(store, "cici", "superuser")
