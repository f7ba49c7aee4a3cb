"""Alembic migrations of the actions store, shipped inside the package."""
