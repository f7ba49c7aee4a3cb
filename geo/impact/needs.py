"""Minimum needs of displaced people (BNPB Perka 7/2008, as InaSAFE's BNPB profile states it).

Each need is ``displaced x quantity per person``; the quantity is a setting
(:class:`geo.settings.ImpactSettings`) whose default and source are InaSAFE's BNPB minimum-needs
profile (``safe/resources/minimum_needs/BNPB_en.json`` and ``BNPB_id.json``: "The minimum
needs are based on Perka 7/2008", i.e. Peraturan Kepala BNPB Nomor 7 Tahun 2008). The Perka's
own text was not in reach; where the profile is unclear the setting's description says so.

The needs are linear in the displaced people, so a kecamatan's or kota's need is exactly the
sum of its kelurahan's. They are stored unrounded; pages round them up to whole units.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Need:
    """One minimum need: the setting holding its quantity per displaced person, and its words."""

    column: str
    setting: str
    name_id: str
    name_en: str
    unit: str
    frequency: str
    """``weekly`` or ``once`` (InaSAFE's frequency of the quantity)."""

    def quantity(self, settings: Any) -> float:
        """The per-person quantity from the settings."""
        return float(getattr(settings, self.setting))


NEEDS: tuple[Need, ...] = (
    Need("need_rice_kg", "impact_need_rice_kg", "Beras", "Rice", "kg", "weekly"),
    Need(
        "need_drinking_water_l",
        "impact_need_drinking_water_l",
        "Air minum",
        "Drinking water",
        "l",
        "weekly",
    ),
    Need(
        "need_clean_water_l",
        "impact_need_clean_water_l",
        "Air bersih",
        "Clean water",
        "l",
        "weekly",
    ),
    Need(
        "need_family_kits",
        "impact_need_family_kits",
        "Paket kebutuhan keluarga",
        "Family kits",
        "kit",
        "weekly",
    ),
    Need("need_toilets", "impact_need_toilets", "Toilet", "Toilets", "toilet", "once"),
)
"""The five needs of InaSAFE's BNPB profile, in its order."""

NEED_COLUMNS = tuple(need.column for need in NEEDS)


def minimum_needs(displaced: pd.Series, settings: Any) -> pd.DataFrame:
    """Minimum needs of the displaced people of each unit.

    Parameters
    ----------
    displaced : Series
        Displaced persons per unit (null where there is no data).
    settings : ImpactSettings
        The per-person quantities.

    Returns
    -------
    DataFrame
        One column per need of :data:`NEEDS`: ``displaced x quantity`` (null where
        ``displaced`` is null).
    """
    values = displaced.to_numpy(dtype="float64")
    return pd.DataFrame(
        {need.column: values * need.quantity(settings) for need in NEEDS}, index=displaced.index
    )


def rounded_up(value: float | None) -> int | None:
    """A need as a page shows it: rounded up to a whole unit (None stays None)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    return int(np.ceil(value - 1e-9))
