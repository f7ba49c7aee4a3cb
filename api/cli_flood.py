"""``ketahanan flood``: ingest a flood-state feed once, or follow it on a timer."""

from __future__ import annotations

import logging
import threading
import time
from typing import Annotated

import typer

from api.cli_common import action_store as _action_store
from api.cli_common import console, err, plain
from api.cli_common import errors as _errors
from api.cli_common import settings_or_exit as _settings
from geo.flood.store import FetchRecord

flood_app = typer.Typer(
    help="The flood-state feed (PetaBencana format): ingest once or follow.", no_args_is_help=True
)


def _print(record: FetchRecord) -> None:
    when = record.fetched_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    if record.ok:
        console.print(
            f"[green]ok[/] fetch {record.id} at {when}: {record.areas} areas, "
            f"{record.matched} matched to RWs"
        )
        if record.unmatched:
            err.print(
                f"  unmatched ids ({len(record.unmatched)}): {plain(', '.join(record.unmatched))}"
            )
    else:
        err.print(
            f"[bold red]failed[/] fetch {record.id} at {when}: {plain(record.error)}; "
            "the last good state stays served"
        )


@flood_app.command("ingest")
def flood_ingest(
    source: Annotated[str, typer.Argument(help="Feed file or http(s) URL.")],
) -> None:
    """Fetch the feed once and store the fetch (exit 1 when it was not a good state)."""
    from geo.flood.follower import rw_index_of_build
    from geo.flood.ingest import ingest

    settings = _settings()
    with _errors():
        index = rw_index_of_build(settings.build_path)
        store = _action_store(settings)
        record = ingest(store.flood, index, source, timeout=settings.flood_feed_timeout_seconds)
        store.dispose()
    _print(record)
    if not record.ok:
        raise typer.Exit(code=1)


@flood_app.command("follow")
def flood_follow(
    url: Annotated[str, typer.Argument(help="Feed URL (or file).")],
    every: Annotated[
        str, typer.Option("--every", help="Time between fetches: 30s, 5m, 1h.")
    ] = "5m",
    times: Annotated[
        int | None, typer.Option("--times", min=1, help="Stop after this many fetches.")
    ] = None,
    for_: Annotated[
        str | None, typer.Option("--for", help="Stop after this long: 30m, 2h.")
    ] = None,
) -> None:
    """Fetch now and every --every until --times, --for or Ctrl-C; each fetch is logged."""
    from geo.flood.follower import parse_duration, rw_index_of_build, sqlite_path
    from geo.flood.ingest import follow, follower_lock, ingest

    settings = _settings()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    with _errors():
        seconds = parse_duration(every)
        limit = None if for_ is None else parse_duration(for_, what="--for")
        index = rw_index_of_build(settings.build_path)
        store = _action_store(settings)
    stop = threading.Event()
    if limit is not None:
        timer = threading.Timer(limit, stop.set)
        timer.daemon = True
        timer.start()
    started = time.monotonic()
    try:
        with follower_lock(store.engine, sqlite_path(store.engine)) as mine:
            if not mine:
                err.print("another process already follows the feed of this database")
                raise typer.Exit(code=1)
            follow(
                lambda: ingest(
                    store.flood, index, url, timeout=settings.flood_feed_timeout_seconds
                ),
                seconds,
                times=times,
                stop=stop,
                report=_print,
            )
    except KeyboardInterrupt:
        err.print("stopped")
    finally:
        stop.set()
        store.dispose()
    console.print(f"followed {plain(url)} for {time.monotonic() - started:.0f} s")
