"""Run the real site (`careguide serve`: migrate, collected static files with hashed names, gunicorn) on a
temporary SQLite database in a temporary directory, for the scripts that look at it in a browser
(`screenshots.py`) or measure it (`page_weights.py`). Nothing is left behind when it stops.

    with running_site() as site:
        site.url          # http://127.0.0.1:PORT
        site.database     # path of the SQLite file (to age a quiz, as time would)
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Site", "running_site"]


@dataclass(frozen=True)
class Site:
    url: str
    port: int
    database: Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(port: int, server: subprocess.Popen[bytes], seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds  # loading the general pack takes a while on a busy machine
    while True:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        if server.poll() is not None:
            raise RuntimeError(f"the site stopped while starting (exit code {server.returncode})")
        if time.monotonic() > deadline:
            raise RuntimeError(f"the site did not answer within {seconds:.0f} s")
        time.sleep(0.3)


@contextmanager
def running_site(workers: int = 2, env: Mapping[str, str] | None = None) -> Iterator[Site]:
    """`careguide serve` on a free loopback port and a fresh SQLite database; ``env`` adds settings."""
    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="careguide-site-") as data_dir:
        database = Path(data_dir) / "careguide.sqlite3"
        full_env = {
            **os.environ,
            "CAREGUIDE_DATA_DIR": data_dir,
            "DATABASE_URL": f"sqlite:///{database}",
            "CAREGUIDE_DEBUG": "0",
            # One browser on one address makes every request: the per-address API throttle would get in the way.
            "CAREGUIDE_API_RATE": "off",
            "CAREGUIDE_API_PARSE_RATE": "off",
            **(env or {}),
        }
        command = [sys.executable, "-m", "careguide", "serve", "--port", str(port), "--workers", str(workers)]
        server = subprocess.Popen(command, env=full_env, stdout=subprocess.DEVNULL)
        try:
            _wait(port, server)
            yield Site(f"http://127.0.0.1:{port}", port, database)
        finally:
            server.terminate()  # `careguide serve` execs gunicorn: this is gunicorn's master process
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
