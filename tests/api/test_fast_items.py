"""The cached items answer in front of the app (:mod:`api.fast_items`): the same answer as the
whole stack, for every variant, and only where it may answer.

Each case asks once (the whole stack answers and fills the cache), then again (the fast path
answers, counted by wrapping its ``_send``): body and headers must be those of the first
answer (``Date`` aside; the whole stack's gzip layer repeats ``Accept-Encoding`` in ``Vary``,
so ``Vary`` is compared as a set of names).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

import api.fast_items
from api.app import create_app
from geo.settings import Settings

pytestmark = pytest.mark.realdata

ITEMS = "/collections/kelurahan/items"


@pytest.fixture(scope="module")
def client(api_settings: Settings) -> Iterator[TestClient]:
    """An app of its own (an empty cache)."""
    settings = api_settings.model_copy(update={"items_warm_zooms": []})
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture
def fast(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many answers the fast path sent (one entry per answer, its status)."""
    sent: list[int] = []
    real = api.fast_items.CachedItemsAnswer._send

    async def counted(self: Any, entry: Any, headers: Any, max_age: int, send: Any) -> None:
        async def watch(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                sent.append(message["status"])
            await send(message)

        await real(self, entry, headers, max_age, watch)

    monkeypatch.setattr(api.fast_items.CachedItemsAnswer, "_send", counted)
    return sent


def _headers(response: Any) -> dict[str, Any]:
    out: dict[str, Any] = {k: v for k, v in response.headers.items() if k != "date"}
    out["vary"] = {v.strip().lower() for v in out.get("vary", "").split(",")}
    return out


@pytest.mark.parametrize("encoding", ["identity", "gzip"])
def test_the_second_answer_is_the_first_one_sent_before_the_stack(
    client: TestClient, fast: list[int], encoding: str
) -> None:
    url = f"{ITEMS}?limit=9&zoom=12&offset={1 if encoding == 'gzip' else 2}"  # a fresh entry
    ask = {"Accept-Encoding": encoding}
    first = client.get(url, headers=ask)
    assert first.status_code == 200 and fast == []
    second = client.get(url, headers=ask)
    assert fast == [200]
    assert second.content == first.content
    assert _headers(second) == _headers(first)
    assert (first.headers.get("content-encoding") == "gzip") is (encoding == "gzip")
    assert "origin" in _headers(second)["vary"]  # CORS is on by default: the answer varies
    for name in ("content-security-policy", "x-content-type-options", "cache-control", "etag"):
        assert name in second.headers


def test_if_none_match_is_a_304_from_the_fast_path(client: TestClient, fast: list[int]) -> None:
    url = f"{ITEMS}?limit=3&zoom=11"
    first = client.get(url, headers={"Accept-Encoding": "identity"})
    for tag in (first.headers["etag"], first.headers["etag"][:-1] + '-gz"', "*"):
        again = client.get(url, headers={"If-None-Match": tag, "Accept-Encoding": "identity"})
        assert again.status_code == 304 and again.content == b""
        assert again.headers["etag"] == first.headers["etag"]
        assert "content-length" not in again.headers or again.headers["content-length"] == "0"
    other = client.get(url, headers={"If-None-Match": '"nope"', "Accept-Encoding": "identity"})
    assert other.status_code == 200 and other.content == first.content
    assert fast == [304, 304, 304, 200]


def test_an_origin_or_another_host_goes_the_whole_way(client: TestClient, fast: list[int]) -> None:
    url = f"{ITEMS}?limit=2&zoom=10"
    plain = client.get(url)
    cors = client.get(url, headers={"Origin": "https://gis.example.org"})
    assert cors.status_code == 200
    assert cors.headers["access-control-allow-origin"] == "*"
    assert fast == []  # the whole stack (and CORS) answered the request with an Origin
    other = client.get(url, headers={"Host": "peta.example.org"})
    assert fast == []  # another Host: its links name that host, not the first one's
    assert b"peta.example.org" in other.content and b"peta.example.org" not in plain.content
