"""The one translation catalogue of the web pages: ``web/locales/{id,en}.json``.

Bahasa Indonesia is the default; English with ``lang=en``. Python code and the page script take
every label from here (the script gets the catalogue rendered into the page as JSON).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Literal, TypeAlias

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"

Lang: TypeAlias = Literal["id", "en"]


@lru_cache
def catalogue(lang: str) -> dict[str, str]:
    """All strings of one language (falls back to Bahasa Indonesia for an unknown language).

    ``locales/{lang}.json`` holds the map's strings; each page family may add its own part,
    ``locales/{part}.{lang}.json`` (e.g. ``profiles.id.json``). A key in two files is an error.
    """
    code = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    strings: dict[str, str] = json.loads((LOCALES_DIR / f"{code}.json").read_text("utf-8"))
    for part in sorted(LOCALES_DIR.glob(f"*.{code}.json")):
        extra: dict[str, str] = json.loads(part.read_text("utf-8"))
        twice = sorted(set(extra) & set(strings))
        if twice:
            raise ValueError(f"{part.name} repeats keys of the catalogue: {', '.join(twice)}")
        strings.update(extra)
    return strings


def normalise_lang(lang: str | None) -> str:
    """``id`` or ``en`` from a query value (anything else gives the default, ``id``)."""
    value = (lang or "").strip().lower()[:2]
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


class Translator:
    """Look up strings of one language: ``t("legend.no_data")``."""

    def __init__(self, lang: str) -> None:
        self.lang = normalise_lang(lang)
        self.strings = catalogue(self.lang)

    def __call__(self, key: str) -> str:
        """The string for ``key`` (the key itself when the catalogue lacks it)."""
        return self.strings.get(key, key)
