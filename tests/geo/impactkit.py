"""Real-data inputs of the impact analysis, read the way the build reads them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from geo import layers as thematic
from geo.admin import build_admin, build_rw
from geo.impact.exposure import REGISTER_FILE, read_register
from geo.ingest import read_ascii_grid

GRIDS = {
    "flood_depth_current": "Flood_Current_Depth_Jakarta_geographic.asc",
    "flood_depth_design": "Flood_Design_Depth_Jakarta_geographic.asc",
}


def real_inputs(data_dir: Path) -> dict[str, Any]:
    """The layers, grids and register :func:`geo.impact.compute.compute_impact` takes."""
    d = data_dir
    admin = build_admin(
        d / "boundaries/kelurahan_dukcapil_2019/BATAS_DESA_DESEMBER_2019_DUKCAPIL_DKI_JAKARTA.shp",
        d / "boundaries/kelurahan_kemendagri_2025/dki_kelurahan_267.geojson",
        d / "population/dukcapil_kelurahan_2019_population_core.csv",
    )
    kel = admin.kelurahan
    rw, _, _ = build_rw(d / "boundaries/rw_2014/rw_jakarta_update.shp", kel)
    layers = {
        "kelurahan": kel,
        "kecamatan": admin.kecamatan,
        "kota": admin.kota,
        "rw": rw,
        "flood_2017_rw_max": thematic.flood_2017_max(d / "flood/petabencana_2017_02").frame,
    }
    grids = {
        name: read_ascii_grid(d / "flood/depth_grids_hkv" / f, source="flood_depth_hkv")
        for name, f in GRIDS.items()
    }
    register = read_register(
        d / "population" / REGISTER_FILE, dict(zip(kel["kode"], kel["population"], strict=True))
    )
    return {"layers": layers, "grids": grids, "register": register.frame, "data": d}
