"""What every ``ketahanan`` command module shares: the consoles, the plain message on a
:class:`KetahananError`, the settings and the actions store.

The sub-command modules (``api.cli_org``, ``api.cli_flood``) import this, not ``api.cli``, so
``api.cli`` can import them without a cycle (also when a worker process re-runs it as
``__mp_main__``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape

from geo.errors import KetahananError, SettingsError
from geo.settings import Settings, get_settings

console = Console()
err = Console(stderr=True)


def plain(value: object) -> str:
    """``value`` as text that prints as it is: rich markup escaped, lone surrogates shown.

    Arguments and file names are the user's text: ``[/]`` in them would otherwise be read as
    markup (and fail), and bytes that are not UTF-8 reach Python as lone surrogates.
    """
    text = str(value).encode("utf-8", "backslashreplace").decode("utf-8")
    return escape(text)


@contextmanager
def errors() -> Iterator[None]:
    """Turn a :class:`KetahananError` inside the block into a plain message and exit code 2."""
    try:
        yield
    except KetahananError as exc:
        err.print(f"[bold red]error[/] ({exc.code}): {plain(exc.message)}")
        raise typer.Exit(code=2) from None


def settings_or_exit() -> Settings:
    """The settings, or a plain message naming each bad KETAHANAN_* variable."""
    try:
        return get_settings()
    except SettingsError as exc:
        err.print(f"[bold red]error[/] ({exc.code}): {plain(exc.message)}", highlight=False)
        raise typer.Exit(code=2) from None


def action_store(settings: Settings) -> Any:
    """The actions store of ``settings``, migrated to the newest revision."""
    from geo.actions.store import ActionStore

    store = ActionStore.from_settings(settings)
    store.migrate()
    return store
