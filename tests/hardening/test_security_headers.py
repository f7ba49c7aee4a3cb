"""Security review: headers on every response, body-size limits, tokens kept out of logs."""

from __future__ import annotations

import base64
import hashlib
import logging
import re

import pytest
from fuzzkit import Harness, harness, point_feature

from api.security import content_security_policy, inline_script_hashes, tile_origin

__all__ = ["harness"]

BASE = "/collections/actions"
FIXED = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}


def _assert_secure(response: object, label: str) -> str:
    headers = response.headers  # type: ignore[attr-defined]
    for name, value in FIXED.items():
        assert headers.get(name) == value, f"{label}: {name}"
    csp = headers.get("content-security-policy", "")
    for directive in (
        "default-src 'self'",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "object-src 'none'",
    ):
        assert directive in csp, f"{label}: {directive} missing from {csp!r}"
    script_src = re.search(r"script-src ([^;]*)", csp)
    assert script_src is not None
    assert "'unsafe-inline'" not in script_src.group(1), label
    return csp


def test_every_kind_of_response_carries_the_security_headers(harness: Harness) -> None:
    """JSON, GeoJSON, GeoPackage, HTML, a static file, a 404 and a 401 all carry them."""
    c = harness.client
    cases = {
        "json": c.get("/collections"),
        "geojson": c.get("/collections/kota/items"),
        "gpkg": c.get("/collections/kota/items", params={"f": "gpkg"}),
        "html": c.get("/peta"),
        "static": c.get("/static/js/map-page.js"),
        "error 404": c.get("/collections/nope"),
        "error 401": c.post(f"{BASE}/items", json=point_feature()),
        "openapi": c.get("/api"),
    }
    for label, response in cases.items():
        assert response.status_code < 500, label
        _assert_secure(response, label)
    assert cases["static"].status_code == 200
    assert cases["error 404"].status_code == 404
    assert cases["error 401"].status_code == 401


def test_map_page_allows_exactly_its_inline_scripts_by_hash(harness: Harness) -> None:
    """folium's inline scripts run by sha256 hash; no 'unsafe-inline' for scripts."""
    r = harness.client.get("/peta")
    csp = _assert_secure(r, "peta")
    bodies = re.findall(r"<script>(.*?)</script>", r.text, re.S)
    assert bodies, "the folium page has inline scripts"
    for body in bodies:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    assert "img-src 'self' data: https://tile.openstreetmap.org" in csp


def test_csp_helpers() -> None:
    """The basemap host and the script hashes are worked out from settings and the page."""
    assert tile_origin("https://{s}.tile.example.org/{z}/{x}/{y}.png") == (
        "https://*.tile.example.org"
    )
    assert tile_origin("none") is None
    assert "img-src 'self' data:;" in content_security_policy("none")
    page = (
        '<script src="/a.js"></script>'
        '<script type="application/json">{}</script>'
        "<script>x()</script>"
    )
    assert inline_script_hashes(page) == [
        f"'sha256-{base64.b64encode(hashlib.sha256(b'x()').digest()).decode()}'"
    ]


WRITES = [
    ("post", f"{BASE}/items"),
    ("post", f"{BASE}/import"),
    ("put", f"{BASE}/items/{{id}}"),
    ("patch", f"{BASE}/items/{{id}}"),
    ("post", f"{BASE}/items/{{id}}/restore"),
]


@pytest.mark.parametrize(("method", "path"), WRITES)
def test_oversized_body_is_413_on_every_write_route(
    harness: Harness, method: str, path: str
) -> None:
    """A declared Content-Length over the limit is a 413 with the one JSON error body."""
    limit = harness.settings.max_body_bytes
    url = path.format(id=harness.actions[0].id)
    body = b'{"x": "' + b"a" * (limit + 10) + b'"}'
    headers = {**harness.auth(), "Content-Type": "application/json", "If-Match": "*"}
    r = harness.client.request(method, url, content=body, headers=headers)
    assert r.status_code == 413
    assert r.json()["code"] == "payload_too_large"
    _assert_secure(r, f"{method} {path}")


@pytest.mark.parametrize(("method", "path"), WRITES[:4])
def test_streamed_oversized_body_is_413_on_every_write_route(
    harness: Harness, method: str, path: str
) -> None:
    """A chunked body (no Content-Length) is counted as it arrives and stopped at the limit.

    Restore takes no body: it never reads one, so a chunked body there is not buffered at
    all (a declared Content-Length over the limit is still a 413, see the test above).
    """
    limit = harness.settings.max_body_bytes
    url = path.format(id=harness.actions[0].id)

    def chunks() -> object:
        for _ in range(limit // 65536 + 2):
            yield b"a" * 65536

    headers = {**harness.auth(), "Content-Type": "application/json", "If-Match": "*"}
    r = harness.client.request(method, url, content=chunks(), headers=headers)  # type: ignore[arg-type]
    assert r.status_code == 413
    assert r.json()["code"] == "payload_too_large"


def test_token_secret_never_appears_in_logs(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    """The secret is not logged by the app, uvicorn's loggers or SQLAlchemy, even on errors."""
    caplog.set_level(logging.DEBUG)
    for name in ("uvicorn", "uvicorn.access", "uvicorn.error", "ketahanan", "sqlalchemy"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    c = harness.client
    secret = harness.planner
    r = c.post(f"{BASE}/items", json=point_feature(title="log check"), headers=harness.auth())
    assert r.status_code == 201
    c.get(f"{BASE}/items", headers=harness.auth())
    c.post(f"{BASE}/items", json={"type": "nope"}, headers=harness.auth())
    c.get(f"{BASE}/items", headers={"Authorization": f"Bearer {secret}x"})
    assert secret not in caplog.text
    assert secret[:16] not in caplog.text


def test_token_is_read_only_from_the_authorization_header(harness: Harness) -> None:
    """A secret in the query string or a cookie does not authenticate a write."""
    c = harness.client
    secret = harness.planner
    before = harness.store.query()[1]
    # a query parameter the route does not declare is refused before anything else is read
    r = c.post(f"{BASE}/items", json=point_feature(), params={"access_token": secret})
    assert r.status_code == 400
    assert "access_token" in r.json()["description"]
    r = c.post(f"{BASE}/items", json=point_feature(), cookies={"token": secret})
    assert r.status_code == 401
    assert harness.store.query()[1] == before


def test_tokens_are_stored_only_as_hashes(harness: Harness) -> None:
    """The tokens table holds sha256 digests, never the secret."""
    import sqlalchemy as sa

    t = harness.store.tables.tokens
    with harness.store.read() as conn:
        stored = [row.token_hash for row in conn.execute(sa.select(t.c.token_hash))]
    assert hashlib.sha256(harness.planner.encode()).hexdigest() in stored
    assert harness.planner not in stored
