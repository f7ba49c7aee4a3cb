"""Alembic environment: runs on the connection handed over by :mod:`geo.actions.db`.

``target_metadata`` is the store's model (:func:`geo.actions.schema.make_tables` for the
connection's dialect), so ``alembic check`` (:func:`geo.actions.db.check_schema`) compares
the migrated database with the model and reports any drift between them.
"""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import text

from geo.actions.schema import make_tables

NOT_THE_MODEL = frozenset({"spatial_ref_sys", "alembic_version"})
"""Tables PostGIS and alembic create themselves: not in the model, so never drift."""


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    """Compare every reflected object except the tables of PostGIS and alembic."""
    return not (type_ == "table" and name in NOT_THE_MODEL)


connection = context.config.attributes["connection"]
# the version table lives in the first schema of the search path, beside the tables
schema = connection.dialect.default_schema_name if connection.dialect.name == "postgresql" else None
context.configure(
    connection=connection,
    target_metadata=make_tables(connection.dialect.name).metadata,
    include_name=include_name,
    compare_type=True,
    render_as_batch=True,
    version_table_schema=schema,
)
with context.begin_transaction():
    if connection.dialect.name == "postgresql":
        # two processes starting at once must not both create the tables
        connection.execute(text("SELECT pg_advisory_xact_lock(7301948)"))
    context.run_migrations()
