"""Impact on the real Jakarta data: totals reconcile, scenarios differ only where grids do."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from impactkit import real_inputs
from rasterio import features

from geo.crs import METRIC_CRS
from geo.impact.compute import compute_impact
from geo.impact.exposure import AGE_BANDS, REGISTER_FILE, group_columns
from geo.impact.hazard import CLASS_AREA_COLUMNS, HazardClass
from geo.settings import Settings

pytestmark = pytest.mark.realdata

SERIBU = "31.01"
COUNTS = [
    "population_assessed",
    *(f"people_{c}" for c in CLASS_AREA_COLUMNS),
    "affected",
    "displaced",
    *group_columns("affected"),
    *group_columns("displaced"),
]


@pytest.fixture(scope="module")
def inputs(real_settings: Settings) -> dict[str, Any]:
    return real_inputs(real_settings.data_dir)


@pytest.fixture(scope="module")
def impact(inputs: dict[str, Any]) -> Any:
    return compute_impact(inputs["layers"], inputs["grids"], inputs["register"], Settings())


def _level(frame: pd.DataFrame, level: str) -> pd.DataFrame:
    return frame[frame["tingkat"] == level].set_index("kode")


@pytest.mark.parametrize("scenario", ["kini", "rencana", "feb2017"])
def test_totals_reconcile_at_every_level(impact: Any, scenario: str) -> None:
    frame = impact.layers[f"dampak_{scenario}"]
    kel = _level(frame, "kelurahan")
    assert len(kel) == 267 and len(_level(frame, "kecamatan")) == 44
    assert len(_level(frame, "kota")) == 6
    no_data = kel.index[kel["population_assessed"].isna()]
    assert sorted({code[:5] for code in no_data}) == [SERIBU] and len(no_data) == 6
    data = kel.dropna(subset=["population_assessed"])
    classes = data[[f"people_{c}" for c in CLASS_AREA_COLUMNS]].sum(axis=1)
    assert (classes == data["population"]).all()
    assert (
        data[["people_low", "people_medium", "people_high"]].sum(axis=1) == data["affected"]
    ).all()
    assert (data["affected"] <= data["population"]).all()
    assert (data["displaced"] <= data["affected"]).all()
    for level, key in (("kecamatan", "kode_kecamatan"), ("kota", "kode_kota")):
        upper = _level(frame, level)
        sums = data.groupby(key)[COUNTS].sum()
        assert (upper.loc[sums.index, COUNTS] == sums).all().all(), level
    kota = _level(frame, "kota")
    assert kota["affected"].sum() == data["affected"].sum()
    assert kota["population_assessed"].sum() == 11_011_862 - kel.loc[no_data, "population"].sum()
    assert np.isnan(kota.loc[SERIBU, "affected"])


@pytest.mark.parametrize("scenario", ["kini", "rencana", "feb2017"])
def test_demographic_groups_sum_to_the_affected(impact: Any, scenario: str) -> None:
    frame = impact.layers[f"dampak_{scenario}"].dropna(subset=["affected"])
    for prefix in ("affected", "displaced"):
        cols = group_columns(prefix)
        assert (frame[cols[:2]].sum(axis=1) == frame[prefix]).all()  # male + female
        assert (frame[cols[2:]].sum(axis=1) == frame[prefix]).all()  # four age groups
    assert frame["affected_under5"].sum() > 0 and frame["affected_age_65plus"].sum() > 0


def _class_counts(classes: np.ndarray, labels: np.ndarray, n: int) -> np.ndarray:
    out = np.zeros((n + 1, 5))
    for j, code in enumerate(HazardClass):
        out[:, j] = np.bincount(labels.ravel(), weights=(classes == code).ravel(), minlength=n + 1)
    return out[1:]


def test_the_scenarios_differ_where_the_grids_differ_and_nowhere_else(
    inputs: dict[str, Any], impact: Any
) -> None:
    from geo.zonal import unit_labels

    kel = inputs["layers"]["kelurahan"]
    base, alt = impact.impacts["kini"], impact.impacts["rencana"]
    labels = unit_labels(kel, inputs["grids"]["flood_depth_current"])
    same_cells = (
        _class_counts(base.classes, labels, len(kel))
        == _class_counts(alt.classes, labels, len(kel))
    ).all(axis=1)
    changed_cells = np.bincount(
        labels.ravel(), weights=(base.classes != alt.classes).ravel(), minlength=len(kel) + 1
    )[1:]
    cols = [f"people_{c}" for c in CLASS_AREA_COLUMNS] + ["affected", "displaced"]
    k_base = _level(base.levels["all"], "kelurahan").loc[kel["kode"], cols]
    k_alt = _level(alt.levels["all"], "kelurahan").loc[kel["kode"], cols]
    same_people = (k_base.fillna(-1).to_numpy() == k_alt.fillna(-1).to_numpy()).all(axis=1)
    assert (same_cells == (changed_cells == 0)).all()  # a cell changing class changes the counts
    assert (same_people == same_cells).all()
    assert same_cells.sum() > 20 and (~same_cells).sum() > 150  # both kinds exist
    diff = _level(impact.layers["dampak_selisih_rencana"], "kelurahan").loc[kel["kode"]]
    moved = (diff["area_class_lower_km2"] + diff["area_class_higher_km2"]).to_numpy()
    assert ((moved == 0) == same_cells).all()
    unchanged = diff.loc[same_cells, ["no_longer_affected", "moved_out_of_high"]].fillna(0)
    assert (unchanged == 0).all().all()


def test_a_real_depth_exactly_at_the_threshold_is_not_affected(
    inputs: dict[str, Any], impact: Any
) -> None:
    grid = inputs["grids"]["flood_depth_current"]
    at_threshold = grid.array == float(np.float32(0.1))
    assert grid.dtype == "float32" and at_threshold.sum() == 4  # four cells read "0.1"
    assert (impact.impacts["kini"].classes[at_threshold] == HazardClass.UNAFFECTED).all()
    # the data folder's PROVENANCE counts cells "> 0.1 m": 76,165 today, 51,985 with works
    assert (impact.impacts["kini"].classes >= HazardClass.LOW).sum() == 76_165
    assert (impact.impacts["rencana"].classes >= HazardClass.LOW).sum() == 51_985


def test_people_per_class_match_an_independent_polygon_overlay(
    inputs: dict[str, Any], impact: Any
) -> None:
    """Cells polygonised and overlaid with the kelurahan in METRIC_CRS give the same people."""
    grid = inputs["grids"]["flood_depth_current"]
    classes = impact.impacts["kini"].classes
    shapes = [
        (shapely.geometry.shape(geom), int(value))
        for geom, value in features.shapes(classes, transform=grid.transform)
        if int(value) == HazardClass.HIGH
    ]
    high = gpd.GeoSeries([g for g, _ in shapes], crs=grid.crs).to_crs(METRIC_CRS).union_all()
    kel = inputs["layers"]["kelurahan"]
    mainland = kel[~kel["kode"].str.startswith(SERIBU)]
    metric = mainland.geometry.to_crs(METRIC_CRS)
    share = metric.intersection(high).area / metric.area
    expected = (share * mainland["population"]).to_numpy()
    got = _level(impact.layers["dampak_kini"], "kelurahan").loc[mainland["kode"], "people_high"]
    assert got.sum() == pytest.approx(expected.sum(), rel=0.01)
    # per kelurahan within what the cell-centre rule can move: about a cell's width of edge
    assert np.corrcoef(got.to_numpy(), expected)[0, 1] > 0.995


def test_the_register_age_bands_are_five_year_bands_from_their_number(
    inputs: dict[str, Any],
) -> None:
    raw = pd.read_csv(inputs["data"] / "population" / REGISTER_FILE)
    raw = raw[raw["is_named_kelurahan"]]
    bands = raw[list(AGE_BANDS)]
    assert (bands.sum(axis=1) == raw["JUMLAH_PEN"]).all()  # disjoint bands, not "under n"
    aged_15_up = bands[list(AGE_BANDS[3:])].sum(axis=1)
    aged_20_up = bands[list(AGE_BANDS[4:])].sum(axis=1)
    # WAJIB_KTP counts people aged 17 and over (or married): inside U15..U75, beyond U20..U75
    assert ((aged_20_up <= raw["WAJIB_KTP"]) & (raw["WAJIB_KTP"] <= aged_15_up)).all()
    groups = inputs["register"]
    assert (
        groups[["under5", "age_5_14", "age_15_64", "age_65plus"]].sum(axis=1)
        == groups["population"]
    ).all()


def test_the_2017_states_give_every_class(impact: Any) -> None:
    kota = _level(impact.layers["dampak_feb2017"], "kota").drop(SERIBU)
    assert (kota[["people_low", "people_medium", "people_high"]].sum() > 0).all()
    summary = impact.layers["dampak_ringkasan"].set_index(["skenario", "kelas"])
    assert (
        summary.loc[("feb2017", "affected"), "people"] < summary.loc[("kini", "affected"), "people"]
    )
    assert (
        summary.loc[("rencana", "affected"), "people"] < summary.loc[("kini", "affected"), "people"]
    )


def test_the_build_writes_the_impact_layers(real_build: Settings, impact: Any) -> None:
    names = {name for name, _ in pyogrio.list_layers(real_build.build_path)}
    expected = {
        "dampak_kini",
        "dampak_rencana",
        "dampak_feb2017",
        "dampak_selisih_rencana",
        "dampak_ringkasan",
        "dampak_skenario",
        "dampak_kamus",
    }
    assert expected <= names
    written = pyogrio.read_dataframe(real_build.build_path, layer="dampak_kini")
    assert written["affected"].sum() == impact.layers["dampak_kini"]["affected"].sum()
    assert written.crs is not None and written.crs.to_epsg() == 4326
    import json

    report = json.loads(real_build.report_path.read_text(encoding="utf-8"))
    assert report["checks"]["impact"]["kini"]["affected"] == float(
        _level(impact.layers["dampak_kini"], "kota")["affected"].sum()
    )
    assert "impact" in report["timings_s"]
