"""The strategy folder read through the catalogue: what it holds, and its checksums checked."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from geo.errors import ChecksumError
from geo.settings import Settings
from geo.strategy import load_strategy

pytestmark = pytest.mark.realdata


def test_the_strategy_as_the_files_hold_it(real_settings: Settings) -> None:
    s = load_strategy(real_settings.data_dir, real_settings.catalogue_path)
    assert [p.pilar for p in s.pillars] == ["siap", "sehat", "terhubung"]
    assert [p.title_id for p in s.supporting] == ["Tata Kelola Pemerintahan", "Kohesi Sosial"]
    assert all(p.definition and p.source_url.startswith("http") for p in s.pillars)
    assert len(s.targets) == 9
    assert sum(t.from_strategy for t in s.targets) == 6
    vulnerability = [t for t in s.targets_of("siap") if t.value == 80]
    assert len(vulnerability) == 1 and vulnerability[0].target_year == 2030
    water = s.targets_of("sehat")[0]
    assert (water.target_en, water.value, water.target_year) == ("Access to clean water", 100, 2030)
    assert s.targets_of("terhubung") == []
    assert len(s.shocks_stresses) == 22
    assert len(s.initiatives) == 12 and all(i.source_url for i in s.initiatives)
    assert s.counts == {"12 arahan": "12 directions", "32 strategi": "32 strategies"}
    assert s.source.id == "strategy_2019" and s.source.licence


def test_a_changed_file_is_refused(real_settings: Settings, tmp_path: Path) -> None:
    shutil.copytree(real_settings.data_dir / "strategy", tmp_path / "strategy")
    target = tmp_path / "strategy" / "targets.csv"
    target.chmod(0o644)
    target.write_text(target.read_text(encoding="utf-8").replace(",80,", ",90,"), "utf-8")
    with pytest.raises(ChecksumError, match=r"targets\.csv"):
        load_strategy(tmp_path, real_settings.catalogue_path)
