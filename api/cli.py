"""The ``ketahanan`` command line: build, serve, data and layer management.

Every command prints a plain message and exits non-zero on a :class:`KetahananError`, never a
stack trace for bad input.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from api.cli_common import action_store as _action_store
from api.cli_common import console, err, plain
from api.cli_common import errors as _errors
from api.cli_common import settings_or_exit as _settings
from api.cli_flood import flood_app
from api.cli_org import org_app
from geo.settings import Settings

app = typer.Typer(help="Ketahanan: city resilience planning for Jakarta.", no_args_is_help=True)
data_app = typer.Typer(help="The data catalogue: verify files and checksums.", no_args_is_help=True)
layer_app = typer.Typer(help="Planner-loaded indicator layers.", no_args_is_help=True)
app.add_typer(data_app, name="data")
app.add_typer(layer_app, name="layer")
token_app = typer.Typer(help="API bearer tokens for writing actions.", no_args_is_help=True)
db_app = typer.Typer(help="The actions database (SQLite or PostGIS).", no_args_is_help=True)
actions_app = typer.Typer(help="Resilience actions in the actions store.", no_args_is_help=True)
app.add_typer(token_app, name="token")
app.add_typer(db_app, name="db")
app.add_typer(actions_app, name="actions")


@contextmanager
def _step_bar(total: int) -> Iterator[Callable[[str], None]]:
    columns = (
        TextColumn("[bold]{task.description:<22}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=False) as bar:
        task = bar.add_task("build", total=total)
        started = False

        def advance(name: str) -> None:
            nonlocal started
            if started:
                bar.advance(task)
            started = True
            bar.update(task, description=name)

        yield advance
        bar.update(task, completed=total, description="done")


def _print_report(report: dict[str, Any], settings: Settings) -> None:
    table = Table(title="Build report", show_lines=False)
    for col in ("layer", "features", "expected", "note"):
        table.add_column(col)
    for name, count in report["counts"].items():
        expected = report["expected"].get(name)
        flag = "" if expected is None or expected == count else " [yellow]≠[/]"
        table.add_row(
            plain(name),
            f"{count:,}{flag}",
            "" if expected is None else f"{expected:,}",
            plain(report["count_notes"].get(name, "")),
        )
    console.print(table)
    console.print(
        f"repaired geometries: {report['repaired']}; rows set aside: {len(report['set_aside'])}; "
        f"unmatched names: {len(report['unmatched'])}"
    )
    for row in report["set_aside"][:20]:
        console.print(
            f"  set aside ({row['source']}): {row.get('name') or row.get('row')}: {row['reason']}",
            markup=False,
        )
    if report["unmatched"]:
        names = ", ".join(f"{u['name']} ({u['source']})" for u in report["unmatched"][:30])
        console.print(f"  unmatched: {names}", markup=False)
    links = report["checks"].get("rw_links", {})
    if links:
        console.print(
            f"RW links: {links['linked_both_agree']:,} of {links['rw']:,} agree by space and name "
            f"({links['share_agree']:.1%})"
        )
    timings = ", ".join(f"{k} {v:.1f}s" for k, v in report["timings_s"].items())
    console.print(f"timings: {timings}")
    console.print(f"peak memory (RSS of this process): {report['peak_rss_mb']} MB")
    console.print(
        f"[green]written[/] {plain(settings.build_path)} and {plain(settings.report_path)}"
    )


def run_build_with_progress(settings: Settings, *, verify: bool = True) -> dict[str, Any]:
    """Run the build with a progress bar and print its report."""
    from geo.build import BUILD_STEPS, run_build

    with _step_bar(len(BUILD_STEPS) + 1) as advance:
        report = run_build(settings, verify=verify, progress=advance)
    data = report.to_dict()
    _print_report(data, settings)
    return data


@app.command()
def build(
    no_verify: Annotated[
        bool, typer.Option("--no-verify", help="Read files even if their checksum changed.")
    ] = False,
) -> None:
    """Build every layer into the GeoPackage at KETAHANAN_BUILD_PATH, with a report."""
    settings = _settings()
    with _errors():
        run_build_with_progress(settings, verify=not no_verify)


@app.command()
def serve(
    host: Annotated[
        str | None, typer.Option(help="Address to bind (default from settings).")
    ] = None,
    port: Annotated[
        int | None, typer.Option(min=1, max=65535, help="Port (default from settings).")
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1, max=64, help="Worker processes (default KETAHANAN_WORKERS, 1); all agree."
        ),
    ] = None,
) -> None:
    """Serve the web app and API; builds first when no build output exists.

    With ``--workers N`` uvicorn runs N processes on the one port. They share no memory and
    need none: actions and tokens are read from the database on every request, and each
    process serves the build file as it is on disk (see deploy/README.md).
    """
    import uvicorn

    settings = _settings()
    with _errors():
        if not settings.build_path.exists():
            console.print(f"no build at {plain(settings.build_path)}: building first")
            run_build_with_progress(settings)
    uvicorn.run(
        "api.app:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers or settings.workers,
        proxy_headers=True,
        forwarded_allow_ips=settings.forwarded_allow_ips,
        timeout_keep_alive=settings.keep_alive_seconds,
        log_level="info",
    )


@data_app.command("verify")
def data_verify() -> None:
    """Check that every catalogued file exists and has its recorded sha256."""
    from geo.catalogue import load_catalogue, verify

    settings = _settings()
    with _errors():
        catalogue = load_catalogue(settings.catalogue_path)
        total = sum(len(s.files) for s in catalogue.sources)
        with Progress(
            TextColumn("verify"), BarColumn(), MofNCompleteColumn(), console=console
        ) as bar:
            task = bar.add_task("verify", total=total)
            result = verify(catalogue, settings.data_dir, progress=lambda _p: bar.advance(task))
    for path in result.missing:
        err.print(f"[red]missing[/]  {plain(path)}")
    for path, expected, actual in result.changed:
        err.print(f"[red]changed[/]  {plain(path)}: expected sha256 {expected}, found {actual}")
    if not result.ok:
        err.print(
            f"{len(result.missing)} missing and {len(result.changed)} changed of "
            f"{result.checked} files in {settings.data_dir}"
        )
        raise typer.Exit(code=1)
    console.print(f"[green]ok[/]: {result.checked} files verified in {plain(settings.data_dir)}")


@data_app.command("checksums")
def data_checksums(
    write: Annotated[bool, typer.Option("--write", help="Write the new checksums.")] = False,
) -> None:
    """Recompute the catalogue's file list and checksums from the data folder."""
    from geo.catalogue import dump_catalogue, load_catalogue, refresh_checksums, write_catalogue

    settings = _settings()
    with _errors():
        catalogue = load_catalogue(settings.catalogue_path)
        refreshed = refresh_checksums(catalogue, settings.data_dir)
        if write:
            write_catalogue(refreshed, settings.catalogue_path)
            console.print(f"written {plain(settings.catalogue_path)}")
        else:
            # plain text, not rich: the console would wrap long lines and break the JSON
            typer.echo(dump_catalogue(refreshed), nl=False)


@layer_app.command("add")
def layer_add(
    path: Annotated[
        Path,
        typer.Argument(
            help="CSV keyed by kelurahan code or name, or a polygon layer; with --scenario a "
            "flood depth grid (GeoTIFF or ESRI ASCII with its .prj, depths in metres)."
        ),
    ],
    indicator: Annotated[
        str | None, typer.Option("--indicator", help="Indicator id, e.g. sehat_clean_water_access.")
    ] = None,
    scenario: Annotated[
        str | None,
        typer.Option("--scenario", help="Impact scenario id for a depth grid, e.g. tanggul_2030."),
    ] = None,
    key_column: Annotated[
        str | None, typer.Option(help="Column holding the kelurahan code or name.")
    ] = None,
    value_column: Annotated[str | None, typer.Option(help="Column holding the value.")] = None,
    name_id: Annotated[str | None, typer.Option(help="Scenario name in Bahasa Indonesia.")] = None,
    name_en: Annotated[str | None, typer.Option(help="Scenario name in English.")] = None,
    date: Annotated[str | None, typer.Option(help="When the scenario's grid describes.")] = None,
) -> None:
    """Load a planner's real layer as an indicator, or a depth grid as an impact scenario."""
    settings = _settings()
    if (indicator is None) == (scenario is None):
        err.print(
            "[bold red]error[/] (invalid_parameter): give exactly one of --indicator or --scenario"
        )
        raise typer.Exit(code=2)
    if scenario is not None:
        from geo.impact.user_scenarios import add_user_scenario

        with _errors():
            entry = add_user_scenario(
                path, scenario, settings, name_id=name_id, name_en=name_en, hazard_date=date
            )
        console.print(
            f"[green]registered[/] {plain(path)} as scenario {plain(scenario)}: {plain(entry)}"
        )
        console.print(
            "run `ketahanan build` to compute its impact (dampak_" + plain(scenario) + ")"
        )
        return
    from geo.user_layers import add_user_layer

    assert indicator is not None
    with _errors():
        entry = add_user_layer(path, indicator, settings, key=key_column, value_column=value_column)
    console.print(f"[green]registered[/] {plain(path)} as {plain(indicator)}: {plain(entry)}")
    console.print("run `ketahanan build` to use it in the scores")


@layer_app.command("list")
def layer_list() -> None:
    """List the planner-loaded layers and scenarios the next build will use."""
    from geo.impact.user_scenarios import list_user_scenarios
    from geo.user_layers import list_user_layers

    settings = _settings()
    with _errors():
        for entry in list_user_layers(settings):
            console.print(plain(entry))
        for entry in list_user_scenarios(settings):
            console.print(plain({"kind": "scenario", **entry}))


@layer_app.command("remove")
def layer_remove(
    indicator: Annotated[str, typer.Argument(help="Indicator or scenario id to unregister.")],
) -> None:
    """Unregister a planner-loaded layer or scenario."""
    from geo.errors import NotFoundError
    from geo.impact.user_scenarios import list_user_scenarios, remove_user_scenario
    from geo.user_layers import remove_user_layer

    settings = _settings()
    with _errors():
        if any(e.get("scenario_id") == indicator for e in list_user_scenarios(settings)):
            remove_user_scenario(settings, indicator)
            console.print(f"removed scenario {plain(indicator)}")
            return
        try:
            remove_user_layer(settings, indicator)
        except NotFoundError as exc:
            raise NotFoundError(
                f"no planner layer or scenario is registered as '{indicator}'"
            ) from exc
    console.print(f"removed {plain(indicator)}")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the actions tables at KETAHANAN_DATABASE_URL."""
    from geo.actions.db import current_revision, redact_url

    settings = _settings()
    with _errors():
        store = _action_store(settings)
        revision = current_revision(store.engine)
    console.print(f"[green]ok[/]: {redact_url(settings.database_url)} at revision {revision}")


@db_app.command("check")
def db_check() -> None:
    """Migrate, then run `alembic check`: exit 1 when the model and the migrations differ."""
    from geo.actions.db import check_schema, redact_url

    settings = _settings()
    with _errors():
        store = _action_store(settings)
        drift = check_schema(store.engine)
        store.dispose()
    if drift:
        for line in drift:
            err.print(f"[bold red]drift[/]: {line}")
        err.print("the tables in geo/actions/schema.py need a new migration in migrations/versions")
        raise typer.Exit(code=1)
    console.print(f"[green]ok[/]: {redact_url(settings.database_url)} matches the model")


@token_app.command("create")
def token_create(
    name: Annotated[str, typer.Option("--name", help="Who uses it; recorded on every change.")],
    role: Annotated[str, typer.Option("--role", help="viewer, planner or admin.")] = "planner",
    org: Annotated[
        str | None, typer.Option("--org", help="The organisation it acts for (name or id).")
    ] = None,
) -> None:
    """Create a bearer token and print it once (only its hash is stored)."""
    from geo.actions.auth import create_token

    settings = _settings()
    with _errors():
        store = _action_store(settings)
        org_id = store.organisations.lookup(org).id if org else None
        secret, token = create_token(store, name, role, org_id)
    of = f", organisation {plain(repr(org))}" if org else ""
    err.print(
        f"created token {plain(repr(token.name))} (role {token.role}{of}, id {token.id}); "
        "store it now, it is not shown again:"
    )
    print(secret)


@token_app.command("revoke")
def token_revoke(
    name_or_id: Annotated[str, typer.Argument(help="The token's name or id.")],
) -> None:
    """Revoke a token; requests with it get 401 from now on."""
    from geo.actions.auth import revoke_token

    settings = _settings()
    with _errors():
        token = revoke_token(_action_store(settings), name_or_id)
    console.print(f"revoked token {plain(repr(token.name))} ({token.id})")


@token_app.command("list")
def token_list() -> None:
    """List tokens: name, role, created, revoked (never the secrets)."""
    from geo.actions.auth import list_tokens

    settings = _settings()
    with _errors():
        tokens = list_tokens(_action_store(settings))
    table = Table(title="API tokens")
    for col in ("name", "role", "id", "created", "revoked"):
        table.add_column(col)
    for t in tokens:
        table.add_row(plain(t.name), str(t.role), t.id, str(t.created_at), str(t.revoked_at or ""))
    console.print(table)


@actions_app.command("seed-initiatives")
def actions_seed_initiatives() -> None:
    """Load the strategy's related initiatives as actions (kind related_initiative); idempotent."""
    from geo.actions.initiatives import build_kelurahan, seed_initiatives
    from geo.strategy import load_strategy

    settings = _settings()
    with _errors():
        strategy = load_strategy(settings.data_dir, settings.catalogue_path)
        kelurahan = build_kelurahan(settings.build_path)
        store = _action_store(settings)
        report = seed_initiatives(store, strategy.initiatives, kelurahan)
        store.dispose()
    console.print(
        f"[green]ok[/]: {len(report.added)} related initiatives added, "
        f"{len(report.already)} already in the store (none is a strategy action)"
    )
    for place in report.places:
        where = place.code or "not matched"
        console.print(f"  {place.initiative[:48]}: {place.place!r} -> {where} ({place.status})")
    if report.unmatched:
        console.print(f"{len(report.unmatched)} named places are not a kelurahan of the build")


app.add_typer(org_app, name="org")
app.add_typer(flood_app, name="flood")

if __name__ == "__main__":  # pragma: no cover
    app()
