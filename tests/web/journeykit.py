"""Helpers of the planner journeys: waiting in the page, signing in, the API beside the page.

Pages are driven as a planner drives them (clicks, typing, real mouse positions); the API is
called directly only to set the scene (an action someone else made) or to check what the
page says against what the server holds.
"""

from __future__ import annotations

import json
import time
from typing import Any

import httpx


def wait_until(page: Any, expression: str, timeout_s: float = 30.0, arg: Any = None) -> Any:
    """Poll a JavaScript expression until it is truthy; return its value.

    ``page.wait_for_function`` compiles a string predicate with ``eval`` in the page, which
    the app's Content-Security-Policy (no 'unsafe-eval') rightly blocks; ``page.evaluate``
    goes through the DevTools protocol, which a page's CSP does not govern.
    """
    deadline = time.monotonic() + timeout_s
    while True:
        value = page.evaluate(expression, arg) if arg is not None else page.evaluate(expression)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{expression!r} did not become true within {timeout_s} s")
        page.wait_for_timeout(100)


def open_map(page: Any, base: str, query: str = "") -> Any:
    """Open /peta and wait until the choropleth and the actions are drawn."""
    page.goto(f"{base}/peta{query}")
    page.wait_for_selector("body[data-choropleth=ready]")
    page.wait_for_selector("body[data-actions]")
    return page


MAP_SETTLED = (
    "!document.body.hasAttribute('data-zoom-pending') &&"
    " document.body.getAttribute('data-choropleth') === 'ready'"
)
"""True once a zoom has settled and the choropleth drawn for it (the page marks both)."""


def settle_map(page: Any) -> None:
    """Wait until the map's zoom settled and the choropleth for it is drawn."""
    wait_until(page, MAP_SETTLED)


def sign_in(page: Any, token: str) -> str:
    """Sign in with the header's "Masuk" button; return the name and role shown."""
    page.locator("#signin-open").click()
    dialog = page.locator("#signin-dialog")
    dialog.wait_for(state="visible")
    dialog.locator("#signin-token").fill(token)
    dialog.locator("button[type=submit]").click()
    page.wait_for_selector("#signin-who")
    text: str = page.locator("#signin-who").inner_text()
    return text


def api_headers(token: str, **extra: str) -> dict[str, str]:
    """Headers of an API write with ``token``."""
    return {"Authorization": f"Bearer {token}", "Content-Type": "application/json", **extra}


def create_action(base: str, token: str, **props: Any) -> dict[str, Any]:
    """Create an action through the API (as another planner would); return its Feature."""
    geometry = props.pop("geometry", None)
    if geometry is None and "unit_codes" not in props:
        geometry = {"type": "Point", "coordinates": [106.80, -6.25]}
    feature = {
        "type": "Feature",
        "geometry": geometry,
        "properties": {"pillar": "siap", "lead_agency": "BPBD DKI Jakarta", **props},
    }
    response = httpx.post(
        f"{base}/collections/actions/items",
        content=json.dumps(feature),
        headers=api_headers(token),
        timeout=30,
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def get_action(base: str, action_id: str) -> httpx.Response:
    """GET one action (200, or 410 once deleted)."""
    return httpx.get(f"{base}/collections/actions/items/{action_id}", timeout=30)


def top_element_at(page: Any, x: float, y: float) -> dict[str, str]:
    """What a click at (x, y) would hit: the topmost element's tag, classes and pane."""
    found: dict[str, str] = page.evaluate(
        """([x, y]) => {
            const node = document.elementFromPoint(x, y);
            const pane = node && node.closest('.leaflet-pane:not(.leaflet-map-pane)');
            return {tag: node ? node.tagName : '', cls: node ? String(node.getAttribute('class'))
              : '', pane: pane ? String(pane.className) : ''};
        }""",
        [x, y],
    )
    return found


def visible_map_share(page: Any, step: int = 10) -> float:
    """Share of the viewport where a click reaches the map itself (not a panel or control)."""
    share: float = page.evaluate(
        """step => {
            const map = document.querySelector('.folium-map');
            let hits = 0, all = 0;
            for (let y = step / 2; y < innerHeight; y += step) {
                for (let x = step / 2; x < innerWidth; x += step) {
                    all += 1;
                    const node = document.elementFromPoint(x, y);
                    if (node && map.contains(node) && !node.closest('.leaflet-control')) {
                        hits += 1;
                    }
                }
            }
            return hits / all;
        }""",
        step,
    )
    return share


def wider_than_viewport(page: Any) -> list[str]:
    """Visible elements (outside the map's panes and scroll boxes) wider than the viewport."""
    found: list[str] = page.evaluate(
        """() => {
            const out = [];
            if (document.documentElement.scrollWidth > innerWidth + 1) {
                out.push(`page scrolls sideways: ${document.documentElement.scrollWidth}px`);
            }
            for (const node of document.body.querySelectorAll('*')) {
                if (node.closest('.leaflet-map-pane, .table-scroll, svg, dialog:not([open])')) {
                    continue;
                }
                const box = node.getBoundingClientRect();
                if (box.width > 0 && (box.right > innerWidth + 1 || box.left < -1)) {
                    out.push(`${node.tagName}.${node.className}: ${box.left}..${box.right}`);
                }
            }
            return out.slice(0, 10);
        }"""
    )
    return found
