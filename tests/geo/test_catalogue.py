"""Tests of the data catalogue: loading, file lookup, checksums and verification."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from geo.catalogue import (
    Catalogue,
    dump_catalogue,
    load_catalogue,
    refresh_checksums,
    sha256_file,
    unexpected_files,
    verify,
    verify_or_raise,
    verify_source,
)
from geo.errors import ChecksumError, DataError, MissingFileError, NotFoundError
from geo.settings import Settings

FILES = {
    "boundaries/demo/kel.shp": b"shape bytes",
    "boundaries/demo/kel.dbf": b"attribute bytes",
    "boundaries/demo/kel.prj": b'GEOGCS["WGS 84"]',
    "boundaries/demo/PROVENANCE.md": b"# demo\n",
    "transit/gtfs_demo/gtfs/stops.txt": b"stop_id,stop_lat,stop_lon\nA,-6.2,106.8\n",
    "transit/gtfs_demo/PROVENANCE.md": b"# gtfs\n",
}
"""The tiny fake data folder: data-dir-relative path -> content."""

REQUIRED_IDS = {
    "kelurahan_dukcapil_2019": "boundaries/kelurahan_dukcapil_2019",
    "kelurahan_kemendagri_2025": "boundaries/kelurahan_kemendagri_2025",
    "rw_2014": "boundaries/rw_2014",
    "admin_osm_2012": "boundaries/osm_2012",
    "flood_rw_2007": "flood/rw_flood_2007",
    "petabencana_2017_02": "flood/petabencana_2017_02",
    "flood_depth_hkv": "flood/depth_grids_hkv",
    "hydro_infrastructure_2016": "flood/hydro_infrastructure_2016",
    "pantau_banjir_2024": "flood/pantau_banjir_2024",
    "population_dukcapil_2019": "population",
    "transjakarta_gtfs_2025_09": "transit/transjakarta_gtfs_2025_09",
    "transjakarta_gtfs_2026_04": "transit/transjakarta_gtfs_2026_04",
    "transjakarta_gtfs_2021": "transit/transjakarta_gtfs_community_2021",
    "rail_2021": "transit/rail_2021",
    "rw_kumuh_kotaku": "sehat/rw_kumuh_kotaku",
    "river_waste_2024_25": "sehat/river_waste_kecamatan_2024_25",
    "bank_sampah_3r": "sehat/bank_sampah_3r",
    "piped_water_press_reports": "sehat/piped_water_press_reports",
    "groundwater_ban_zones_2021": "sehat/groundwater_ban_zones_2021",
    "strategy_2019": "strategy",
}
"""The source ids the build depends on, with their folders."""


def _source(source_id: str, folder: str, kind: str, fmt: str) -> dict[str, Any]:
    return {
        "id": source_id,
        "title": {"id": f"Uji {source_id}", "en": f"Test {source_id}"},
        "pillar": "all",
        "kind": kind,
        "format": fmt,
        "licence": "none stated",
        "date": "2019",
        "origin": {
            "repository": "https://github.com/example/data",
            "commit": "0" * 40,
            "path": "data/",
        },
        "folder": folder,
        "files": [
            {
                "path": path,
                "sha256": hashlib.sha256(content).hexdigest(),
                "bytes": len(content),
            }
            for path, content in sorted(FILES.items())
            if path.startswith(folder + "/")
        ],
    }


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A fake data folder holding :data:`FILES`."""
    root = tmp_path / "data"
    for rel, content in FILES.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    (root / "SOURCES.md").write_text("# index\n")
    return root


@pytest.fixture
def raw_catalogue() -> dict[str, Any]:
    """The catalogue of the fake data folder, as JSON-ready data."""
    return {
        "version": 1,
        "sources": [
            _source("demo_kelurahan", "boundaries/demo", "boundary", "ESRI Shapefile"),
            _source("demo_gtfs", "transit/gtfs_demo", "asset", "GTFS"),
        ],
    }


@pytest.fixture
def catalogue_path(tmp_path: Path, raw_catalogue: dict[str, Any]) -> Path:
    """The fake catalogue written to a JSON file."""
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps(raw_catalogue, indent=2), encoding="utf-8")
    return path


@pytest.fixture
def catalogue(catalogue_path: Path) -> Catalogue:
    """The fake catalogue, loaded."""
    return load_catalogue(catalogue_path)


def test_sha256_file_matches_hashlib_across_chunks(tmp_path: Path) -> None:
    content = bytes(range(256)) * 9000  # > 2 MiB, so several 1 MiB chunks
    path = tmp_path / "big.bin"
    path.write_bytes(content)
    assert sha256_file(path) == hashlib.sha256(content).hexdigest()
    assert sha256_file(path, chunk_size=7) == hashlib.sha256(content).hexdigest()


def test_load_and_lookup(catalogue: Catalogue, data_dir: Path) -> None:
    assert catalogue.ids == ["demo_kelurahan", "demo_gtfs"]
    source = catalogue.source("demo_gtfs")
    expected = (data_dir / "transit/gtfs_demo/gtfs/stops.txt").resolve()
    assert source.path(data_dir, "stops.txt") == expected
    assert source.path(data_dir, "gtfs/stops.txt") == expected
    assert source.path(data_dir, "transit/gtfs_demo/gtfs/stops.txt") == expected


def test_unknown_source_id_is_not_found(catalogue: Catalogue) -> None:
    with pytest.raises(NotFoundError, match="no_such_source") as info:
        catalogue.source("no_such_source")
    assert "demo_kelurahan" in info.value.message


def test_path_names_a_file_missing_on_disk(catalogue: Catalogue, data_dir: Path) -> None:
    (data_dir / "boundaries/demo/kel.dbf").unlink()
    with pytest.raises(MissingFileError, match=r"boundaries/demo/kel\.dbf"):
        catalogue.source("demo_kelurahan").path(data_dir, "kel.dbf")


def test_path_of_a_file_the_source_does_not_list(catalogue: Catalogue, data_dir: Path) -> None:
    with pytest.raises(MissingFileError, match=r"kel\.shx"):
        catalogue.source("demo_kelurahan").path(data_dir, "kel.shx")


def test_ambiguous_base_name(raw_catalogue: dict[str, Any], data_dir: Path) -> None:
    files = raw_catalogue["sources"][0]["files"]
    files.append({**files[0], "path": "boundaries/demo/a/x.csv"})
    files.append({**files[0], "path": "boundaries/demo/b/x.csv"})
    source = Catalogue.model_validate(raw_catalogue).source("demo_kelurahan")
    with pytest.raises(DataError, match=r"'x\.csv' names 2 files"):
        source.path(data_dir, "x.csv")
    # a path relative to the source folder wins over a base-name match
    expected = (data_dir / "boundaries/demo/PROVENANCE.md").resolve()
    assert source.path(data_dir, "PROVENANCE.md") == expected


def test_verify_passes(catalogue: Catalogue, data_dir: Path) -> None:
    seen: list[str] = []
    result = verify_or_raise(catalogue, data_dir, progress=seen.append)
    assert result.ok
    assert result.checked == len(FILES)
    assert result.missing == [] and result.changed == []
    assert result.unexpected == []  # the top-level SOURCES.md index is not "unexpected"
    assert sorted(seen) == sorted(FILES)


def test_missing_file_is_named(catalogue: Catalogue, data_dir: Path) -> None:
    (data_dir / "boundaries/demo/kel.prj").unlink()
    result = verify(catalogue, data_dir)
    assert not result.ok
    assert result.missing == ["boundaries/demo/kel.prj"]
    with pytest.raises(MissingFileError) as info:
        verify_or_raise(catalogue, data_dir)
    assert "boundaries/demo/kel.prj" in info.value.message
    assert "kel.shp" not in info.value.message
    assert info.value.details["missing"] == ["boundaries/demo/kel.prj"]


def test_changed_file_is_named_with_expected_checksum(catalogue: Catalogue, data_dir: Path) -> None:
    target = data_dir / "transit/gtfs_demo/gtfs/stops.txt"
    target.write_bytes(target.read_bytes() + b"B,-6.3,106.9\n")
    expected = hashlib.sha256(FILES["transit/gtfs_demo/gtfs/stops.txt"]).hexdigest()
    actual = sha256_file(target)
    result = verify(catalogue, data_dir)
    assert result.changed == [("transit/gtfs_demo/gtfs/stops.txt", expected, actual)]
    with pytest.raises(ChecksumError) as info:
        verify_or_raise(catalogue, data_dir)
    message = info.value.message
    assert "transit/gtfs_demo/gtfs/stops.txt" in message
    assert expected in message and actual in message
    assert "kel.shp" not in message


def test_verify_source_checks_only_that_source(catalogue: Catalogue, data_dir: Path) -> None:
    (data_dir / "boundaries/demo/kel.shp").write_bytes(b"tampered")
    assert verify_source(catalogue, data_dir, "demo_gtfs").id == "demo_gtfs"
    with pytest.raises(ChecksumError, match=r"boundaries/demo/kel\.shp"):
        verify_source(catalogue, data_dir, "demo_kelurahan")
    with pytest.raises(NotFoundError):
        verify_source(catalogue, data_dir, "nope")


def test_missing_data_dir(catalogue: Catalogue, tmp_path: Path) -> None:
    with pytest.raises(MissingFileError, match="KETAHANAN_DATA_DIR"):
        verify(catalogue, tmp_path / "absent")


def test_unexpected_files_are_reported_not_raised(catalogue: Catalogue, data_dir: Path) -> None:
    (data_dir / "boundaries/demo/kel.cpg").write_text("UTF-8")
    (data_dir / "stray").mkdir()
    (data_dir / "stray/extra.csv").write_text("a\n1\n")
    result = verify_or_raise(catalogue, data_dir)
    assert result.unexpected == ["boundaries/demo/kel.cpg", "stray/extra.csv"]


def test_refresh_checksums_lists_every_file(
    raw_catalogue: dict[str, Any], data_dir: Path, tmp_path: Path
) -> None:
    for source in raw_catalogue["sources"]:
        source["files"] = []
    (data_dir / "boundaries/demo/kel.cpg").write_text("UTF-8")
    refreshed = refresh_checksums(Catalogue.model_validate(raw_catalogue), data_dir)
    paths = [f.path for f in refreshed.source("demo_kelurahan").files]
    assert paths == sorted(
        p for p in [*FILES, "boundaries/demo/kel.cpg"] if p.startswith("boundaries/demo/")
    )
    assert verify(refreshed, data_dir).ok
    out = tmp_path / "out.json"
    out.write_text(dump_catalogue(refreshed), encoding="utf-8")
    assert load_catalogue(out) == refreshed
    assert out.read_text(encoding="utf-8").startswith('{\n  "version": 1,')


def test_missing_catalogue_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.json"
    with pytest.raises(DataError, match=r"nowhere\.json"):
        load_catalogue(path)


def test_malformed_json_is_a_clear_data_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"version": 1, "sources": [', encoding="utf-8")
    with pytest.raises(DataError, match=r"broken\.json is not valid JSON.*line 1") as info:
        load_catalogue(path)
    assert not isinstance(info.value, MissingFileError | ChecksumError)


def test_wrong_shape_names_the_field(catalogue_path: Path, raw_catalogue: dict[str, Any]) -> None:
    raw_catalogue["sources"][0]["pillar"] = "basah"
    raw_catalogue["sources"][1]["files"][0]["sha256"] = "xyz"
    catalogue_path.write_text(json.dumps(raw_catalogue), encoding="utf-8")
    with pytest.raises(DataError, match=r"catalogue\.json") as info:
        load_catalogue(catalogue_path)
    assert "sources.0.pillar" in info.value.message
    assert "sources.1.files.0.sha256" in info.value.message


def test_duplicate_ids_and_files_outside_folder_are_rejected(
    catalogue_path: Path, raw_catalogue: dict[str, Any]
) -> None:
    raw_catalogue["sources"][1]["id"] = "demo_kelurahan"
    catalogue_path.write_text(json.dumps(raw_catalogue), encoding="utf-8")
    with pytest.raises(DataError, match="duplicate source ids: demo_kelurahan"):
        load_catalogue(catalogue_path)
    raw_catalogue["sources"][1]["id"] = "demo_gtfs"
    raw_catalogue["sources"][1]["files"][0]["path"] = "boundaries/demo/kel.shp"
    catalogue_path.write_text(json.dumps(raw_catalogue), encoding="utf-8")
    with pytest.raises(DataError, match="outside its folder"):
        load_catalogue(catalogue_path)


def test_real_catalogue_shape() -> None:
    catalogue = load_catalogue(Settings().catalogue_path)
    assert {s.id: s.folder for s in catalogue.sources} == REQUIRED_IDS
    for source in catalogue.sources:
        assert source.files, source.id
        assert f"{source.folder}/PROVENANCE.md" in {f.path for f in source.files}, source.id
        assert source.origin is not None or source.references, source.id


@pytest.mark.realdata
def test_real_data_matches_catalogue(real_settings: Settings) -> None:
    catalogue = load_catalogue(real_settings.catalogue_path)
    result = verify_or_raise(catalogue, real_settings.data_dir)
    assert result.ok
    assert result.checked == sum(len(s.files) for s in catalogue.sources)
    assert unexpected_files(catalogue, real_settings.data_dir) == []
    assert result.unexpected == []
    folders = {
        p.parent.relative_to(real_settings.data_dir).as_posix()
        for p in real_settings.data_dir.rglob("*")
        if p.is_file() and p.parent != real_settings.data_dir
    }
    uncovered = [
        folder
        for folder in folders
        if not any(
            folder == s.folder or folder.startswith(s.folder + "/") for s in catalogue.sources
        )
    ]
    assert uncovered == []
    # the catalogue is exactly what refresh_checksums would write
    assert refresh_checksums(catalogue, real_settings.data_dir) == catalogue
    assert dump_catalogue(catalogue) == real_settings.catalogue_path.read_text(encoding="utf-8")
