"""Who may do what (issue 20): roles x relationship to the action x operation, over HTTP.

Organisations: BPBD leads the action, DSDA is a partner, DLH is unrelated. Each case makes a
fresh action (led by BPBD with partner DSDA, by an admin), tries one operation with one token,
and checks the status: allowed (2xx) or a 403 whose message says what the token's
organisation may do. Runs on SQLite and PostGIS (``KETAHANAN_TEST_POSTGRES_URL``).
"""

from __future__ import annotations

from typing import Any

import pytest
from actionkit import point_feature
from fastapi.testclient import TestClient

from geo.actions.auth import Role, create_token
from geo.actions.store import ActionStore

pytestmark = pytest.mark.realdata

ITEMS = "/collections/actions/items"
OPERATIONS = ("create", "replace", "update", "status", "delete", "restore", "comment")
ORG_OF = {"lead": "BPBD", "partner": "DSDA", "unrelated": "DLH"}
PARTNER_MAY = {"status", "comment"}


def _bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def _tokens(store: ActionStore) -> dict[str, str]:
    orgs = store.organisations
    made = {"admin": create_token(store, "adi", Role.admin)[0]}
    for rel, org in ORG_OF.items():
        org_id = orgs.lookup(org).id
        made[f"planner-{rel}"] = create_token(store, f"p-{rel}", Role.planner, org_id)[0]
        made[f"viewer-{rel}"] = create_token(store, f"v-{rel}", Role.viewer, org_id)[0]
    return made


def _action(client: TestClient, admin: str, *, deleted: bool = False) -> str:
    feature = point_feature(lead_agency="BPBD DKI", partners=["Dinas SDA"])
    made = client.post(ITEMS, json=feature, headers=_bearer(admin))
    assert made.status_code == 201, made.text
    action_id = str(made.json()["id"])
    if deleted:
        gone = client.delete(f"{ITEMS}/{action_id}", headers={**_bearer(admin), "If-Match": '"1"'})
        assert gone.status_code in (200, 204), gone.text
    return action_id


def _try(client: TestClient, op: str, secret: str, admin: str, rel: str) -> Any:
    auth = _bearer(secret)
    if op == "create":
        # lead: led by the token's organisation; partner: it is only a partner; unrelated: neither
        partners = ["DSDA"] if rel == "partner" else []
        body = point_feature(lead_agency="BPBD", partners=partners)
        return client.post(ITEMS, json=body, headers=auth)
    action_id = _action(client, admin, deleted=op == "restore")
    url = f"{ITEMS}/{action_id}"
    v1 = {**auth, "If-Match": '"1"'}
    if op == "replace":
        body = point_feature(title="Pompa baru", lead_agency="BPBD", partners=["DSDA"])
        return client.put(url, json=body, headers=v1)
    if op == "update":
        return client.patch(url, json={"properties": {"title": "Judul baru"}}, headers=v1)
    if op == "status":
        patch = {"properties": {"status": "in_progress", "progress": 40}}
        return client.patch(url, json=patch, headers=v1)
    if op == "delete":
        return client.delete(url, headers=v1)
    if op == "restore":
        return client.post(f"{url}/restore", headers=auth)
    return client.post(f"{url}/comments", json={"text": "Sudah dicek"}, headers=auth)


def _allowed(who: str, rel: str, op: str) -> bool:
    if who == "admin":
        return True
    if who == "viewer":
        return False
    return rel == "lead" or (rel == "partner" and op in PARTNER_MAY)


@pytest.mark.parametrize("op", OPERATIONS)
def test_permission_matrix(client: TestClient, store: ActionStore, op: str) -> None:
    secrets = _tokens(store)
    admin = secrets["admin"]
    failures = []
    for who in ("admin", "planner", "viewer"):
        for rel in ORG_OF:
            secret = admin if who == "admin" else secrets[f"{who}-{rel}"]
            answer = _try(client, op, secret, admin, rel)
            want = _allowed(who, rel, op)
            ok = answer.status_code < 300 if want else answer.status_code == 403
            if not ok:
                failures.append((who, rel, op, answer.status_code, answer.text[:200]))
            if not want and answer.status_code == 403:
                message = answer.json()["description"]
                assert "may" in message, message
                if who == "planner":
                    assert ORG_OF[rel] in message or "Badan" in message or "Dinas" in message
    assert failures == []


def test_history_records_the_organisation(client: TestClient, store: ActionStore) -> None:
    secrets = _tokens(store)
    action_id = _action(client, secrets["admin"])
    patch = {"properties": {"status": "in_progress", "progress": 10}}
    done = client.patch(
        f"{ITEMS}/{action_id}",
        json=patch,
        headers={**_bearer(secrets["planner-partner"]), "If-Match": '"1"'},
    )
    assert done.status_code == 200, done.text
    versions = client.get(f"{ITEMS}/{action_id}/history").json()["versions"]
    assert versions[-1]["changed_by"] == "p-partner"
    assert versions[-1]["changed_by_org"] == "Dinas Sumber Daya Air"


def test_unknown_organisation_is_a_422_naming_it(client: TestClient, store: ActionStore) -> None:
    secrets = _tokens(store)
    body = point_feature(lead_agency="Dinas Entah")
    answer = client.post(ITEMS, json=body, headers=_bearer(secrets["admin"]))
    assert answer.status_code == 422
    assert "Dinas Entah" in answer.json()["description"]
    assert "ketahanan org add" in answer.json()["description"]
    shown = client.post(
        ITEMS,
        json=point_feature(lead_agency="bpbd provinsi dki jakarta"),
        headers=_bearer(secrets["admin"]),
    ).json()
    assert shown["properties"]["lead_agency"] == "Badan Penanggulangan Bencana Daerah"


def test_comment_thread_keeps_tombstones(client: TestClient, store: ActionStore) -> None:
    secrets = _tokens(store)
    action_id = _action(client, secrets["admin"])
    url = f"{ITEMS}/{action_id}/comments"
    said = client.post(
        url, json={"text": "<script>x</script>"}, headers=_bearer(secrets["planner-partner"])
    )
    assert said.status_code == 201, said.text
    comment = said.json()
    assert comment["organisation"] == "Dinas Sumber Daya Air"
    other = client.delete(f"{url}/{comment['id']}", headers=_bearer(secrets["planner-lead"]))
    assert other.status_code == 403
    gone = client.delete(f"{url}/{comment['id']}", headers=_bearer(secrets["planner-partner"]))
    assert gone.status_code == 200
    thread = client.get(url).json()["comments"]
    assert [c["deleted"] for c in thread] == [True]
    assert thread[0]["text"] is None and thread[0]["deleted_by"] == "p-partner"
    empty = client.post(url, json={"text": "  "}, headers=_bearer(secrets["admin"]))
    assert empty.status_code == 422
    history = client.get(f"{ITEMS}/{action_id}/history").json()
    assert [v["version"] for v in history["versions"]] == [1]  # a comment is not a version
    assert history["comments"] == thread  # but the history keeps the thread, tombstones too
