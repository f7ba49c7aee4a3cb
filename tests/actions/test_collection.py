"""The actions as a collection like the others: downloads, encoded paging links, 405s."""

from __future__ import annotations

import pytest
from actionkit import Tokens, point_feature
from fastapi.testclient import TestClient

pytestmark = pytest.mark.realdata

ITEMS = "/collections/actions/items"
AGENCY = "Dinas SDA & PU"

TEST_ORGANISATIONS = ("Dinas SDA & PU",)
"""Organisations only these tests use (added by conftest)."""


def _import(client: TestClient, tokens: Tokens, features: list[dict[str, object]]) -> None:
    body = {"type": "FeatureCollection", "features": features}
    r = client.post(ITEMS, json=body, headers=Tokens.header(tokens.planner))
    assert r.status_code == 201, r.text


def test_geojson_download_holds_every_match(client: TestClient, tokens: Tokens) -> None:
    """f=geojson on the actions answered one page (100), not every match as on the layers."""
    _import(client, tokens, [point_feature(title=f"Aksi {i}") for i in range(130)])
    page = client.get(ITEMS).json()
    assert (page["numberMatched"], page["numberReturned"]) == (130, 100)
    download = client.get(ITEMS, params={"f": "geojson"})
    assert download.status_code == 200
    assert download.headers["content-type"].startswith("application/geo+json")
    assert "attachment" in download.headers["content-disposition"]
    assert download.json()["numberReturned"] == 130
    export = client.get("/collections/actions/export").json()
    assert export["numberReturned"] == 130


@pytest.mark.parametrize("name", ["lead_agency", "agency"])
def test_an_agency_with_an_ampersand_pages(client: TestClient, tokens: Tokens, name: str) -> None:
    """Paging links were joined unencoded: agency=Dinas SDA & PU broke the next page (and
    lead_agency, the property's own name, was ignored)."""
    mine = [point_feature(title=f"Pompa {i}", lead_agency=AGENCY) for i in range(3)]
    _import(client, tokens, [*mine, point_feature(lead_agency="Dinas SDA")])
    first = client.get(ITEMS, params={name: AGENCY, "limit": 2}).json()
    assert (first["numberMatched"], first["numberReturned"]) == (3, 2)
    following = next(link["href"] for link in first["links"] if link["rel"] == "next")
    assert "Dinas+SDA+%26+PU" in following
    second = client.get(following).json()
    assert second["numberReturned"] == 1 and second["numberMatched"] == 3
    titles = {f["properties"]["title"] for f in first["features"] + second["features"]}
    assert titles == {"Pompa 0", "Pompa 1", "Pompa 2"}


def test_only_the_actions_take_writes(client: TestClient, tokens: Tokens) -> None:
    auth = Tokens.header(tokens.planner)
    r = client.post("/collections/kelurahan/items", json=point_feature(), headers=auth)
    assert r.status_code == 405 and r.json()["code"] == "method_not_allowed"
    r = client.put("/collections/kelurahan/items/31.71.01.1001", json=point_feature(), headers=auth)
    assert r.status_code == 405
    assert (
        client.post("/collections/nope/items", json=point_feature(), headers=auth).status_code
        == 404
    )


def test_bad_filter_values_name_the_choices(client: TestClient) -> None:
    r = client.get(ITEMS, params={"status": "finished"})
    assert r.status_code == 400
    assert "planned" in r.json()["description"]
    assert client.get(ITEMS, params={"agency": "x", "lead_agency": "y"}).status_code == 400
