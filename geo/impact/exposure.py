"""Exposure: people in each hazard class per kelurahan, displaced people, who they are.

Spreading the population
------------------------
The Dukcapil register counts people per kelurahan, not where in it they live. The population
is spread **evenly over the kelurahan's area** (areal weighting), the way InaSAFE treats a
polygon population layer: with P the kelurahan's population and ``share_c`` the share of its
area (METRIC_CRS) in hazard class c (:mod:`geo.impact.hazard`),

    people_c = P x share_c

apportioned to whole persons by the largest-remainder (Hamilton) method over the five classes
(unaffected, low, medium, high, no data), so the five always add up to P exactly.

Why the kelurahan and not its RWs: the RW polygons (2014) carry no population, so spreading
over them adds only one assumption, that land outside every RW polygon is empty. Measured on
the real data, the RW polygons cover a median 99.999 % of each mainland kelurahan and at least
78 % (Kalisari, on the DKI border); the gaps are mostly where the two boundary vintages
(RW 2014, Dukcapil 2017) disagree, not unpeopled land, so spreading over RWs would move people
because of a boundary mismatch. For the 2017 RW flood states the RW is the hazard's unit, and
the same even spread gives the people of a flooded RW as ``P x area(RW ∩ kelurahan) / area``.

Affected, displaced, who they are
---------------------------------
* ``affected = people_low + people_medium + people_high``.
* ``displaced_c = round(people_c x rate_c)`` (half up), ``displaced = sum over the classes``;
  the rates are settings (InaSAFE's 1 %, 3 %, 5 %).
* By sex and age group: the kelurahan's own register composition applied to its affected (and
  displaced) people, apportioned by largest remainder so the groups add up exactly. This
  assumes the flooded part of a kelurahan has the kelurahan's mix of ages and sexes.

Age groups from the register's bands
------------------------------------
The register has 16 five-year bands named ``U<n>``: ``U<n>`` counts people aged n to n+4
(``U0`` = 0-4, ``U5`` = 5-9, ..., ``U70`` = 70-74) and ``U75`` counts those aged 75 and over.
Evidence, on all 267 kelurahan: the 16 bands add up to ``JUMLAH_PEN`` in every row (so they
are disjoint, not cumulative "under n" counts), and ``WAJIB_KTP`` (people who must hold an ID
card: aged 17 and over, or married) lies between the sum of ``U20``..``U75`` and the sum of
``U15``..``U75`` in every row, as it must when ``U15`` is the band of 15-19 year olds.
The groups (InaSAFE's infant, child, adult and elderly concepts):

======================  =================================
group                   formula
======================  =================================
``under5`` (0-4)        U0
``age_5_14``            U5 + U10
``age_15_64``           U15 + U20 + ... + U60 (10 bands)
``age_65plus``          U65 + U70 + U75
======================  =================================

Sex: ``PRIA`` (male) and ``WANITA`` (female), which add up to ``JUMLAH_PEN`` in every row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from geo.errors import DataError
from geo.ingest import ReadReport, read_table, require_columns
from geo.names import to_dotted_code

AGE_BANDS = tuple(f"U{n}" for n in range(0, 80, 5))
"""The register's 16 age bands: ``U<n>`` = aged n to n+4, ``U75`` = 75 and over."""

AGE_GROUPS: dict[str, tuple[str, ...]] = {
    "under5": ("U0",),
    "age_5_14": ("U5", "U10"),
    "age_15_64": tuple(f"U{n}" for n in range(15, 65, 5)),
    "age_65plus": ("U65", "U70", "U75"),
}
"""Age group -> the register bands it sums (see the module docstring for the evidence)."""

SEX_GROUPS: dict[str, str] = {"male": "PRIA", "female": "WANITA"}
"""Sex group -> register column."""

REGISTER_FILE = "dukcapil_kelurahan_2019_attributes.csv"
"""The register's attribute table (all fields, keyed by Kemendagri code) in ``population/``."""


def apportion(totals: np.ndarray, shares: np.ndarray) -> np.ndarray:
    """Split whole totals into whole parts by the largest-remainder (Hamilton) method.

    Parameters
    ----------
    totals : array of int, shape (n,)
        A whole number per row (persons).
    shares : array of float, shape (n, k)
        Non-negative weights per row; a row is scaled to sum to 1. A row of NaN gives a
        row of NaN (no data); a row of zeros gives zeros.

    Returns
    -------
    numpy.ndarray of float, shape (n, k)
        Whole numbers with ``out.sum(axis=1) == totals`` in every row with weights: each part
        is ``floor(total x share)``, and the parts left over go one each to the largest
        remainders (the earlier column first on a tie).
    """
    totals = np.asarray(totals, dtype="float64")
    shares = np.asarray(shares, dtype="float64")
    n, k = shares.shape
    missing = np.isnan(shares).any(axis=1) | np.isnan(totals)
    weights = np.where(np.isnan(shares), 0.0, np.clip(shares, 0.0, None))
    sums = weights.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        norm = np.where(sums > 0, weights / sums, 0.0)
    exact = norm * np.where(missing, 0.0, totals)[:, None]
    base = np.floor(exact + 1e-9)
    left = np.where(sums[:, 0] > 0, np.where(missing, 0.0, totals) - base.sum(axis=1), 0.0)
    remainder = exact - base
    # rank the remainders in each row, largest first (stable: earlier column wins a tie)
    order = np.argsort(-remainder, axis=1, kind="stable")
    rank = np.empty_like(order)
    rank[np.arange(n)[:, None], order] = np.arange(k)[None, :]
    out = base + (rank < left[:, None])
    out[missing] = np.nan
    return out


def round_half_up(values: np.ndarray) -> np.ndarray:
    """Round non-negative values to whole numbers, halves up (NaN stays NaN)."""
    return np.floor(np.asarray(values, dtype="float64") + 0.5)


@dataclass
class Register:
    """The register fields the impact analysis uses, one row per kelurahan code."""

    frame: pd.DataFrame
    """Index ``kode`` (dotted); columns ``population``, ``male``, ``female`` and the groups of
    :data:`AGE_GROUPS`."""
    report: ReadReport


def read_register(path: Path, population: Mapping[str, int] | None = None) -> Register:
    """Read the sex and age fields of the Dukcapil register and check them.

    Parameters
    ----------
    path : Path
        ``population/dukcapil_kelurahan_2019_attributes.csv``.
    population : mapping of code to int, optional
        The kelurahan layer's population; every code must be in the register with the same
        ``JUMLAH_PEN``.

    Returns
    -------
    Register

    Raises
    ------
    DataError
        A column is missing, the bands or sexes do not add up to the population, or the
        population differs from the kelurahan layer's (each named).
    """
    raw, report = read_table(path, source="population_dukcapil_2019")
    require_columns(raw, ["KODE_DESA", "JUMLAH_PEN", *SEX_GROUPS.values(), *AGE_BANDS], path=path)
    raw = raw[raw["KODE_DESA"].astype(str).str.fullmatch(r"\d{10}")].copy()
    kode = raw["KODE_DESA"].astype(str).map(to_dotted_code)
    values = raw[["JUMLAH_PEN", *SEX_GROUPS.values(), *AGE_BANDS]].apply(
        pd.to_numeric, errors="coerce"
    )
    values.index = pd.Index(kode, name="kode")
    bad = values.isna().any(axis=1) | (values < 0).any(axis=1)
    _fail_if(bad, path, "has a missing or negative count")
    _fail_if(
        values[list(AGE_BANDS)].sum(axis=1) != values["JUMLAH_PEN"],
        path,
        "has age bands U0..U75 that do not add up to JUMLAH_PEN",
    )
    _fail_if(
        values[list(SEX_GROUPS.values())].sum(axis=1) != values["JUMLAH_PEN"],
        path,
        "has PRIA + WANITA different from JUMLAH_PEN",
    )
    frame = pd.DataFrame({"population": values["JUMLAH_PEN"]}, index=values.index)
    for group, column in SEX_GROUPS.items():
        frame[group] = values[column]
    for group, bands in AGE_GROUPS.items():
        frame[group] = values[list(bands)].sum(axis=1)
    if population is not None:
        expected = pd.Series(population, dtype="float64")
        got = frame["population"].reindex(expected.index)
        _fail_if(got != expected, path, "has a JUMLAH_PEN different from the kelurahan layer's")
    return Register(frame.astype("int64"), report)


def _fail_if(bad: pd.Series, path: Path, what: str) -> None:
    if bool(bad.any()):
        codes = ", ".join(map(str, bad.index[bad.to_numpy()][:10]))
        raise DataError(f"{path.name}: kelurahan {codes} {what}")


PEOPLE_CLASSES = ("unaffected", "low", "medium", "high", "nodata")


def people_by_class(population: np.ndarray, shares: pd.DataFrame) -> pd.DataFrame:
    """People in each hazard class: the population apportioned over the class shares.

    Parameters
    ----------
    population : array of int
        Per unit.
    shares : DataFrame
        ``share_<class>`` for the classes of :data:`PEOPLE_CLASSES` (from
        :mod:`geo.impact.hazard`), aligned with ``population``.

    Returns
    -------
    DataFrame
        ``people_<class>`` (whole persons summing to the population) and ``affected``
        (low + medium + high); all null where the shares are null.
    """
    matrix = shares[[f"share_{c}" for c in PEOPLE_CLASSES]].to_numpy(dtype="float64")
    people = apportion(np.asarray(population), matrix)
    out = pd.DataFrame(people, columns=[f"people_{c}" for c in PEOPLE_CLASSES], index=shares.index)
    out["affected"] = out[["people_low", "people_medium", "people_high"]].sum(axis=1, min_count=3)
    return out


def displaced(people: pd.DataFrame, rates: Mapping[str, float]) -> pd.DataFrame:
    """Displaced people per class and in total.

    Parameters
    ----------
    people : DataFrame
        From :func:`people_by_class`.
    rates : mapping
        Displacement rate of ``low``, ``medium`` and ``high``.

    Returns
    -------
    DataFrame
        ``displaced_<class>`` = round(people_<class> x rate, halves up) and ``displaced``
        (their sum).
    """
    out = pd.DataFrame(index=people.index)
    for key in ("low", "medium", "high"):
        out[f"displaced_{key}"] = round_half_up(people[f"people_{key}"].to_numpy() * rates[key])
    parts = out[["displaced_low", "displaced_medium", "displaced_high"]]
    out["displaced"] = parts.sum(axis=1, min_count=3)
    return out


def breakdown(
    counts: np.ndarray, register: pd.DataFrame, prefix: str, groups: Sequence[str]
) -> pd.DataFrame:
    """Split counts per unit into register groups in the unit's own proportions.

    Parameters
    ----------
    counts : array
        Whole persons per unit (affected or displaced), NaN where there is no data.
    register : DataFrame
        Rows aligned with ``counts``; the ``groups`` columns hold the unit's register counts.
    prefix : str
        Column prefix of the result (``affected`` or ``displaced``).
    groups : sequence of str
        Groups that partition the population (:data:`SEX_GROUPS` or :data:`AGE_GROUPS` keys).

    Returns
    -------
    DataFrame
        ``<prefix>_<group>`` per group, whole persons summing to ``counts`` in every row.
    """
    shares = register[list(groups)].to_numpy(dtype="float64")
    parts = apportion(np.asarray(counts, dtype="float64"), shares)
    return pd.DataFrame(parts, columns=[f"{prefix}_{g}" for g in groups], index=register.index)


def who(counts: pd.Series, register: pd.DataFrame, prefix: str) -> pd.DataFrame:
    """Sex and age-group breakdown of ``counts`` (:func:`breakdown` for both partitions)."""
    values = counts.to_numpy(dtype="float64")
    sex = breakdown(values, register, prefix, list(SEX_GROUPS))
    age = breakdown(values, register, prefix, list(AGE_GROUPS))
    return pd.concat([sex, age], axis=1)


def group_columns(prefix: str) -> list[str]:
    """The breakdown columns of ``prefix``, sex first then age."""
    return [f"{prefix}_{g}" for g in (*SEX_GROUPS, *AGE_GROUPS)]


def describe_groups() -> dict[str, Any]:
    """The age and sex mapping as data (for the data dictionary and the pages)."""
    return {
        "sex": dict(SEX_GROUPS),
        "age": {group: " + ".join(bands) for group, bands in AGE_GROUPS.items()},
        "bands": "U<n> = aged n to n+4; U75 = 75 and over",
    }
