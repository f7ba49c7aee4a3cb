"""The actions store: the one object the API, the CLI and the collection providers hold.

:class:`ActionStore` is the :class:`~geo.actions.service.ActionService` (create, get, query,
replace, patch, delete, restore, history, import_features, covered_kelurahan,
integrity_problems) wired to one database: it owns the :class:`~geo.actions.db.Database`, the
repositories over it and the migrations. The pieces, each on its own:

- :mod:`geo.actions.schema`: the tables (the model the migrations must match);
- :mod:`geo.actions.db`: engines, connections, migrations and the drift check;
- :mod:`geo.actions.repository`: the SQL;
- :mod:`geo.actions.service`: validation, versions, merge-patch, import, restore, history;
- :mod:`geo.actions.auth`: API tokens (creation, hashing, authentication, revocation).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

from sqlalchemy.engine import Connection, Engine

from geo.actions.comments import Comments
from geo.actions.db import Database, create_db_engine
from geo.actions.organisations import Organisations
from geo.actions.places import Places
from geo.actions.records import PROPERTY_ORDER, Action, ActionFilter
from geo.actions.repository import ActionRepository
from geo.actions.service import ActionService
from geo.actions.token_rows import TokenRepository
from geo.flood.store import FloodFeedStore
from geo.settings import Settings
from geo.snapshot import places_reader

__all__ = ["PROPERTY_ORDER", "Action", "ActionFilter", "ActionStore"]


class ActionStore(ActionService):
    """Actions, their history and the API tokens in one database.

    Parameters
    ----------
    engine : Engine
        From :func:`geo.actions.db.create_db_engine`.
    places, max_vertices, max_import_features
        As for :class:`~geo.actions.service.ActionService`.
    """

    def __init__(
        self,
        engine: Engine,
        places: Callable[[], Places],
        *,
        max_vertices: int = 10_000,
        max_import_features: int = 2_000,
    ) -> None:
        self.database = Database(engine)
        super().__init__(
            ActionRepository(self.database),
            places,
            max_vertices=max_vertices,
            max_import_features=max_import_features,
            organisations=Organisations(self.database),
        )
        self.token_repository = TokenRepository(self.database)
        self.flood = FloodFeedStore(self.database)
        """The fetches of the flood feed (:mod:`geo.flood.store`)."""
        self.comments = Comments(self, self.database)
        self.engine = engine
        self.dialect = self.database.dialect
        self.tables = self.database.tables

    @classmethod
    def from_settings(
        cls, settings: Settings, places: Callable[[], Places] | None = None
    ) -> ActionStore:
        """The store at ``settings.database_url``, checking against ``settings.build_path``
        (or the kelurahan ``places`` gives, e.g. the app's build snapshot)."""
        engine = create_db_engine(
            settings.database_url, busy_timeout_ms=settings.db_busy_timeout_ms
        )
        return cls(
            engine,
            places or places_reader(settings.build_path),
            max_vertices=settings.max_vertices,
            max_import_features=settings.max_import_features,
        )

    def migrate(self) -> None:
        """Bring the database schema up to date (idempotent)."""
        self.database.migrate()

    def read(self) -> AbstractContextManager[Connection]:
        """A connection for reading (503 when the database is unreachable)."""
        return self.database.read()

    def write(self) -> AbstractContextManager[Connection]:
        """A connection in a write transaction, committed on success, rolled back on error."""
        return self.database.write()

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.database.dispose()
