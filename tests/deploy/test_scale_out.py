"""Many instances, one truth: nginx (deploy/nginx.conf) in front of two app instances on PostGIS.

Instance A is ``ketahanan serve --workers 2``, instance B ``ketahanan serve`` (one worker);
both serve the same build file and the same PostGIS schema, and the repository's nginx
configuration proxies and caches in front of them, everything on 127.0.0.1. The tests write
through one and read through the other and through the proxy at once, race 16 writers over
both with If-Match, revoke a token while both are in use, replace the build under them, and
finally kill B during a write load. Every loop is bounded in count and time.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from proxykit import check_conf, served_proxy, site_conf
from serverkit import (
    bump_budget,
    free_port,
    kill_group,
    settings_env,
    start_serve,
    stop,
    wait_until_up,
)

from geo.actions.auth import Role, create_token
from geo.actions.store import ActionStore
from geo.settings import PROJECT_ROOT, Settings

PG_URL = os.environ.get("KETAHANAN_TEST_POSTGRES_URL")
ITEMS = "/collections/actions/items"
KELURAHAN = "/collections/kelurahan/items"
MAX_AGE = 5
"""Cache-Control max-age of the cluster's build responses (seconds): how long nginx keeps one."""


def feature(title: str, budget: int = 0) -> dict[str, object]:
    """An action at Monas (kelurahan Gambir)."""
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [106.8272, -6.1754]},
        "properties": {
            "title": title,
            "pillar": "siap",
            "lead_agency": "BPBD DKI",
            "budget_idr": budget,
        },
    }


@dataclass
class Cluster:
    """Two instances and the proxy in front of them, on one PostGIS schema."""

    a: str
    b: str
    proxy: str
    b_process: subprocess.Popen[bytes]
    settings: Settings
    store: ActionStore
    planner: str
    build_path: Path
    env: dict[str, str]

    def auth(self, secret: str | None = None) -> dict[str, str]:
        """The Authorization header of ``secret`` (default: the planner's)."""
        return {"Authorization": f"Bearer {secret or self.planner}"}


def _schema_url(schema: str) -> str:
    assert PG_URL is not None
    url = sa.make_url(PG_URL)
    return url.set(
        query={**url.query, "options": f"-csearch_path={schema},public"}
    ).render_as_string(hide_password=False)


@pytest.fixture(scope="module")
def cluster(real_build: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """nginx in front of A (2 workers) and B (1 worker) on a fresh PostGIS schema."""
    if not PG_URL:
        pytest.skip("the scale-out tests need KETAHANAN_TEST_POSTGRES_URL (set by .ci/run)")
    tmp = tmp_path_factory.mktemp("cluster")
    build_path = tmp / "ketahanan.gpkg"
    shutil.copyfile(real_build.build_path, build_path)
    schema = f"s_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    settings = real_build.model_copy(
        update={"database_url": _schema_url(schema), "build_path": build_path}
    )
    store = ActionStore.from_settings(settings)
    store.migrate()
    planner = create_token(store, "ani", Role.planner)[0]
    env = settings_env(
        settings,
        KETAHANAN_HTTP_CACHE_MAX_AGE=str(MAX_AGE),
        KETAHANAN_ITEMS_WARM_ZOOMS="[]",
    )
    ports = free_port(), free_port()
    procs = [
        start_serve(env, ports[0], tmp / "a.log", workers=2),
        start_serve(env, ports[1], tmp / "b.log", workers=1),
    ]
    try:
        for proc, port, name in zip(procs, ports, ("a", "b"), strict=True):
            wait_until_up(f"http://127.0.0.1:{port}/health", proc, tmp / f"{name}.log")
        proxy_port = free_port()
        with served_proxy(site_conf(proxy_port, ports), proxy_port) as proxy:
            yield Cluster(
                a=f"http://127.0.0.1:{ports[0]}",
                b=f"http://127.0.0.1:{ports[1]}",
                proxy=proxy,
                b_process=procs[1],
                settings=settings,
                store=store,
                planner=planner,
                build_path=build_path,
                env=env,
            )
    finally:
        for proc in procs:
            kill_group(proc, 15)
            stop(proc)
        store.dispose()
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


def test_the_repository_nginx_conf_is_valid_as_it_is() -> None:
    result = check_conf((PROJECT_ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8"))
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


@pytest.mark.realdata
def test_a_write_on_one_instance_is_read_at_once_on_the_other_and_through_the_proxy(
    cluster: Cluster,
) -> None:
    auth = cluster.auth()
    with httpx.Client(timeout=60) as c:
        made = c.post(cluster.a + ITEMS, json=feature("Pompa Gambir"), headers=auth)
        assert made.status_code == 201, made.text
        action_id = made.json()["id"]
        for base in (cluster.b, cluster.proxy, cluster.a):
            got = c.get(f"{base}{ITEMS}/{action_id}")
            assert got.status_code == 200, (base, got.text)
            assert got.headers["etag"] == '"1"'
            assert got.json()["properties"]["title"] == "Pompa Gambir"
        listed = c.get(f"{cluster.proxy}{ITEMS}?limit=1000").json()
        assert action_id in {f["id"] for f in listed["features"]}

        for step, (writer, readers) in enumerate(
            [
                (cluster.b, (cluster.a, cluster.proxy)),
                (cluster.proxy, (cluster.a, cluster.b)),
                (cluster.a, (cluster.proxy, cluster.b)),
            ],
            start=2,
        ):
            title = f"Pompa Gambir v{step}"
            changed = c.patch(
                f"{writer}{ITEMS}/{action_id}",
                json={"properties": {"title": title}},
                headers={**auth, "If-Match": f'"{step - 1}"'},
            )
            assert changed.status_code == 200, changed.text
            assert changed.headers["etag"] == f'"{step}"'
            for base in readers:
                got = c.get(f"{base}{ITEMS}/{action_id}")
                assert got.headers["etag"] == f'"{step}"', base
                assert got.json()["properties"]["title"] == title
                assert "no-cache" in got.headers["cache-control"]
                listing = c.get(f"{base}{ITEMS}?limit=1000").json()["features"]
                assert {f["id"]: f["properties"]["title"] for f in listing}[action_id] == title
                # a conditional GET with the new version's tag is a 304 everywhere
                again = c.get(f"{base}{ITEMS}/{action_id}", headers={"If-None-Match": f'"{step}"'})
                assert again.status_code == 304

        stale = c.patch(
            f"{cluster.b}{ITEMS}/{action_id}",
            json={"properties": {"title": "lost update"}},
            headers={**auth, "If-Match": '"2"'},
        )
        assert stale.status_code == 412, stale.text
        gone = c.delete(f"{cluster.proxy}{ITEMS}/{action_id}", headers={**auth, "If-Match": '"4"'})
        assert gone.status_code == 204
        for base in (cluster.a, cluster.b, cluster.proxy):
            assert c.get(f"{base}{ITEMS}/{action_id}").status_code == 410
            listing = c.get(f"{base}{ITEMS}?limit=1000").json()["features"]
            assert action_id not in {f["id"] for f in listing}


@pytest.mark.realdata
def test_build_layers_are_cached_by_the_proxy_with_one_etag_for_every_instance(
    cluster: Cluster,
) -> None:
    path = f"{KELURAHAN}?limit=3&properties=nama&lang=en"
    host = {"Host": cluster.proxy.removeprefix("http://")}  # as nginx asks each instance
    with httpx.Client(timeout=60) as c:
        direct = {
            c.get(base + path, headers=host).headers["etag"] for base in (cluster.a, cluster.b)
        }
        for _ in range(6):  # fresh connections reach both workers of A
            with httpx.Client(timeout=60) as fresh:
                direct.add(fresh.get(cluster.a + path, headers=host).headers["etag"])
        assert len(direct) == 1, f"instances disagree on the ETag of one build: {direct}"
        first = c.get(cluster.proxy + path + "&n=1")
        second = c.get(cluster.proxy + path + "&n=1")
    # n is not a parameter: the app refuses it, and nginx keeps no error
    assert first.status_code == 400
    assert second.headers.get("x-cache-status") != "HIT"
    with httpx.Client(timeout=60) as c:
        statuses = [c.get(cluster.proxy + path) for _ in range(3)]
        assert statuses[-1].headers["x-cache-status"] == "HIT"
        assert {r.headers["etag"] for r in statuses} == direct
        assert statuses[-1].headers["cache-control"] == f"public, max-age={MAX_AGE}"
        # links name the proxy (the Host it was asked for), not an instance
        links = [link["href"] for link in statuses[-1].json()["links"]]
        assert all(href.startswith(cluster.proxy) for href in links), links
        (etag,) = direct
        assert c.get(cluster.proxy + path, headers={"If-None-Match": etag}).status_code == 304
        # a browser on another site (CORS) never gets the entry cached for a request without an
        # Origin: that one has no Access-Control-Allow-Origin
        assert "access-control-allow-origin" not in statuses[-1].headers
        for _ in range(2):
            cors = c.get(cluster.proxy + path, headers={"Origin": "https://gis.example.org"})
            assert cors.headers["access-control-allow-origin"] == "*", cors.headers
        # a request with a token is never answered from the cache
        private = c.get(cluster.proxy + path, headers=cluster.auth())
        assert private.headers["x-cache-status"] == "BYPASS"
        # the actions are never cached, however often they are read
        for _ in range(3):
            listed = c.get(cluster.proxy + ITEMS)
            assert listed.headers.get("x-cache-status", "") in ("", "MISS", "BYPASS")
            assert "no-cache" in listed.headers["cache-control"]


@pytest.mark.realdata
def test_clients_asking_for_different_variants_do_not_evict_each_other(cluster: Cluster) -> None:
    """The cache key folds Accept and Accept-Encoding and nginx checks Vary: QGIS (Accept:
    application/geo+json), a script (Accept: */*), and gzip and English readers each keep an
    entry of their own once filled, and none evicts another's (no MISS, no fetch each time)."""
    path = f"{KELURAHAN}?limit=4&properties=nama&zoom=11"
    clients = (
        {"Accept": "application/geo+json", "Accept-Encoding": "identity"},
        {"Accept": "*/*", "Accept-Encoding": "identity"},
        {"Accept": "*/*", "Accept-Encoding": "gzip, deflate"},
        {"Accept": "*/*", "Accept-Encoding": "gzip, deflate, br", "Accept-Language": "en"},
    )
    with httpx.Client(timeout=60) as c:
        for headers in clients:  # each fills its entry
            assert c.get(cluster.proxy + path, headers=headers).status_code == 200
        for _ in range(3):  # and then finds it, whoever asked in between
            for headers in clients:
                got = c.get(cluster.proxy + path, headers=headers)
                assert got.headers["x-cache-status"] == "HIT", headers
        english = c.get(cluster.proxy + path, headers=clients[3])
        assert english.headers["content-language"] == "en"
        assert english.headers["content-encoding"] == "gzip"


@pytest.mark.realdata
def test_sixteen_writers_over_both_instances_lose_no_update(cluster: Cluster) -> None:
    threads, rounds, actions = 16, 12, 6
    auth = cluster.auth()
    with httpx.Client(timeout=60, headers=auth) as c:
        ids = [
            c.post(cluster.proxy + ITEMS, json=feature(f"aksi {i}")).json()["id"]
            for i in range(actions)
        ]
    acknowledged: Counter[str] = Counter()
    unexpected: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(threads)
    bases = (cluster.a, cluster.b, cluster.proxy)

    def writer(n: int) -> None:
        with httpx.Client(timeout=60, headers=auth) as c:
            start.wait(timeout=60)
            for i in range(rounds):
                action_id = ids[(n + i) % actions]
                read, write = bases[(n + i) % 3], bases[(n + i + 1) % 3]  # never the same
                r = bump_budget(c, f"{read}{ITEMS}/{action_id}", f"{write}{ITEMS}/{action_id}")
                with lock:
                    if r.status_code == 200:
                        acknowledged[action_id] += 1
                    elif r.status_code != 412:
                        unexpected.append(f"{r.status_code} {r.text[:200]}")

    pool = [threading.Thread(target=writer, args=(n,)) for n in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join(timeout=600)
    assert not any(t.is_alive() for t in pool)
    assert not unexpected, unexpected[:5]
    assert sum(acknowledged.values()) > 0
    with httpx.Client(timeout=60) as c:
        for action_id in ids:
            for base in bases:
                got = c.get(f"{base}{ITEMS}/{action_id}")
                # every acknowledged update is in the final state, and nothing else is
                assert got.json()["properties"]["budget_idr"] == acknowledged[action_id]
                assert got.headers["etag"] == f'"{1 + acknowledged[action_id]}"'
            history = c.get(f"{cluster.a}{ITEMS}/{action_id}/history").json()["versions"]
            assert [v["version"] for v in history] == list(range(1, 2 + acknowledged[action_id]))
    assert cluster.store.integrity_problems() == []


@pytest.mark.realdata
def test_a_token_revoked_on_one_instance_is_refused_by_the_other_on_its_next_request(
    cluster: Cluster,
) -> None:
    secret = create_token(cluster.store, "rina", Role.planner)[0]
    with httpx.Client(timeout=60) as c:
        for base in (cluster.a, cluster.b, cluster.proxy):  # every instance has seen it
            made = c.post(base + ITEMS, json=feature("Pintu air"), headers=cluster.auth(secret))
            assert made.status_code == 201, made.text
        # revoked over HTTP through instance A by an admin; B is asked next
        admin = create_token(cluster.store, "sari (admin)", Role.admin)[0]
        revoked = c.delete(cluster.a + "/auth/tokens/rina", headers=cluster.auth(admin))
        assert revoked.status_code == 200, revoked.text
        assert revoked.json()["name"] == "rina"
        for base in (cluster.b, cluster.a, cluster.proxy):
            refused = c.post(base + ITEMS, json=feature("Pintu air"), headers=cluster.auth(secret))
            assert refused.status_code == 401, (base, refused.text)
            assert "revoked" in refused.json()["description"]
        # the operator's command revokes as well (another token, through B's settings)
        other = create_token(cluster.store, "budi", Role.planner)[0]
        assert c.get(cluster.b + "/auth/me", headers=cluster.auth(other)).is_success
        done = subprocess.run(
            [sys.executable, "-m", "api.cli", "token", "revoke", "budi"],
            env=cluster.env,
            capture_output=True,
            text=True,
            timeout=120,
            cwd=PROJECT_ROOT,
        )
        assert done.returncode == 0, done.stderr
        for base in (cluster.a, cluster.b, cluster.proxy):
            assert c.get(base + "/auth/me", headers=cluster.auth(other)).status_code == 401
        # the planner's own token still writes everywhere
        assert c.post(cluster.b + ITEMS, json=feature("Pintu"), headers=cluster.auth()).is_success


def _renamed_build(source: Path, target: Path, kode: str, name: str) -> None:
    """Rename one kelurahan in a copy of ``source`` and rename the copy over ``target``.

    GDAL writes it (the GeoPackage's triggers need its SQL functions).
    """
    fresh = target.with_name("next.gpkg")
    shutil.copyfile(source, fresh)
    sql = f"UPDATE kelurahan SET nama = '{name}' WHERE kode = '{kode}'"
    done = subprocess.run(
        ["ogrinfo", "-q", "-update", str(fresh), "-sql", sql],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    os.replace(fresh, target)  # how `ketahanan build` lands a build


@pytest.mark.realdata
def test_a_new_build_is_served_by_every_worker_from_its_next_request(cluster: Cluster) -> None:
    with httpx.Client(timeout=120) as c:
        before = c.get(cluster.a + "/health").json()["build"]
        first = c.get(f"{cluster.a}{KELURAHAN}?limit=1").json()["features"][0]
        through_proxy = c.get(f"{cluster.proxy}{KELURAHAN}/{first['id']}")
        assert through_proxy.status_code == 200
    kode, name = first["properties"]["kode"], "Kelurahan Baru Uji"
    _renamed_build(cluster.build_path, cluster.build_path, kode, name)
    seen_workers: set[int] = set()
    builds: set[str] = set()
    for _ in range(60):  # fresh connections spread over A's two workers
        with httpx.Client(timeout=120) as fresh:
            health = fresh.get(cluster.a + "/health").json()
        seen_workers.add(health["process"])
        builds.add(health["build"])
        if len(seen_workers) == 2 and _ >= 10:
            break
    assert len(seen_workers) == 2, "the requests never reached A's second worker"
    assert before not in builds and len(builds) == 1, builds
    with httpx.Client(timeout=120) as c:
        for base in (cluster.a, cluster.b):
            got = c.get(f"{base}{KELURAHAN}/{first['id']}").json()
            assert got["properties"]["nama"] == name, base
        # nginx keeps the old answer at most max-age seconds, then revalidates by ETag
        deadline_polls = (MAX_AGE + 30) * 5
        for _ in range(deadline_polls):
            got = c.get(f"{cluster.proxy}{KELURAHAN}/{first['id']}")
            if got.json()["properties"]["nama"] == name:
                break
            threading.Event().wait(0.2)
        assert got.json()["properties"]["nama"] == name


@pytest.mark.realdata
def test_killing_an_instance_during_writes_loses_no_acknowledged_write(cluster: Cluster) -> None:
    threads, per_thread = 8, 25
    auth = cluster.auth()
    acknowledged: dict[str, int] = {}
    proxy_failures: list[str] = []
    direct_failures: list[str] = []
    lock = threading.Lock()
    killed = threading.Event()
    started = threading.Barrier(threads + 1)

    def writer(n: int) -> None:
        base = cluster.a if n % 4 == 0 else cluster.proxy  # some straight to the survivor
        with httpx.Client(timeout=60, headers=auth) as c:
            started.wait(timeout=60)
            for i in range(per_thread):
                try:
                    made = c.post(base + ITEMS, json=feature(f"beban {n}-{i}"))
                    ok = made.status_code == 201
                    if ok:
                        action_id = made.json()["id"]
                        with lock:
                            acknowledged[action_id] = 1
                        changed = c.patch(
                            f"{base}{ITEMS}/{action_id}",
                            json={"properties": {"budget_idr": i}},
                            headers={"If-Match": '"1"'},
                        )
                        if changed.status_code == 200:
                            with lock:
                                acknowledged[action_id] = 2
                        ok = changed.status_code == 200
                    what = f"{made.status_code}"
                except httpx.HTTPError as exc:
                    ok, what = False, type(exc).__name__
                if not ok:
                    with lock:
                        (direct_failures if base == cluster.a else proxy_failures).append(
                            f"{'after' if killed.is_set() else 'before'} kill: {what}"
                        )

    pool = [threading.Thread(target=writer, args=(n,)) for n in range(threads)]
    for t in pool:
        t.start()
    started.wait(timeout=60)
    for _ in range(1200):  # kill B once writes are landing (bounded: 60 s)
        if len(acknowledged) >= threads:
            break
        threading.Event().wait(0.05)
    kill_group(cluster.b_process)
    killed.set()
    for t in pool:
        t.join(timeout=600)
    assert not any(t.is_alive() for t in pool)
    # the survivor never failed, and through the proxy only requests in flight at the kill did
    assert not direct_failures, direct_failures
    assert len(proxy_failures) <= threads, proxy_failures
    assert len(acknowledged) > threads
    with httpx.Client(timeout=60) as c:
        for base in (cluster.a, cluster.proxy):
            listing = c.get(f"{base}{ITEMS}?limit=10000").json()["features"]
            versions = {f["id"]: f["properties"]["version"] for f in listing}
            for action_id, version in acknowledged.items():
                assert versions.get(action_id, 0) >= version, action_id
        assert c.get(f"{cluster.proxy}{KELURAHAN}?limit=1").status_code == 200
    assert cluster.store.integrity_problems() == []
