"""Small JSON registries of planner files: a list of entries in one file, and file checksums.

Used for the planners' depth grids (:mod:`geo.impact.user_scenarios`); a registry is written
to a temporary file and renamed into place, so a crash never leaves half a registry.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from geo.errors import DataError


def sha256_of(path: Path) -> str:
    """The sha256 of a file's bytes, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_entries(path: Path, what: str) -> list[dict[str, Any]]:
    """The entries of a registry file (empty when the file does not exist).

    Raises
    ------
    DataError
        The file is not JSON, or not a JSON list.
    """
    if not path.exists():
        return []
    try:
        entries = json.loads(path.read_text(encoding="utf-8") or "[]")
    except json.JSONDecodeError as exc:
        raise DataError(f"{path} is not valid JSON: {exc}") from exc
    if not isinstance(entries, list):
        raise DataError(f"{path} must hold a JSON list of {what}")
    return entries


def write_entries(path: Path, entries: list[dict[str, Any]]) -> None:
    """Replace a registry file with ``entries`` (written beside it, then renamed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(entries, handle, ensure_ascii=False, indent=1)
    os.replace(tmp, path)
