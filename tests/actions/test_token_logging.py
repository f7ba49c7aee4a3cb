"""Tokens are never logged: a live uvicorn server with its access log on, every logger at DEBUG.

The server runs as in production (``uvicorn api.app:create_app``), with a logging config that
sends uvicorn's access log and every other logger (the app's, SQLAlchemy's with its SQL and
bound parameters, uvicorn's own) at DEBUG to the captured output. Authenticated requests of
every kind, good and bad, must leave the secret nowhere in that output, while the access log
shows each of them (so the test sees the log it claims to check).
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from actionkit import Tokens, point_feature
from serverkit import free_port, settings_env, start_app, stop, wait_until_up

from geo.actions.auth import Role, create_token, hash_token, revoke_token
from geo.actions.store import ActionStore
from geo.settings import Settings

pytestmark = pytest.mark.realdata

ITEMS = "/collections/actions/items"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "default": {
            "()": "uvicorn.logging.DefaultFormatter",
            "fmt": "%(levelname)s %(name)s: %(message)s",
            "use_colors": False,
        },
        "access": {
            "()": "uvicorn.logging.AccessFormatter",
            "fmt": '%(levelname)s access: %(client_addr)s "%(request_line)s" %(status_code)s',
            "use_colors": False,
        },
    },
    "handlers": {
        "default": {"class": "logging.StreamHandler", "formatter": "default"},
        "access": {
            "class": "logging.StreamHandler",
            "formatter": "access",
            "stream": "ext://sys.stdout",
        },
    },
    "loggers": {
        "uvicorn": {"level": "DEBUG"},
        "uvicorn.access": {"handlers": ["access"], "level": "DEBUG", "propagate": False},
        "sqlalchemy.engine": {"level": "DEBUG"},
    },
    "root": {"handlers": ["default"], "level": "DEBUG"},
}
"""Everything at DEBUG: uvicorn's access log, the app's logger, SQLAlchemy's statements."""


def _requests(http: httpx.Client, planner: str, revoked: str) -> list[str]:
    """Authenticated requests of every kind; returns the access-log line of each."""
    auth = Tokens.header(planner)
    made = http.post(ITEMS, json=point_feature(title="Uji log"), headers=auth)
    assert made.status_code == 201, made.text
    url = f"{ITEMS}/{made.json()['id']}"
    sent = [
        ("GET", url, auth, None, 200),
        ("PATCH", url, {**auth, "If-Match": '"1"'}, {"properties": {"progress": 20}}, 200),
        ("PATCH", url, {**auth, "If-Match": '"1"'}, {"properties": {"progress": 30}}, 412),
        ("POST", ITEMS, auth, {"type": "nope"}, 422),
        ("POST", ITEMS, Tokens.header(planner + "x"), point_feature(), 401),
        ("POST", ITEMS, Tokens.header(revoked), point_feature(), 401),
        ("POST", ITEMS, {"Authorization": f"Token {planner}"}, point_feature(), 401),
        ("POST", ITEMS, {"Authorization": f"Bearer {planner} extra"}, point_feature(), 401),
        ("DELETE", url, {**auth, "If-Match": '"2"'}, None, 204),
    ]
    lines = [f'"POST {ITEMS} HTTP/1.1" 201']
    for method, path, headers, body, status in sent:
        response = http.request(method, path, headers=headers, json=body)
        assert response.status_code == status, (method, path, response.text)
        assert planner not in response.text
        lines.append(f'"{method} {path} HTTP/1.1" {status}')
    return lines


def test_tokens_never_reach_the_live_servers_log(
    settings: Settings, store: ActionStore, tmp_path: Path
) -> None:
    planner, _ = create_token(store, "ani", Role.planner)
    revoked, _ = create_token(store, "lama", Role.planner)
    revoke_token(store, "lama")
    config = tmp_path / "logging.json"
    config.write_text(json.dumps(LOGGING))
    log = tmp_path / "server.log"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = start_app(
        settings_env(settings, KETAHANAN_ITEMS_WARM_ZOOMS="[]"),
        port,
        log,
        log_args=("--log-config", str(config), "--log-level", "debug", "--access-log"),
    )
    try:
        wait_until_up(f"{base}/collections/actions", process, log)
        with httpx.Client(base_url=base, timeout=30) as http:
            expected = _requests(http, planner, revoked)
    finally:
        stop(process)
    text = log.read_text(errors="replace")
    for line in expected:  # the access log was on and captured
        assert line in text, f"{line} not in the server log:\n{text[-3000:]}"
    assert "DEBUG sqlalchemy.engine" in text or "INFO sqlalchemy.engine" in text, text[-3000:]
    for secret in (planner, revoked):
        assert secret not in text
        assert secret[:12] not in text, "a prefix of the token was logged"
    # SQLAlchemy's DEBUG log shows the bound parameters: the lookup is by the sha256 digest,
    # which does not authenticate; the secret itself never reaches a statement
    assert hash_token(planner) in text
