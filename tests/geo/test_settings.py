"""Settings grouped by concern, with the environment variables the README documents."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from geo.errors import SettingsError
from geo.settings import (
    GROUPS,
    PROJECT_ROOT,
    BuildSettings,
    HTTPSettings,
    ImpactSettings,
    MapSettings,
    Settings,
    StoreSettings,
    env_name,
    load_settings,
)

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


def _documented() -> list[str]:
    table = README.split("## Settings", 1)[1].split("\n## ", 1)[0]
    return sorted(set(re.findall(r"`(KETAHANAN_[A-Z_]+)`", table)))


def test_every_documented_variable_still_sets_its_field(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    documented = _documented()
    assert len(documented) >= 20
    fields = {env_name(name): name for name in Settings.model_fields}
    assert set(documented) == set(fields), "README and settings disagree"
    values = {
        "KETAHANAN_DATA_DIR": str(tmp_path),
        "KETAHANAN_BUILD_PATH": str(tmp_path / "b.gpkg"),
        "KETAHANAN_ITEMS_LIMIT_DEFAULT": "7",
        "KETAHANAN_ITEMS_LIMIT_MAX": "70",
        "KETAHANAN_SCORE_WEIGHTS": '{"siap_flood_share_2007": 2}',
        "KETAHANAN_CORS_ORIGINS": '["https://gis.jakarta.go.id"]',
        "KETAHANAN_BASEMAP_URL": "none",
        "KETAHANAN_READ_REQUIRES_TOKEN": "true",
        "KETAHANAN_PORT": "8123",
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    settings = Settings()
    assert settings.build_path == tmp_path / "b.gpkg" and settings.data_dir == tmp_path
    assert (settings.items_limit_default, settings.items_limit_max) == (7, 70)
    assert settings.score_weights == {"siap_flood_share_2007": 2.0}
    assert settings.cors_origins == ["https://gis.jakarta.go.id"]
    assert not settings.has_basemap and settings.read_requires_token and settings.port == 8123


def test_settings_are_grouped_by_concern() -> None:
    settings = Settings()
    for group in (BuildSettings, StoreSettings, HTTPSettings, MapSettings, ImpactSettings):
        assert isinstance(settings, group)
    assert set(GROUPS) == {"build", "actions store", "http", "map", "impact", "flood feed"}
    owners = [name for group in GROUPS.values() for name in group.model_fields]
    assert sorted(owners) == sorted(Settings.model_fields)  # each field in exactly one group


@pytest.mark.parametrize(
    ("values", "named"),
    [
        ({"items_limit_default": 500, "items_limit_max": 200}, "KETAHANAN_ITEMS_LIMIT_DEFAULT"),
        ({"basemap_url": "https://tiles.example/tile.png"}, "KETAHANAN_BASEMAP_URL"),
        ({"database_url": "mysql://db/actions"}, "KETAHANAN_DATABASE_URL"),
        ({"build_path": "x.gpkg", "user_layers_path": "x.gpkg"}, "KETAHANAN_USER_LAYERS_PATH"),
        ({"port": 0}, "KETAHANAN_PORT"),
    ],
)
def test_a_bad_combination_is_a_plain_message(values: dict[str, object], named: str) -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings(**values)
    assert named in caught.value.message
    assert "Traceback" not in caught.value.message and "pydantic" not in caught.value.message


def test_the_app_refuses_to_start_on_a_bad_combination(tmp_path: Path) -> None:
    env = {
        "PATH": "/usr/bin:/bin",
        "KETAHANAN_ITEMS_LIMIT_DEFAULT": "500",
        "KETAHANAN_ITEMS_LIMIT_MAX": "200",
        "KETAHANAN_BUILD_PATH": str(tmp_path / "none.gpkg"),
    }
    serve = subprocess.run(
        [str(Path(sys.executable).parent / "ketahanan"), "serve"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert serve.returncode == 2
    said = " ".join(serve.stderr.split())
    assert "KETAHANAN_ITEMS_LIMIT_DEFAULT (500) must not be larger than" in said
    assert "KETAHANAN_ITEMS_LIMIT_MAX (200)" in said and "Traceback" not in said
    factory = subprocess.run(
        [sys.executable, "-c", "from api.app import create_app; create_app()"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=PROJECT_ROOT,
    )
    assert factory.returncode != 0 and "KETAHANAN_ITEMS_LIMIT_DEFAULT" in factory.stderr
    assert "Traceback" not in factory.stderr
