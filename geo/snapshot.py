"""One build, read once: the immutable snapshot every part of the served app reads.

:func:`load_snapshot` reads a build GeoPackage into a :class:`BuildSnapshot`: every collection
(frames, geometry, serialisations), the data dictionary, the indicator definitions and the
effective weights that build scored with, the build report, and the kelurahan index that
places actions (:class:`geo.actions.places.Places`). Nothing in a snapshot changes after it is
made, and nothing else reads the build output while the app serves.

:class:`SnapshotHolder` holds the current snapshot and swaps it, as one reference assignment,
when ``ketahanan build`` replaces the file. The map page, the API, the coverage gaps and the
placing of actions all take the snapshot from the same holder, so right after a rebuild they
serve the same build; a request takes the snapshot once and uses it throughout. The previous
snapshot is dropped at the swap (nothing keeps one per build).
"""

from __future__ import annotations

import gc
import json
import math
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pyogrio

from geo import generalise
from geo.actions.places import Places
from geo.errors import DataError, NoBuildError, NotFoundError
from geo.impact.names import DICTIONARY_TABLE as IMPACT_DICTIONARY
from geo.indicators.definitions import IndicatorDef
from geo.indicators.dictionary import data_dictionary, definitions_of, weights_of
from geo.ogc.collection import EXCLUDED_TABLES, Collection, read_collection
from geo.ogc.values import json_records, parse_json_cell
from geo.vocabulary import Level

RELOAD_CHECK_S = 2.0
"""How often (seconds) a holder looks whether the build output was replaced."""

DICTIONARY_TABLE = "data_dictionary"
REPORT_TABLE = "build_info"
LOAD_ATTEMPTS = 3
"""Reads of a build that changes while it is read before giving up."""


@dataclass(frozen=True)
class BuildStamp:
    """Identity of one version of the build file (a rebuild renames a new file into place)."""

    mtime_ns: int
    size: int
    inode: int

    @classmethod
    def of(cls, path: Path) -> BuildStamp:
        """The stamp of the file at ``path`` now (OSError when it is absent)."""
        st = path.stat()
        return cls(st.st_mtime_ns, st.st_size, st.st_ino)

    @property
    def key(self) -> str:
        """A short text naming this version (part of every cache key)."""
        return f"{self.mtime_ns:x}-{self.size:x}-{self.inode:x}"


@dataclass(frozen=True)
class BuildSnapshot:
    """Everything read from one build output.

    Attributes
    ----------
    path : Path
        The build GeoPackage.
    stamp : BuildStamp
        Which version of the file this is.
    loaded_at : str
        When it was read (ISO 8601 UTC).
    collections : mapping of id to Collection
        Every layer and table but the build report.
    dictionary : tuple of dict
        The data dictionary as the build wrote it.
    definitions : mapping of id to IndicatorDef
        The indicators the build computed (planner layers included).
    weights : mapping of id to float
        The effective weight of every indicator in the build's scores.
    report : dict or None
        The build report (None for an output without one).
    places : Places or None
        The build's kelurahan indexed for placing actions (None without a kelurahan layer).
    layer_names : tuple of str
        Every vector layer and table of the output, the report included.
    """

    path: Path
    stamp: BuildStamp
    loaded_at: str
    collections: Mapping[str, Collection]
    dictionary: tuple[dict[str, Any], ...]
    definitions: Mapping[str, IndicatorDef]
    weights: Mapping[str, float]
    report: Mapping[str, Any] | None
    places: Places | None
    layer_names: tuple[str, ...] = field(default=())

    @property
    def key(self) -> str:
        """Names this build version in cache keys."""
        return self.stamp.key

    @property
    def built_at(self) -> str:
        """When the build finished (ISO 8601 UTC, from its report; else the file's time).

        The same in every process that serves this build, unlike :attr:`loaded_at`: the
        ``timeStamp`` of a cached response, so its body and ETag do not depend on who made it.
        """
        finished = (self.report or {}).get("finished")
        when = None
        if isinstance(finished, str):
            try:
                when = datetime.fromisoformat(finished)
            except ValueError:
                when = None
        if when is None:
            when = datetime.fromtimestamp(self.stamp.mtime_ns / 1e9, UTC)
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    def get(self, collection_id: str) -> Collection:
        """The collection ``collection_id``.

        Raises
        ------
        NotFoundError
            For an unknown id (the message lists the known ones).
        """
        coll = self.collections.get(collection_id)
        if coll is None:
            raise NotFoundError(
                f"unknown collection '{collection_id}'",
                details={"collections": sorted(self.collections)},
            )
        return coll

    def require_places(self) -> Places:
        """The kelurahan index (NoBuildError when the build has no kelurahan layer)."""
        if self.places is None:
            raise NoBuildError(f"the build output at {self.path} has no kelurahan layer")
        return self.places


def _catalogue_sources(path: Path | None) -> dict[str, dict[str, Any]]:
    if path is None:
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {s["id"]: s for s in data.get("sources", []) if isinstance(s, dict) and "id" in s}


def _dictionary(path: Path, names: Iterable[str]) -> list[dict[str, Any]]:
    if DICTIONARY_TABLE not in names:
        return data_dictionary()
    frame = pyogrio.read_dataframe(path, layer=DICTIONARY_TABLE)
    return [{k: parse_json_cell(v) for k, v in r.items()} for r in json_records(frame)]


def _impact_dictionary(path: Path, names: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
    """The impact layers' dictionary entries by collection (empty for a build without)."""
    if IMPACT_DICTIONARY not in names:
        return {}
    frame = pyogrio.read_dataframe(path, layer=IMPACT_DICTIONARY)
    out: dict[str, list[dict[str, Any]]] = {}
    for record in json_records(frame):
        entry = {k: parse_json_cell(v) for k, v in record.items()}
        out.setdefault(str(entry.pop("collection")), []).append(entry)
    return out


def _report(path: Path, names: Iterable[str]) -> dict[str, Any] | None:
    if REPORT_TABLE not in names:
        return None
    frame = pyogrio.read_dataframe(path, layer=REPORT_TABLE)
    rows = frame.loc[frame["key"] == "report", "value"].tolist()
    report: dict[str, Any] | None = json.loads(rows[0]) if rows else None
    return report


def _places(collections: Mapping[str, Collection]) -> Places | None:
    kel = collections.get(Level.kelurahan)
    if kel is None or kel.geometry is None or "kode_kecamatan" not in kel.frame.columns:
        return None
    return Places(
        codes=kel.frame["kode"].astype(str).to_numpy(),
        kecamatan=kel.frame["kode_kecamatan"].astype(str).to_numpy(),
        geoms=kel.geometry,
    )


def _read(path: Path, catalogue_path: Path | None, layers: Iterable[str] | None) -> BuildSnapshot:
    stamp = BuildStamp.of(path)
    listed = {str(n): (None if g is None else str(g)) for n, g in pyogrio.list_layers(path)}
    wanted = set(listed) if layers is None else set(layers) & set(listed)
    dictionary = _dictionary(path, listed)
    definitions = definitions_of(dictionary)
    weights = weights_of(dictionary, definitions)
    sources = _catalogue_sources(catalogue_path)
    impact = _impact_dictionary(path, listed)
    collections = {
        name: read_collection(
            path,
            name,
            gtype,
            sources=sources,
            dictionary=dictionary,
            definitions=definitions,
            weights=weights,
            impact_dictionary=impact,
        )
        for name, gtype in listed.items()
        if name in wanted and name not in EXCLUDED_TABLES
    }
    return BuildSnapshot(
        path=path,
        stamp=stamp,
        loaded_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        collections=MappingProxyType(collections),
        dictionary=tuple(dictionary),
        definitions=MappingProxyType(dict(definitions)),
        weights=MappingProxyType(weights),
        report=_report(path, listed),
        places=_places(collections),
        layer_names=tuple(listed),
    )


def load_snapshot(
    path: Path,
    *,
    catalogue_path: Path | None = None,
    layers: Iterable[str] | None = None,
    warm_zooms: Iterable[int] = (),
) -> BuildSnapshot:
    """Read the build output at ``path`` into a snapshot.

    Parameters
    ----------
    path : Path
        The GeoPackage written by ``ketahanan build``.
    catalogue_path : Path, optional
        The data catalogue, for each collection's licence and source.
    layers : iterable of str, optional
        Read only these layers (default: all); e.g. ``("kelurahan",)`` to place actions.
    warm_zooms : iterable of int
        Zooms whose generalised geometry is made now for the admin layers (the others are
        made on first use and then kept).

    Returns
    -------
    BuildSnapshot

    Raises
    ------
    NoBuildError
        There is no build output at ``path`` (status 503, code ``no_build``).
    DataError
        The file kept changing while it was read.
    """
    layer_list = None if layers is None else list(layers)
    for _ in range(LOAD_ATTEMPTS):
        try:
            snapshot = _read(path, catalogue_path, layer_list)
            if BuildStamp.of(path) != snapshot.stamp:
                continue  # replaced while being read: read the new one again
        except FileNotFoundError:
            raise NoBuildError(f"no build output at {path}: run `ketahanan build` first") from None
        warm(snapshot, warm_zooms)
        return snapshot
    raise DataError(f"the build output at {path} kept changing while it was read; try again")


def warm(snapshot: BuildSnapshot, zooms: Iterable[int]) -> None:
    """Make the generalised geometry of the admin layers for ``zooms`` (and full resolution)
    now, rather than on first use."""
    levels = {generalise.level_of(z) for z in zooms} | {None}
    for coll in snapshot.collections.values():
        if coll.admin_level is not None:
            for level in levels:
                coll.level(level)


_latest: dict[tuple[Path, Path | None, tuple[str, ...] | None], BuildSnapshot] = {}
"""The newest snapshot read of each build path: at most one per path (and layer choice)."""
_latest_lock = threading.Lock()


def latest_snapshot(
    path: Path,
    *,
    catalogue_path: Path | None = None,
    layers: Iterable[str] | None = None,
    warm_zooms: Iterable[int] = (),
) -> BuildSnapshot:
    """The snapshot of the build at ``path`` as the file is now, read once per build version.

    Every holder of the same path shares it (two apps in one process, the app and an actions
    store used beside it, read a build once). Only the newest version of each path is kept:
    reading a new build drops the previous snapshot, so nothing accumulates per rebuild.

    Raises
    ------
    NoBuildError
        There is no build output at ``path``.
    """
    chosen = None if layers is None else tuple(sorted(layers))
    key = (path.resolve(), catalogue_path, chosen)
    try:
        stamp = BuildStamp.of(path)
    except FileNotFoundError:
        raise NoBuildError(f"no build output at {path}: run `ketahanan build` first") from None
    with _latest_lock:
        snapshot = _latest.get(key)
        if snapshot is None or snapshot.stamp != stamp:
            _latest.pop(key, None)  # drop the old build before reading the new one
            snapshot = load_snapshot(
                path, catalogue_path=catalogue_path, layers=chosen, warm_zooms=warm_zooms
            )
            _latest[key] = snapshot
    warm(snapshot, warm_zooms)
    return snapshot


class SnapshotHolder:
    """The current :class:`BuildSnapshot` of a build path, swapped when a new build lands.

    Parameters
    ----------
    path : Path
        The build output.
    catalogue_path : Path, optional
        The data catalogue (for the collections' sources).
    layers : iterable of str, optional
        Read only these layers (default: all).
    warm_zooms : iterable of int
        See :func:`load_snapshot`.
    check_every : float
        Seconds between two looks at the file (a rebuild is seen within this time).
    """

    def __init__(
        self,
        path: Path,
        *,
        catalogue_path: Path | None = None,
        layers: Iterable[str] | None = None,
        warm_zooms: Iterable[int] = (),
        check_every: float = RELOAD_CHECK_S,
    ) -> None:
        self.path = path
        self.catalogue_path = catalogue_path
        self.layers = None if layers is None else tuple(layers)
        self.warm_zooms = tuple(warm_zooms)
        self.check_every = check_every
        self.checks = 0
        """How many times the file was looked at for a replacement (:meth:`is_stale`)."""
        self._snapshot: BuildSnapshot | None = None
        self._checked = -math.inf  # never: time.monotonic() may be small (a machine just booted)
        self._replaced = False
        self._lock = threading.Lock()

    @property
    def loaded(self) -> BuildSnapshot | None:
        """The snapshot held now, without looking at the file (None before the first load)."""
        return self._snapshot

    def is_stale(self) -> bool:
        """Whether no snapshot is held or the file was replaced (looked at every check_every).

        Once a replacement is seen the answer stays true until :meth:`current` has loaded
        the new build, so that every caller in between sees it.
        """
        snapshot = self._snapshot
        if snapshot is None or self._replaced:
            return True
        now = time.monotonic()
        if now - self._checked < self.check_every:
            return False
        self._checked = now
        self.checks += 1
        try:
            self._replaced = BuildStamp.of(self.path) != snapshot.stamp
        except OSError:
            return False  # the file is gone: keep serving what was loaded
        return self._replaced

    def current(self) -> BuildSnapshot:
        """The snapshot to serve, reading the build when none is held or it was replaced.

        Blocking (reading a build takes seconds): async callers run it in a worker thread
        when :meth:`is_stale` says so.

        Raises
        ------
        NoBuildError
            No build output exists and none was loaded before.
        """
        snapshot = self._snapshot
        if snapshot is not None and not self.is_stale():
            return snapshot
        with self._lock:
            snapshot = self._snapshot
            if snapshot is None or self._changed(snapshot):
                snapshot = latest_snapshot(
                    self.path,
                    catalogue_path=self.catalogue_path,
                    layers=self.layers,
                    warm_zooms=self.warm_zooms,
                )
                self._swap(snapshot)
            self._replaced = False
            self._checked = time.monotonic()
            return snapshot

    def refresh(self) -> BuildSnapshot:
        """Look at the file now (not at the next check) and serve the newest build."""
        self._checked = -math.inf
        return self.current()

    def _changed(self, snapshot: BuildSnapshot) -> bool:
        try:
            return BuildStamp.of(self.path) != snapshot.stamp
        except OSError:
            return False

    def _swap(self, snapshot: BuildSnapshot) -> None:
        # The snapshot is long-lived: its many objects are kept out of the cyclic GC's full
        # collections (which otherwise pause requests for milliseconds). Unfreeze first, so
        # the previous snapshot is really freed once the swap drops the last reference to it.
        gc.unfreeze()
        self._snapshot = snapshot
        gc.collect()
        gc.freeze()


def places_reader(path: Path) -> Callable[[], Places]:
    """A function giving the kelurahan index of the build at ``path``, read once per build.

    For an actions store used outside the app (the CLI, scripts): it holds a snapshot of the
    kelurahan layer only, swapped (not added to) when the build is replaced.
    """
    holder = SnapshotHolder(path, layers=(Level.kelurahan,))
    return lambda: holder.current().require_places()
