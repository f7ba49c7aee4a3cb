"""Fuzz ``/peta/banjir-2017/aksi`` (the actions touching the replay's flooded places) on its
own: the whole-app run in test_fuzz covers it too, in a shared time budget; this one gives it
its own examples so a regression there shows up fast."""

from __future__ import annotations

import time
from collections import defaultdict

import pytest
import schemathesis
from fuzzkit import Harness, harness
from test_fuzz import MODES, _fuzz_operation

__all__ = ["harness"]

ROUTES = {("get", "/peta/banjir-2017/aksi")}
BUDGET_S = 60.0


@pytest.mark.realdata
def test_fuzz_the_replay_actions_route(harness: Harness) -> None:
    """No 5xx and nothing outside the OpenAPI contract on the replay's actions route."""
    schema = schemathesis.openapi.from_asgi("/api", harness.app)
    operations = [
        op
        for op in (result.ok() for result in schema.get_all_operations())
        if (op.method.lower(), op.path) in ROUTES
    ]
    assert {(op.method.lower(), op.path) for op in operations} == ROUTES
    assert {p.name for op in operations for p in op.query} >= {"banjir"}
    failures: list[str] = []
    deadline = time.monotonic() + BUDGET_S
    sent = 0
    for operation in operations:
        for mode in MODES:
            sent += _fuzz_operation(harness, operation, mode, failures, deadline, defaultdict(int))
    assert sent > 0
    assert not failures, f"{len(failures)} failing requests:\n\n" + "\n\n".join(failures[:20])
