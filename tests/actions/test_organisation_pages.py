"""The organisation pages (issue 20, point 4), on SQLite and PostGIS, through HTTP.

``/organisasi`` lists every organisation with what it leads and partners in;
``/organisasi/{id}`` counts them by pillar and status (compared with the store asked in SQL),
maps the kelurahan they touch and lists them; a name or a merged organisation's id answers
with a 308 to the current id; the tracker's organisation filter shows the one asked for.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
import sqlalchemy as sa
from actionkit import Tokens, point_feature
from fastapi.testclient import TestClient
from markupsafe import escape

from geo.actions.store import ActionStore

pytestmark = pytest.mark.realdata

ITEMS = "/collections/actions/items"
PLUIT = (106.7909, -6.1094)
GAMBIR = (106.8272, -6.1754)
XSS_TITLE = '<img src=x onerror="alert(1)">Pompa'
SPECS = [  # (title, pillar, status, lead, partners, place)
    (XSS_TITLE, "siap", "in_progress", "BPBD DKI", ["Dinas SDA"], PLUIT),
    ("Tanggul", "siap", "planned", "Dinas SDA", ["BPBD"], PLUIT),
    ("Bank sampah", "sehat", "done", "DLH", ["BPBD Provinsi DKI Jakarta"], GAMBIR),
    ("Halte", "terhubung", "planned", "Dishub", [], GAMBIR),
]


def _seed(client: TestClient, tokens: Tokens) -> None:
    admin = tokens.header(tokens.admin)
    for title, pillar, status, lead, partners, (lon, lat) in SPECS:
        feature = point_feature(
            lon, lat, title=title, pillar=pillar, status=status, lead_agency=lead, partners=partners
        )
        made = client.post(ITEMS, json=feature, headers=admin)
        assert made.status_code == 201, made.text


def _org_id(store: ActionStore, name: str) -> str:
    return store.organisations.lookup(name).id


def _cells(page: str, role: str) -> dict[str, list[int]]:
    start = page.index(f'class="org-pillar-status" data-role="{role}"')
    table = page[start : page.index("</table>", start)]
    rows = re.findall(r'<tr data-pillar="([^"]+)">(.*?)</tr>', table)
    return {k: [int(n) for n in re.findall(r'class="num[^"]*">(\d+)<', cells)] for k, cells in rows}


def test_the_list_counts_what_each_organisation_leads_and_partners_in(
    client: TestClient, tokens: Tokens, store: ActionStore
) -> None:
    _seed(client, tokens)
    page = client.get("/organisasi")
    assert page.status_code == 200
    for name, lead, partner in (("BPBD", 1, 2), ("DSDA", 1, 1), ("DLH", 1, 0), ("Dishub", 1, 0)):
        org_id = _org_id(store, name)
        row = re.search(
            rf'<tr data-id="{org_id}">.*?class="num lead">(\d+)<.*?class="num partner">(\d+)<',
            page.text,
        )
        assert row, name
        assert (int(row.group(1)), int(row.group(2))) == (lead, partner), name
    assert f'href="/organisasi/{_org_id(store, "PAM Jaya")}?lang=id"' in page.text  # none too


def test_one_organisation_by_pillar_and_status_on_a_map(
    client: TestClient, tokens: Tokens, store: ActionStore
) -> None:
    _seed(client, tokens)
    bpbd = _org_id(store, "BPBD")
    page = client.get(f"/organisasi/{bpbd}?lang=en")
    assert page.status_code == 200, page.text
    with store.read() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT pillar, status, lead_org_id = :id FROM actions WHERE deleted = false "
                "AND (lead_org_id = :id OR CAST(partner_org_ids AS TEXT) LIKE :like)"
            ),
            {"id": bpbd, "like": f'%"{bpbd}"%'},
        ).all()
    for role, is_lead in (("lead", True), ("partner", False)):
        expected = Counter((p, s) for p, s, lead in rows if bool(lead) is is_lead)
        cells = _cells(page.text, role)
        statuses = ["planned", "in_progress", "done", "cancelled"]
        for pillar in ("siap", "sehat", "terhubung"):
            want = [expected.get((pillar, s), 0) for s in statuses]
            assert cells[pillar][:4] == want, (role, pillar)
            assert cells[pillar][-1] == sum(want)
    assert "<svg" in page.text and 'class="unit-map org-map"' in page.text
    assert str(escape(XSS_TITLE)) in page.text and XSS_TITLE not in page.text
    assert f'href="/aksi?org={bpbd}&amp;lang=en"' in page.text


def test_names_and_merged_ids_redirect_and_an_unknown_one_is_a_404(
    client: TestClient, store: ActionStore
) -> None:
    bpbd = _org_id(store, "BPBD")
    for ref in ("BPBD", "bpbd dki", "Badan Penanggulangan Bencana Daerah"):
        got = client.get(f"/organisasi/{ref}?lang=en", follow_redirects=False)
        assert got.status_code == 308, ref
        assert got.headers["location"] == f"/organisasi/{bpbd}?lang=en"
    gone = store.organisations.add("Satgas Banjir Sementara", kind="pemerintah")
    store.organisations.merge(gone.id, "BPBD")
    got = client.get(f"/organisasi/{gone.id}", follow_redirects=False)
    assert got.status_code == 308 and got.headers["location"] == f"/organisasi/{bpbd}"
    missing = client.get("/organisasi/Kementerian%20Sihir%20%3Cb%3E")
    assert missing.status_code == 404
    assert "text/html" in missing.headers["content-type"]
    assert "Kementerian Sihir &lt;b&gt;" in missing.text


def test_the_tracker_filter_shows_the_organisation_asked_for(
    client: TestClient, store: ActionStore
) -> None:
    dsda = _org_id(store, "DSDA")
    for ref in (dsda, "Dinas SDA"):
        page = client.get("/aksi", params={"org": ref, "org_role": "partner"}).text
        assert f'<option value="{dsda}" selected>' in page, ref
        assert '<option value="partner" selected>' in page


def test_the_map_is_framed_on_the_mainland_and_counts_the_islands(
    client: TestClient, tokens: Tokens, store: ActionStore
) -> None:
    """Kelurahan of Kepulauan Seribu lie 40 km out at sea: the map frames the city and says
    how many island kelurahan the organisation's actions touch."""
    admin = tokens.header(tokens.admin)
    island = {
        "type": "Feature",
        "geometry": None,
        "properties": {"title": "Air bersih pulau", "pillar": "sehat", "lead_agency": "PAM Jaya"},
    }
    island["properties"]["unit_codes"] = ["31.01.01"]  # kecamatan Kepulauan Seribu Utara
    made = client.post(ITEMS, json=island, headers=admin)
    assert made.status_code == 201, made.text
    islands = len(made.json()["properties"]["kelurahan"])
    assert islands >= 2
    mainland = point_feature(*GAMBIR, title="Pipa Gambir", lead_agency="PAM Jaya")
    assert client.post(ITEMS, json=mainland, headers=admin).status_code == 201
    page = client.get(f"/organisasi/{_org_id(store, 'PAM Jaya')}").text
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert f"Kepulauan Seribu: {islands} kelurahan" in svg
