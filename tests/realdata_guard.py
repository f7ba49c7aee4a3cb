"""The ``realdata`` marker is exactly the tests that read the real Jakarta data.

* Collection fails when a test uses the ``real_settings`` fixture (directly or through
  ``real_build``) without the marker, or carries the marker without using it.
* Every test without the marker runs with ``KETAHANAN_DATA_DIR`` pointing at an empty folder,
  so one that reads the data some other way (``Settings()``, a subprocess) fails instead of
  passing silently.

``pytest -m "not realdata"`` is therefore a run that needs no data at all. ``tests/conftest.py``
installs these hooks and the fixture; ``tests/test_realdata_guard.py`` shows both at work.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from geo.settings import get_settings

DATA_FIXTURE = "real_settings"
"""The one way a test reaches the real data folder."""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Fail collection when the ``realdata`` marker and the use of the data disagree."""
    wrong = []
    for item in items:
        marked = item.get_closest_marker("realdata") is not None
        uses = DATA_FIXTURE in getattr(item, "fixturenames", ())
        if uses and not marked:
            wrong.append(f"{item.nodeid}: uses {DATA_FIXTURE} but is not marked realdata")
        elif marked and not uses:
            wrong.append(f"{item.nodeid}: marked realdata but does not use {DATA_FIXTURE}")
    if wrong:
        raise pytest.UsageError("the realdata marker is wrong:\n  " + "\n  ".join(wrong))


@pytest.fixture(scope="session")
def empty_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty folder that stands in for the data folder in tests that must not read it."""
    return tmp_path_factory.mktemp("no-data")


@pytest.fixture(autouse=True)
def no_data_unless_marked(
    request: pytest.FixtureRequest, empty_data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """Point KETAHANAN_DATA_DIR at an empty folder for every test not marked ``realdata``."""
    if request.node.get_closest_marker("realdata") is not None:
        yield
        return
    monkeypatch.setenv("KETAHANAN_DATA_DIR", str(empty_data_dir))
    get_settings.cache_clear()
    try:
        yield
        assert not any(empty_data_dir.iterdir()), f"a test wrote into {empty_data_dir}"
    finally:
        get_settings.cache_clear()
