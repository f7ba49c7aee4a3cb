"""The build: real-data counts and totals, bad input, and atomic output."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pyogrio
import pytest

from geo import build as build_module
from geo.build import load_layer, read_report, run_build
from geo.errors import CRSError, DataError, ExtentError, MissingFileError
from geo.settings import Settings

DUKCAPIL = "boundaries/kelurahan_dukcapil_2019/BATAS_DESA_DESEMBER_2019_DUKCAPIL_DKI_JAKARTA"


def _mirror(data_dir: Path, target: Path) -> Path:
    """A tree of symlinks to the real data, so one file can be swapped without copying all."""
    for src in data_dir.rglob("*"):
        dst = target / src.relative_to(data_dir)
        if src.is_dir():
            dst.mkdir(parents=True, exist_ok=True)
        else:
            dst.parent.mkdir(parents=True, exist_ok=True)
            os.symlink(src, dst)
    return target


def _replace(path: Path, content: bytes) -> None:
    path.unlink()
    path.write_bytes(content)


@pytest.fixture()
def earlier_output(tmp_path: Path) -> Path:
    out = tmp_path / "out" / "ketahanan.gpkg"
    out.parent.mkdir()
    out.write_bytes(b"earlier build output")
    return out


def _assert_untouched(out: Path) -> None:
    assert out.read_bytes() == b"earlier build output"
    leftovers = [p.name for p in out.parent.iterdir() if ".tmp" in p.name]
    assert leftovers == []


# --- bad input: the build stops, names the file, and leaves the earlier output alone ---------


@pytest.mark.realdata
def test_missing_file_is_named(
    real_settings: Settings, tmp_path: Path, earlier_output: Path
) -> None:
    data = _mirror(real_settings.data_dir, tmp_path / "data")
    (data / f"{DUKCAPIL}.dbf").unlink()
    settings = real_settings.model_copy(update={"data_dir": data, "build_path": earlier_output})
    with pytest.raises(
        MissingFileError, match=r"BATAS_DESA_DESEMBER_2019_DUKCAPIL_DKI_JAKARTA\.dbf"
    ):
        run_build(settings)
    _assert_untouched(earlier_output)


@pytest.mark.realdata
def test_changed_file_is_named(
    real_settings: Settings, tmp_path: Path, earlier_output: Path
) -> None:
    data = _mirror(real_settings.data_dir, tmp_path / "data")
    _replace(data / "sehat/bank_sampah_3r/jakarta_3r_bank_sampah.csv", b"wilayah,nama\nx,y\n")
    settings = real_settings.model_copy(update={"data_dir": data, "build_path": earlier_output})
    with pytest.raises(DataError, match=r"jakarta_3r_bank_sampah\.csv"):
        run_build(settings)
    _assert_untouched(earlier_output)


@pytest.mark.realdata
def test_renamed_file_is_named(
    real_settings: Settings, tmp_path: Path, earlier_output: Path
) -> None:
    data = _mirror(real_settings.data_dir, tmp_path / "data")
    stops = data / "transit/transjakarta_gtfs_2025_09/gtfs/stops.txt"
    stops.rename(stops.with_name("stops_old.txt"))
    settings = real_settings.model_copy(update={"data_dir": data, "build_path": earlier_output})
    with pytest.raises(DataError, match=r"stops\.txt"):
        run_build(settings, verify=False)
    _assert_untouched(earlier_output)


@pytest.mark.realdata
def test_corrupt_file_is_named(
    real_settings: Settings, tmp_path: Path, earlier_output: Path
) -> None:
    data = _mirror(real_settings.data_dir, tmp_path / "data")
    _replace(data / f"{DUKCAPIL}.shp", b"\x00garbage, not a shapefile" * 10)
    settings = real_settings.model_copy(update={"data_dir": data, "build_path": earlier_output})
    with pytest.raises(DataError, match="BATAS_DESA_DESEMBER_2019_DUKCAPIL_DKI_JAKARTA"):
        run_build(settings, verify=False)
    _assert_untouched(earlier_output)


@pytest.mark.realdata
def test_wrongly_projected_file_is_named(
    real_settings: Settings, tmp_path: Path, earlier_output: Path
) -> None:
    data = _mirror(real_settings.data_dir, tmp_path / "data")
    # Degrees labelled as UTM 48S metres: the layer lands near the equator, far from Jakarta.
    utm = pyogrio.read_info(real_settings.data_dir / "flood/rw_flood_2007/Jakarta_RW_2007flood.shp")
    assert utm["crs"]
    from pyproj import CRS

    from geo.crs import METRIC_CRS

    _replace(data / f"{DUKCAPIL}.prj", CRS.from_user_input(METRIC_CRS).to_wkt("WKT1_ESRI").encode())
    settings = real_settings.model_copy(update={"data_dir": data, "build_path": earlier_output})
    with pytest.raises(ExtentError, match="BATAS_DESA_DESEMBER_2019_DUKCAPIL_DKI_JAKARTA"):
        run_build(settings, verify=False)
    _assert_untouched(earlier_output)


@pytest.mark.realdata
def test_file_without_crs_is_named(
    real_settings: Settings, tmp_path: Path, earlier_output: Path
) -> None:
    data = _mirror(real_settings.data_dir, tmp_path / "data")
    (data / f"{DUKCAPIL}.prj").unlink()
    settings = real_settings.model_copy(update={"data_dir": data, "build_path": earlier_output})
    with pytest.raises(CRSError, match="BATAS_DESA_DESEMBER_2019_DUKCAPIL_DKI_JAKARTA"):
        run_build(settings, verify=False)
    _assert_untouched(earlier_output)


def test_interrupted_write_keeps_earlier_output(
    monkeypatch: pytest.MonkeyPatch, earlier_output: Path
) -> None:
    """An interruption halfway through writing never replaces the earlier output."""
    import geopandas as gpd
    from shapely.geometry import Point

    layers = {
        "one": gpd.GeoDataFrame({"a": [1]}, geometry=[Point(106.8, -6.2)], crs="EPSG:4326"),
        "two": gpd.GeoDataFrame({"a": [2]}, geometry=[Point(106.9, -6.2)], crs="EPSG:4326"),
    }
    result = build_module.BuildResult(layers=layers, grids={}, report=build_module.BuildReport())
    real_write = build_module._write_frame
    calls = []

    def write_then_interrupt(path: Path, name: str, frame: object) -> None:
        calls.append(name)
        if len(calls) == 2:
            raise KeyboardInterrupt
        real_write(path, name, frame)  # type: ignore[arg-type]

    monkeypatch.setattr(build_module, "_write_frame", write_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        build_module.write_output(result, earlier_output, earlier_output.with_suffix(".json"))
    assert calls == ["one", "two"]
    _assert_untouched(earlier_output)
    assert not earlier_output.with_suffix(".json").exists()


# --- the real build ----------------------------------------------------------------------


@pytest.mark.realdata
def test_admin_counts_and_codes(real_build: Settings) -> None:
    kel = load_layer(real_build.build_path, "kelurahan")
    kec = load_layer(real_build.build_path, "kecamatan")
    kota = load_layer(real_build.build_path, "kota")
    assert len(kel) == 267 and kel["kode"].is_unique
    assert kel["kode"].str.fullmatch(r"31\.\d{2}\.\d{2}\.\d{4}").all()
    assert len(kec) == 44 and len(kota) == 6
    assert int(kel["population"].sum()) == 11_011_862
    assert int(kec["population"].sum()) == 11_011_862
    assert int(kota["population"].sum()) == 11_011_862
    assert set(kota["kode"]) == {"31.01", "31.71", "31.72", "31.73", "31.74", "31.75"}
    per_kota = kel.groupby("kode_kota").size().to_dict()
    assert per_kota == {"31.01": 6, "31.71": 44, "31.72": 31, "31.73": 56, "31.74": 65, "31.75": 65}
    assert kel.geometry.is_valid.all()
    assert kel.crs.to_epsg() == 4326


@pytest.mark.realdata
def test_rw_linked_by_space_and_name(real_build: Settings) -> None:
    rw = load_layer(real_build.build_path, "rw")
    assert len(rw) == 2724
    assert rw["link_agrees"].mean() >= 0.95


@pytest.mark.realdata
def test_every_layer_has_the_stated_count(real_build: Settings) -> None:
    report = read_report(real_build.report_path)
    mismatched = {
        name: (report["counts"].get(name), expected)
        for name, expected in report["expected"].items()
        if report["counts"].get(name) != expected and name not in report["count_notes"]
    }
    assert mismatched == {}


@pytest.mark.realdata
def test_hourly_flood_layer_holds_every_snapshot(real_build: Settings) -> None:
    folder = real_build.data_dir / "flood/petabencana_2017_02/floods"
    per_file = [
        pyogrio.read_info(p)["features"] for p in sorted(folder.glob("jkt_floods_*.geojson"))
    ]
    hourly = load_layer(real_build.build_path, "flood_2017_hourly")
    assert len(per_file) == 73 and len(hourly) == sum(per_file)
    per_snapshot = hourly.groupby("snapshot").size()
    assert per_snapshot.size == 73
    assert per_snapshot.idxmax() == "2017-02-21T13:00:00+07:00" and per_snapshot.max() == 168


@pytest.mark.realdata
def test_report_lists_repairs_set_aside_and_unmatched(real_build: Settings) -> None:
    report = json.loads(real_build.report_path.read_text())
    assert report["repaired"] >= 1  # TANJUNG BARAT RW 02 is invalid in the source
    lakes = [r for r in report["set_aside"] if r["source"] == "kelurahan_dukcapil_2019"]
    assert sorted(r["name"] for r in lakes) == ["DANAU SUNTER", "DANAU SUNTER DLL"]
    assert any(u["source"] == "bank_sampah_3r" for u in report["unmatched"])
    assert set(report["checksums"]) and all(len(v) == 64 for v in report["checksums"].values())
    assert report["timings_s"]["total"] > 0


@pytest.mark.realdata
def test_output_holds_rasters_and_tables(real_build: Settings) -> None:
    import rasterio

    names = build_module.list_layers(real_build.build_path)
    for layer in (
        "tj_stops",
        "tj_routes",
        "rail_stations",
        "slum_rw",
        "waste_banks",
        "river_waste",
    ):
        assert layer in names
    with rasterio.open(f"GPKG:{real_build.build_path}:flood_depth_current") as grid:
        assert grid.shape == (649, 638)
