"""Indicator wording in the page's language: names, units and formulas as planners read them.

The data dictionary of the build carries each indicator's text in both languages where the
definition gives it (``formula_id`` / ``formula_en``, ``unit_id`` / ``unit_en``); a unit
without its own translation is looked up in the catalogue (``unit.<unit>``). Constant names
that are code, not language (``METRIC_CRS``), are replaced by what they mean, and an
indicator named inside another's formula by its id is named by its name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from web.i18n import Translator

CODE_WORDS = ("METRIC_CRS",)
"""Names of code constants that may appear in a definition's text."""


def plain(text: str, t: Translator, names: Mapping[str, str] | None = None) -> str:
    """``text`` with every code constant and indicator id replaced by what it means.

    ``names`` maps indicator ids to their names in the page's language.
    """
    for word in CODE_WORDS:
        text = text.replace(word, t(f"code.{word}"))
    for ident in sorted(names or {}, key=len, reverse=True):  # longest first: no partial ids
        text = re.sub(rf"\b{re.escape(ident)}\b", f"«{(names or {})[ident]}»", text)
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


def formula_text(
    entry: Mapping[str, Any], t: Translator, names: Mapping[str, str] | None = None
) -> str:
    """An indicator's formula in the page's language (other indicators by their names)."""
    text = entry.get(f"formula_{t.lang}") or entry.get("formula") or ""
    return plain(str(text), t, names)


def names_of(entries: Iterable[Mapping[str, Any]], t: Translator) -> dict[str, str]:
    """Indicator id to name in the page's language, for every dictionary entry."""
    key = "name_en" if t.lang == "en" else "name_id"
    return {str(e["id"]): str(e.get(key) or e["id"]) for e in entries}


def indicator_text(
    entry: Mapping[str, Any], t: Translator, names: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Name, unit and formula of a dictionary entry, in the page's language."""
    name = entry.get("name_en") if t.lang == "en" else entry.get("name_id")
    return {
        "name": str(name or entry.get("id") or ""),
        "unit": unit_text(entry.get("unit"), t, entry),
        "formula": formula_text(entry, t, names),
    }
