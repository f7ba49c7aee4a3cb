"""The shareable state of a map or ranking page: its query string, checked.

``/peta`` and ``/peringkat`` take the same parameters (``pilar``, ``tingkat``, ``indikator``,
``klasifikasi``, ``k``, ``weights``, ``lang``); the ranking adds ``kota`` and ``kecamatan``
filters and the map ``fokus`` (a unit to zoom to). ``indikator=dampak`` on the Siap map shows
the impact analysis (:mod:`web.impact`): ``skenario`` names the scenario (default: the first,
today), ``ukuran`` the measure (default: people affected); weights do not apply to it. A bad
value is a :class:`PageParameterError`, which the routes render as a friendly 400 page in the
page's language.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from geo.vocabulary import K_DEFAULT, K_MAX, K_MIN, MAP_METHODS, Level, Pillar, score_column
from web import impact as dampak
from web.data import BuildTables
from web.i18n import Translator, normalise_lang

PILLARS = tuple(str(p) for p in Pillar)
LEVELS = tuple(str(level) for level in Level)
SCORE_COLUMNS = {p: score_column(p) for p in PILLARS}
CLASSIFICATIONS = tuple(str(m) for m in MAP_METHODS)
K_RANGE = (K_MIN, K_MAX)
_ASCII_NUMBER = re.compile(r"[0-9]{1,3}", re.ASCII)
MAX_PARAM_CHARS = 2_000
"""Longest value a page parameter may have (a weights list of every indicator fits)."""


class PageParameterError(ValueError):
    """A map or profile query parameter is not valid (rendered as a friendly 400 page).

    ``key`` names the catalogue string that explains the problem to a planner; ``value`` is
    the offending text (shown escaped).
    """

    def __init__(self, field: str, key: str, value: str = "") -> None:
        super().__init__(f"{field}: {key}")
        self.field = field
        self.key = key
        self.value = value

    def text(self, t: Translator) -> str:
        """The message in the page's language."""
        shown = f" ({self.value[:80]})" if self.value else ""
        reason = t(self.key).replace("{min}", str(K_RANGE[0])).replace("{max}", str(K_RANGE[1]))
        return f"{t('param.' + self.field)}: {reason}{shown}"


@dataclass(frozen=True)
class MapParams:
    """The shareable state of a map page (its query string)."""

    pillar: str = PILLARS[0]
    level: str = LEVELS[0]
    indicator: str | None = None
    classification: str = CLASSIFICATIONS[0]
    k: int = K_DEFAULT
    lang: str = "id"
    weights: str = ""
    kota: str | None = None
    kecamatan: str | None = None
    focus: str | None = None
    scenario: str | None = None
    """The impact scenario (``skenario``) when the indicator is the impact choice."""
    measure: str | None = None
    """The impact measure (``ukuran``) when the indicator is the impact choice."""
    impact_layer: str | None = None
    """The impact layer holding ``measure`` of ``scenario`` (every level, ``tingkat``)."""

    @property
    def impact(self) -> bool:
        """Whether the map shows the impact analysis (``indikator=dampak``)."""
        return self.indicator == dampak.CHOICE

    @property
    def column(self) -> str:
        """The column the choropleth shows: the impact measure, the indicator or the score."""
        if self.impact and self.measure:
            return self.measure
        return self.indicator or SCORE_COLUMNS[self.pillar]

    @property
    def collection(self) -> str:
        """The collection the choropleth reads: the level's, or the impact layer."""
        return self.impact_layer or self.level

    @property
    def filters(self) -> dict[str, str]:
        """Items filters of that collection (an impact layer holds every level)."""
        return {dampak.LEVEL_FIELD: self.level} if self.impact_layer else {}

    def query(self, **changes: Any) -> dict[str, Any]:
        """The page's query parameters (defaults left out), with ``changes`` applied."""
        values: dict[str, Any] = {
            "pilar": self.pillar,
            "tingkat": self.level,
            "indikator": self.indicator or "",
            "klasifikasi": self.classification,
            "k": "" if self.k == K_DEFAULT else self.k,
            "weights": self.weights,
            "kota": self.kota or "",
            "kecamatan": self.kecamatan or "",
            "lang": self.lang,
            "skenario": self.scenario or "",
            "ukuran": self.measure or "",
        }
        values.update(changes)
        return {k: v for k, v in values.items() if v not in (None, "")}


def _word(name: str, value: str | None, default: str, allowed: tuple[str, ...]) -> str:
    text = (value or default).strip().lower()
    if text not in allowed:
        raise PageParameterError(name, "param.unknown_value", value or "")
    return text


def _code(name: str, value: str | None, known: set[str]) -> str | None:
    text = (value or "").strip()
    if not text:
        return None
    if text not in known:
        raise PageParameterError(name, "param.unknown_unit", text)
    return text


def parse_map_params(
    tables: BuildTables,
    query: dict[str, str | None],
    check_weights: Callable[[str, str], str] | None = None,
) -> MapParams:
    """Check a map or ranking page's query values.

    Parameters
    ----------
    tables : BuildTables
        The build's units and data dictionary (to check indicators and unit codes).
    query : dict
        Raw values by parameter name (``pilar``, ``tingkat``, ... ``fokus``).
    check_weights : callable, optional
        ``check_weights(level, text)`` returns the weights normalised or raises
        :class:`PageParameterError` (the API's own weights parser, so both agree).

    Raises
    ------
    PageParameterError
        Unknown pillar, level, indicator, classification or unit; k out of range; bad weights;
        an impact scenario or measure the build has not.
    """
    for name, value in query.items():
        if value is not None and len(value) > MAX_PARAM_CHARS:
            raise PageParameterError(name, "param.too_long")
    pillar = _word("pilar", query.get("pilar"), PILLARS[0], PILLARS)
    level = _word("tingkat", query.get("tingkat"), LEVELS[0], LEVELS)
    indicator = (query.get("indikator") or "").strip() or None
    known = {d["id"] for d in tables.indicators(pillar)} | {SCORE_COLUMNS[pillar]}
    if pillar == Pillar.siap:
        known.add(dampak.CHOICE)
    if indicator is not None and indicator not in known:
        raise PageParameterError("indikator", "param.not_of_pillar", indicator)
    scenario = measure = layer = None
    if indicator == dampak.CHOICE:
        try:
            scenario, measure = dampak.parse_choice(
                tables.impact, query.get("skenario"), query.get("ukuran")
            )
        except dampak.ImpactChoiceError as exc:
            raise PageParameterError(exc.field, "param.impact_choice", exc.message) from None
        layer = dampak.layer_name(tables.impact, scenario, measure)
    if indicator == SCORE_COLUMNS[pillar]:
        indicator = None
    method = _word("klasifikasi", query.get("klasifikasi"), CLASSIFICATIONS[0], CLASSIFICATIONS)
    raw_k = (query.get("k") or "").strip()
    if raw_k and not _ASCII_NUMBER.fullmatch(raw_k):
        # int() would read other scripts' digits ("١٥" is 15) and overflow on long text
        raise PageParameterError("k", "param.whole_number", raw_k)
    classes = int(raw_k) if raw_k else K_DEFAULT
    if not K_RANGE[0] <= classes <= K_RANGE[1]:
        raise PageParameterError("k", "param.k_range", raw_k)
    weights = "" if layer else (query.get("weights") or "").strip()
    if weights and check_weights is not None:
        weights = check_weights(level, weights)
    codes = tables.codes()
    return MapParams(
        pillar=pillar,
        level=level,
        indicator=indicator,
        classification=method,
        k=classes,
        lang=normalise_lang(query.get("lang")),
        weights=weights,
        kota=_code("kota", query.get("kota"), codes["kota"]),
        kecamatan=_code("kecamatan", query.get("kecamatan"), codes["kecamatan"]),
        focus=_code("fokus", query.get("fokus"), codes[level]),
        scenario=scenario,
        measure=measure,
        impact_layer=layer,
    )
