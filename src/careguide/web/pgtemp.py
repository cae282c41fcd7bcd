"""A throwaway PostgreSQL server for tests and benchmarks: `python -m careguide.web.pgtemp CMD...`.

Creates a cluster in a temporary directory with Debian's PostgreSQL binaries, starts it on a free
loopback port, runs CMD with DATABASE_URL pointing at it, then stops and deletes it. As root, the
server runs as the `postgres` system user (PostgreSQL refuses to run as root).
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["temporary_postgres"]


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if found:
        return found[-1]
    path = shutil.which(name)
    if path is None:
        raise RuntimeError(f"PostgreSQL's {name} was not found: install Debian's postgresql package")
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_owner(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@contextmanager
def temporary_postgres() -> Iterator[str]:
    """Yield the DATABASE_URL of a fresh, empty PostgreSQL server that is deleted afterwards."""
    root = Path(tempfile.mkdtemp(prefix="careguide-pg-"))
    data = root / "data"
    port = _free_port()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
        root.chmod(0o700)
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.PIPE, "check": True}
    try:
        subprocess.run(
            _as_owner([_bin("initdb"), "-D", str(data), "-A", "trust", "-U", "careguide", "-E", "UTF8"]), **quiet
        )  # type: ignore[call-overload]
        options = f"-c listen_addresses=127.0.0.1 -p {port} -k {root} -c fsync=off -c synchronous_commit=off"
        subprocess.run(
            _as_owner([_bin("pg_ctl"), "-D", str(data), "-o", options, "-l", str(root / "log"), "-w", "start"]),
            **quiet,  # type: ignore[call-overload]
        )
        subprocess.run(
            _as_owner([_bin("createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "careguide", "careguide"]), **quiet
        )  # type: ignore[call-overload]
        yield f"postgres://careguide@127.0.0.1:{port}/careguide"
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(
                _as_owner([_bin("pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]),
                check=False,
                capture_output=True,
            )
        shutil.rmtree(root, ignore_errors=True)


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: python -m careguide.web.pgtemp COMMAND [ARGS...]", file=sys.stderr)
        return 2
    with temporary_postgres() as url:
        print(f"temporary PostgreSQL at {url}", file=sys.stderr)
        return subprocess.run(argv, env={**os.environ, "DATABASE_URL": url}, check=False).returncode


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
