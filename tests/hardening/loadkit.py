"""Helpers of the hardening tests: the load driver of ``benchmarks/load.py``, imported by path.

``benchmarks/`` is not a package; its load driver (live uvicorn server, async clients, RSS
sampling) is shared by the soak test and the fault tests.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def _load_driver() -> ModuleType:
    name = "ketahanan_bench_load"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / "load.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # before exec: its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


load = _load_driver()
