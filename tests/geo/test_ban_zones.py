"""Groundwater-ban zones matched by name: areas to kelurahan or kecamatan, roads via stops."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, box

from geo.ban_zones import ROAD_CORRIDOR_M, match_ban_zones, zone_name
from geo.crs import METRIC_CRS
from geo.settings import Settings

KEL = gpd.GeoDataFrame(
    {
        "kode": ["31.71.06.1001", "31.71.07.1001", "31.71.07.1002", "31.74.02.1008", "31.72.02.1"],
        "nama": ["Menteng", "Gelora", "Bendungan Hilir", "Kuningan Timur", "Sunter Jaya"],
        "nama_kecamatan": ["Menteng", "Tanah Abang", "Tanah Abang", "Setiabudi", "Tanjung Priok"],
    },
    geometry=[box(i * 1000, 0, i * 1000 + 1000, 1000) for i in range(5)],
    crs=METRIC_CRS,
)
STOPS = gpd.GeoDataFrame(
    {"stop_name": ["Jln. Yos Sudarso 1", "Halte Lain"]},
    geometry=[Point(4500, 500), Point(500, 500)],
    crs=METRIC_CRS,
)


def test_each_rule_and_what_cannot_be_matched() -> None:
    zones = pd.DataFrame(
        {
            "list_type": ["kawasan", "kawasan", "kawasan", "kawasan", "jalan", "jalan", "jalan"],
            "order_in_source": [1, 2, 3, 4, 1, 2, 3],
            "name_as_published": [
                "Kawasan Menteng",
                "Kawasan Tanah Abang",
                "Kawasan Kuningan",
                "Kawasan Medan Merdeka",
                "Jalan Yos Sudarso",
                "Jalan Akses Marunda",
                None,
            ],
        }
    )
    found = match_ban_zones(zones, KEL, STOPS)
    by_zone = found.pairs.groupby("nama_zona")["nama_kelurahan"].apply(sorted).to_dict()
    assert by_zone == {
        "Kawasan Menteng": ["Menteng"],  # a kelurahan of that name (not the whole kecamatan)
        "Kawasan Tanah Abang": ["Bendungan Hilir", "Gelora"],  # the kecamatan's kelurahan
        "Kawasan Kuningan": ["Kuningan Timur"],  # every word of the name
        "Jalan Yos Sudarso": ["Sunter Jaya"],  # through the stop named after it
    }
    how = dict(zip(found.pairs["nama_zona"], found.pairs["matched_by"], strict=True))
    assert how["Kawasan Tanah Abang"] == "kecamatan name"
    assert "Jln. Yos Sudarso 1" in how["Jalan Yos Sudarso"]
    assert found.unmatched == [
        "Kawasan Medan Merdeka",
        "Jalan Akses Marunda",
        "jalan 3: not read (no name)",
    ]


def test_road_corridor_reaches_the_neighbour_within_its_width() -> None:
    stops = gpd.GeoDataFrame(
        {"stop_name": ["Yos Sudarso"]},
        geometry=[Point(4000 - ROAD_CORRIDOR_M / 2, 500)],
        crs=METRIC_CRS,
    )
    zones = pd.DataFrame(
        {"list_type": ["jalan"], "order_in_source": [1], "name_as_published": ["Jalan Yos Sudarso"]}
    )
    found = match_ban_zones(zones, KEL, stops)
    assert sorted(found.pairs["nama_kelurahan"]) == ["Kuningan Timur", "Sunter Jaya"]


def test_zone_name_drops_the_kind_and_parentheses() -> None:
    assert zone_name("Kawasan Industri Pulo Gadung (JIEP)") == "INDUSTRI PULO GADUNG"
    assert zone_name("Jalan R.E Martadinata") == "R E MARTADINATA"


@pytest.mark.realdata
def test_real_zones(real_build: Settings) -> None:
    from geo.build import load_layer, read_report

    pairs = load_layer(real_build.build_path, "groundwater_ban_kelurahan")
    assert pairs["kode_kelurahan"].nunique() == 35
    assert set(pairs.loc[pairs["nama_zona"] == "Jalan R.E Martadinata", "nama_kelurahan"]) == {
        "Ancol",
        "Pademangan Barat",
    }
    unmatched = {u["name"] for u in read_report(real_build.report_path)["unmatched"]}
    assert {"Kawasan Medan Merdeka", "Jalan Jenderal Sudirman"} <= unmatched
    kel = load_layer(real_build.build_path, "kelurahan")
    named = kel.set_index("kode").loc[pairs["kode_kelurahan"].unique(), "siap_groundwater_ban_zone"]
    assert (named == 1).all()
    assert kel["siap_groundwater_ban_zone"].sum() == 35
