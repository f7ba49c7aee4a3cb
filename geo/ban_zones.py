"""The groundwater-extraction ban zones of Pergub DKI 93/2021, matched by name to kelurahan.

The regulation (in force 1 August 2023) names areas (*kawasan*) and road corridors (*jalan*)
where large buildings may no longer take groundwater, because the land subsides and piped
water is available. The press lists 9 areas and 9 of the 12 roads, by name only
(``sehat/groundwater_ban_zones_2021``). Each name is matched to kelurahan, first rule that
finds something:

areas
    1. a kelurahan with that name (``Kawasan Menteng`` -> Kelurahan Menteng);
    2. a kecamatan with that name: all its kelurahan (``Kawasan Tanah Abang``);
    3. kelurahan whose names hold every word of it (``Kawasan Kuningan`` -> Kuningan Barat,
       Kuningan Timur, Karet Kuningan).
    A parenthesis (``(JIEP)``) is left out of the name.
roads
    the TransJakarta boarding stops whose name holds the road's name (spaces and case
    ignored: ``Jalan R.E Martadinata`` -> "Jln. R. E. Martadinata"); the corridor is the
    kelurahan within :data:`ROAD_CORRIDOR_M` of such a stop (Pasal 3(3): plots beside a
    listed road are in the zone).

A name no rule matches (e.g. "Mega Kuningan", "Medan Merdeka", roads without a stop named
after them) is reported, never guessed. The matches are a proxy: a kelurahan is in the zone
when any part of it is named, and roads are located only where a stop carries their name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.names import match_key, normalise_name

ROAD_CORRIDOR_M = 100.0
"""How far from a stop named after a listed road the corridor reaches (metres)."""

_PREFIX = re.compile(r"^(KAWASAN|JALAN|JL|JLN)\s+")
_PAREN = re.compile(r"\([^)]*\)")


@dataclass
class ZoneMatches:
    """The kelurahan each zone was matched to, and the zones nothing matched."""

    pairs: pd.DataFrame
    """One row per (zone, kelurahan): ``list_type``, ``order_in_source``, ``nama_zona``,
    ``kode_kelurahan``, ``nama_kelurahan``, ``matched_by``."""
    unmatched: list[str] = field(default_factory=list)
    """Names of zones (as published) that no rule matched, and rows without a name."""


def zone_name(published: str) -> str:
    """The name of a zone without its kind ("Kawasan", "Jalan") or a parenthesis."""
    text = normalise_name(_PAREN.sub(" ", str(published)))
    return _PREFIX.sub("", text).strip()


def _area_units(name: str, kelurahan: pd.DataFrame) -> tuple[list[int], str]:
    key = match_key(name)
    hit = np.flatnonzero(kelurahan["nama"].map(match_key).to_numpy() == key)
    if len(hit):
        return hit.tolist(), "kelurahan name"
    hit = np.flatnonzero(kelurahan["nama_kecamatan"].map(match_key).to_numpy() == key)
    if len(hit):
        return hit.tolist(), "kecamatan name"
    words = set(name.split())
    names = kelurahan["nama"].map(lambda n: set(normalise_name(n).split()))
    hit = np.flatnonzero([bool(words) and words <= n for n in names])
    return hit.tolist(), "kelurahan names holding every word"


def _road_units(
    name: str, kelurahan_m: gpd.GeoDataFrame, stops_m: gpd.GeoDataFrame
) -> tuple[list[int], str]:
    key = match_key(name)
    named = stops_m[stops_m["stop_name"].map(match_key).str.contains(key, regex=False)]
    if not len(named) or not key:
        return [], ""
    _, unit = kelurahan_m.sindex.query(
        named.geometry.to_numpy(), predicate="dwithin", distance=ROAD_CORRIDOR_M
    )
    stops = ", ".join(sorted(set(named["stop_name"].astype(str)))[:6])
    return sorted(set(unit.tolist())), f"TJ stops named after the road: {stops}"


def match_ban_zones(
    zones: pd.DataFrame, kelurahan_m: gpd.GeoDataFrame, stops_m: gpd.GeoDataFrame
) -> ZoneMatches:
    """Match every zone of the table to kelurahan (see the module docstring).

    Parameters
    ----------
    zones : DataFrame
        The published table: ``list_type`` (kawasan / jalan), ``order_in_source``,
        ``name_as_published``.
    kelurahan_m : GeoDataFrame
        Kelurahan (``kode``, ``nama``, ``nama_kecamatan``) in a metric CRS.
    stops_m : GeoDataFrame
        TransJakarta boarding stops (``stop_name``), same CRS.

    Returns
    -------
    ZoneMatches
    """
    rows: list[dict[str, object]] = []
    unmatched = []
    for kind, order, raw in zip(
        zones["list_type"].astype(str),
        pd.to_numeric(zones["order_in_source"], errors="coerce").fillna(0).astype(int),
        zones["name_as_published"].fillna("").astype(str),
        strict=True,
    ):
        published = raw.strip()
        if not published:
            unmatched.append(f"{kind} {order}: not read (no name)")
            continue
        name = zone_name(published)
        if kind == "jalan":
            units, how = _road_units(name, kelurahan_m, stops_m)
        else:
            units, how = _area_units(name, kelurahan_m)
        if not units:
            unmatched.append(published)
            continue
        rows.extend(
            {
                "list_type": kind,
                "order_in_source": int(order),
                "nama_zona": published,
                "kode_kelurahan": str(kelurahan_m["kode"].iloc[u]),
                "nama_kelurahan": str(kelurahan_m["nama"].iloc[u]),
                "matched_by": how,
            }
            for u in units
        )
    columns = [
        "list_type",
        "order_in_source",
        "nama_zona",
        "kode_kelurahan",
        "nama_kelurahan",
        "matched_by",
    ]
    return ZoneMatches(pd.DataFrame(rows, columns=columns), unmatched)
