"""The build snapshot: read once, holds the build's own definitions and weights, and is let go
when a new build lands (no index or frame kept per rebuild)."""

from __future__ import annotations

import gc
import os
import shutil
import weakref
from pathlib import Path

import pytest

from geo.errors import NoBuildError, NotFoundError
from geo.indicators.definitions import INDICATORS
from geo.settings import Settings
from geo.snapshot import SnapshotHolder, latest_snapshot, load_snapshot, places_reader
from geo.vocabulary import Level

pytestmark = pytest.mark.realdata


def _copy(src: Path, dst: Path) -> None:
    """Put a copy of a build at ``dst`` the way a build does: a new file renamed into place."""
    tmp = dst.with_name(f".{dst.name}.tmp")
    shutil.copyfile(src, tmp)
    os.replace(tmp, dst)


def test_snapshot_holds_what_the_build_wrote(real_build: Settings) -> None:
    snapshot = load_snapshot(real_build.build_path, catalogue_path=real_build.catalogue_path)
    assert {str(level) for level in Level} <= set(snapshot.collections)
    assert "build_info" not in snapshot.collections and "build_info" in snapshot.layer_names
    assert snapshot.report is not None and snapshot.report["counts"]["kelurahan"] == 267
    assert set(snapshot.definitions) == {e["id"] for e in snapshot.dictionary}
    assert dict(snapshot.definitions) == dict(INDICATORS)  # no planner layer in this build
    assert snapshot.weights == {e["id"]: e["weight"] for e in snapshot.dictionary}
    kel = snapshot.get("kelurahan")
    assert kel.weights == snapshot.weights and kel.definitions == snapshot.definitions
    places = snapshot.require_places()
    assert len(places.codes) == 267
    assert places.kelurahan_of_codes(["31.71.01"]) == sorted(
        kel.frame.loc[kel.frame["kode_kecamatan"] == "31.71.01", "kode"]
    )
    with pytest.raises(NotFoundError):
        snapshot.get("nope")


def test_no_build_is_one_error(tmp_path: Path) -> None:
    for call in (
        lambda: load_snapshot(tmp_path / "none.gpkg"),
        lambda: SnapshotHolder(tmp_path / "none.gpkg").current(),
        lambda: places_reader(tmp_path / "none.gpkg")(),
    ):
        with pytest.raises(NoBuildError) as caught:
            call()
        assert caught.value.status == 503 and caught.value.code == "no_build"


def test_a_rebuild_swaps_the_snapshot_and_frees_the_old_one(
    real_build: Settings, tmp_path: Path
) -> None:
    """The old snapshot (and its kelurahan STRtree) is freed after a rebuild: nothing keeps
    one per build, unlike the mtime-keyed cache of geo/actions/places.py before."""
    path = tmp_path / "ketahanan.gpkg"
    _copy(real_build.build_path, path)
    holder = SnapshotHolder(path, layers=(Level.kelurahan,), check_every=3600)
    first = holder.current()
    old_snapshot, old_places = weakref.ref(first), weakref.ref(first.require_places())
    read_places = places_reader(path)
    assert read_places() is first.places  # the same build is read once, whoever asks
    del first, read_places
    for _ in range(3):  # three rebuilds: each drops the one before
        _copy(real_build.build_path, path)
        assert holder.current() is holder.loaded  # not looked at yet: still the old build
        newer = holder.refresh()
        assert newer.stamp.inode == path.stat().st_ino
    gc.collect()
    assert old_snapshot() is None and old_places() is None


def test_readers_of_one_build_share_one_snapshot(real_build: Settings) -> None:
    path = real_build.build_path
    one = latest_snapshot(path, layers=("kelurahan",))
    assert latest_snapshot(path, layers=["kelurahan"]) is one
    assert SnapshotHolder(path, layers=("kelurahan",)).current() is one
