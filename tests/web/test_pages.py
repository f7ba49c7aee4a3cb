"""The planner pages without a browser: offline assets, catalogue, routes, escaping."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from geo.settings import Settings
from geo.vocabulary import K_DEFAULT, ScoreStatus, Status
from web import vendor_assets
from web.assets import (
    MAP_PAGE_JS,
    OGC_MAP_JS,
    PROFILE_JS,
    RANKING_JS,
    STATIC_DIR,
    TRACKER_JS,
    module_urls,
)
from web.i18n import LANGUAGES, Translator, catalogue
from web.pages import REPLAY_PAGE_STRINGS, script_vocabulary
from web.params import CLASSIFICATIONS, K_RANGE, LEVELS, PILLARS
from web.render import json_for_script

JS_DIR = STATIC_DIR / "js"
CLASSIC_SCRIPTS = {"draw-locale.js"}
"""Scripts that are not modules: draw-locale.js must run before folium's inline map script."""
EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["'](https?:)?//""", re.IGNORECASE)
OSM = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"


@pytest.fixture(scope="module")
def web_client(
    real_build: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    tmp = tmp_path_factory.mktemp("pages")
    settings = real_build.model_copy(
        update={"database_url": f"sqlite:///{tmp / 'a.sqlite'}", "basemap_url": "none"}
    )
    with TestClient(create_app(settings)) as client:
        yield client


def test_vendored_assets_match_their_manifest() -> None:
    assert vendor_assets.check() == []
    manifest = vendor_assets.load_manifest()
    names = {p["package"] for p in manifest["packages"]}
    assert {"leaflet", "leaflet-draw", "leaflet.markercluster", "leaflet.fullscreen"} <= names
    for pkg in manifest["packages"]:
        assert pkg["integrity"].startswith("sha512-")
        assert pkg["licence"]


def test_catalogues_have_the_same_keys() -> None:
    ids = set(catalogue("id"))
    for lang in LANGUAGES:
        assert set(catalogue(lang)) == ids
    assert Translator("en")("legend.no_data") == "No data"
    assert Translator("xx")("legend.no_data") == "Tidak ada data"


def test_config_json_cannot_close_its_script_element() -> None:
    text = json_for_script({"title": "</script><script>alert(1)</script>"})
    assert "</script>" not in text
    assert json.loads(text)["title"] == "</script><script>alert(1)</script>"


def page_config(html: str) -> dict[str, object]:
    found = re.search(r'id="ketahanan-config">(.*?)</script>', html, re.S)
    assert found is not None
    config: dict[str, object] = json.loads(found.group(1))
    return config


def test_every_page_module_belongs_to_a_page() -> None:
    """Each module in web/static/js is loaded by one of the pages (none is stale)."""
    modules = {p.name for p in JS_DIR.glob("*.js")} - CLASSIC_SCRIPTS
    entries = (MAP_PAGE_JS, PROFILE_JS, TRACKER_JS, RANKING_JS, OGC_MAP_JS)
    reached = {
        url.rsplit("/", 1)[1] for entry in entries for url in module_urls(entry, dynamic=True)
    }
    assert reached == modules
    assert module_urls(MAP_PAGE_JS)[0] == MAP_PAGE_JS
    for path in JS_DIR.glob("*.js"):
        lines = path.read_text(encoding="utf-8").splitlines()
        assert lines[0].startswith("/*"), f"{path.name} starts with its header comment"
        assert len(lines) < 250, f"{path.name} is {len(lines)} lines"


def test_scripts_spell_no_vocabulary_and_no_colour() -> None:
    """Pillars, levels, methods and statuses, and every colour, come from the page config."""
    words = [*PILLARS, *LEVELS, *CLASSIFICATIONS, *(str(s) for s in Status)]
    words += [str(s) for s in ScoreStatus]
    quoted = re.compile("[\"'`](" + "|".join(words) + ")[\"'`]")
    colour = re.compile(r"#[0-9a-fA-F]{3,8}\b")
    for path in JS_DIR.glob("*.js"):
        text = path.read_text(encoding="utf-8")
        assert quoted.findall(text) == [], path.name
        assert colour.findall(text) == [], path.name
        assert "classOf" not in text


def test_script_vocabulary() -> None:
    vocabulary = script_vocabulary(Translator("en"))
    assert [w["id"] for w in vocabulary["pillars"]] == list(PILLARS)
    assert [w["id"] for w in vocabulary["levels"]] == list(LEVELS)
    assert [w["id"] for w in vocabulary["classifications"]] == list(CLASSIFICATIONS)
    assert [w["id"] for w in vocabulary["statuses"]] == [str(s) for s in Status]
    assert vocabulary["status_default"] == "planned"
    assert vocabulary["k"] == {"min": K_RANGE[0], "max": K_RANGE[1], "default": K_DEFAULT}
    assert vocabulary["statuses"][1]["label"] == catalogue("en")["status.in_progress"]
    assert [w["id"] for w in vocabulary["roles"]] == ["viewer", "planner", "admin"]


@pytest.mark.realdata
def test_pages_load_their_modules_preloaded_and_as_javascript(web_client: TestClient) -> None:
    pages = (
        ("/peta", MAP_PAGE_JS),
        ("/kelurahan/31.71.01.1001", PROFILE_JS),
        ("/aksi", TRACKER_JS),
        ("/peringkat", RANKING_JS),
    )
    for url, entry in pages:
        html = web_client.get(url).text
        assert f'<script type="module" src="{entry}"></script>' in html
        preloaded = re.findall(r'<link rel="modulepreload" href="([^"]+)"', html)
        assert [entry, *preloaded] == list(module_urls(entry))
        for module in module_urls(entry):
            response = web_client.get(module)
            assert response.status_code == 200, module
            # a browser refuses a module served with any other type (nosniff is on)
            assert response.headers["content-type"].startswith("text/javascript"), module
    ramps = page_config(web_client.get("/peta").text)["styles"]["ramps"]  # type: ignore[index]
    assert sorted(ramps, key=int) == [str(n) for n in range(1, K_RANGE[1] + 1)]  # type: ignore[arg-type]
    for n, ramp in ramps.items():  # type: ignore[attr-defined]
        assert len(ramp) == int(n) and len(set(ramp)) == int(n)


@pytest.mark.realdata
@pytest.mark.parametrize("pillar", ["siap", "sehat", "terhubung"])
def test_map_page_loads_nothing_from_the_internet(web_client: TestClient, pillar: str) -> None:
    response = web_client.get(f"/peta?pilar={pillar}")
    assert response.status_code == 200
    html = response.text
    assert EXTERNAL.findall(html) == []
    assert "cdn" not in html.lower()
    # The data come from the API; the page itself stays small.
    assert len(response.content) < 60_000
    assert '"FeatureCollection"' not in html


@pytest.mark.realdata
def test_only_the_basemap_url_is_external(
    real_build: Settings, tmp_path_factory: pytest.TempPathFactory
) -> None:
    tmp = tmp_path_factory.mktemp("osm")
    settings = real_build.model_copy(
        update={"database_url": f"sqlite:///{tmp / 'a.sqlite'}", "basemap_url": OSM}
    )
    with TestClient(create_app(settings)) as client:
        html = client.get("/peta").text
    assert EXTERNAL.findall(html) == []
    urls = set(re.findall(r"https?://[^\"'\s)]+", html))
    assert urls == {OSM}


@pytest.mark.realdata
def test_every_asset_the_page_names_is_served(web_client: TestClient) -> None:
    html = web_client.get("/peta?pilar=terhubung").text
    paths = re.findall(r"""(?:src|href)=["'](/static/[^"']+)""", html)
    assert len(paths) >= 8
    for path in paths:
        assert web_client.get(path).status_code == 200, path


@pytest.mark.realdata
def test_page_parameters(web_client: TestClient) -> None:
    html = web_client.get("/peta?pilar=sehat&tingkat=kecamatan&klasifikasi=fisher_jenks&k=4").text
    config = json.loads(
        re.search(r'id="ketahanan-config">(.*?)</script>', html, re.S).group(1)  # type: ignore[union-attr]
    )
    assert (config["pillar"], config["level"], config["classification"], config["k"]) == (
        "sehat",
        "kecamatan",
        "fisher_jenks",
        4,
    )
    assert config["indicator"]["id"] == "score_sehat"
    # every string but the impact map's (sent only to the Dampak map, test_impact_pages) and
    # the flood replay's (sent with its document, tests/api/test_replay_route.py) but its button's,
    # and those only the server's templates read (strategy, report, comparison)
    assert config["strings"] == {
        k: v
        for k, v in catalogue("id").items()
        if (not k.startswith(("impact.", "replay.")) or k in REPLAY_PAGE_STRINGS)
        and not k.startswith(("strategy.", "report.", "compare."))
    }
    assert set(config["groups"]["overlays"]) == {"slum_rw"}
    bad = web_client.get("/peta?pilar=<script>")
    assert bad.status_code == 400
    assert "<script>" not in bad.text.split("<main")[1]
    assert web_client.get("/peta?k=99").status_code == 400
    assert web_client.get("/peta?indikator=terhubung_tj_stops&pilar=siap").status_code == 400


@pytest.mark.realdata
def test_root_sends_browsers_to_the_map(web_client: TestClient) -> None:
    browser = web_client.get(
        "/", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}, follow_redirects=False
    )
    assert browser.status_code == 303
    assert browser.headers["location"] == "/peta"
    assert web_client.get("/", headers={"Accept": "application/json"}).json()["title"]
    assert web_client.get("/?f=json", headers={"Accept": "text/html"}).status_code == 200


@pytest.mark.realdata
def test_profile_page(web_client: TestClient) -> None:
    response = web_client.get("/kelurahan/31.73.03.1007?lang=en")
    assert response.status_code == 200
    html = response.text
    assert "Glodok" in html
    assert 'lang="en"' in html
    ranked = web_client.get("/collections/kelurahan/items", params={"limit": 1000}).json()
    full = [f for f in ranked["features"] if f["properties"]["rank_siap"] is not None]
    assert f"of {len(full)}" in html  # ranked among the full scores only
    assert "/collections/kelurahan/items/31.73.03.1007?f=gpkg" in html
    assert "siap_flood_share_2007" in html
    assert EXTERNAL.findall(html) == []


@pytest.mark.realdata
def test_unknown_kelurahan_is_a_friendly_escaped_404(web_client: TestClient) -> None:
    response = web_client.get("/kelurahan/<img src=x onerror=alert(1)>")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "Tidak ditemukan" in response.text
    assert "<img src=x" not in response.text
    assert "&lt;img src=x onerror=alert(1)&gt;" in response.text


@pytest.mark.realdata
def test_profile_numbers_follow_the_language(web_client: TestClient) -> None:
    """Bahasa Indonesia writes 11.011.862 and 0,39; English 11,011,862 and 0.39."""
    kel = web_client.get("/collections/kelurahan/items/31.71.01.1001").json()["properties"]
    population = int(kel["population"])
    score = f"{kel['score_siap']:.2f}"
    page_id = web_client.get("/kelurahan/31.71.01.1001").text
    page_en = web_client.get("/kelurahan/31.71.01.1001", params={"lang": "en"}).text
    assert f"{population:,}".replace(",", ".") in page_id
    assert f"{population:,}" in page_en
    assert score.replace(".", ",") in page_id and score in page_en


@pytest.mark.realdata
def test_profile_shows_rank_interval_drivers_partial_and_dates(web_client: TestClient) -> None:
    """'peringkat 12 (8-19)', a bar per driver, a partial score apart, the date of each input."""
    glodok = web_client.get("/collections/kelurahan/items/31.73.03.1007").json()["properties"]
    html = web_client.get("/kelurahan/31.73.03.1007").text
    rank, p05, p95 = (int(glodok[f"rank_siap{s}"]) for s in ("", "_p05", "_p95"))
    assert p05 <= rank <= p95 or p05 <= glodok["rank_siap_p50"] <= p95
    assert f'<span class="rank">{rank} dari' in html
    assert f"({p05}–{p95})" in html
    siap = html[html.index('<figure class="profile-drivers" data-pillar="siap">') :]
    siap = siap[: siap.index("</figure>")]
    contributions = [
        k for k, v in glodok.items() if k.startswith("contribution_siap") and v is not None
    ]
    assert siap.count('class="driver-bar"') == len(contributions) > 1
    assert "Tanggal data" in html and "2021-08-28" in html and "LRT Jabodebek" in html
    # an island of Kepulauan Seribu: Sehat rests on waste banks alone, a partial score, unranked
    items = web_client.get("/collections/kelurahan/items", params={"limit": 1000}).json()
    island = next(
        f["properties"]
        for f in items["features"]
        if f["properties"]["kode"].startswith("31.01.")
        and f["properties"]["score_sehat_status"] == str(ScoreStatus.partial)
    )
    assert island["score_sehat"] is None and island["rank_sehat"] is None
    page = web_client.get(f"/kelurahan/{island['kode']}").text
    row = page[page.index('<tr data-pillar="sehat"') :]
    row = row[: row.index("</tr>")]
    assert 'data-status="partial"' in row and "score-partial" in row
    assert "tidak diperingkat" in row and "Masukan tanpa data" in row
