"""Indicator wording in the page's language: names, units and formulas as planners read them.

The data dictionary of the build carries each indicator's text in both languages where the
definition gives it (``formula_id`` / ``formula_en``, ``unit_id`` / ``unit_en``); a unit
without its own translation is looked up in the catalogue (``unit.<unit>``). Constant names
that are code, not language (``METRIC_CRS``), are replaced by what they mean.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from web.i18n import Translator

CODE_WORDS = ("METRIC_CRS",)
"""Names of code constants that may appear in a definition's text."""


def plain(text: str, t: Translator) -> str:
    """``text`` with every code constant replaced by its meaning in the page's language."""
    for word in CODE_WORDS:
        text = text.replace(word, t(f"code.{word}"))
    return text


def unit_text(unit: Any, t: Translator, entry: Mapping[str, Any] | None = None) -> str:
    """An indicator's unit in the page's language ('' when it has none)."""
    if entry is not None and entry.get(f"unit_{t.lang}"):
        return plain(str(entry[f"unit_{t.lang}"]), t)
    if not unit:
        return ""
    key = f"unit.{unit}"
    found = t(key)
    return plain(str(unit) if found == key else found, t)


def formula_text(entry: Mapping[str, Any], t: Translator) -> str:
    """An indicator's formula in the page's language."""
    text = entry.get(f"formula_{t.lang}") or entry.get("formula") or ""
    return plain(str(text), t)


def indicator_text(entry: Mapping[str, Any], t: Translator) -> dict[str, str]:
    """Name, unit and formula of a dictionary entry, in the page's language."""
    name = entry.get("name_en") if t.lang == "en" else entry.get("name_id")
    return {
        "name": str(name or entry.get("id") or ""),
        "unit": unit_text(entry.get("unit"), t, entry),
        "formula": formula_text(entry, t),
    }
