"""The build: every real Jakarta layer, checked, into one GeoPackage with a report beside it.

Steps (each with a progress bar in the CLI): verify the catalogue's checksums, build the admin
layers, the RW layer, the thematic layers, read the depth grids, compute the indicators, then
write everything to a temporary GeoPackage that is renamed into place only when complete. A
failed or interrupted build therefore never leaves a half-written output, and the earlier
output keeps being served.
"""

from __future__ import annotations

import json
import os
import resource
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import rasterio

from geo import layers as thematic
from geo import sehat_layers as sehat
from geo.admin import build_admin, build_rw
from geo.bps import BPS_COLUMN, CROSSWALK_FILE, read_bps_crosswalk, with_bps_codes
from geo.catalogue import Catalogue, load_catalogue, verify_or_raise
from geo.errors import DataError, NoBuildError
from geo.impact.compute import compute_impact
from geo.impact.exposure import REGISTER_FILE, read_register
from geo.impact.user_scenarios import load_user_scenarios
from geo.indicators.compute import all_definitions, compute_indicators
from geo.indicators.dictionary import with_data_dates
from geo.ingest import Grid, read_ascii_grid
from geo.scores import resolve_weights
from geo.settings import Settings
from geo.vocabulary import Level

GRIDS = {
    "flood_depth_current": "Flood_Current_Depth_Jakarta_geographic.asc",
    "flood_depth_design": "Flood_Design_Depth_Jakarta_geographic.asc",
    "flood_category": "jakarta_flood_category_123.asc",
}
"""Raster tables of the build output and the ESRI ASCII grids they come from."""

GRID_NODATA = -9999.0

ADMIN_LAYERS = tuple(str(level) for level in Level)

Progress = Callable[[str], None]
"""Called with the name of each step as it starts (the CLI turns it into a progress bar)."""


@dataclass
class BuildReport:
    """What a build read, repaired, set aside and wrote, and how long each step took."""

    started: str = ""
    finished: str = ""
    data_dir: str = ""
    output: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    expected: dict[str, int] = field(default_factory=dict)
    count_notes: dict[str, str] = field(default_factory=dict)
    checks: dict[str, Any] = field(default_factory=dict)
    reads: list[dict[str, Any]] = field(default_factory=list)
    checksums: dict[str, str] = field(default_factory=dict)
    timings_s: dict[str, float] = field(default_factory=dict)
    peak_rss_mb: float = 0.0
    """Peak resident memory of the building process, in MiB."""

    @property
    def repaired(self) -> int:
        """Geometries repaired with ``make_valid`` across all reads."""
        return sum(int(r.get("repaired", 0)) for r in self.reads)

    @property
    def set_aside(self) -> list[dict[str, Any]]:
        """Rows set aside across all reads, each with its source."""
        return [
            {"source": r["source"], "path": r["path"], **row}
            for r in self.reads
            for row in r.get("set_aside", [])
        ]

    @property
    def findings(self) -> list[dict[str, Any]]:
        """Source-check findings across all reads (:mod:`geo.source_checks`), with their rows."""
        return [f for r in self.reads for f in r.get("findings", [])]

    @property
    def unmatched(self) -> list[dict[str, str]]:
        """Names that matched no code, with their source."""
        return [
            {"source": r["source"], "name": name}
            for r in self.reads
            for name in r.get("unmatched", [])
        ]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dictionary of the whole report."""
        return {
            "started": self.started,
            "finished": self.finished,
            "data_dir": self.data_dir,
            "output": self.output,
            "counts": self.counts,
            "expected": self.expected,
            "count_notes": self.count_notes,
            "checks": self.checks,
            "repaired": self.repaired,
            "set_aside": self.set_aside,
            "source_checks": self.findings,
            "unmatched": self.unmatched,
            "reads": self.reads,
            "checksums": self.checksums,
            "timings_s": self.timings_s,
            "peak_rss_mb": self.peak_rss_mb,
        }


@dataclass
class BuildResult:
    """Everything a build produced, in memory."""

    layers: dict[str, gpd.GeoDataFrame | pd.DataFrame]
    grids: dict[str, Grid]
    report: BuildReport
    dictionary: list[dict[str, Any]] = field(default_factory=list)
    layer_sources: dict[str, str] = field(default_factory=dict)
    """Build layer (and grid) name -> the catalogue source it comes from."""


SOURCE_OF_ADMIN = {
    "kelurahan": "kelurahan_dukcapil_2019",
    "kecamatan": "kelurahan_dukcapil_2019",
    "kota": "kelurahan_dukcapil_2019",
    "rw": "rw_2014",
    **{grid: "flood_depth_hkv" for grid in GRIDS},
}
"""The catalogue source of the layers the build does not read through a layer builder."""


class _Steps:
    def __init__(self, report: BuildReport, progress: Progress | None) -> None:
        self.report = report
        self.progress = progress

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        if self.progress is not None:
            self.progress(name)
        start = time.perf_counter()
        yield
        self.report.timings_s[name] = round(time.perf_counter() - start, 3)


BUILD_STEPS = (
    "verify checksums",
    "admin layers",
    "rw",
    "flood layers",
    "transit layers",
    "sehat layers",
    "cross-check layers",
    "depth grids",
    "indicators",
    "impact",
)
"""The steps of :func:`build_layers`, in order (for progress bars)."""


def _record(report: BuildReport, result: thematic.LayerResult) -> None:
    report.reads.extend(r.to_dict() for r in result.reports)


def build_layers(
    settings: Settings,
    *,
    verify: bool = True,
    progress: Progress | None = None,
    catalogue: Catalogue | None = None,
) -> BuildResult:
    """Read, check and normalise every source into layers held in memory.

    Parameters
    ----------
    settings : Settings
        Where the data and the catalogue are.
    verify : bool
        Check every catalogue checksum first (the default). Without it, changed files are
        read and only the ingest checks (CRS, extent, geometry) apply.
    progress : callable, optional
        Called with each step name from :data:`BUILD_STEPS` as it starts.
    catalogue : Catalogue, optional
        A catalogue already loaded (default: read ``settings.catalogue_path``).

    Returns
    -------
    BuildResult
        The layers by output name, the grids, and the report.

    Raises
    ------
    DataError
        Any missing, changed, corrupt or wrongly projected file, named in the message.
    """
    report = BuildReport(started=datetime.now(UTC).isoformat(timespec="seconds"))
    data_dir = settings.data_dir
    report.data_dir = str(data_dir)
    if not data_dir.is_dir():
        raise DataError(
            f"data folder {data_dir} does not exist: set KETAHANAN_DATA_DIR to the folder "
            "holding the Jakarta data (see data/README.md)"
        )
    cat = catalogue or load_catalogue(settings.catalogue_path)
    # Bad weights in the settings stop the build before any work (and before any output).
    resolve_weights(all_definitions(settings), settings.score_weights)
    steps = _Steps(report, progress)
    layers: dict[str, gpd.GeoDataFrame | pd.DataFrame] = {}
    sources = dict(SOURCE_OF_ADMIN)

    def add(result: thematic.LayerResult) -> None:
        layers[result.name] = result.frame
        sources[result.name] = result.source
        _record(report, result)
        if result.expected is not None:
            report.expected[result.name] = result.expected
        if result.note:
            report.count_notes[result.name] = result.note

    def folder(source_id: str) -> Path:
        return data_dir / cat.source(source_id).folder

    with steps.step("verify checksums"):
        if verify:
            verify_or_raise(cat, data_dir)
        report.checksums = {f.path: f.sha256 for s in cat.sources for f in s.files}

    with steps.step("admin layers"):
        admin = build_admin(
            folder("kelurahan_dukcapil_2019") / "BATAS_DESA_DESEMBER_2019_DUKCAPIL_DKI_JAKARTA.shp",
            folder("kelurahan_kemendagri_2025") / "dki_kelurahan_267.geojson",
            folder("population_dukcapil_2019") / "dukcapil_kelurahan_2019_population_core.csv",
        )
        crosswalk, bps_report = read_bps_crosswalk(
            folder("kelurahan_kemendagri_2025") / CROSSWALK_FILE
        )
        admin.kelurahan = with_bps_codes(admin.kelurahan, crosswalk)
        layers.update(kelurahan=admin.kelurahan, kecamatan=admin.kecamatan, kota=admin.kota)
        report.reads.extend(r.to_dict() for r in [*admin.reports, bps_report])
        report.checks["bps_codes"] = int(admin.kelurahan[BPS_COLUMN].notna().sum())
        report.expected.update(kelurahan=267, kecamatan=44, kota=6)
        report.checks["admin"] = admin.checks
    kel = admin.kelurahan

    with steps.step("rw"):
        rw, rw_report, rw_stats = build_rw(folder("rw_2014") / "rw_jakarta_update.shp", kel)
        layers["rw"] = rw
        report.reads.append(rw_report.to_dict())
        report.expected["rw"] = 2724
        report.checks["rw_links"] = rw_stats

    with steps.step("flood layers"):
        flood07 = folder("flood_rw_2007")
        pb = folder("petabencana_2017_02")
        add(thematic.flood_rw_2007(flood07, kel))
        add(thematic.rw_2007_all(flood07))
        add(thematic.flood_2017_max(pb))
        add(thematic.flood_2017_hourly(pb))
        add(thematic.flood_2017_reports(pb))
        for res in thematic.hydro_2016(folder("hydro_infrastructure_2016")):
            add(res)
        for res in thematic.pantau_banjir(folder("pantau_banjir_2024")):
            add(res)

    with steps.step("transit layers"):
        for res in thematic.transjakarta_2025(folder("transjakarta_gtfs_2025_09")):
            add(res)
        for res in thematic.transjakarta_2026(folder("transjakarta_gtfs_2026_04")):
            add(res)
        add(thematic.transjakarta_2021_shapes(folder("transjakarta_gtfs_2021")))
        for res in thematic.rail(folder("rail_2021")):
            add(res)

    with steps.step("sehat layers"):
        add(sehat.slum_rw(folder("rw_kumuh_kotaku"), kel))
        add(sehat.river_waste(folder("river_waste_2024_25"), admin.kecamatan, kel))
        add(sehat.waste_banks(folder("bank_sampah_3r"), kel))
        for res in sehat.press_tables(data_dir):
            add(res)
        for res in sehat.groundwater_ban_zones(
            folder("groundwater_ban_zones_2021"), kel, layers["tj_stops"]
        ):
            add(res)

    with steps.step("cross-check layers"):
        for res in thematic.osm_2012(folder("admin_osm_2012")):
            add(res)

    grids: dict[str, Grid] = {}
    with steps.step("depth grids"):
        for name, fname in GRIDS.items():
            grid = read_ascii_grid(folder("flood_depth_hkv") / fname, source="flood_depth_hkv")
            grids[name] = grid
            report.counts[f"grid:{name}"] = int(np.isfinite(grid.array).sum())

    result = BuildResult(layers=layers, grids=grids, report=report, layer_sources=sources)
    with steps.step("indicators"):
        _add_indicators(result, settings, {s.id: s.date for s in cat.sources})
    with steps.step("impact"):
        _add_impact(result, settings, folder("population_dukcapil_2019"))

    report.counts.update({name: len(frame) for name, frame in layers.items()})
    return result


def _add_indicators(result: BuildResult, settings: Settings, dates: dict[str, str]) -> None:
    computed = compute_indicators(result.layers, result.grids, settings)
    result.layers.update(
        kelurahan=computed.kelurahan, kecamatan=computed.kecamatan, kota=computed.kota
    )
    result.dictionary = with_data_dates(computed.dictionary, result.layer_sources, dates)
    result.report.checks["rank_uncertainty"] = computed.rank_uncertainty
    result.report.timings_s["indicators: rank uncertainty"] = computed.rank_uncertainty["seconds"]


def _add_impact(result: BuildResult, settings: Settings, population_folder: Path) -> None:
    """The impact layers (``dampak_*``, see :mod:`geo.impact.compute`) and their checks."""
    kel = result.layers["kelurahan"]
    register = read_register(
        population_folder / REGISTER_FILE, dict(zip(kel["kode"], kel["population"], strict=True))
    )
    result.report.reads.append(register.report.to_dict())
    planner = load_user_scenarios(settings)
    impact = compute_impact(result.layers, result.grids, register.frame, settings, planner)
    result.layers.update(impact.layers)
    result.report.checks["impact"] = impact.checks


def _write_frame(path: Path, name: str, frame: gpd.GeoDataFrame | pd.DataFrame) -> None:
    if isinstance(frame, gpd.GeoDataFrame):
        pyogrio.write_dataframe(frame, path, layer=name, driver="GPKG", promote_to_multi=False)
    else:
        pyogrio.write_dataframe(frame, path, layer=name, driver="GPKG")


def _write_grid(path: Path, name: str, grid: Grid) -> None:
    array = np.where(np.isfinite(grid.array), grid.array, GRID_NODATA).astype("float32")
    profile = {
        "driver": "GPKG",
        "width": array.shape[1],
        "height": array.shape[0],
        "count": 1,
        "dtype": "float32",
        "crs": grid.crs,
        "transform": grid.transform,
        "nodata": GRID_NODATA,
    }
    with rasterio.open(
        path, "w", **profile, RASTER_TABLE=name, APPEND_SUBDATASET="YES", TILE_FORMAT="TIFF"
    ) as dst:
        dst.write(array, 1)


def write_output(
    result: BuildResult, build_path: Path, report_path: Path, *, started: float | None = None
) -> None:
    """Write the build to a temporary GeoPackage and rename it (and the report) into place.

    Parameters
    ----------
    result : BuildResult
        From :func:`build_layers`.
    build_path : Path
        Final GeoPackage path; replaced only once the new file is complete.
    report_path : Path
        Where the JSON build report goes (also replaced only once complete).
    started : float, optional
        ``time.perf_counter()`` at the start of the build, to record the total time.
    """
    build_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = build_path.with_name(f".{build_path.stem}.{os.getpid()}.tmp{build_path.suffix}")
    tmp_report = report_path.with_name(f".{report_path.name}.{os.getpid()}.tmp")
    report = result.report
    t_write = time.perf_counter()
    try:
        tmp.unlink(missing_ok=True)
        for name, frame in result.layers.items():
            _write_frame(tmp, name, frame)
        dictionary = pd.DataFrame(
            [{k: _json_cell(v) for k, v in entry.items()} for entry in result.dictionary]
        )
        if not dictionary.empty:
            pyogrio.write_dataframe(dictionary, tmp, layer="data_dictionary", driver="GPKG")
        for name, grid in result.grids.items():
            _write_grid(tmp, name, grid)
        report.output = str(build_path)
        report.finished = datetime.now(UTC).isoformat(timespec="seconds")
        report.timings_s["write output"] = round(time.perf_counter() - t_write, 3)
        if started is not None:
            report.timings_s["total"] = round(time.perf_counter() - started, 3)
        # Linux reports ru_maxrss in KiB: the peak resident memory of this process so far.
        report.peak_rss_mb = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        text = json.dumps(report.to_dict(), indent=2, ensure_ascii=False)
        info = pd.DataFrame([{"key": "report", "value": text}])
        pyogrio.write_dataframe(info, tmp, layer="build_info", driver="GPKG")
        tmp_report.write_text(text, encoding="utf-8")
        # flush both files to disk before the renames, and the renames after, so a crash
        # or power cut leaves either the old output or the complete new one
        _fsync(tmp)
        _fsync(tmp_report)
        os.replace(tmp, build_path)
        os.replace(tmp_report, report_path)
        _fsync(build_path.parent)
    finally:
        tmp.unlink(missing_ok=True)
        tmp_report.unlink(missing_ok=True)
    _remove_stale_temps(build_path, report_path)


def _fsync(path: Path) -> None:
    """Flush a file (or a folder's entries) to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove_stale_temps(build_path: Path, report_path: Path) -> None:
    """Delete temporary outputs (and GDAL side files) left by builds that were killed.

    A temporary file is named after the process that wrote it; it is removed only when that
    process no longer runs, so a concurrent build's file is never touched.
    """
    patterns = (
        (f".{build_path.stem}.", f".tmp{build_path.suffix}"),
        (f".{report_path.name}.", ".tmp"),
    )
    for prefix, suffix in patterns:
        for path in build_path.parent.glob(f"{prefix}*{suffix}*"):
            pid, sep, rest = path.name.removeprefix(prefix).partition(suffix)
            if not sep or not pid.isdigit() or rest not in ("", "-journal", "-wal", "-shm"):
                continue
            if int(pid) != os.getpid() and not _pid_alive(int(pid)):
                path.unlink(missing_ok=True)


def _json_cell(value: Any) -> Any:
    if isinstance(value, list | dict | tuple):
        return json.dumps(value, ensure_ascii=False)
    return value


def run_build(
    settings: Settings, *, verify: bool = True, progress: Progress | None = None
) -> BuildReport:
    """Build every layer and write the GeoPackage and its report (the ``ketahanan build``).

    Parameters
    ----------
    settings : Settings
        Data folder, catalogue, build and report paths.
    verify : bool
        Check catalogue checksums before reading.
    progress : callable, optional
        Step callback, see :func:`build_layers`.

    Returns
    -------
    BuildReport
        The report that was also written beside the output.
    """
    started = time.perf_counter()
    result = build_layers(settings, verify=verify, progress=progress)
    if progress is not None:
        progress("write output")
    write_output(result, settings.build_path, settings.report_path, started=started)
    return result.report


def list_layers(build_path: Path) -> list[str]:
    """Names of the vector layers and tables in a build output."""
    return [str(name) for name, _ in pyogrio.list_layers(build_path)]


def load_layer(build_path: Path, name: str) -> gpd.GeoDataFrame | pd.DataFrame:
    """Read one layer of a build output.

    Parameters
    ----------
    build_path : Path
        The GeoPackage written by :func:`run_build`.
    name : str
        A layer name, e.g. ``"kelurahan"``.

    Returns
    -------
    GeoDataFrame or DataFrame
        A DataFrame for tables without geometry.
    """
    if not build_path.exists():
        raise NoBuildError(f"no build output at {build_path}: run `ketahanan build` first")
    frame = pyogrio.read_dataframe(build_path, layer=name)
    return frame


def load_layers(settings: Settings, names: tuple[str, ...] = ADMIN_LAYERS) -> dict[str, Any]:
    """Read several layers of the build output named by ``settings.build_path``."""
    return {name: load_layer(settings.build_path, name) for name in names}


def read_report(report_path: Path) -> dict[str, Any]:
    """Read the JSON build report written beside the output."""
    result: dict[str, Any] = json.loads(report_path.read_text(encoding="utf-8"))
    return result
