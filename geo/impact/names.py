"""Names of the impact layers of a build, for the code that serves them.

Kept apart from the computation (:mod:`geo.impact.compute` imports rasterio): the snapshot,
the OGC providers and the pages read a build's impact layers through these names only.
"""

from __future__ import annotations

PREFIX = "dampak_"
"""Every impact layer's name starts with it."""

DIFFERENCE_PREFIX = f"{PREFIX}selisih_"
"""``dampak_selisih_<scenario>``: a scenario against the base scenario."""

SUMMARY_TABLE = f"{PREFIX}ringkasan"
"""DKI-wide people, displaced and area per class and scenario."""

SCENARIO_TABLE = f"{PREFIX}skenario"
"""The scenarios of the build: names, hazard, dates, question, caveats."""

DICTIONARY_TABLE = f"{PREFIX}kamus"
"""The data dictionary of every impact column (one row per collection and column)."""

TABLES = frozenset({SUMMARY_TABLE, SCENARIO_TABLE, DICTIONARY_TABLE})

LEVEL_COLUMN = "tingkat"
"""The column naming a row's admin level in the per-level impact layers."""


def scenario_layer(scenario: str) -> str:
    """The layer of a scenario's indicators, ``dampak_<scenario>``."""
    return f"{PREFIX}{scenario}"


def difference_layer(scenario: str) -> str:
    """The layer of a scenario's difference against the base, ``dampak_selisih_<scenario>``."""
    return f"{DIFFERENCE_PREFIX}{scenario}"


def is_unit_layer(name: str) -> bool:
    """True for the per-level impact layers (a scenario's or a difference's)."""
    return name.startswith(PREFIX) and name not in TABLES
