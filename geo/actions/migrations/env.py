"""Alembic environment: runs on the connection handed over by :func:`geo.actions.db.upgrade`."""

from __future__ import annotations

from alembic import context
from sqlalchemy import text

connection = context.config.attributes["connection"]
# the version table lives in the first schema of the search path, beside the tables
schema = connection.dialect.default_schema_name if connection.dialect.name == "postgresql" else None
context.configure(
    connection=connection,
    target_metadata=None,
    render_as_batch=True,
    version_table_schema=schema,
)
with context.begin_transaction():
    if connection.dialect.name == "postgresql":
        # two processes starting at once must not both create the tables
        connection.execute(text("SELECT pg_advisory_xact_lock(7301948)"))
    context.run_migrations()
