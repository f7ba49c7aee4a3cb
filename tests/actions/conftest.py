"""Fixtures of the actions tests (defined in :mod:`actionkit`).

A test module that names agencies no real organisation has sets ``TEST_ORGANISATIONS`` (issue
20: an action's agencies are organisations); they are added to its store before each test.
"""

from __future__ import annotations

import pytest
from actionkit import backend, client, server, settings, store, tokens

__all__ = ["backend", "client", "server", "settings", "store", "tokens"]


@pytest.fixture(autouse=True)
def _test_organisations(request: pytest.FixtureRequest) -> None:
    """Add the module's ``TEST_ORGANISATIONS`` to its store (only where a module sets them)."""
    names = getattr(request.module, "TEST_ORGANISATIONS", ())
    if not names:
        return
    actions = request.getfixturevalue("store")
    for name in names:
        if actions.organisations.find(name) is None:
            actions.organisations.add(name)
