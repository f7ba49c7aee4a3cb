"""Shared test configuration.

With ``CI=true`` a skipped test fails the run: a skip in CI means a gap, not a pass.
"""

from __future__ import annotations

import os
from collections.abc import Generator
from typing import Any

import pytest

from geo.settings import Settings

IN_CI = os.environ.get("CI", "").lower() == "true"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[Any]:
    """In CI, report a skipped test as failed, with its skip reason."""
    outcome = yield
    report = outcome.get_result()
    if IN_CI and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped in CI (CI=true turns a skip into a failure): {reason}"


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """In CI, a skip anywhere (collection included) fails the run."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if IN_CI and reporter is not None and reporter.stats.get("skipped"):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


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
