"""Run pytest in a subprocess on a throw-away folder, with ``tests/`` importable.

For the tests of the suite's own hooks (:mod:`ciskip`, :mod:`realdata_guard`): the folder's
conftest imports the hooks, its test files show how the run ends.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

TESTS_DIR = Path(__file__).resolve().parent


def run_pytest(folder: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """``python -m pytest -q`` in ``folder`` with ``env`` (``tests/`` put on PYTHONPATH)."""
    env = {**env, "PYTHONPATH": os.pathsep.join([str(TESTS_DIR), env.get("PYTHONPATH", "")])}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
