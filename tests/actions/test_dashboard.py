"""The strategy dashboard's counts equal what the actions store holds, asked directly in SQL.

Actions of several pillars, statuses, agencies, kota, budgets and progress are written through
the API (one changed to done, one deleted), the related initiatives are seeded, and every
figure of /strategi is compared with a query of the store's tables, on SQLite and on PostGIS.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

import pytest
import sqlalchemy as sa
from actionkit import Tokens, point_feature
from fastapi.testclient import TestClient

from geo.actions.initiatives import build_kelurahan, seed_initiatives
from geo.actions.store import ActionStore
from geo.settings import Settings
from geo.strategy import load_strategy

pytestmark = pytest.mark.realdata

ITEMS = "/collections/actions/items"
PLACES = {  # lon, lat of a point in each of three kota
    "pusat": (106.8272, -6.1754),  # Gambir
    "utara": (106.7853, -6.1205),  # Pluit
    "timur": (106.8890, -6.2190),  # Cipinang, Jatinegara
}
ACTIONS: list[dict[str, Any]] = [
    {"pillar": "siap", "status": "planned", "lead_agency": "BPBD DKI", "budget_idr": 1_000_000,
     "progress": 0, "at": "utara"},
    {"pillar": "siap", "status": "in_progress", "lead_agency": "Dinas SDA", "budget_idr": 2_500_000,
     "progress": 40, "at": "utara"},
    {"pillar": "siap", "status": "in_progress", "lead_agency": "BPBD DKI", "progress": 70,
     "at": "timur"},
    {"pillar": "sehat", "status": "planned", "lead_agency": "PAM Jaya", "budget_idr": 7,
     "progress": 5, "at": "pusat"},
    {"pillar": "terhubung", "status": "planned", "lead_agency": "Dishub", "progress": 10,
     "at": "pusat"},
    {"pillar": "sehat", "status": "planned", "lead_agency": "DLH", "progress": 0, "at": "timur"},
]  # fmt: skip


def _write(client: TestClient, auth: dict[str, str]) -> None:
    ids = []
    for spec in ACTIONS:
        spec = dict(spec)
        lon, lat = PLACES[spec.pop("at")]
        made = client.post(ITEMS, json=point_feature(lon, lat, title="aksi", **spec), headers=auth)
        assert made.status_code == 201, made.text
        ids.append(made.json()["id"])
    finished = {"properties": {"status": "done", "progress": 100}}
    done = client.patch(f"{ITEMS}/{ids[1]}", json=finished, headers={**auth, "If-Match": '"1"'})
    assert done.status_code == 200, done.text
    gone = client.delete(f"{ITEMS}/{ids[5]}", headers={**auth, "If-Match": '"1"'})
    assert gone.status_code == 204


def _section(page: str, pillar: str) -> str:
    start = page.index(f'<section class="strategy-pillar" data-pillar="{pillar}">')
    return page[start : page.index("</section>", start)]


def _table(section: str, cls: str) -> dict[str, int]:
    start = section.index(f"strategy-counts {cls}")
    table = section[start : section.index("</table>", start)]
    return {k: int(n) for k, n in re.findall(r'data-key="([^"]*)">.*?<td class="num">(\d+)', table)}


def _org_table(section: str) -> dict[str, tuple[int, int]]:
    """The organisation table: id (or "none") to (leads, partner in), folded rows included."""
    start = section.index("strategy-counts by-organisation")
    table = section[start : section.index("strategy-counts by-kota", start)]
    rows = re.findall(
        r'<tr data-key="([^"]*)">.*?<td class="num lead">(\d+)</td><td class="num partner">(\d+)',
        table,
    )
    return {k: (int(lead), int(partner)) for k, lead, partner in rows}


def _sql(store: ActionStore, query: str) -> list[Any]:
    with store.read() as conn:
        return list(conn.execute(sa.text(query)).all())


LIVE = "FROM actions WHERE deleted = false"


def test_dashboard_counts_equal_the_store(
    client: TestClient, store: ActionStore, tokens: Tokens, settings: Settings
) -> None:
    _write(client, Tokens.header(tokens.planner))
    strategy = load_strategy(settings.data_dir, settings.catalogue_path)
    seed_initiatives(store, strategy.initiatives, build_kelurahan(settings.build_path))
    page = client.get("/strategi").text

    total = _sql(store, f"SELECT count(*) {LIVE}")[0][0]
    assert f'data-total="{total}"' in page and total == 5 + 12
    for pillar in ("siap", "sehat", "terhubung", "none"):
        where = "pillar IS NULL" if pillar == "none" else f"pillar = '{pillar}'"
        section = _section(page, pillar)
        count = _sql(store, f"SELECT count(*) {LIVE} AND {where}")[0][0]
        assert f'data-count="{count}"' in section, pillar
        related = _sql(store, f"SELECT count(*) {LIVE} AND {where} AND kind = 'related_initiative'")
        assert f'data-related="{related[0][0]}"' in section
        if not count:
            continue
        statuses = dict(
            _sql(
                store, f"SELECT coalesce(status, 'unknown'), count(*) {LIVE} AND {where} GROUP BY 1"
            )
        )
        shown = {k: n for k, n in _table(section, "by-status").items() if n}
        assert shown == statuses, pillar
        leads = dict(
            _sql(
                store,
                f"SELECT coalesce(lead_org_id, 'none'), count(*) {LIVE} AND {where} GROUP BY 1",
            )
        )
        partners: Counter[str] = Counter()
        for (ids,) in _sql(store, f"SELECT partner_org_ids {LIVE} AND {where}"):
            ids = json.loads(ids) if isinstance(ids, str) else ids
            partners.update(ids or [])
        shown_orgs = _org_table(section)
        assert {k: lead for k, (lead, _) in shown_orgs.items() if lead} == leads, pillar
        assert {k: n for k, (_, n) in shown_orgs.items() if n} == dict(partners), pillar
        kota = _sql(
            store,
            "SELECT substr(k.kode, 1, 5), count(DISTINCT a.id) FROM actions a "
            "JOIN action_kelurahan k ON k.action_id = a.id "
            f"WHERE a.deleted = false AND a.{where} GROUP BY 1",
        )
        placeless = _sql(
            store,
            f"SELECT count(*) {LIVE} AND {where} AND NOT EXISTS "
            "(SELECT 1 FROM action_kelurahan k WHERE k.action_id = actions.id)",
        )
        assert sum(_table(section, "by-kota").values()) == sum(n for _, n in kota) + placeless[0][0]
        budget, with_budget = _sql(
            store, f"SELECT sum(budget_idr), count(budget_idr) {LIVE} AND {where}"
        )[0]
        progress, with_progress = _sql(
            store, f"SELECT avg(progress), count(progress) {LIVE} AND {where}"
        )[0]
        assert f'data-budget-count="{with_budget}"' in section
        assert f'data-progress-count="{with_progress}"' in section
        if budget:
            shown_budget = re.search(r'class="budget">IDR ([\d.]+)<', section)
            assert shown_budget and int(shown_budget.group(1).replace(".", "")) == int(budget)
        if progress is not None:
            shown_progress = re.search(r'class="progress">([\d,]+)%<', section)
            assert shown_progress, section
            assert float(shown_progress.group(1).replace(",", ".")) == round(float(progress), 1)

    siap = _section(page, "siap")
    assert _table(siap, "by-status") == {"planned": 1, "in_progress": 1, "done": 1, "cancelled": 0}
    assert "IDR 3.500.000" in siap and "56,7%" in siap  # (0 + 100 + 70) / 3

    created = sum(
        int(n)
        for n in re.findall(
            r'data-month="[^"]+"><td>[^<]+</td>\s*<td><span[^>]*></span> (\d+)', page
        )
    )
    assert created == total  # every live action was created in some month
    assert "Selesai" in page


def test_coverage_equals_the_coverage_gaps(client: TestClient, tokens: Tokens) -> None:
    _write(client, Tokens.header(tokens.planner))
    page = client.get("/strategi").text
    for pillar in ("siap", "sehat", "terhubung"):
        gaps = client.get(f"/coverage-gaps?pilar={pillar}").json()
        summary = gaps.get("classification") or gaps.get("summary") or {}
        section = _section(page, pillar)
        top = int(re.search(r'data-top="(\d+)"', section).group(1))  # type: ignore[union-attr]
        covered = int(re.search(r'data-covered="(\d+)"', section).group(1))  # type: ignore[union-attr]
        assert top - covered == len(gaps["features"]), pillar
        if "top_class_count" in summary:
            assert summary["top_class_count"] == top
        listed = set(re.findall(r'<li data-kode="([\d.]+)">', section))
        assert listed == {f["properties"]["kode"] for f in gaps["features"]}
