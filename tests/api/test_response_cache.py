"""The response cache, tested by what only a cache can do.

Every cached route renders its answer with the OGC renderers (``feature_collection`` and
``with_links`` of :mod:`geo.ogc.render.geojson`, ``collection_document`` of
:mod:`geo.ogc.documents`, ``gpkg_bytes``) and finishes it with
:meth:`api.store.CachedResponse.make`; the items route parses its query with
``parse_items_query`` (:mod:`geo.ogc.query`). Counting all three, where the routes call them,
shows when an answer was rendered, parsed, or served from the normalised key or the raw-URL
key. A build file changed on disk is not seen until the snapshot holder's reload check
invalidates the cache.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

import api.routes.collections
import api.routes.items
from api.app import create_app
from api.store import CachedResponse, served_build
from geo.settings import Settings

pytestmark = pytest.mark.realdata

ITEMS = "/collections/kelurahan/items"
GAMBIR = "31.71.01.1001"
KINDS = ("make", "render", "parse")
RENDERERS = {
    api.routes.items: ("feature_collection", "with_links", "gpkg_bytes"),
    api.routes.collections: ("collection_document",),
}
"""The renderers each route module calls, by the names it calls them."""


def _counting(seen: Counter[str], kind: str, real: Callable[..., Any]) -> Callable[..., Any]:
    def counted(*args: Any, **kwargs: Any) -> Any:
        seen[kind] += 1
        return real(*args, **kwargs)

    return counted


@pytest.fixture
def counts(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Counts of responses made (``make``), bodies rendered (``render``) and item queries
    parsed (``parse``)."""
    seen: Counter[str] = Counter()
    make = CachedResponse.make.__func__  # type: ignore[attr-defined]
    monkeypatch.setattr(CachedResponse, "make", classmethod(_counting(seen, "make", make)))
    for module, names in RENDERERS.items():
        for name in names:
            monkeypatch.setattr(module, name, _counting(seen, "render", getattr(module, name)))
    monkeypatch.setattr(
        api.routes.items,
        "parse_items_query",
        _counting(seen, "parse", api.routes.items.parse_items_query),
    )
    return seen


def _app(settings: Settings, **changes: Any) -> TestClient:
    return TestClient(create_app(settings.model_copy(update={"items_warm_zooms": [], **changes})))


@pytest.fixture(scope="module")
def cache_client(api_settings: Settings) -> Iterator[TestClient]:
    """An app of its own (so no other test has filled its cache), with the configured cache."""
    with _app(api_settings) as client:
        yield client


def _delta(counts: Counter[str], request: Callable[[], Any]) -> tuple[Any, dict[str, int]]:
    before = dict(counts)
    response = request()
    assert response.status_code == 200, response.text
    return response, {k: counts[k] - before.get(k, 0) for k in KINDS}


def test_items_are_rendered_once_and_the_raw_url_skips_parsing(
    cache_client: TestClient, counts: Counter[str]
) -> None:
    url = f"{ITEMS}?limit=7&zoom=11&offset=3"
    first, did = _delta(counts, lambda: cache_client.get(url))
    assert did == {"make": 1, "render": 1, "parse": 1}
    # the same URL again: answered from the raw key, before the query is even parsed
    again, did = _delta(counts, lambda: cache_client.get(url))
    assert did == {"make": 0, "render": 0, "parse": 0}
    # the same query spelled differently: parsed, then found under the normalised key
    reordered, did = _delta(counts, lambda: cache_client.get(f"{ITEMS}?offset=3&zoom=11&limit=7"))
    assert did == {"make": 0, "render": 0, "parse": 1}
    assert first.content == again.content == reordered.content
    assert first.headers["etag"] == again.headers["etag"] == reordered.headers["etag"]
    # and a different query is rendered anew
    _, did = _delta(counts, lambda: cache_client.get(f"{ITEMS}?offset=4&zoom=11&limit=7"))
    assert did == {"make": 1, "render": 1, "parse": 1}


def test_collections_and_single_items_are_rendered_once(
    cache_client: TestClient, counts: Counter[str]
) -> None:
    for url in (
        "/collections?lang=en",
        "/collections/kecamatan?lang=en",
        f"{ITEMS}/{GAMBIR}?zoom=13",
    ):
        first, did = _delta(counts, lambda u=url: cache_client.get(u))  # type: ignore[misc]
        assert did["make"] == 1 and did["render"] >= 1, (url, did)
        again, did = _delta(counts, lambda u=url: cache_client.get(u))  # type: ignore[misc]
        assert did["make"] == did["render"] == 0, (url, did)
        assert again.content == first.content


def test_with_the_cache_off_every_request_is_rendered(
    api_settings: Settings, counts: Counter[str]
) -> None:
    """The control: the counter does count renders, and a cache of 0 entries keeps none."""
    with _app(api_settings, response_cache_entries=0) as client:
        for _ in range(3):
            _, did = _delta(counts, lambda: client.get(f"{ITEMS}?limit=7&zoom=11&offset=3"))
            assert did == {"make": 1, "render": 1, "parse": 1}


def _not_called(_geom: bytes) -> float:
    raise AssertionError("an R-tree trigger ran: the geometry index would be rewritten")


def _rename_kelurahan(build: Path, code: str, name: str) -> None:
    """Change one kelurahan's name in a build GeoPackage, in place, and move its mtime on."""
    with sqlite3.connect(build) as conn:
        # GDAL's R-tree triggers name these SpatiaLite functions; none runs for a name change
        conn.create_function("ST_IsEmpty", 1, lambda _geom: 0)
        for function in ("ST_MinX", "ST_MaxX", "ST_MinY", "ST_MaxY"):
            conn.create_function(function, 1, _not_called)
        conn.execute("UPDATE kelurahan SET nama = ? WHERE kode = ?", (name, code))
    stat = build.stat()
    os.utime(build, (stat.st_atime, stat.st_mtime + 10))


def test_a_changed_build_is_not_seen_until_the_cache_is_invalidated(
    api_settings: Settings, tmp_path: Path, counts: Counter[str]
) -> None:
    build = tmp_path / "ketahanan.gpkg"
    shutil.copy2(api_settings.build_path, build)
    url = f"{ITEMS}/{GAMBIR}?properties=kode,nama"
    list_url = f"{ITEMS}?kode={GAMBIR}&properties=nama"
    with _app(api_settings, build_path=build) as client:
        served = served_build(client.app)  # type: ignore[arg-type]
        served.snapshots.check_every = 1e9  # no reload check for now
        old = client.get(url).json()["properties"]["nama"]
        old_list = client.get(list_url).content
        assert len(served.cache) == 3  # the item; the list under its normalised and raw keys
        _rename_kelurahan(build, GAMBIR, "Gambir Baru")

        # the file changed, but until the holder checks it the cached answers stand
        for _ in range(2):
            same, did = _delta(counts, lambda: client.get(url))
            assert same.json()["properties"]["nama"] == old and did["make"] == 0
            listed, did = _delta(counts, lambda: client.get(list_url))
            assert listed.content == old_list and did == {"make": 0, "render": 0, "parse": 0}

        checks = served.checks
        served.snapshots.check_every = 0.0  # the next request checks
        # first the list, whose raw-URL key would answer before any parsing: the check
        # comes first, the build is reloaded, and the answer is parsed and rendered anew
        listed, did = _delta(counts, lambda: client.get(list_url))
        assert served.checks > checks
        assert listed.json()["features"][0]["properties"]["nama"] == "Gambir Baru"
        assert did == {"make": 1, "render": 1, "parse": 1}
        # the reload emptied the cache: nothing of the old build is kept beside the new list
        assert len(served.cache) == 2
        # and the single item is rendered from the new build too
        fresh, did = _delta(counts, lambda: client.get(url))
        assert fresh.json()["properties"]["nama"] == "Gambir Baru" and did["make"] == 1
        assert len(served.cache) == 3

        served.snapshots.check_every = 1e9
        _, did = _delta(counts, lambda: client.get(url))
        assert did["make"] == 0, "the new answer is cached again"
