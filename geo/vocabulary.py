"""The domain's words, spelled once: pillars, levels, map classes, action statuses, languages.

Every other module (and, through the page config, the page script) takes these from here, so a
new pillar, level or class method is a change to this file only. The module imports nothing of
the project: it is the leaf every other module may depend on.

* :class:`Pillar`: the three pillars of Jakarta's City Resilience Strategy (2019).
* :class:`Level`: the admin levels a map and a score exist at, finest first.
* :class:`ClassMethod`: map classification methods (mapclassify), with the aliases accepted.
* :data:`K_MIN`, :data:`K_MAX`, :data:`K_DEFAULT`: the number of map classes. The map's
  sequential palettes (ColorBrewer YlOrRd) exist for 2 to 9 classes, so the page, the API and
  the OpenAPI document all allow exactly that range.
* :func:`score_column`: the ``score_<pillar>`` rule, and the columns beside it
  (:func:`score_columns_of`: partial score, coverage, :class:`ScoreStatus`, missing inputs,
  rank and its Monte Carlo interval, top-class share; :func:`contribution_column`).
* :class:`Status`: where a resilience action stands; :data:`ACTIVE_STATUSES` cover a place.
* :class:`Kind`: an action of the planners, or a related initiative (never a strategy action).
* :class:`Direction`: how an indicator reads (higher = more or less exposed).
* :class:`Text`: the one bilingual text type (Bahasa Indonesia first, English second).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import IntEnum, StrEnum
from typing import Annotated, Any

from pydantic import ConfigDict, Field
from pydantic.dataclasses import dataclass

LANGUAGES = ("id", "en")
"""Languages of every text and response: Bahasa Indonesia (the default) and English."""

DEFAULT_LANGUAGE = "id"


class Pillar(StrEnum):
    """The three pillars of Jakarta's resilience strategy."""

    siap = "siap"
    sehat = "sehat"
    terhubung = "terhubung"


class Level(StrEnum):
    """Admin levels, finest first: kelurahan are keyed by Kemendagri code, the others by its
    prefix."""

    kelurahan = "kelurahan"
    kecamatan = "kecamatan"
    kota = "kota"

    @property
    def rank(self) -> int:
        """0 for kelurahan, 1 for kecamatan, 2 for kota."""
        return list(Level).index(self)


class ClassMethod(StrEnum):
    """Map classification methods (mapclassify)."""

    quantiles = "quantiles"
    fisher_jenks = "fisher_jenks"
    equal_interval = "equal_interval"
    user_defined = "user_defined"

    @classmethod
    def parse(cls, text: str) -> ClassMethod | None:
        """The method named by ``text`` or one of its aliases (None when unknown)."""
        return _METHOD_ALIASES.get(str(text).strip().lower())


_METHOD_ALIASES: dict[str, ClassMethod] = {
    **{m.value: m for m in ClassMethod},
    "quantile": ClassMethod.quantiles,
    "natural_breaks": ClassMethod.fisher_jenks,
    "jenks": ClassMethod.fisher_jenks,
    "user": ClassMethod.user_defined,
}
"""Accepted method names (and aliases) to the method."""

API_METHODS = ("quantiles", "fisher_jenks", "equal_interval", "user")
"""Values of ``classify`` the API documents (``user`` is the short name of user_defined)."""

MAP_METHODS = (ClassMethod.quantiles, ClassMethod.fisher_jenks, ClassMethod.equal_interval)
"""Methods a planner picks on the map page (user-defined breaks are an API feature)."""

K_MIN = 2
"""Fewest map classes."""
K_MAX = 9
"""Most map classes: the largest sequential palette the map draws."""
K_DEFAULT = 5
"""Map classes when none are asked for (quintiles)."""


def score_column(pillar: Pillar | str) -> str:
    """The column of a pillar's score, ``score_<pillar>``."""
    return f"score_{Pillar(pillar)}"


def missing_column(pillar: Pillar | str) -> str:
    """The column listing the inputs a unit lacks for a pillar's score."""
    return f"{score_column(pillar)}_missing"


def partial_column(pillar: Pillar | str) -> str:
    """The column of a *partial* score: the value of a unit with too little data for a full
    score, kept apart from ``score_<pillar>`` so it is never ranked among full scores."""
    return f"{score_column(pillar)}_partial"


def coverage_column(pillar: Pillar | str) -> str:
    """The column with the share of the pillar's weight a unit has data for (0-1)."""
    return f"{score_column(pillar)}_coverage"


def status_column(pillar: Pillar | str) -> str:
    """The column saying whether a unit's score is full, partial or missing
    (:class:`ScoreStatus`)."""
    return f"{score_column(pillar)}_status"


def rank_column(pillar: Pillar | str, stat: str | None = None) -> str:
    """``rank_<pillar>`` (the rank of the full score, 1 = most exposed), or with ``stat`` one
    of :data:`RANK_STATS` the Monte Carlo percentile rank ``rank_<pillar>_<stat>``."""
    name = f"rank_{Pillar(pillar)}"
    if stat is None:
        return name
    if stat not in RANK_STATS:
        raise ValueError(f"unknown rank statistic {stat!r}; expected one of {RANK_STATS}")
    return f"{name}_{stat}"


RANK_STATS = ("p05", "p50", "p95")
"""The percentiles of a unit's rank over the Monte Carlo draws (5th, median, 95th)."""


def top_class_column(pillar: Pillar | str) -> str:
    """The column with the share of Monte Carlo draws that put a unit in the top class."""
    return f"top_class_{Pillar(pillar)}_share"


CONTRIBUTION_PREFIX = "contribution_"


def contribution_column(indicator_id: str) -> str:
    """The column of an indicator's contribution to its pillar's score (its driver share)."""
    return f"{CONTRIBUTION_PREFIX}{indicator_id}"


class ScoreStatus(StrEnum):
    """Whether a unit's pillar score rests on enough data (see :mod:`geo.scores`)."""

    full = "full"
    partial = "partial"
    no_data = "no_data"


SCORE_COLUMNS = tuple(score_column(p) for p in Pillar)
"""Every pillar score column, in pillar order."""


def score_columns_of(pillar: Pillar | str) -> tuple[str, ...]:
    """Every column the scoring writes for a pillar (contributions aside), in order."""
    return (
        score_column(pillar),
        partial_column(pillar),
        coverage_column(pillar),
        status_column(pillar),
        missing_column(pillar),
        rank_column(pillar),
        *(rank_column(pillar, s) for s in RANK_STATS),
        top_class_column(pillar),
    )


def is_score_column(name: str) -> bool:
    """True for every column the scoring writes: the scores, partial scores, coverage, status,
    missing inputs, ranks, rank intervals, top-class shares and contributions."""
    if name.startswith(CONTRIBUTION_PREFIX):
        return True
    return any(name in score_columns_of(p) for p in Pillar)


DEFAULT_CLASSIFY_BY = score_column(Pillar.siap)
"""Property classified when ``classify`` is given without ``classify_by``."""


class OrgKind(StrEnum):
    """Whether an organisation is part of government (SKPD/UKPD, BUMD) or not (NGO,
    university, international organisation, business, foreign mission)."""

    pemerintah = "pemerintah"
    non_pemerintah = "non-pemerintah"


class OrgRole(StrEnum):
    """How an organisation takes part in an action: it leads it, or it is a partner in it."""

    lead = "lead"
    partner = "partner"


class Status(StrEnum):
    """Where a resilience action stands."""

    planned = "planned"
    in_progress = "in_progress"
    done = "done"
    cancelled = "cancelled"


ACTIVE_STATUSES = (Status.planned, Status.in_progress)
"""Statuses that count as covering a place (see the coverage gaps)."""


SNAPSHOT_LAYERS = {"flood_2017_hourly": "snapshot"}
"""Layers whose features are snapshots of a state, and the time property of each snapshot.

On these a ``datetime`` instant selects the snapshot in force at that instant (the latest at
or before it; none before the first), not the features stamped exactly then; an interval
selects the snapshots whose time falls in it (see :mod:`geo.ogc.temporal`)."""


class FloodState(IntEnum):
    """PetaBencana's flood state of an RW (BPBD DKI's Risk Evaluation Matrix)."""

    unknown = 1
    """Flooded, depth not known."""
    shallow = 2
    """10-70 cm."""
    deep = 3
    """71-150 cm."""
    very_deep = 4
    """Over 150 cm."""


DEPTH_CLASS_2017: dict[int, str] = {
    FloodState.unknown: "tidak diketahui / unknown",
    FloodState.shallow: "10-70 cm",
    FloodState.deep: "71-150 cm",
    FloodState.very_deep: "> 150 cm",
}
"""The depth class a PetaBencana flood state stands for (BPBD DKI's marking of an RW), as the
build's ``depth_class`` column spells it."""


class Kind(StrEnum):
    """What an action record is: a planners' action, or a real initiative related to the strategy.

    A related initiative (loaded by ``ketahanan actions seed-initiatives``) is a programme the
    sources link to Jakarta Berketahanan; none is stated to be one of the strategy's own
    actions, so it is never shown as one. It names its source and may leave empty what its
    source does not state (pillar, lead agency, status, progress): unknown, not zero.
    """

    action = "action"
    related_initiative = "related_initiative"


class Direction(StrEnum):
    """How an indicator reads for the pillar score."""

    higher_more_exposed = "higher_more_exposed"
    higher_less_exposed = "higher_less_exposed"


def values(enum: type[StrEnum]) -> list[str]:
    """The values of an enum, in order (for OpenAPI ``enum`` lists and the page config)."""
    return [str(member) for member in enum]


@dataclass(frozen=True, config=ConfigDict(extra="forbid"))
class Text:
    """A text in Bahasa Indonesia (``id``, shown first) and English (``en``).

    The one bilingual type of the project: layer and property prose, indicator names,
    catalogue titles and collection documents all hold a :class:`Text`; ``text(lang)`` picks
    the language (anything but ``en`` gives Bahasa Indonesia).
    """

    id: Annotated[str, Field(min_length=1, description="Bahasa Indonesia.")]
    en: Annotated[str, Field(min_length=1, description="English.")]

    def __call__(self, lang: str) -> str:
        """The text in ``lang``."""
        return self.en if lang == "en" else self.id

    def to_json(self) -> dict[str, str]:
        """``{"id": ..., "en": ...}``."""
        return {"id": self.id, "en": self.en}

    @classmethod
    def from_json(cls, data: Any) -> Text:
        """A text from ``{"id": ..., "en": ...}`` (or a plain string used for both)."""
        if isinstance(data, str):
            return cls(data, data)
        return cls(**data)

    @staticmethod
    def pick(record: Mapping[str, Any], stem: str, lang: str) -> Any:
        """The ``lang`` member of a text stored flat in a record (``name_id``, ``name_en``).

        Records that travel as JSON or table rows (the data dictionary, a planner layer's
        registry entry) keep a text as two members; this reads them the way
        :meth:`__call__` reads a :class:`Text`.
        """
        return record.get(f"{stem}_en" if lang == "en" else f"{stem}_id")
