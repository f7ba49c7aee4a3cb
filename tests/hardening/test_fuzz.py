"""Fuzz every operation of the app's own OpenAPI document with schemathesis.

The app runs in-process (schemathesis' ASGI transport) over the session's real build and a
fresh SQLite actions store holding three seeded actions; every request carries a planner
token, so the writes run too. For each operation schemathesis generates schema-valid
(positive) and schema-breaking (negative) requests; about a third of the requests on an
action's path are pointed at a seeded action with a current ``If-Match`` so the writes reach
the store instead of stopping at 404. The run is derandomised (the same requests every time)
and bounded (``EXAMPLES`` per operation and mode, ``BUDGET_S`` in all).

Every response is checked for: no 5xx, a documented status code, a documented content type,
a body that matches the documented schema and the documented headers. Failures are
collected (not shrunk, which would take long) and reported together.

Not fuzzed here, with the reason: ``/static/...`` (files, no parameters; see
test_security_headers), ``/docs`` and ``/api`` (FastAPI's own pages, not in the OpenAPI
document). The HTML pages ``/peta`` and ``/kelurahan/{kode}`` *are* fuzzed (their HTML
responses, 200 and the friendly 400/404 pages, are declared).
"""

from __future__ import annotations

import time
from collections import defaultdict
from typing import Any

import pytest
import schemathesis
from fastapi.routing import APIRoute
from fuzzkit import Harness, harness
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

__all__ = ["harness"]

EXAMPLES = 50
"""Generated requests per operation and generation mode."""
BUDGET_S = 240.0
"""Wall-time budget of the whole fuzz run (a 2-core CI machine)."""
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)


def _point_at_seeded(h: Harness, case: Any, pick: int) -> None:
    """Aim a case at a seeded action, with its current ETag in If-Match."""
    action = h.actions[pick % len(h.actions)]
    current = h.store.get(action.id, include_deleted=True)
    params = dict(case.path_parameters or {})
    if "featureId" in params:
        params["featureId"] = action.id
    if "collectionId" in params:
        params["collectionId"] = "actions"
    case.path_parameters = params
    case.headers = {**(case.headers or {}), "If-Match": current.etag}


def _documented_routes(app: Any) -> set[tuple[str, str]]:
    """(method, path) of every route the app puts in its OpenAPI document."""
    found: set[tuple[str, str]] = set()

    def walk(routes: Any) -> None:
        for route in routes:
            if isinstance(route, APIRoute) and route.include_in_schema:
                found.update((m.lower(), route.path) for m in route.methods)
            inner = getattr(route, "original_router", None) or getattr(route, "router", None)
            walk(getattr(route, "routes", None) or getattr(inner, "routes", []))

    walk(app.router.routes)
    return found


REAL_COLLECTIONS = ("kelurahan", "kecamatan", "kota", "pumps", "tj_stops", "rail_lines")
"""Collections a third of the requests on collection paths are pointed at."""


def _point_at_real(h: Harness, case: Any, pick: int) -> None:
    """Aim a case at a real collection (and a real feature of it) or a real kelurahan."""
    params = dict(case.path_parameters or {})
    store = h.features()
    if "collectionId" in params:
        coll = store.get(REAL_COLLECTIONS[pick % len(REAL_COLLECTIONS)])
        params["collectionId"] = coll.id
        if "featureId" in params:
            ids = list(coll.index_of)
            params["featureId"] = str(ids[(pick * 7) % len(ids)])
    if "kode" in params:
        kelurahan = list(store.get("kelurahan").index_of)
        params["kode"] = str(kelurahan[(pick * 31) % len(kelurahan)])
    case.path_parameters = params


def _fuzz_operation(
    h: Harness,
    operation: Any,
    mode: GenerationMode,
    failures: list[str],
    deadline: float,
    statuses: dict[int, int],
) -> int:
    """Run one operation in one mode; returns the number of requests sent."""
    sent = 0
    writes = operation.method.lower() != "get"
    on_action = writes or "/actions/" in operation.path
    on_real = any(p in operation.path for p in ("{collectionId}", "{kode}")) and not writes
    on_item = on_real and "{featureId}" in operation.path

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode), pick=st.integers(0, 8))
    def run(case: Any, pick: int) -> None:
        nonlocal sent
        if time.monotonic() > deadline:
            return
        if on_action and pick < 3:
            _point_at_seeded(h, case, pick)
        if on_item and pick == 3:
            _point_at_seeded(h, case, pick)
        if on_real and pick < 3:
            _point_at_real(h, case, pick)
        headers = {**(case.headers or {}), **h.auth()}
        try:
            response = case.call(headers=headers)
        except Exception as exc:  # the in-process transport re-raises what the app raised
            failures.append(
                f"{operation.method.upper()} {operation.path} [{mode}] raised "
                f"{type(exc).__name__}: {exc}; body={case.body!r:.300}"
            )
            return
        sent += 1
        statuses[response.status_code] += 1
        try:
            case.validate_response(response, checks=CHECKS)
        except Exception as exc:  # a FailureGroup: record it and go on (no shrinking)
            failures.append(
                f"{operation.method.upper()} {operation.path} [{mode}] "
                f"{response.status_code}: {str(exc)[:1500]}"
            )

    try:
        run()
    except Unsatisfiable:
        # no parameters or body to break: a negative request of this operation cannot exist
        assert mode == GenerationMode.NEGATIVE, f"{operation.path}: no positive request"
    return sent


@pytest.mark.realdata
def test_fuzz_every_operation(harness: Harness) -> None:
    """Schemathesis finds no 5xx and no response outside the OpenAPI contract."""
    started = time.monotonic()
    deadline = started + BUDGET_S
    schema = schemathesis.openapi.from_asgi("/api", harness.app)
    operations = [result.ok() for result in schema.get_all_operations()]
    fuzzed = {(op.method.lower(), op.path) for op in operations}
    assert fuzzed == _documented_routes(harness.app), "every route of the app should be fuzzed"
    failures: list[str] = []
    sent: dict[str, int] = defaultdict(int)
    statuses: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for operation in operations:
        for mode in MODES:
            label = f"{operation.method.upper()} {operation.path}"
            sent[label] += _fuzz_operation(
                harness, operation, mode, failures, deadline, statuses[label]
            )
    elapsed = time.monotonic() - started
    total = sum(sent.values())
    print(
        f"\nfuzz: {len(operations)} operations, {total} requests in {elapsed:.1f} s "
        f"({EXAMPLES} examples per operation and mode, budget {BUDGET_S:.0f} s)"
    )
    for label, count in sorted(sent.items()):
        codes = " ".join(f"{c}x{n}" for c, n in sorted(statuses[label].items()))
        print(f"  {count:4d}  {label}  ({codes})")
    assert elapsed <= BUDGET_S + 30, f"the fuzz run took {elapsed:.0f} s"
    assert all(count > 0 for count in sent.values()), f"operations left unfuzzed: {dict(sent)}"
    assert not failures, f"{len(failures)} failing requests:\n\n" + "\n\n".join(failures[:30])
