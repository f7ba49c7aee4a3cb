"""A real uvicorn server on 127.0.0.1: concurrent read-modify-write, and a SIGKILL mid-write."""

from __future__ import annotations

import threading
import time
from collections import Counter

import httpx
import pytest
from actionkit import Server, Tokens, point_feature
from serverkit import bump_budget

from geo.actions.store import ActionStore

pytestmark = pytest.mark.realdata

ITEMS = "/collections/actions/items"
THREADS = 16
ROUNDS = 50
ACTIONS = 10


def test_concurrent_if_match_updates_lose_nothing(
    server: Server, store: ActionStore, tokens: Tokens
) -> None:
    auth = Tokens.header(tokens.planner)
    with httpx.Client(base_url=server.url, headers=auth, timeout=60) as c:
        ids = [
            c.post(ITEMS, json=point_feature(title=f"aksi {i}", budget_idr=0)).json()["id"]
            for i in range(ACTIONS)
        ]
    successes: Counter[str] = Counter()
    failures: Counter[int] = Counter()
    lock = threading.Lock()
    start = threading.Barrier(THREADS)

    def worker(n: int) -> None:
        with httpx.Client(base_url=server.url, headers=auth, timeout=60) as c:
            start.wait()
            for i in range(ROUNDS):
                action_id = ids[(n + i) % ACTIONS]
                r = bump_budget(c, f"{ITEMS}/{action_id}", f"{ITEMS}/{action_id}")
                with lock:
                    if r.status_code == 200:
                        successes[action_id] += 1
                    else:
                        failures[r.status_code] += 1

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not any(t.is_alive() for t in threads)

    assert set(failures) <= {412}, failures
    assert sum(successes.values()) + failures[412] == THREADS * ROUNDS
    assert sum(successes.values()) > 0
    with httpx.Client(base_url=server.url, timeout=60) as c:
        for action_id in ids:
            props = c.get(f"{ITEMS}/{action_id}").json()["properties"]
            assert props["budget_idr"] == successes[action_id]
            assert props["version"] == 1 + successes[action_id]
    assert store.integrity_problems() == []


def test_sigkill_during_writes_keeps_every_acknowledged_write(
    server: Server, store: ActionStore, tokens: Tokens
) -> None:
    auth = Tokens.header(tokens.planner)
    acked_created: list[str] = []
    acked_versions: dict[str, int] = {}
    stop = threading.Event()

    def writer() -> None:
        with httpx.Client(base_url=server.url, headers=auth, timeout=10) as c:
            while not stop.is_set():
                try:
                    r = c.post(ITEMS, json=point_feature(title=f"aksi {len(acked_created)}"))
                    if r.status_code != 201:
                        continue
                    action_id = r.json()["id"]
                    acked_created.append(action_id)
                    acked_versions[action_id] = 1
                    p = c.patch(
                        f"{ITEMS}/{action_id}",
                        json={"properties": {"progress": 50}},
                        headers={"If-Match": r.headers["etag"]},
                    )
                    if p.status_code == 200:
                        acked_versions[action_id] = 2
                except httpx.HTTPError:
                    if server.proc is not None and server.proc.poll() is not None:
                        return

    thread = threading.Thread(target=writer)
    thread.start()
    deadline = time.monotonic() + 60
    while len(acked_created) < 40 and time.monotonic() < deadline:
        time.sleep(0.01)
    server.kill()
    stop.set()
    thread.join(timeout=30)
    assert len(acked_created) >= 40

    server.start()
    with httpx.Client(base_url=server.url, timeout=30) as c:
        for action_id, version in acked_versions.items():
            r = c.get(f"{ITEMS}/{action_id}")
            assert r.status_code == 200, action_id
            assert r.json()["properties"]["version"] >= version
        total = c.get(ITEMS, params={"limit": 1}).json()["numberMatched"]
    assert total >= len(acked_created)
    assert store.integrity_problems() == []
