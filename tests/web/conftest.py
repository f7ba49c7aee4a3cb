"""Fixtures of the web tests: the app served by uvicorn on 127.0.0.1 and Debian's Chromium.

The browser never needs the network: the basemap is ``none``, every script and stylesheet is
served by the app, and a route handler aborts (and records) any request that is not to
127.0.0.1. Without ``/usr/bin/chromium`` the browser tests skip (CI turns a skip into a
failure; ``.ci/run`` installs chromium).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from serverkit import served_app, settings_env

from geo.settings import Settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
"""Screenshots of the planner journeys, one folder per test (ignored by git)."""


@dataclass
class WebApp:
    """The served app: base URL, its settings, a planner token and a viewer token."""

    base: str
    settings: Settings
    token: str
    viewer_token: str = ""
    planner_name: str = "playwright-planner"

    def post_action(self, feature: dict[str, Any]) -> httpx.Response:
        """POST a GeoJSON Feature to the actions collection with the planner token."""
        return httpx.post(
            f"{self.base}/collections/actions/items",
            content=json.dumps(feature),
            headers={
                "Authorization": f"Bearer {self.token}",
                "Content-Type": "application/geo+json",
            },
            timeout=30,
        )


@pytest.fixture(scope="session")
def web_settings(real_build: Settings, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings of the served app: the session's real build, a fresh SQLite, no basemap."""
    tmp = tmp_path_factory.mktemp("web")
    return real_build.model_copy(
        update={"database_url": f"sqlite:///{tmp / 'actions.sqlite'}", "basemap_url": "none"}
    )


@pytest.fixture(scope="session")
def planner_token(web_settings: Settings) -> str:
    """A planner token created with the actions store's token API, in the test database."""
    from geo.actions.auth import create_token
    from geo.actions.store import ActionStore

    store = ActionStore.from_settings(web_settings)
    store.migrate()
    secret, _ = create_token(store, "playwright-planner", "planner")
    store.engine.dispose()
    return secret


@pytest.fixture(scope="session")
def viewer_token(web_settings: Settings, planner_token: str) -> str:
    """A viewer token (may read, may not write), in the same test database."""
    from geo.actions.auth import create_token
    from geo.actions.store import ActionStore

    store = ActionStore.from_settings(web_settings)
    secret, _ = create_token(store, "playwright-viewer", "viewer")
    store.engine.dispose()
    return secret


@pytest.fixture(scope="session")
def web_app(
    web_settings: Settings,
    planner_token: str,
    viewer_token: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[WebApp]:
    """The app served by uvicorn in a subprocess on 127.0.0.1 (killed after the session)."""
    env = settings_env(web_settings, KETAHANAN_BASEMAP_URL="none")
    log = tmp_path_factory.mktemp("server") / "uvicorn.log"
    with served_app(env, log, "/health") as base:
        yield WebApp(base, web_settings, planner_token, viewer_token)


@pytest.fixture(scope="session")
def browser_context(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A headless Chromium context with a fresh profile (skips without /usr/bin/chromium)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_api.sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 860},
            timeout=60_000,
        )
        context.set_default_timeout(20_000)
        try:
            yield context
        finally:
            context.close()


@dataclass
class Watched:
    """A page with what it did: requests that tried to leave 127.0.0.1, console errors, dialogs."""

    page: Any
    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    allowed_console: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        """Every blocked request, unexpected console error and dialog."""
        errors = [e for e in self.console_errors if not any(a in e for a in self.allowed_console)]
        return (
            [f"request left 127.0.0.1: {u}" for u in self.blocked]
            + [f"console error: {e}" for e in errors]
            + [f"dialog opened: {d}" for d in self.dialogs]
        )


@pytest.fixture
def watched(browser_context: Any, web_app: WebApp) -> Iterator[Watched]:
    """A new tab that records and aborts non-local requests; fails on console errors and
    dialogs."""
    page = browser_context.new_page()
    w = Watched(page)

    def route(r: Any) -> None:
        host = urlsplit(r.request.url).hostname
        if r.request.url.startswith(("data:", "blob:")) or host == "127.0.0.1":
            r.continue_()
        else:
            w.blocked.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: w.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: w.console_errors.append(f"uncaught: {exc}"))

    def on_dialog(dialog: Any) -> None:
        w.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    try:
        yield w
        assert not w.problems(), w.problems()
    finally:
        page.close()


SETTLED = """() => !document.querySelector('.leaflet-zoom-anim, .leaflet-pan-anim') &&
    document.body.getAttribute('data-choropleth') !== 'loading' &&
    !document.body.hasAttribute('data-zoom-pending') &&
    [...document.querySelectorAll('.leaflet-popup, #ketahanan-toast.visible')]
    .every((n) => getComputedStyle(n).opacity === '1')"""
"""True when the map is not moving or reloading and no popup or message is fading in."""


class Shots:
    """Numbered screenshots of one test's steps under ``tests/web/artifacts/<test>/``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.taken: list[Path] = []

    def __call__(self, page: Any, step: str, *, full_page: bool = False) -> Path:
        """Save a screenshot of ``page`` named after the step; returns its path.

        Popups fade in: the shot waits (bounded) until every open one is fully shown.
        """
        for _ in range(100):
            if page.evaluate(SETTLED):
                break
            page.wait_for_timeout(50)
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{len(self.taken) + 1:02d}-{step}.png"
        page.screenshot(path=str(path), full_page=full_page)
        self.taken.append(path)
        return path


@pytest.fixture
def shots(request: pytest.FixtureRequest) -> Shots:
    """Where a journey saves the screenshot of each step (the folder is printed at the end)."""
    name = request.node.name.replace("[", "-").replace("]", "")
    folder = ARTIFACTS / name
    for old in folder.glob("*.png"):
        old.unlink()
    return Shots(folder)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Say where the journeys' screenshots are."""
    if ARTIFACTS.is_dir() and any(ARTIFACTS.rglob("*.png")):
        count = sum(1 for _ in ARTIFACTS.rglob("*.png"))
        terminalreporter.write_line(f"planner journey screenshots ({count}): {ARTIFACTS}")
