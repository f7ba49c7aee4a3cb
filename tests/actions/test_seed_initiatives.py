"""`ketahanan actions seed-initiatives`: the strategy's related initiatives as actions.

Every seeded action is of kind related_initiative and names its source; what the source does
not state stays null; places named as kelurahan are matched to their codes; a second run adds
nothing. On SQLite and on PostGIS, with the real strategy files and the real build.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from actionkit import counts
from typer.testing import CliRunner

from api.cli import app as cli
from geo.actions.initiatives import build_kelurahan, seed_initiatives, timeframe_dates
from geo.actions.records import ActionFilter
from geo.actions.store import ActionStore
from geo.settings import Settings, get_settings
from geo.strategy import load_strategy

YOUTH = "Youth in Action for Urban Resilience di Jakarta Barat dan Timur"
YOUTH_PLACES = {  # Krendang and Duri Utara (Tambora), Pinangsia (Taman Sari), Klender
    "31.73.04.1005",
    "31.73.04.1003",
    "31.73.03.1008",
    "31.75.07.1003",
}


def flat(text: str) -> str:
    """The console's words on one line (rich wraps at the terminal width)."""
    return " ".join(text.split())


def _rows(settings: Settings) -> list[dict[str, str]]:
    path = settings.data_dir / "strategy" / "related_initiatives.csv"
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.realdata
def test_seeding_twice_adds_nothing_and_every_action_names_its_source(
    store: ActionStore, settings: Settings
) -> None:
    strategy = load_strategy(settings.data_dir, settings.catalogue_path)
    kelurahan = build_kelurahan(settings.build_path)
    rows = _rows(settings)
    first = seed_initiatives(store, strategy.initiatives, kelurahan)
    assert len(first.added) == len(rows) == 12 and first.already == []
    after_first = counts(store)
    second = seed_initiatives(store, strategy.initiatives, kelurahan)
    assert second.added == [] and len(second.already) == 12
    assert counts(store) == after_first

    actions, total = store.query(ActionFilter(), limit=None)
    assert total == 12
    by_title = {a.props["title"]: a for a in actions}
    for row in rows:
        action = by_title[row["title_id"]]
        assert action.props["kind"] == "related_initiative"
        assert action.props["source_url"] == row["source_url"].strip()
        assert action.props["status"] is None and action.props["progress"] is None
        # the source's (first) lead agency, as the organisation it names (issue 20)
        lead = row["lead_agency"].split(";")[0].strip()
        org = store.organisations.find(lead) if lead else None
        assert action.props["lead_agency"] == (org.name if org else None)
        assert action.props["lead_org_id"] == (org.id if org else None)
        assert "bukan aksi Strategi" in action.props["description"]
        assert (action.props["pillar"] is None) == (
            row["pilar_stated"].count(";") != 0 or not row["pilar_stated"].strip()
        )
    assert set(by_title[YOUTH].kelurahan) == YOUTH_PLACES
    assert {p.place for p in first.unmatched} >= {"Bantargebang", "Daan Mogot"}
    grand_design = by_title["Desain Besar Sistem Pengelolaan Sampah"]
    assert len(grand_design.kelurahan) == len(kelurahan)  # "DKI Jakarta": the whole province


def test_timeframes() -> None:
    assert timeframe_dates("2018")[0].isoformat() == "2018-01-01"  # type: ignore[union-attr]
    assert [d.isoformat() for d in timeframe_dates("Dec 2020")] == [  # type: ignore[union-attr]
        "2020-12-01",
        "2020-12-31",
    ]
    assert timeframe_dates("late 2019") == (None, None)
    assert timeframe_dates(None) == (None, None)


@pytest.mark.realdata
def test_the_command_says_what_it_did(
    real_build: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KETAHANAN_DATABASE_URL", f"sqlite:///{tmp_path / 'seed.sqlite'}")
    monkeypatch.setenv("KETAHANAN_BUILD_PATH", str(real_build.build_path))
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        first = runner.invoke(cli, ["actions", "seed-initiatives"])
        assert first.exit_code == 0, first.output
        assert "12 related initiatives added, 0 already" in flat(first.output)
        assert "'Bantargebang' -> not matched" in flat(first.output)
        again = runner.invoke(cli, ["actions", "seed-initiatives"])
        assert "0 related initiatives added, 12 already" in flat(again.output)
    finally:
        get_settings.cache_clear()
