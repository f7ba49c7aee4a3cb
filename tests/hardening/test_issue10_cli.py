"""Issue 10, the command line: inputs that gave a stack trace (or hung), now a plain message."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from propkit import cli_environment
from typer.testing import CliRunner

from api.cli import app
from geo.errors import InvalidParameterError
from geo.settings import Settings, get_settings
from geo.user_layers import add_user_layer


@pytest.fixture()
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh actions database and layer registry for the command line."""
    cli_environment(monkeypatch, tmp_path)
    yield tmp_path
    get_settings.cache_clear()


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    return result.exit_code, result.output


@pytest.mark.realdata
def test_layer_add_of_a_folder_is_a_plain_error(
    cli_env: Path, real_build: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder named like a CSV crashed inside pandas (IsADirectoryError)."""
    monkeypatch.setenv("KETAHANAN_BUILD_PATH", str(real_build.build_path))
    get_settings.cache_clear()
    folder = cli_env / "wards.csv"
    folder.mkdir()
    code, out = _run("layer", "add", str(folder), "--indicator", "sehat_clean_water_access")
    assert code == 2, out
    assert "not a regular file" in " ".join(out.split())


@pytest.mark.realdata
def test_layer_add_of_a_named_pipe_returns_at_once(cli_env: Path, real_build: Settings) -> None:
    """A FIFO named like a CSV blocked the command forever; now it is refused unread."""
    fifo = cli_env / "wards.csv"
    os.mkfifo(fifo)
    env = {
        **os.environ,
        "KETAHANAN_USER_LAYERS_PATH": str(cli_env / "ul.json"),
        "KETAHANAN_USER_SCENARIOS_PATH": str(cli_env / "us.json"),
        "KETAHANAN_BUILD_PATH": str(real_build.build_path),
    }
    command = [
        sys.executable,
        "-m",
        "api.cli",
        "layer",
        "add",
        str(fifo),
        "--indicator",
        "sehat_clean_water_access",
    ]
    done = subprocess.run(command, env=env, cwd=cli_env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, done.stderr
    assert "not a regular file" in " ".join((done.stderr + done.stdout).split())


@pytest.mark.parametrize("argument", ["[/]", "[bold red]x[/]", "a [link=x]b"])
def test_rich_markup_in_an_argument_is_printed_as_text(cli_env: Path, argument: str) -> None:
    """Messages echoing an argument were parsed as rich markup: '[/]' raised MarkupError."""
    code, out = _run("layer", "remove", argument)
    assert code == 2
    assert argument in " ".join(out.split())


@pytest.mark.parametrize("command", [["token", "create", "--name"], ["token", "revoke"]])
def test_arguments_that_are_not_utf8_are_a_plain_error(cli_env: Path, command: list[str]) -> None:
    """Bytes that are not UTF-8 reach Python as lone surrogates; the database refused them."""
    code, out = _run(*command, "\udcff\udcfe")
    assert code == 2, out
    assert "UTF-8" in " ".join(out.split())


def test_token_names_with_control_characters_are_refused(cli_env: Path) -> None:
    """A name is recorded on every change its token makes: no terminal escapes in it."""
    code, out = _run("token", "create", "--name", "ana\x1b[31m")
    assert code == 2
    assert "printable" in " ".join(out.split())


def test_serve_port_out_of_range_is_refused_before_start_up(
    cli_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--port 99999 started the app, then crashed in bind(); KETAHANAN_PORT likewise."""
    code, out = _run("serve", "--port", "99999")
    assert code == 2 and "65535" in " ".join(out.split())
    monkeypatch.setenv("KETAHANAN_PORT", "99999")
    get_settings.cache_clear()
    code, out = _run("serve")
    assert code == 2 and "KETAHANAN_PORT" in out


def test_indicator_id_with_a_trailing_newline_is_refused(tmp_path: Path) -> None:
    """The id pattern ended in $, which also matches before a final newline."""
    csv = tmp_path / "wards.csv"
    csv.write_text("kode,value\n31.71.01.1001,0.5\n")
    settings = Settings(user_layers_path=tmp_path / "ul.json", build_path=tmp_path / "x.gpkg")
    with pytest.raises(InvalidParameterError, match="lower-case letters"):
        add_user_layer(csv, "sehat_water\n", settings)
