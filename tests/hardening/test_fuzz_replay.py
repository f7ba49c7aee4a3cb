"""Fuzz the flood replay's routes on their own: ``/peta/banjir-2017``, ``/peta``'s ``banjir``
and ``/peta/banjir-2017/aksi`` (the actions touching the replay's flooded places). The
whole-app run in test_fuzz covers them too, in a shared time budget; this one gives them their
own examples so a regression there shows up fast."""

from __future__ import annotations

import time
from collections import defaultdict

import pytest
import schemathesis
from fuzzkit import Harness, harness
from test_fuzz import MODES, _fuzz_operation

__all__ = ["harness"]


def _fuzz_routes(
    harness: Harness, routes: set[tuple[str, str]], params: set[str], budget_s: float
) -> None:
    """Fuzz exactly ``routes`` (which must declare ``params``) for ``budget_s`` seconds: no 5xx
    and nothing outside the OpenAPI contract."""
    schema = schemathesis.openapi.from_asgi("/api", harness.app)
    operations = [
        op
        for op in (result.ok() for result in schema.get_all_operations())
        if (op.method.lower(), op.path) in routes
    ]
    assert {(op.method.lower(), op.path) for op in operations} == routes
    declared = {p.name for op in operations for p in op.query}
    assert params <= declared, declared
    failures: list[str] = []
    deadline = time.monotonic() + budget_s
    sent = 0
    for operation in operations:
        for mode in MODES:
            sent += _fuzz_operation(harness, operation, mode, failures, deadline, defaultdict(int))
    assert sent > 0
    assert not failures, f"{len(failures)} failing requests:\n\n" + "\n\n".join(failures[:20])


@pytest.mark.realdata
def test_fuzz_the_replay_routes(harness: Harness) -> None:
    """No 5xx and nothing outside the OpenAPI contract on the replay's routes."""
    _fuzz_routes(
        harness, {("get", "/peta/banjir-2017"), ("get", "/peta")}, {"zoom", "banjir"}, 90.0
    )


@pytest.mark.realdata
def test_fuzz_the_replay_actions_route(harness: Harness) -> None:
    """No 5xx and nothing outside the OpenAPI contract on the replay's actions route."""
    _fuzz_routes(harness, {("get", "/peta/banjir-2017/aksi")}, {"banjir"}, 60.0)
