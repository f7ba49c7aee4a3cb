"""The migrations and the model agree, on SQLite and on PostGIS, and drift is caught.

Revision 0001 is frozen DDL: a fresh database migrated by it must have exactly the schema the
model (:func:`geo.actions.schema.make_tables`) creates, and ``alembic check``
(:func:`geo.actions.db.check_schema`) must find no difference, and must find one as soon as the
model gains a column that no migration adds.
"""

from __future__ import annotations

import ast
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from actionkit import PG_URL, Backend, _pg_schema_url
from typer.testing import CliRunner

import geo.actions.schema as schema_module
from api.cli import app as cli
from geo.actions.db import MIGRATIONS_DIR, check_schema, create_db_engine, upgrade
from geo.actions.schema import Tables, make_tables
from geo.settings import get_settings

MODEL_TABLES = {
    "actions",
    "action_kelurahan",
    "action_history",
    "api_tokens",
    "flood_fetches",  # migration 0004_flood_feed
    "flood_states",
    "organisations",
    "organisation_aliases",
    "action_comments",
    "organisation_migration",
}


@contextmanager
def _engine(url: str) -> Iterator[sa.Engine]:
    engine = create_db_engine(url)
    try:
        yield engine
    finally:
        engine.dispose()


@contextmanager
def _twin(backend: Backend, tmp_path: Path) -> Iterator[str]:
    """A second fresh, empty database on the same backend."""
    if backend.name == "sqlite":
        yield f"sqlite:///{tmp_path / 'model.sqlite'}"
        return
    assert PG_URL is not None
    schema = f"m_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        yield _pg_schema_url(schema)
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


def _reflected(engine: sa.Engine) -> dict[str, Any]:
    """Every table of the database (but alembic's) as plain data: columns, keys, indexes."""
    insp = sa.inspect(engine)
    out: dict[str, Any] = {}
    for table in sorted(set(insp.get_table_names()) - {"alembic_version", "spatial_ref_sys"}):
        out[table] = {
            "columns": [
                (c["name"], str(c["type"]), c["nullable"], str(c.get("default")))
                for c in insp.get_columns(table)
            ],
            "primary_key": insp.get_pk_constraint(table)["constrained_columns"],
            "foreign_keys": sorted(
                (
                    tuple(f["constrained_columns"]),
                    f["referred_table"],
                    tuple(f["referred_columns"]),
                    (f.get("options") or {}).get("ondelete"),
                )
                for f in insp.get_foreign_keys(table)
            ),
            "unique": sorted(
                (str(u["name"]), tuple(u["column_names"]))
                for u in insp.get_unique_constraints(table)
            ),
            "indexes": sorted(
                (
                    str(i["name"]),
                    tuple(str(c) for c in i["column_names"]),
                    bool(i["unique"]),
                    str(i.get("dialect_options", {}).get("postgresql_using", "")),
                )
                for i in insp.get_indexes(table)
            ),
        }
    return out


def _sqlite_ddl(engine: sa.Engine) -> set[tuple[str, str, str]]:
    """Every CREATE statement SQLite keeps. A table rebuilt by a migration (batch mode: create
    a copy, drop, rename) is stored as ``CREATE TABLE "name"``: SQLite quotes a renamed
    table's name, the one difference that is not the model's, so the quotes are taken off."""
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT type, name, sql FROM sqlite_master WHERE tbl_name != 'alembic_version'"
        ).all()
    return {(r.type, r.name, _unquote_table(r.name, r.sql or "")) for r in rows}


def _unquote_table(name: str, sql: str) -> str:
    return sql.replace(f'CREATE TABLE "{name}" (', f"CREATE TABLE {name} (", 1)


def with_colour(dialect: str) -> Tables:
    """The model plus a column and an index that no migration creates (drift to be caught)."""
    tables = make_tables(dialect)
    tables.actions.append_column(sa.Column("colour", sa.String(16)))
    ak = tables.action_kelurahan
    sa.Index("ix_kode_action", ak.c.kode, ak.c.action_id)
    return tables


def test_revision_0001_is_frozen() -> None:
    """0001 spells out its DDL: it imports nothing of the project, so the model can't change it."""
    tree = ast.parse((MIGRATIONS_DIR / "versions" / "0001_actions.py").read_text())
    modules = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    modules |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert {m.split(".")[0] for m in modules} == {
        "__future__",
        "sqlalchemy",
        "alembic",
        "geoalchemy2",
    }


def test_migrated_schema_is_the_model(backend: Backend, tmp_path: Path) -> None:
    """A fresh database migrated to head has exactly the tables the model creates."""
    with (
        _twin(backend, tmp_path) as model_url,
        _engine(backend.url) as migrated,
        _engine(model_url) as modelled,
    ):
        upgrade(migrated)
        make_tables(modelled.dialect.name).metadata.create_all(modelled)
        got, want = _reflected(migrated), _reflected(modelled)
    assert set(got) == MODEL_TABLES
    for table in sorted(MODEL_TABLES):
        assert got[table] == want[table], table
    if backend.name == "postgis":
        assert ("ix_actions_geom", ("geom",), False, "gist") in got["actions"]["indexes"]
        geom = [c for c in got["actions"]["columns"] if c[0] == "geom"]
        assert geom == [("geom", "geometry(GEOMETRY,4326)", True, "None")]


def test_migrated_sqlite_ddl_is_the_model_word_for_word(tmp_path: Path) -> None:
    """On SQLite the migration issues the very CREATE statements the model would."""
    with (
        _engine(f"sqlite:///{tmp_path / 'migrated.sqlite'}") as migrated,
        _engine(f"sqlite:///{tmp_path / 'model.sqlite'}") as modelled,
    ):
        upgrade(migrated)
        make_tables("sqlite").metadata.create_all(modelled)
        assert _sqlite_ddl(migrated) == _sqlite_ddl(modelled)


def test_alembic_check_finds_no_drift(backend: Backend) -> None:
    """`alembic check` on a migrated database: the model and the migrations agree."""
    with _engine(backend.url) as engine:
        upgrade(engine)
        assert check_schema(engine) == []


def test_alembic_check_catches_a_column_without_a_migration(
    backend: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A column and an index added to the model but to no migration are reported."""
    with _engine(backend.url) as engine:
        upgrade(engine)
        monkeypatch.setattr(schema_module, "make_tables", with_colour)
        assert sorted(check_schema(engine)) == [
            "add_column actions colour",
            "add_index ix_kode_action on action_kelurahan",
        ]
        monkeypatch.undo()
        assert check_schema(engine) == []


def test_db_check_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`ketahanan db check` says ok, and exits 1 naming the drift when there is some."""
    monkeypatch.setenv("KETAHANAN_DATABASE_URL", f"sqlite:///{tmp_path / 'check.sqlite'}")
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        ok = runner.invoke(cli, ["db", "check"])
        assert ok.exit_code == 0, ok.output
        assert "matches the model" in ok.output
        monkeypatch.setattr(schema_module, "make_tables", with_colour)
        drift = runner.invoke(cli, ["db", "check"])
        assert drift.exit_code == 1, drift.output
        assert "add_column actions colour" in drift.output
        assert "add_index ix_kode_action on action_kelurahan" in drift.output
    finally:
        get_settings.cache_clear()
