"""The vocabulary is spelled once: geo/vocabulary.py, and nowhere else in the code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from geo.vocabulary import (
    K_DEFAULT,
    K_MAX,
    K_MIN,
    ClassMethod,
    Level,
    Pillar,
    Status,
    Text,
    is_score_column,
    missing_column,
    score_column,
)

ROOT = Path(__file__).resolve().parents[2]
CODE = [p for d in ("geo", "api", "web") for p in (ROOT / d).rglob("*.py")]

SPELLINGS = {
    "the pillar list": r"""["']siap["']\s*,\s*["']sehat["']""",
    "the level list": r"""["']kelurahan["']\s*,\s*["']kecamatan["']\s*,\s*["']kota["']""",
    "the status list": r"""["']planned["']\s*,\s*["']in_progress["']""",
    "the class methods": r"""["']quantiles["']\s*,\s*["']fisher_jenks["']""",
    "the score column rule": r"""f["']score_\{""",
    "a k range": r"""hi\s*=\s*20\b|K_RANGE\s*=\s*\(\s*3""",
    "a pillar literal": r"""Literal\[\s*["']siap""",
}


@pytest.mark.parametrize("what", sorted(SPELLINGS))
def test_nothing_else_spells_the_vocabulary(what: str) -> None:
    pattern = re.compile(SPELLINGS[what])
    found = [
        f"{p.relative_to(ROOT)}:{n}"
        for p in CODE
        if p.name != "vocabulary.py"
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert found == [], f"{what} spelled outside geo/vocabulary.py"


def test_enums_and_rules() -> None:
    assert [str(p) for p in Pillar] == ["siap", "sehat", "terhubung"]
    assert [lvl.rank for lvl in Level] == [0, 1, 2]
    assert ClassMethod.parse(" Natural_Breaks ") is ClassMethod.fisher_jenks
    assert ClassMethod.parse("user") is ClassMethod.user_defined
    assert ClassMethod.parse("rainbow") is None
    assert score_column("sehat") == "score_sehat"
    assert missing_column(Pillar.siap) == "score_siap_missing"
    assert is_score_column("score_terhubung_missing") and not is_score_column("score_x")
    assert K_MIN <= K_DEFAULT <= K_MAX == 9
    assert Status.in_progress == "in_progress"
    with pytest.raises(ValueError):
        score_column("aman")


def test_one_bilingual_text() -> None:
    text = Text("Banjir", "Flood")
    assert (text("id"), text("en"), text("fr")) == ("Banjir", "Flood", "Banjir")
    assert Text.from_json(text.to_json()) == text
    assert Text.pick({"name_id": "Pompa", "name_en": "Pump"}, "name", "en") == "Pump"
    with pytest.raises(ValueError):
        Text("", "empty")
