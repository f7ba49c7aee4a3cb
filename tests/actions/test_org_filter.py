"""The actions of one organisation (issue 20, point 4): ``org`` and ``org_role`` on the
actions API, and ``agency`` finding an organisation by any spelling, on SQLite and PostGIS.

Three actions: BPBD leads one with partner Dinas SDA, Dinas SDA leads one alone, DLH leads
one with partner BPBD. So BPBD leads one and is a partner in one.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from actionkit import Tokens, point_feature
from fastapi.testclient import TestClient

from geo.actions.store import ActionStore

pytestmark = pytest.mark.realdata

ITEMS = "/collections/actions/items"


def _seed(client: TestClient, tokens: Tokens) -> None:
    admin = tokens.header(tokens.admin)
    for title, lead, partners in (
        ("Pompa Pluit", "BPBD DKI", ["Dinas SDA"]),
        ("Tanggul Muara Baru", "Dinas Sumber Daya Air", []),
        ("Bank sampah", "DLH", ["BPBD Provinsi DKI Jakarta"]),
    ):
        made = client.post(
            ITEMS,
            json=point_feature(title=title, lead_agency=lead, partners=partners),
            headers=admin,
        )
        assert made.status_code == 201, made.text


def _titles(client: TestClient, **params: str) -> list[str]:
    got = client.get(ITEMS, params=params)
    assert got.status_code == 200, got.text
    body = got.json()
    assert body["numberMatched"] == len(body["features"])
    return sorted(f["properties"]["title"] for f in body["features"])


def test_org_lists_what_it_leads_and_partners_in(client: TestClient, tokens: Tokens) -> None:
    _seed(client, tokens)
    both = ["Bank sampah", "Pompa Pluit"]
    assert _titles(client, org="BPBD") == both
    assert _titles(client, org="bpbd dki") == both  # any spelling, any case
    assert _titles(client, org="BPBD", org_role="lead") == ["Pompa Pluit"]
    assert _titles(client, org="BPBD", org_role="partner") == ["Bank sampah"]
    assert _titles(client, org="DSDA") == ["Pompa Pluit", "Tanggul Muara Baru"]
    assert _titles(client, org="DSDA", org_role="partner") == ["Pompa Pluit"]
    assert _titles(client, org="DLH", org_role="partner") == []
    org_id = next(
        o["id"]
        for o in client.get("/organisations").json()["organisations"]
        if o["short_name"] == "BPBD"
    )
    assert _titles(client, org=org_id) == both
    assert _titles(client, org="BPBD", pillar="sehat") == []  # with the other filters


def test_agency_finds_the_lead_organisation_by_any_spelling(
    client: TestClient, tokens: Tokens
) -> None:
    _seed(client, tokens)
    for spelling in ("BPBD", "BPBD DKI", "Badan Penanggulangan Bencana Daerah"):
        assert _titles(client, agency=spelling) == ["Pompa Pluit"], spelling
    assert _titles(client, agency="Dinas SDA") == ["Tanggul Muara Baru"]
    assert _titles(client, agency="Nobody at all") == []  # not an organisation: text, no match


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"org": "Kementerian Sihir"}, "names no organisation"),
        ({"org_role": "lead"}, "org_role goes with org"),
        ({"org": "BPBD", "org_role": "boss"}, "org_role"),
        ({"org": "x" * 201}, "org"),
    ],
)
def test_a_bad_org_filter_is_a_400_that_says_why(
    client: TestClient, params: dict[str, str], words: str
) -> None:
    got = client.get(ITEMS, params=params)
    assert got.status_code == 400, got.text
    assert words in got.json()["description"]


def test_a_patch_keeps_the_organisations_and_resolves_names_without_ids(
    client: TestClient, tokens: Tokens, store: ActionStore
) -> None:
    """A patch of the budget keeps the stored ids without asking for the names again; an
    action whose names have no ids (written before organisations) gets them on its next
    change."""
    _seed(client, tokens)
    admin = tokens.header(tokens.admin)
    first = client.get(ITEMS, params={"q": "Pompa"}).json()["features"][0]
    url = f"{ITEMS}/{first['id']}"
    bpbd, dsda = (store.organisations.lookup(n).id for n in ("BPBD", "DSDA"))
    patched = client.patch(
        url, json={"properties": {"budget_idr": 5}}, headers={**admin, "If-Match": '"1"'}
    )
    assert patched.status_code == 200, patched.text
    action = store.get(first["id"])
    assert (action.props["lead_org_id"], action.props["partner_org_ids"]) == (bpbd, [dsda])
    with store.write() as conn:  # as a store from before organisations held it
        conn.execute(
            sa.text("UPDATE actions SET lead_org_id = NULL, partner_org_ids = NULL WHERE id = :i"),
            {"i": first["id"]},
        )
    again = client.patch(
        url, json={"properties": {"budget_idr": 6}}, headers={**admin, "If-Match": '"2"'}
    )
    assert again.status_code == 200, again.text
    action = store.get(first["id"])
    assert (action.props["lead_org_id"], action.props["partner_org_ids"]) == (bpbd, [dsda])
    assert (
        client.get(ITEMS, params={"org": "DSDA", "org_role": "partner"}).json()["numberMatched"]
        == 1
    )
