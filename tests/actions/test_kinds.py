"""Kinds of action record: a planners' action needs its pillar, agency, status and progress; a
related initiative names its source and may leave unknown values null (never 0)."""

from __future__ import annotations

import pytest
from actionkit import Tokens, point_feature
from fastapi.testclient import TestClient

pytestmark = pytest.mark.realdata  # the store places actions on the real build

ITEMS = "/collections/actions/items"
SOURCE = "https://lingkunganhidup.jakarta.go.id/jakartaberketahanan/?p=13055"


def _initiative(**props: object) -> dict[str, object]:
    feature = point_feature(kind="related_initiative", source_url=SOURCE)
    feature["properties"].update(props)  # type: ignore[union-attr]
    return feature


def test_an_action_gets_kind_action_and_no_source(client: TestClient, tokens: Tokens) -> None:
    made = client.post(ITEMS, json=point_feature(), headers=Tokens.header(tokens.planner))
    assert made.status_code == 201, made.text
    props = made.json()["properties"]
    assert (props["kind"], props["source_url"]) == ("action", None)


def test_a_related_initiative_keeps_unknowns_null(client: TestClient, tokens: Tokens) -> None:
    body = _initiative(pillar=None, lead_agency=None, status=None, progress=None)
    made = client.post(ITEMS, json=body, headers=Tokens.header(tokens.planner))
    assert made.status_code == 201, made.text
    props = client.get(f"{ITEMS}/{made.json()['id']}").json()["properties"]
    assert props["kind"] == "related_initiative"
    assert props["source_url"] == SOURCE
    assert [props[k] for k in ("pillar", "lead_agency", "status", "progress")] == [None] * 4


def test_an_action_may_not_leave_them_null(client: TestClient, tokens: Tokens) -> None:
    body = point_feature(status=None, progress=None)
    del body["properties"]["pillar"]  # type: ignore[attr-defined]
    del body["properties"]["lead_agency"]  # type: ignore[attr-defined]
    response = client.post(ITEMS, json=body, headers=Tokens.header(tokens.planner))
    assert response.status_code == 422
    fields = {d["field"] for d in response.json()["details"]}
    assert fields == {f"properties.{k}" for k in ("pillar", "lead_agency", "status", "progress")}


def test_a_related_initiative_needs_a_real_source(client: TestClient, tokens: Tokens) -> None:
    auth = Tokens.header(tokens.planner)
    for source, message in ((None, "source"), ("ftp://x.example/a", "http"), ("a b", "http")):
        response = client.post(ITEMS, json=_initiative(source_url=source), headers=auth)
        assert response.status_code == 422, source
        details = response.json()["details"]
        assert [d["field"] for d in details] == ["properties.source_url"]
        assert message in details[0]["message"]
    bad_kind = client.post(ITEMS, json=point_feature(kind="strategy_action"), headers=auth)
    assert bad_kind.status_code == 422
    assert [d["field"] for d in bad_kind.json()["details"]] == ["properties.kind"]
