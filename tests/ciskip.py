"""In CI a skipped test is a failure: the two pytest hooks that make it so.

CI systems set ``CI`` to different spellings of true (``true``, ``1``, ``yes``, ``on``, in any
case); any of them turns a skip into a failure. Empty, ``0``, ``false``, ``no`` and ``off``
(any case) do not. ``tests/conftest.py`` installs the hooks; ``tests/test_ci_skips.py`` runs
pytest on a skipping test under each value to show it.
"""

from __future__ import annotations

import os
from collections.abc import Generator
from typing import Any

import pytest

FALSY = frozenset({"", "0", "false", "no", "off"})


def ci_enabled(value: str | None) -> bool:
    """Whether a ``CI`` environment value means "running in CI" (anything but a falsy word)."""
    return (value or "").strip().lower() not in FALSY


IN_CI = ci_enabled(os.environ.get("CI"))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[Any]:
    """In CI, report a skipped test as failed, with its skip reason."""
    outcome = yield
    report = outcome.get_result()
    if IN_CI and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped in CI (CI={os.environ.get('CI')!r} fails a skip): {reason}"


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """In CI, a skip anywhere (collection included) fails the run."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if IN_CI and reporter is not None and reporter.stats.get("skipped"):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
