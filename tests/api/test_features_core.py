"""The framework-free OGC core (geo.ogc, geo.generalise, api.store cache) on tiny exact data."""

from __future__ import annotations

import numpy as np
import orjson
import pandas as pd
import pytest
import shapely

from api.deps import resolve_lang
from api.store import CachedResponse, ResponseCache
from geo import generalise
from geo.errors import InvalidParameterError, NotFoundError
from geo.ogc.collection import Collection
from geo.ogc.engine import queryables, run_query
from geo.ogc.prose import LayerProse
from geo.ogc.query import parse_bbox, parse_datetime, parse_items_query
from geo.ogc.render.geojson import feature_bytes, feature_collection
from geo.vocabulary import Text


def _wiggly_pair() -> Collection:
    """Two units near Jakarta sharing a wiggly edge (many vertices), clockwise rings."""
    xs = np.linspace(106.80, 106.82, 200)
    ys = -6.20 + 0.0005 * np.sin(np.linspace(0, 40, 200))
    edge = list(zip(xs, ys, strict=True))
    north = shapely.Polygon([(106.80, -6.18), (106.82, -6.18), *edge[::-1]][::-1])
    south = shapely.Polygon([*edge, (106.82, -6.22), (106.80, -6.22)][::-1])
    frame = pd.DataFrame({"name": ["north", "south"], "value": [1.0, np.nan]})
    return Collection(
        id="pair",
        prose=LayerProse(Text("a", "b"), Text("c", "d")),
        frame=frame,
        geometry=np.array([north, south], dtype=object),
        geometry_type="Polygon",
        feature_ids=[1, 2],
    )


def _query(coll: Collection, **params: str):  # type: ignore[no-untyped-def]
    return parse_items_query(
        queryables(coll), list(params.items()), limit_default=10, limit_max=100
    )


def test_generalised_neighbours_share_their_edge() -> None:
    coll = _wiggly_pair()
    level = generalise.level_of(12)
    assert level == 12
    simple = coll.level(level).geoms
    assert (
        shapely.get_num_coordinates(simple).sum() < shapely.get_num_coordinates(coll.geometry).sum()
    )
    shared = shapely.intersection(simple[0], simple[1])
    assert shared.area == 0 and shared.length > 0.019
    assert shapely.coverage_is_valid(simple)
    assert all(shapely.is_ccw(g.exterior) for g in simple)


def test_full_resolution_is_rounded_and_counter_clockwise() -> None:
    coll = _wiggly_pair()
    full = coll.level(None)
    text = full.json[0].decode()
    assert not any(len(n.split(".")[1]) > 7 for n in text.replace("]", ",").split(",") if "." in n)
    assert shapely.is_ccw(full.geoms[0].exterior)
    assert generalise.level_of(None) is None and generalise.level_of(17) is None
    assert generalise.level_of(3) == generalise.MIN_ZOOM


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("1,2,3,4", True),
        ("1,2,0,3,4,9", True),
        ("1,2,3", False),
        ("3,2,1,4", False),
        ("1,2,3,95", False),
        ("x,2,3,4", False),
        ("inf,2,3,4", False),
    ],
)
def test_parse_bbox(text: str, ok: bool) -> None:
    if ok:
        assert parse_bbox(text) == (1.0, 2.0, 3.0, 4.0)
    else:
        with pytest.raises(InvalidParameterError):
            parse_bbox(text)


def test_parse_datetime() -> None:
    assert parse_datetime("2017-02-20") == ("2017-02-20T00:00:00Z", "2017-02-20T00:00:00Z")
    assert parse_datetime("../2017-02-20T07:00:00+07:00") == (None, "2017-02-20T00:00:00Z")
    for bad in ("../..", "20-02-2017", "2017-02-21/2017-02-20"):
        with pytest.raises(InvalidParameterError):
            parse_datetime(bad)


def test_query_filter_paging_and_render() -> None:
    coll = _wiggly_pair()
    q = _query(coll, limit="1", offset="1")
    result = run_query(coll, q)
    assert result.matched.tolist() == [0, 1] and result.page.tolist() == [1]
    features = feature_bytes(coll, q, result, result.page.tolist())
    body = orjson.loads(
        feature_collection(features, matched=len(result.matched), links=[], timestamp="t")
    )
    assert body["numberMatched"] == 2 and body["numberReturned"] == 1
    assert body["features"][0]["id"] == 2 and body["features"][0]["properties"]["value"] is None
    assert run_query(coll, _query(coll, name="south")).matched.tolist() == [1]
    assert run_query(coll, _query(coll, value="1")).matched.tolist() == [0]
    assert run_query(coll, _query(coll, bbox="106.7,-6.19,106.9,-6.17")).matched.tolist() == [0]
    assert _query(coll, limit="5000").limit == 100
    with pytest.raises(NotFoundError):
        run_query(coll, _query(coll), feature_id="9")
    for params in (
        {"colour": "red"},
        {"value": "x"},
        {"properties": "nope"},
        {"weights": "a:1"},
        {"classify": "quantiles"},
        {"f": "kml"},
    ):
        with pytest.raises(InvalidParameterError):
            _query(coll, **params)


def test_query_is_a_normalised_key() -> None:
    coll = _wiggly_pair()
    assert _query(coll, limit="5", name="north") == _query(coll, name="north", limit="05")
    assert hash(_query(coll, bbox="1,2,3,4"))


def test_response_cache_is_bounded() -> None:
    cache = ResponseCache(max_entries=2, max_bytes=10_000)
    for i in range(3):
        cache.put(i, CachedResponse.make(b"x" * 100, "application/json"))
    assert len(cache) == 2 and cache.get(0) is None and cache.get(2) is not None
    cache.put("big", CachedResponse.make(b"y" * 20_000, "application/json"))
    assert cache.get("big") is None
    big = CachedResponse.make(b"z" * 5000, "application/json")
    assert big.gzipped is not None and len(big.gzipped) < 100


def test_resolve_lang() -> None:
    assert resolve_lang(None, None) == "id"
    assert resolve_lang("EN", None) == "en"
    assert resolve_lang(None, "fr, en;q=0.5, id;q=0.4") == "en"
    assert resolve_lang(None, "id-ID,en;q=0.8") == "id"
    assert resolve_lang(None, "de") == "id"
    with pytest.raises(InvalidParameterError):
        resolve_lang("fr", None)
