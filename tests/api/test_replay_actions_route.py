"""``/peta/banjir-2017/aksi``: actions touching the replay's flooded places, on the real build.

Each test has its own actions store (the session client's store stays as other tests expect).
An action placed inside a RW flooded at an hour touches that hour and not the hours the RW is
dry; an action attached to a kelurahan touches the hours that kelurahan is touched.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import shapely
from fastapi.testclient import TestClient
from shapely.geometry import shape

from api.app import create_app
from geo.actions.auth import Role, create_token
from geo.actions.store import ActionStore
from geo.settings import Settings

URL = "/peta/banjir-2017/aksi"
HOUR = "2017-02-21T05:00:00Z"  # 12:00 WIB


@pytest.fixture
def own(api_settings: Settings, tmp_path: Path) -> Iterator[tuple[TestClient, str, Settings]]:
    settings = api_settings.model_copy(
        update={"database_url": f"sqlite:///{tmp_path / 'a.sqlite'}", "items_warm_zooms": []}
    )
    store = ActionStore.from_settings(settings)
    store.migrate()
    token, _ = create_token(store, "Rina (BPBD)", Role.planner)
    store.dispose()
    with TestClient(create_app(settings)) as client:
        yield client, token, settings


def post(client: TestClient, token: str, geometry: Any, **props: Any) -> str:
    body = {
        "type": "Feature",
        "geometry": geometry,
        "properties": {
            "title": "Pompa <banjir>",
            "pillar": "siap",
            "lead_agency": "BPBD DKI",
            **props,
        },
    }
    answer = client.post(
        "/collections/actions/items", json=body, headers={"Authorization": f"Bearer {token}"}
    )
    assert answer.status_code == 201, answer.text
    return str(answer.json()["id"])


@pytest.mark.realdata
def test_geometry_and_attached_actions_touch_the_hours_their_places_are_flooded(
    own: tuple[TestClient, str, Settings],
) -> None:
    client, token, _ = own
    doc = client.get("/peta/banjir-2017").json()
    hours = {h["utc"]: h for h in doc["hours"]}
    at = hours[HOUR]
    # a RW flooded at 12:00 WIB but not at the first hour of the event
    first = set(doc["hours"][0]["rw"])
    rw = next(r for r in at["rw"] if r not in first)
    inside = shapely.point_on_surface(shape(doc["rw"]["features"][rw]["geometry"]))
    point = post(client, token, {"type": "Point", "coordinates": [inside.x, inside.y]})
    kode = at["kelurahan"][0][0]
    unit = post(client, token, None, unit_codes=[kode])

    answer = client.get(URL, params={"banjir": HOUR})
    assert answer.status_code == 200, answer.text
    assert answer.headers["cache-control"] == "no-cache" and answer.headers["etag"]
    body = answer.json()
    links = {a["id"]: a for a in body["actions"]}
    assert rw in links[point]["rw"] and links[point]["kelurahan"] == []
    assert links[unit]["rw"] == [] and kode in links[unit]["kelurahan"]
    assert links[point]["title"] == "Pompa <banjir>"
    assert body["hour"] == HOUR and set(body["touching"]) == {point, unit}

    dry = client.get(URL, params={"banjir": doc["hours"][0]["utc"]}).json()
    assert point not in dry["touching"]
    again = client.get(
        URL, headers={"If-None-Match": answer.headers["etag"]}, params={"banjir": HOUR}
    )
    assert again.status_code == 304


@pytest.mark.realdata
@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"banjir": "2017-02-21T12:30:00Z"}, "no snapshot"),
        ({"banjir": "kemarin"}, "not a time"),
        ({"banjir": "2017-02-21T12:00:00"}, "time zone"),
        ({"jam": "12"}, "jam"),
    ],
)
def test_bad_parameters_are_400_with_a_message(
    own: tuple[TestClient, str, Settings], query: dict[str, str], field: str
) -> None:
    client, _, _ = own
    answer = client.get(URL, params=query)
    assert answer.status_code == 400, answer.text
    assert field in answer.text


@pytest.mark.realdata
def test_a_closed_store_needs_a_token_to_read(own: tuple[TestClient, str, Settings]) -> None:
    _, token, settings = own
    closed = settings.model_copy(update={"read_requires_token": True})
    with TestClient(create_app(closed)) as client:
        assert client.get(URL).status_code == 401
        answer = client.get(URL, headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 200 and answer.json()["actions"] == []


def test_without_a_build_it_is_503(tmp_path: Path) -> None:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'a.sqlite'}", build_path=tmp_path / "none.gpkg"
    )
    answer = TestClient(create_app(settings), raise_server_exceptions=False).get(URL)
    assert answer.status_code == 503 and answer.json()["code"]
