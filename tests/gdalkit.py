"""GDAL's command-line tools as the real-client tests run them (``ogrinfo``, ``ogr2ogr``)."""

from __future__ import annotations

import shutil
import subprocess

import pytest


def gdal_tool(tool: str) -> str:
    """The path of a GDAL tool; skips (fails in CI) when gdal-bin is not installed."""
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} not installed (apt-get install gdal-bin)")
    return path


def run_gdal(
    *args: str, timeout: float = 120, debug: bool = False
) -> subprocess.CompletedProcess[str]:
    """Run a GDAL tool with a bounded HTTP time-out (``CPL_DEBUG`` on when ``debug``); asserts
    it exited 0 and returns the finished process (stdout and stderr as text)."""
    done = subprocess.run(
        args,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env={
            "GDAL_HTTP_TIMEOUT": "60",
            "CPL_DEBUG": "ON" if debug else "OFF",
            "PATH": "/usr/bin:/bin",
        },
    )
    assert done.returncode == 0, f"{args[0]} failed: {done.stderr[-2000:]}"
    return done
