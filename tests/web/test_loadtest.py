"""`careguide loadtest` runs the site under gunicorn on a temporary PostgreSQL server and reports figures.

Only that it works is tested; the figures themselves are measured, not asserted (see the README).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from glob import glob

import pytest

needs_postgres = pytest.mark.skipif(
    not glob("/usr/lib/postgresql/*/bin/initdb") and shutil.which("initdb") is None,
    reason="PostgreSQL server binaries are not installed (scripts/test.sh installs them)",
)


@needs_postgres
def test_loadtest_drives_quizzes_through_gunicorn_and_postgres() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "careguide", "loadtest", "--sessions", "12", "--concurrency", "3", "--json"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["sessions"] == 12 and result["errors"] == 0 and result["workers"] == 2
    assert result["requests"] >= 12 and 0 < result["p50_ms"] <= result["p95_ms"] <= result["p99_ms"]
    assert result["requests_per_second"] > 0
