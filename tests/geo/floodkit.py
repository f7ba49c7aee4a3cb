"""Helpers of the flood-feed tests: the 2017 archive snapshots in the live format, and a local
HTTP server on 127.0.0.1 that answers a script, one step per request, then stops by itself.

The live format is PetaBencana's (CogniCity ``/floods``): a FeatureCollection whose areas carry
``area_id``/``geom_id``, ``state`` and ``last_updated`` with its offset. The archive's ``changed``
is local time (UTC+7) without one, so it is given ``+07:00``; nothing else changes.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

SNAPSHOT = re.compile(r"jkt_floods_(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\.geojson$")


def snapshot_files(data_dir: Path) -> dict[str, Path]:
    """The hourly archive files by their local hour (``2017-02-20T00:00:00``)."""
    folder = data_dir / "flood" / "petabencana_2017_02" / "floods"
    out = {}
    for path in sorted(folder.glob("jkt_floods_*.geojson")):
        match = SNAPSHOT.search(path.name)
        if match:
            out[match[1]] = path
    return out


def live_form(path: Path, *, shift_days: int = 0, state: int | None = None) -> bytes:
    """An archive snapshot as the live feed publishes it (optionally made older, or with one
    area's state replaced, for the fault tests)."""
    doc = json.loads(path.read_text())
    for i, feature in enumerate(doc["features"]):
        props = feature["properties"]
        changed = props.pop("changed")
        if shift_days:
            day = int(changed[8:10]) - shift_days
            changed = f"{changed[:8]}{day:02d}{changed[10:]}"
        props["geom_id"] = str(props["geom_id"])
        props["last_updated"] = f"{changed}+07:00"
        if state is not None and i == 0:
            props["state"] = state
    return json.dumps(doc).encode()


def geom_ids(path: Path) -> set[str]:
    """The RW ids of an archive snapshot."""
    return {str(f["properties"]["geom_id"]) for f in json.loads(path.read_text())["features"]}


Step = tuple[str, Any]
"""One answer: ("body", bytes), ("status", code), ("sleep", seconds)."""


@contextmanager
def scripted_server(script: list[Step], *, idle_s: float = 60.0) -> Iterator[str]:
    """Serve ``script`` on 127.0.0.1 (a free port), one step per request; yields the URL.

    Stops when the block ends, or by itself ``idle_s`` after it started (bounded).
    """
    steps = list(script)
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            with lock:
                kind, value = steps.pop(0) if steps else ("status", 404)
            try:
                if kind == "sleep":
                    time.sleep(value)
                    return
                if kind == "status":
                    self.send_response(value)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/geo+json")
                self.send_header("Content-Length", str(len(value)))
                self.end_headers()
                self.wfile.write(value)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    killer = threading.Timer(idle_s, server.shutdown)
    killer.daemon = True
    killer.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/floods?city=jbd&format=geojson"
    finally:
        killer.cancel()
        server.shutdown()
        server.server_close()
        thread.join(5)
