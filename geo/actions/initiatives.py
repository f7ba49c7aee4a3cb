"""Load the strategy's related initiatives into the actions store (``ketahanan actions
seed-initiatives``), as a starting point planners can edit.

Each initiative of ``strategy/related_initiatives.csv`` becomes one action of kind
``related_initiative`` that names its source URL. None is stated to be a strategy action, and
none is stored as one. What the source states is kept; what it does not is left null:

- **pillar**: the one pillar the source states, else null (the joint workshop states all
  three; an action has one pillar, so it stays null and the description names the three);
- **lead agency** and **partners** as written; **status** and **progress** null (no source
  reports them);
- **dates** from the stated timeframe where it is a year (1 Jan to 31 Dec), a range of years,
  a month ("Dec 2020": that month) or "to <month> <year>" (the end only); else none. The
  timeframe itself is written in the description;
- **places**: each ``Kel. <name>`` of the location is matched to a kelurahan code by
  :func:`geo.names.match_names`, within the kota given in brackets after it or after a later
  name of the same list ("Kel. Krendang; Kel. Duri Utara (Jakarta Barat)"); "DKI Jakarta" is
  the whole province (every kecamatan). Anything else ("existing RPTRA (not named)",
  "Bantargebang") is reported as not matched; an initiative without a matched place has no
  place.

Ids are UUID 5 of the source URL and the title, so a second run finds every initiative
already there and adds nothing (an initiative a planner deleted is not brought back).
"""

from __future__ import annotations

import calendar
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pyogrio

from geo.actions.model import MAX_TITLE, Kind
from geo.actions.service import ActionService
from geo.errors import MissingFileError
from geo.names import match_names
from geo.strategy import Initiative

ACTOR = "ketahanan actions seed-initiatives"
"""Who the history names as having created the seeded actions."""

NAMESPACE = uuid.UUID("6f1c2a52-3d0e-5b7c-9a51-2e0f7c1d4b13")
"""UUID 5 namespace of seeded initiative ids."""

CITY_WIDE = "DKI JAKARTA"
_KEL = re.compile(r"^Kel\.?\s+(?P<name>.+?)\s*(?:\((?P<kota>[^)]+)\))?$", re.IGNORECASE)
_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}
_YEAR = re.compile(r"^(\d{4})$")
_YEARS = re.compile(r"^(\d{4})\s*-\s*(\d{4})$")
_MONTH = re.compile(r"^(to\s+)?([A-Za-z]{3})[a-z]*\.?\s+(\d{4})$", re.IGNORECASE)


@dataclass(frozen=True)
class PlaceMatch:
    """One place named by an initiative and what it matched."""

    initiative: str
    place: str
    code: str | None
    status: str


@dataclass
class SeedReport:
    """What a seeding run did."""

    added: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    places: list[PlaceMatch] = field(default_factory=list)

    @property
    def unmatched(self) -> list[PlaceMatch]:
        """Places that are not a kelurahan of the build (or the whole province)."""
        return [p for p in self.places if p.code is None]


def build_kelurahan(build_path: Path) -> pd.DataFrame:
    """The kelurahan names and codes of the build output (no geometry).

    Raises
    ------
    MissingFileError
        When there is no build output yet.
    """
    if not build_path.is_file():
        raise MissingFileError(f"no build output at {build_path}: run `ketahanan build` first")
    columns = ["kode", "nama", "kode_kecamatan", "nama_kota"]
    frame = pyogrio.read_dataframe(
        build_path, layer="kelurahan", columns=columns, read_geometry=False
    )
    return pd.DataFrame(frame)


def initiative_id(item: Initiative) -> str:
    """The stable id of an initiative's action (UUID 5 of its source URL and title)."""
    return str(uuid.uuid5(NAMESPACE, f"{item.source_url}\n{item.title_id}"))


def timeframe_dates(text: str | None) -> tuple[date | None, date | None]:
    """Start and end dates a stated timeframe gives (see the module docstring).

    Examples
    --------
    >>> timeframe_dates("2018-2022")
    (datetime.date(2018, 1, 1), datetime.date(2022, 12, 31))
    >>> timeframe_dates("to May 2018")
    (None, datetime.date(2018, 5, 31))
    >>> timeframe_dates("late 2019")
    (None, None)
    """
    value = (text or "").strip()
    if m := _YEAR.match(value):
        year = int(m.group(1))
        return date(year, 1, 1), date(year, 12, 31)
    if m := _YEARS.match(value):
        return date(int(m.group(1)), 1, 1), date(int(m.group(2)), 12, 31)
    if (m := _MONTH.match(value)) and m.group(2).lower() in _MONTHS:
        year, month = int(m.group(3)), _MONTHS[m.group(2).lower()]
        end = date(year, month, calendar.monthrange(year, month)[1])
        return (None if m.group(1) else date(year, month, 1)), end
    return None, None


def _named_places(location: str | None) -> list[tuple[str, str | None, str | None]]:
    """``(item, kelurahan name or None, kota or None)`` for each item of a location."""
    items = [p.strip() for p in (location or "").split(";") if p.strip()]
    out: list[tuple[str, str | None, str | None]] = []
    pending: list[int] = []
    for item in items:
        m = _KEL.match(item)
        if m is None:
            out.append((item, None, None))
            continue
        out.append((item, m.group("name"), m.group("kota")))
        pending.append(len(out) - 1)
        if m.group("kota"):  # the bracket names the kota of this and the names before it
            for i in pending:
                out[i] = (out[i][0], out[i][1], m.group("kota"))
            pending = []
    return out


def match_places(
    items: Sequence[Initiative], kelurahan: pd.DataFrame
) -> tuple[dict[str, list[str]], list[PlaceMatch]]:
    """Unit codes of each initiative's named places, and how each place matched.

    Parameters
    ----------
    items : sequence of Initiative
    kelurahan : DataFrame
        The build's kelurahan with ``kode``, ``nama``, ``kode_kecamatan`` and ``nama_kota``.

    Returns
    -------
    tuple of (dict, list of PlaceMatch)
        Unit codes (kelurahan, or every kecamatan for the province) by initiative title, and
        one :class:`PlaceMatch` per place named.
    """
    codes: dict[str, list[str]] = {}
    report: list[PlaceMatch] = []
    kecamatan = sorted(set(kelurahan["kode_kecamatan"].astype(str)))
    for item in items:
        found: list[str] = []
        for text, name, kota in _named_places(item.location):
            if name is None:
                whole = text.upper() == CITY_WIDE
                found += kecamatan if whole else []
                status = "province" if whole else "not a kelurahan name"
                report.append(PlaceMatch(item.title_id, text, CITY_WIDE if whole else None, status))
                continue
            result = match_names(
                [name],
                kelurahan,
                name_col="nama",
                code_col="kode",
                within=[kota] if kota else None,
                within_col="nama_kota" if kota else None,
            )
            match = result.matches[0]
            code = match.code if match.status in ("matched", "partial") else None
            report.append(PlaceMatch(item.title_id, text, code, match.status))
            found += [code] if code else []
        codes[item.title_id] = list(dict.fromkeys(found))
    return codes, report


def _description(item: Initiative) -> str:
    stated = ", ".join(item.pillars_stated) if item.pillars_stated else "tidak disebut"
    parts = [
        "Inisiatif terkait Jakarta Berketahanan, bukan aksi Strategi Ketahanan Kota "
        "(Related initiative, not a strategy action).",
        f"English: {item.title_en}." if item.title_en else None,
        f"Keterkaitan dengan strategi (menurut sumber): {item.link_to_strategy}."
        if item.link_to_strategy
        else None,
        f"Pilar menurut sumber: {stated}.",
        f"Waktu menurut sumber: {item.timeframe}." if item.timeframe else None,
        f"Lokasi menurut sumber: {item.location}." if item.location else None,
        f"Catatan: {item.note}" if item.note else None,
        "Status dan kemajuan tidak dilaporkan sumber.",
    ]
    return " ".join(p for p in parts if p)


def initiative_feature(item: Initiative, unit_codes: list[str]) -> dict[str, Any]:
    """The GeoJSON Feature (no geometry; unit codes where places matched) of an initiative."""
    start, end = timeframe_dates(item.timeframe)
    pillar = item.pillars_stated[0] if len(item.pillars_stated) == 1 else None
    return {
        "type": "Feature",
        "id": initiative_id(item),
        "geometry": None,
        "properties": {
            "title": item.title_id[:MAX_TITLE],
            "description": _description(item),
            "pillar": pillar,
            "lead_agency": _leads(item.lead_agency)[0],
            "partners": [*_leads(item.lead_agency)[1:], *item.partners],
            "status": None,
            "progress": None,
            "start_date": start.isoformat() if start else None,
            "end_date": end.isoformat() if end else None,
            "unit_codes": unit_codes,
            "kind": str(Kind.related_initiative),
            "source_url": item.source_url,
        },
    }


def seed_initiatives(
    store: ActionService, items: Sequence[Initiative], kelurahan: pd.DataFrame
) -> SeedReport:
    """Add every initiative not yet in the store as a related-initiative action.

    Parameters
    ----------
    store : ActionService
        The actions store.
    items : sequence of Initiative
        From :func:`geo.strategy.load_strategy`.
    kelurahan : DataFrame
        The build's kelurahan (see :func:`match_places`).

    Returns
    -------
    SeedReport
        Titles added and already present, and how each named place matched.

    Raises
    ------
    ValidationError
        When an initiative does not make a valid action (nothing is stored then).
    """
    codes, places = match_places(items, kelurahan)
    features = [initiative_feature(i, codes[i.title_id]) for i in items]
    taken = store.repository.existing_ids(f["id"] for f in features)
    report = SeedReport(places=places)
    new = []
    for item, feature in zip(items, features, strict=True):
        if feature["id"] in taken:
            report.already.append(item.title_id)
        else:
            new.append(feature)
            report.added.append(item.title_id)
    if new:
        store.import_features({"type": "FeatureCollection", "features": new}, ACTOR)
    return report


def _leads(lead: str | None) -> list[str | None]:
    """A lead naming several organisations ("A; B"): the first leads, the others partner
    (as migration 0003 splits them)."""
    names = [p.strip() for p in (lead or "").split(";") if p.strip()]
    return list(names) if names else [None]
