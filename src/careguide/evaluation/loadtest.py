"""Load benchmark: complete quiz sessions through the JSON API of a site running under gunicorn.

The site runs in its own processes (gunicorn, 2 workers by default, PostgreSQL); this process plays
many simulated patients at once, each answering every question from its record until the interview
stops, and times every request.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass

import numpy as np

from careguide.evaluation.simulate import Patient, sample_with_complaint
from careguide.kb.compile import Knowledge

__all__ = ["LoadResult", "drive", "gunicorn_site", "run_load"]


@dataclass(frozen=True)
class LoadResult:
    sessions: int
    requests: int
    errors: int
    seconds: float
    requests_per_second: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    mean_questions: float
    workers: int
    concurrency: int

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def gunicorn_site(
    database_url: str, workers: int, threads: int = 1, env: Mapping[str, str] | None = None
) -> Iterator[int]:
    """Migrate the database and run the site under gunicorn on a free loopback port.

    ``threads`` > 1 runs each worker with that many threads (gunicorn's gthread worker); ``env`` adds
    settings (environment variables) for the site."""
    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="careguide-load-") as data_dir:
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "CAREGUIDE_DATA_DIR": data_dir,
            "CAREGUIDE_DEBUG": "0",
            **(env or {}),
        }
        subprocess.run(
            [sys.executable, "-m", "careguide", "manage", "migrate", "--verbosity", "0"], env=env, check=True
        )
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "careguide.web.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                "--preload",
                "--log-level",
                "warning",
            ],
            env=env,
        )
        try:
            deadline = time.monotonic() + 180  # loading the general pack is slow on a busy machine
            while True:
                try:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                    conn.request("GET", "/api/conditions")
                    if conn.getresponse().status == 200:
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("the site did not start under gunicorn")
                time.sleep(0.2)
            yield port
        finally:
            server.terminate()
            server.wait(timeout=30)


def _session(
    conn: http.client.HTTPConnection, patient: Patient, complaint: str, latencies: list[float]
) -> tuple[int, int]:
    """Play one patient to the end of the interview; returns (questions asked, errors)."""
    evidence: list[dict[str, object]] = []
    for _ in range(60):
        body = json.dumps({"age": patient.age, "sex": patient.sex, "complaint": complaint, "evidence": evidence})
        t0 = time.perf_counter()
        conn.request("POST", "/api/step", body=body, headers={"Content-Type": "application/json"})
        response = conn.getresponse()
        raw = response.read()
        latencies.append(time.perf_counter() - t0)
        if response.status != 200:
            return len(evidence), 1
        step = json.loads(raw)
        if step["should_stop"]:
            return len(evidence), 0
        fid = step["question"]["finding"]
        evidence.append({"finding": fid, "answer": patient.answers[fid]})
    return len(evidence), 1


def drive(
    knowledge: Knowledge, port: int, sessions: int, concurrency: int, seed: int = 0
) -> tuple[list[float], int, list[int]]:
    """Run ``sessions`` simulated quizzes with ``concurrency`` parallel clients."""
    rng = np.random.default_rng(seed)
    work: list[tuple[Patient, str]] = []
    while len(work) < sessions:
        patient, complaint = sample_with_complaint(knowledge, rng)
        if patient.age >= knowledge.pack.min_age:  # the site refuses anyone younger than the pack is written for
            work.append((patient, complaint))
    lock = threading.Lock()
    latencies: list[float] = []
    questions: list[int] = []
    errors = 0

    def worker() -> None:
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        while True:
            with lock:
                if not work:
                    break
                patient, complaint = work.pop()
            asked, failed = _session(conn, patient, complaint, mine)
            with lock:
                questions.append(asked)
                errors += failed
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors, questions


def run_load(
    knowledge: Knowledge, database_url: str, sessions: int = 300, concurrency: int = 8, workers: int = 2
) -> LoadResult:
    # One client address plays every session: the per-address API throttle would measure itself.
    with gunicorn_site(database_url, workers, env={"CAREGUIDE_API_RATE": "off"}) as port:
        drive(knowledge, port, max(4, concurrency), concurrency, seed=99)  # warm-up: imports, connections
        t0 = time.perf_counter()
        latencies, errors, questions = drive(knowledge, port, sessions, concurrency)
        seconds = time.perf_counter() - t0
    lat = np.array(latencies) * 1e3
    return LoadResult(
        sessions=sessions,
        requests=lat.size,
        errors=errors,
        seconds=seconds,
        requests_per_second=lat.size / seconds,
        p50_ms=float(np.percentile(lat, 50)),
        p95_ms=float(np.percentile(lat, 95)),
        p99_ms=float(np.percentile(lat, 99)),
        mean_questions=float(np.mean(questions)),
        workers=workers,
        concurrency=concurrency,
    )
