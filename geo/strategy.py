"""The Jakarta City Resilience Strategy (2019) as the shared data holds it (``strategy_2019``).

Read through the data catalogue (``data/catalogue.json``) from ``Settings.data_dir``, each file
checked against its recorded sha256 first, like every other source. What the files hold, and
what they do not (``strategy/PROVENANCE.md``):

- the three main pillars with their definitions, and two supporting pillars;
- pillar-level targets: Siap 3 (four rows), Sehat 2, Terhubung none, and three context targets
  from other plans (``from_strategy`` False);
- the shocks and stresses the sources name;
- twelve *related* initiatives. None is stated to be one of the strategy's actions: they are
  never to be shown as such;
- the counts "12 arahan, 32 strategi" from the launch. The titles of the 12 directions and the
  32 strategies were not readable and are **not** in the data: nothing here invents them.

A cell the source leaves empty is None.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from geo.catalogue import Source, load_catalogue, verify_source
from geo.tables import read_table, require_columns
from geo.vocabulary import Pillar

SOURCE_ID = "strategy_2019"
"""The catalogue id of the strategy folder."""

STRATEGY_DOCUMENT = "Strategi Ketahanan Kota Jakarta 2019"
"""Targets whose ``source_document`` starts with this are the strategy's own."""

MAIN_PILLARS = tuple(str(p) for p in Pillar)
"""The strategy's three pillars, in the vocabulary's order (the folder lists sub-pillars too)."""

_COLUMNS = {
    "strategy.csv": ("level", "pilar", "title_id", "title_en", "source_url", "note"),
    "targets.csv": (
        "pilar",
        "order_in_source",
        "target_id",
        "target_en",
        "value",
        "unit",
        "target_year",
        "source_document",
        "source_url",
        "note",
    ),
    "shocks_stresses.csv": (
        "kind",
        "name_id",
        "name_en",
        "rank",
        "source_document",
        "date",
        "source_url",
        "note",
    ),
    "related_initiatives.csv": (
        "title_id",
        "title_en",
        "pilar_stated",
        "lead_agency",
        "partners",
        "timeframe",
        "location",
        "link_to_strategy",
        "source_url",
        "note",
    ),
    "framework.csv": ("document", "date", "item_type", "order", "title_id", "title_en"),
}


@dataclass(frozen=True)
class StrategyPillar:
    """One pillar of the strategy (``pilar`` None for a supporting pillar)."""

    pilar: str | None
    title_id: str
    title_en: str | None
    definition: str | None
    source_url: str


@dataclass(frozen=True)
class Target:
    """A target as a source reports it (``value`` and ``target_year`` None when not stated)."""

    pilar: str
    order_in_source: int | None
    target_id: str
    target_en: str
    value: float | None
    unit: str | None
    target_year: int | None
    source_document: str
    source_url: str
    note: str | None

    @property
    def from_strategy(self) -> bool:
        """Whether the 2019 resilience strategy itself sets this target (else: context)."""
        return self.source_document.startswith(STRATEGY_DOCUMENT)


@dataclass(frozen=True)
class ShockOrStress:
    """A shock or a stress named by one source."""

    kind: str
    name_id: str | None
    name_en: str
    rank: int | None
    source_document: str
    date: str | None
    source_url: str
    note: str | None


@dataclass(frozen=True)
class Initiative:
    """A real programme the sources link to Jakarta Berketahanan (not a strategy action)."""

    title_id: str
    title_en: str | None
    pillars_stated: tuple[str, ...]
    lead_agency: str | None
    partners: tuple[str, ...]
    timeframe: str | None
    location: str | None
    link_to_strategy: str | None
    source_url: str
    note: str | None


@dataclass(frozen=True)
class Strategy:
    """Everything of source ``strategy_2019``.

    Attributes
    ----------
    pillars : tuple of StrategyPillar
        The three main pillars, in the order siap, sehat, terhubung.
    supporting : tuple of StrategyPillar
        The supporting pillars (pilar pendukung).
    targets : tuple of Target
    shocks_stresses : tuple of ShockOrStress
    initiatives : tuple of Initiative
    vision_id, vision_en : str or None
    counts : dict of str to str
        What the launch stated about the strategy's structure (``{"12 arahan": "12
        directions", ...}``); the items themselves are not in the data.
    source : Source
        The catalogue entry (title, licence, date, references).
    """

    pillars: tuple[StrategyPillar, ...]
    supporting: tuple[StrategyPillar, ...]
    targets: tuple[Target, ...]
    shocks_stresses: tuple[ShockOrStress, ...]
    initiatives: tuple[Initiative, ...]
    vision_id: str | None
    vision_en: str | None
    counts: dict[str, str]
    source: Source

    def pillar(self, pilar: str) -> StrategyPillar:
        """The main pillar ``pilar`` (KeyError when unknown)."""
        for p in self.pillars:
            if p.pilar == pilar:
                return p
        raise KeyError(pilar)

    def targets_of(self, pilar: str) -> list[Target]:
        """The targets of one pillar, the strategy's own first."""
        mine = [t for t in self.targets if t.pilar == pilar]
        return sorted(mine, key=lambda t: (not t.from_strategy, t.order_in_source or 99))


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = str(value).strip()
    return text or None


def _int(value: Any) -> int | None:
    text = _text(value)
    return None if text is None else int(float(text))


def _float(value: Any) -> float | None:
    text = _text(value)
    return None if text is None else float(text)


def _split(value: Any) -> tuple[str, ...]:
    text = _text(value)
    return tuple(p.strip() for p in text.split(";") if p.strip()) if text else ()


def _read(source: Source, data_dir: Path, name: str) -> pd.DataFrame:
    path = source.path(data_dir, name)
    frame, _ = read_table(path, source=SOURCE_ID, dtype=str, keep_default_na=False)
    require_columns(frame, _COLUMNS[name], path=path)
    return frame


def _pillars(frame: pd.DataFrame) -> tuple[list[StrategyPillar], list[StrategyPillar]]:
    rows = [
        StrategyPillar(
            pilar=_text(r["pilar"]),
            title_id=str(r["title_id"]).strip(),
            title_en=_text(r["title_en"]),
            definition=_text(r["note"]),
            source_url=str(r["source_url"]).strip(),
        )
        for r in frame[frame["level"].str.strip() == "pilar"].to_dict(orient="records")
    ]
    main = sorted(
        (p for p in rows if p.pilar in MAIN_PILLARS), key=lambda p: MAIN_PILLARS.index(p.pilar)
    )
    return main, [p for p in rows if p.pilar is None]


def _targets(frame: pd.DataFrame) -> list[Target]:
    return [
        Target(
            pilar=str(r["pilar"]).strip(),
            order_in_source=_int(r["order_in_source"]),
            target_id=str(r["target_id"]).strip(),
            target_en=str(r["target_en"]).strip(),
            value=_float(r["value"]),
            unit=_text(r["unit"]),
            target_year=_int(r["target_year"]),
            source_document=str(r["source_document"]).strip(),
            source_url=str(r["source_url"]).strip(),
            note=_text(r["note"]),
        )
        for r in frame.to_dict(orient="records")
    ]


def _shocks(frame: pd.DataFrame) -> list[ShockOrStress]:
    return [
        ShockOrStress(
            kind=str(r["kind"]).strip(),
            name_id=_text(r["name_id"]),
            name_en=str(r["name_en"]).strip(),
            rank=_int(r["rank"]),
            source_document=str(r["source_document"]).strip(),
            date=_text(r["date"]),
            source_url=str(r["source_url"]).strip(),
            note=_text(r["note"]),
        )
        for r in frame.to_dict(orient="records")
    ]


def _initiatives(frame: pd.DataFrame) -> list[Initiative]:
    return [
        Initiative(
            title_id=str(r["title_id"]).strip(),
            title_en=_text(r["title_en"]),
            pillars_stated=_split(r["pilar_stated"]),
            lead_agency=_text(r["lead_agency"]),
            partners=_split(r["partners"]),
            timeframe=_text(r["timeframe"]),
            location=_text(r["location"]),
            link_to_strategy=_text(r["link_to_strategy"]),
            source_url=str(r["source_url"]).strip(),
            note=_text(r["note"]),
        )
        for r in frame.to_dict(orient="records")
    ]


def load_strategy(data_dir: Path, catalogue_path: Path) -> Strategy:
    """Read source ``strategy_2019`` after checking its files against the catalogue.

    Parameters
    ----------
    data_dir : Path
        The data folder (``Settings.data_dir``).
    catalogue_path : Path
        The data catalogue (``Settings.catalogue_path``).

    Returns
    -------
    Strategy

    Raises
    ------
    MissingFileError, ChecksumError
        A file of the source is missing or changed (see :func:`geo.catalogue.verify_source`).
    SchemaError
        A file lacks a column this module reads.
    """
    stamps = tuple(
        (p.name, p.stat().st_mtime_ns) for p in sorted((data_dir / "strategy").glob("*.csv"))
    )
    return _load(Path(data_dir), Path(catalogue_path), catalogue_path.stat().st_mtime_ns, stamps)


@lru_cache(maxsize=4)
def _load(data_dir: Path, catalogue_path: Path, _cat: int, _files: tuple[Any, ...]) -> Strategy:
    source = verify_source(load_catalogue(catalogue_path), data_dir, SOURCE_ID)
    main, supporting = _pillars(_read(source, data_dir, "strategy.csv"))
    framework = _read(source, data_dir, "framework.csv")
    vision = framework[framework["item_type"].str.strip() == "visi"]
    counts = framework[framework["item_type"].str.strip() == "count"]
    return Strategy(
        pillars=tuple(main),
        supporting=tuple(supporting),
        targets=tuple(_targets(_read(source, data_dir, "targets.csv"))),
        shocks_stresses=tuple(_shocks(_read(source, data_dir, "shocks_stresses.csv"))),
        initiatives=tuple(_initiatives(_read(source, data_dir, "related_initiatives.csv"))),
        vision_id=_text(vision["title_id"].iloc[0]) if len(vision) else None,
        vision_en=_text(vision["title_en"].iloc[0]) if len(vision) else None,
        counts={str(r["title_id"]): str(r["title_en"]) for r in counts.to_dict(orient="records")},
        source=source,
    )
