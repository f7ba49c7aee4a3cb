"""Shared test configuration.

* In CI (any truthy ``CI``: ``true``, ``1``, ``yes``, ``on``, any case) a skipped test fails
  the run: a skip in CI means a gap, not a pass (:mod:`ciskip`).
* The ``realdata`` marker is exactly the tests that read the real Jakarta data, checked at
  collection; every other test sees an empty data folder (:mod:`realdata_guard`). So
  ``pytest -m "not realdata"`` runs everything that needs no data.
"""

from __future__ import annotations

import pytest
from ciskip import IN_CI, pytest_runtest_makereport, pytest_sessionfinish
from realdata_guard import empty_data_dir, no_data_unless_marked, pytest_collection_modifyitems

from geo.settings import Settings

__all__ = [
    "IN_CI",
    "empty_data_dir",
    "no_data_unless_marked",
    "pytest_collection_modifyitems",
    "pytest_runtest_makereport",
    "pytest_sessionfinish",
]


@pytest.fixture(scope="session")
def real_settings() -> Settings:
    """Settings pointing at the real data folder; skips (fails in CI) when it is absent."""
    settings = Settings()
    if not settings.data_dir.is_dir():
        pytest.skip(f"real Jakarta data not found at {settings.data_dir}")
    return settings


@pytest.fixture(scope="session")
def real_build(real_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings whose build output was built once, this session, from the real data."""
    from geo.build import run_build

    out = tmp_path_factory.mktemp("build")
    settings = real_settings.model_copy(
        update={
            "build_path": out / "ketahanan.gpkg",
            "user_layers_path": out / "user_layers.json",
            "user_scenarios_path": out / "user_scenarios.json",
        }
    )
    run_build(settings)
    return settings
