"""Resilience actions: model, validation, the SQLite/PostGIS store, tokens and migrations.

Framework-free: the API in :mod:`api.routes.actions` is a thin adapter over this package.
Open :mod:`geo.actions.store` first: it names the module that owns each concern (tables, SQL,
service logic, tokens, migrations).
"""
