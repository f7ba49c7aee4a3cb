"""``ketahanan org``: the organisations that lead and partner in actions and own tokens."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from api.cli_common import action_store as _action_store
from api.cli_common import console, plain
from api.cli_common import errors as _errors
from api.cli_common import settings_or_exit as _settings

org_app = typer.Typer(
    help="Organisations: lead agencies, partners, token owners.", no_args_is_help=True
)


@org_app.command("add")
def org_add(
    name: Annotated[str, typer.Argument(help="The full name, e.g. 'Dinas Sumber Daya Air'.")],
    short: Annotated[str | None, typer.Option("--short", help="Short name, e.g. DSDA.")] = None,
    kind: Annotated[
        str | None, typer.Option("--kind", help="pemerintah or non-pemerintah.")
    ] = None,
    parent: Annotated[
        str | None, typer.Option("--parent", help="The SKPD a UKPD belongs to (name or id).")
    ] = None,
    alias: Annotated[
        list[str] | None, typer.Option("--alias", help="Another spelling (repeatable).")
    ] = None,
) -> None:
    """Add an organisation."""
    settings = _settings()
    with _errors():
        org = _action_store(settings).organisations.add(
            name, short_name=short, kind=kind, parent=parent, aliases=tuple(alias or ())
        )
    console.print(f"[green]ok[/]: added {plain(repr(org.name))} ({org.id})")


@org_app.command("list")
def org_list() -> None:
    """List the organisations: name, short name, kind, parent, id."""
    settings = _settings()
    with _errors():
        orgs = _action_store(settings).organisations.all()
    names = {o.id: o.name for o in orgs}
    table = Table(title="Organisations")
    for col in ("name", "short", "kind", "parent", "id"):
        table.add_column(col)
    for o in orgs:
        parent = names.get(o.parent_id, "") if o.parent_id else ""
        table.add_row(plain(o.name), plain(o.short_name or ""), o.kind or "?", plain(parent), o.id)
    console.print(table)


@org_app.command("rename")
def org_rename(
    name_or_id: Annotated[str, typer.Argument(help="The organisation (any of its names, or id).")],
    new_name: Annotated[str, typer.Argument(help="Its new name (the old one stays an alias).")],
    short: Annotated[str | None, typer.Option("--short", help="A new short name.")] = None,
) -> None:
    """Rename an organisation; its actions show the new name."""
    settings = _settings()
    with _errors():
        org = _action_store(settings).organisations.rename(name_or_id, new_name, short_name=short)
    console.print(f"[green]ok[/]: renamed to {plain(repr(org.name))}")


@org_app.command("merge")
def org_merge(
    source: Annotated[str, typer.Argument(help="The organisation that goes away.")],
    target: Annotated[str, typer.Argument(help="The one it is merged into.")],
) -> None:
    """Merge one organisation into another: names, actions, tokens and comments move over."""
    settings = _settings()
    with _errors():
        org = _action_store(settings).organisations.merge(source, target)
    console.print(f"[green]ok[/]: merged {plain(repr(source))} into {plain(repr(org.name))}")


@org_app.command("migration-report")
def org_migration_report() -> None:
    """What migration 0003 did with each free-text agency: matched, merged, split or new."""
    settings = _settings()
    with _errors():
        rows = _action_store(settings).organisations.migration_report()
    table = Table(title="Free-text agencies → organisations (migration 0003)")
    for col in ("value", "outcome", "organisation", "actions"):
        table.add_column(col)
    for r in rows:
        table.add_row(
            plain(r["value"]), r["outcome"], plain(r["organisation"] or ""), str(r["actions"])
        )
    console.print(table)
    if not rows:
        console.print("the store held no free-text agency when it was migrated")
