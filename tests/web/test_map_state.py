"""The map's state from its query string, and the class plan that keeps a map from going
blank: exact small cases and the real build."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.settings import Settings
from geo.snapshot import load_snapshot
from web.data import BuildTables
from web.i18n import Translator
from web.mapdata import class_plan
from web.params import MapParams, PageParameterError, parse_map_params


def test_class_plan_lowers_k_to_what_the_data_allow() -> None:
    params = MapParams(k=5, classification="fisher_jenks")
    many = class_plan(pd.Series([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, None]), params)
    assert (many.method, many.k, many.fewer) == ("fisher_jenks", 5, False)
    assert many.query("score_siap") == {
        "classify": "fisher_jenks",
        "k": "5",
        "classify_by": "score_siap",
    }
    few = class_plan(pd.Series([1.0, 2.0, 2.0, 3.0, None]), params)
    assert (few.method, few.k, few.distinct, few.fewer) == ("fisher_jenks", 3, 3, True)
    one = class_plan(pd.Series([4.0, 4.0, None]), params)
    assert (one.method, one.k, one.breaks) == ("user_defined", 1, (4.0,))
    assert one.query("x") == {"classify": "user", "breaks": "4.0", "classify_by": "x"}
    none = class_plan(pd.Series([None, float("nan")], dtype=float), params)
    assert (none.method, none.k, none.query("x")) == (None, 0, {})
    assert none.to_dict("x")["requestedK"] == 5


@pytest.mark.realdata
def test_query_values_are_checked_and_named_in_the_page_language(real_build: Settings) -> None:
    tables = BuildTables.of(load_snapshot(real_build.build_path))
    ok = parse_map_params(
        tables, {"pilar": "SEHAT", "tingkat": "kecamatan", "k": "4", "kota": "31.72"}
    )
    assert (ok.pillar, ok.level, ok.k, ok.kota, ok.column) == (
        "sehat",
        "kecamatan",
        4,
        "31.72",
        "score_sehat",
    )
    assert ok.query() == {
        "pilar": "sehat",
        "tingkat": "kecamatan",
        "klasifikasi": "quantiles",
        "k": 4,
        "kota": "31.72",
        "lang": "id",
    }
    bad = {
        "pilar": ("x", "param.unknown_value"),
        "k": ("99", "param.k_range"),
        "kota": ("31.99", "param.unknown_unit"),
        "fokus": ("31.72", "param.unknown_unit"),  # a kota is no kelurahan
        "indikator": ("terhubung_tj_stops", "param.not_of_pillar"),
    }
    t = Translator("id")
    for name, (value, key) in bad.items():
        with pytest.raises(PageParameterError) as caught:
            parse_map_params(tables, {name: value})
        assert caught.value.key == key
        assert caught.value.text(t).startswith(t(f"param.{name}"))
    with pytest.raises(PageParameterError):
        parse_map_params(tables, {"weights": "x" * 3000})
