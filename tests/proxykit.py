"""Run the repository's nginx configuration (``deploy/nginx.conf``) for tests, on 127.0.0.1.

The file is used as it is, but for the two lines a site changes: the ``listen`` address and
the ``server`` lines of the upstream, set here to free ports of this machine. Everything
else (what is cached, for how long, what is never cached, retries, headers) is the file's.
nginx runs as a child process of the test (``daemon off``) in its own prefix folder, and is
stopped (bounded) when the block ends.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from serverkit import stop, wait_until_up

from geo.settings import PROJECT_ROOT

NGINX = "/usr/sbin/nginx"
CONF = PROJECT_ROOT / "deploy" / "nginx.conf"
START_TIMEOUT_S = 30.0

_LISTEN = re.compile(r"^(\s*)listen 127\.0\.0\.1:8080;$", re.M)
_SERVER = re.compile(r"^(\s*)server 127\.0\.0\.1:800[12] (max_fails=\S+ fail_timeout=\S+);\n", re.M)


def site_conf(listen_port: int, upstream_ports: Sequence[int], text: str | None = None) -> str:
    """``deploy/nginx.conf`` listening on ``listen_port`` in front of ``upstream_ports``."""
    text = CONF.read_text(encoding="utf-8") if text is None else text
    text, listens = _LISTEN.subn(rf"\g<1>listen 127.0.0.1:{listen_port};", text)
    servers = _SERVER.findall(text)
    if listens != 1 or len(servers) != 2:
        raise AssertionError(
            "deploy/nginx.conf must have one `listen 127.0.0.1:8080;` and two upstream "
            f"`server 127.0.0.1:800N ...;` lines (found {listens} and {len(servers)})"
        )
    indent, options = servers[0]
    lines = "".join(f"{indent}server 127.0.0.1:{p} {options};\n" for p in upstream_ports)
    first = _SERVER.search(text)
    assert first is not None
    text = _SERVER.sub("", text)
    return text[: first.start()] + lines + text[first.start() :]


def prefix_dir() -> Path:
    """A fresh nginx prefix folder (with ``logs/``) that nginx's workers can enter."""
    prefix = Path(tempfile.mkdtemp(prefix="ketahanan-nginx-"))
    prefix.chmod(0o755)  # workers run as another user when the master runs as root
    (prefix / "logs").mkdir()
    return prefix


def check_conf(conf: str) -> subprocess.CompletedProcess[str]:
    """``nginx -t`` of ``conf`` in a throwaway prefix."""
    prefix = prefix_dir()
    try:
        path = prefix / "nginx.conf"
        path.write_text(conf, encoding="utf-8")
        return subprocess.run(
            [NGINX, "-t", "-p", f"{prefix}/", "-c", str(path)],
            capture_output=True,
            text=True,
            timeout=30,
        )
    finally:
        shutil.rmtree(prefix, ignore_errors=True)


@contextmanager
def served_proxy(conf: str, listen_port: int, probe: str = "/health") -> Iterator[str]:
    """Run nginx with ``conf`` for the block; yield its base URL once ``probe`` answers 200."""
    prefix = prefix_dir()
    path = prefix / "nginx.conf"
    path.write_text(conf, encoding="utf-8")
    log = prefix / "logs" / "stderr.log"
    with log.open("ab") as out:
        proc = subprocess.Popen(
            [NGINX, "-p", f"{prefix}/", "-c", str(path), "-g", "daemon off;"],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{listen_port}"
    try:
        try:
            wait_until_up(base + probe, proc, log, timeout=START_TIMEOUT_S)
        except RuntimeError as exc:
            raise RuntimeError(f"{exc}\n{_logs(prefix)}") from None
        yield base
    finally:
        stop(proc)  # SIGTERM: nginx's fast shutdown
        shutil.rmtree(prefix, ignore_errors=True)


def _logs(prefix: Path) -> str:
    texts = []
    for name in ("stderr.log", "error.log"):
        path = prefix / "logs" / name
        if path.exists():
            texts.append(path.read_text(errors="replace")[-2000:])
    return "\n".join(texts) or "(no log)"
