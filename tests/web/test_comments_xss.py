"""Comments and organisation names are user text: shown as text, never run (tracker, profile,
organisation pages).

An organisation whose name is markup partners in an action; a planner comments with an
``<img onerror>`` payload. In Debian's Chromium the tracker, the organisation pages and the
kelurahan profile's thread show both literally and no script runs (issue 20).
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from journeykit import api_headers, create_action, sign_in, wait_until

pytestmark = pytest.mark.realdata

ORG = '<img src=x onerror="window.__xss=1">Yayasan'
COMMENT = '<script>window.__xss=2</script><img src=x onerror="window.__xss=3">'


def test_comment_and_org_name_payloads_are_inert(watched: Any, web_app: Any, shots: Any) -> None:
    from geo.actions.store import ActionStore

    store = ActionStore.from_settings(web_app.settings)
    try:
        store.organisations.add(f"{ORG} {uuid.uuid4().hex[:6]}", kind="non-pemerintah")
        org = [o for o in store.organisations.all() if o.name.startswith(ORG)][-1]
    finally:
        store.engine.dispose()
    title = f"Komentar XSS {uuid.uuid4().hex[:6]}"
    action = create_action(web_app.base, web_app.token, title=title, partners=[org.name])
    assert action["properties"]["partners"] == [org.name]
    said = httpx.post(
        f"{web_app.base}/collections/actions/items/{action['id']}/comments",
        json={"text": COMMENT},
        headers=api_headers(web_app.token),
        timeout=30,
    )
    assert said.status_code == 201, said.text
    page = watched.page
    page.goto(f"{web_app.base}/aksi")
    sign_in(page, web_app.token)
    page.locator("#tracker-filters [name=q]").fill(title)
    row = page.locator(f"#tracker-table tr[data-id='{action['id']}']")
    row.wait_for()
    row.locator(".row-open").click()
    wait_until(page, "document.querySelector('#action-comments .comment-text')")
    shots(page, "comments")
    assert page.locator("#action-comments .comment-text").inner_text() == COMMENT
    assert ORG in page.locator("#action-detail").inner_text()
    assert page.evaluate("window.__xss") is None
    assert page.locator("#action-detail img[src=x]").count() == 0

    # the same payloads on the organisation's page, the list, and the kelurahan profile's thread
    page.goto(f"{web_app.base}/organisasi/{org.id}")
    assert ORG in page.locator("h1").inner_text()
    assert title in page.locator(".org-actions[data-role=partner]").inner_text()
    page.goto(f"{web_app.base}/organisasi")
    assert ORG in page.locator(f"tr[data-id='{org.id}']").inner_text()
    kode = action["properties"]["kelurahan"][0]
    page.goto(f"{web_app.base}/kelurahan/{kode}")
    item = page.locator(f"#profile-actions li[data-id='{action['id']}']")
    item.locator(".profile-comments summary").click()
    item.locator(".comment-text").wait_for()
    shots(page, "profile-comments")
    assert item.locator(".comment-text").inner_text() == COMMENT
    assert page.evaluate("window.__xss") is None
    assert page.locator("main img[src=x]").count() == 0
