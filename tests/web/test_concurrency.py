"""Many people at once: 50 simultaneous writers against the site under gunicorn (several workers, each with
threads), on a SQLite file or, when the tests run with DATABASE_URL set to PostgreSQL (scripts/test.sh
does, through `python -m careguide.web.pgtemp`), on a fresh database of that server.

Each scenario releases all its requests together and then checks the database itself: every accepted write
is stored once, nothing else is stored, no request failed with a server error, and the limits held.
"""

from __future__ import annotations

import http.client
import json
import os
import sqlite3
import threading
import urllib.parse
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import psycopg
import pytest

from careguide.evaluation.loadtest import gunicorn_site

WRITERS = 50
STORIES_PER_HOUR = 3


@dataclass(frozen=True)
class Site:
    port: int
    database: str
    query: Callable[[str], list[tuple[Any, ...]]]


def _postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    server_url = _postgres_url()
    if server_url is None:
        path = tmp_path_factory.mktemp("concurrency") / "site.sqlite3"
        url, database = f"sqlite:///{path}", "SQLite"

        def query(sql: str) -> list[tuple[Any, ...]]:
            with sqlite3.connect(path) as conn:
                return list(conn.execute(sql))

        cleanup: Callable[[], None] = lambda: None  # noqa: E731 - the file goes with tmp_path
    else:
        name = f"careguide_concurrency_{uuid.uuid4().hex[:8]}"
        admin = psycopg.connect(server_url, autocommit=True)
        admin.execute(f"CREATE DATABASE {name}")  # a name made here
        url = server_url.rsplit("/", 1)[0] + f"/{name}"
        database = "PostgreSQL"

        def query(sql: str) -> list[tuple[Any, ...]]:
            with psycopg.connect(url) as conn:
                return list(conn.execute(sql))

        def cleanup() -> None:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            admin.close()

    env = {
        "CAREGUIDE_TRUSTED_PROXIES": "127.0.0.1",  # so that each simulated person can have an address
        "CAREGUIDE_STORIES_PER_HOUR": str(STORIES_PER_HOUR),
        "CAREGUIDE_API_RATE": "10/minute",
        "CAREGUIDE_LOG_LEVEL": "ERROR",  # 429s are expected here
    }
    try:
        with gunicorn_site(url, workers=4, threads=8, env=env) as port:
            yield Site(port, database, query)
    finally:
        cleanup()


@dataclass(frozen=True)
class Reply:
    status: int
    location: str
    headers: dict[str, str]


def _all_at_once(site: Site, requests: list[tuple[str, str, dict[str, str], str]]) -> list[Reply]:
    """Send every (method, path, headers, body) from its own thread, released together by a barrier."""
    barrier = threading.Barrier(len(requests))
    replies: list[Reply | None] = [None] * len(requests)

    def send(i: int) -> None:
        method, path, headers, body = requests[i]
        conn = http.client.HTTPConnection("127.0.0.1", site.port, timeout=120)
        conn.connect()
        barrier.wait()
        conn.request(method, path, body=body.encode(), headers=headers)
        response = conn.getresponse()
        response.read()
        replies[i] = Reply(response.status, response.getheader("Location") or "", dict(response.getheaders()))
        conn.close()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(requests))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r is not None for r in replies)
    return [r for r in replies if r is not None]


def _form(site: Site, path: str, data: dict[str, str], address: str) -> tuple[str, str, dict[str, str], str]:
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Origin": f"http://127.0.0.1:{site.port}",
        "X-Forwarded-For": address,  # no cookie: each request is a first-time visitor
    }
    return ("POST", path, headers, urllib.parse.urlencode(data))


def _story(n: int) -> dict[str, str]:
    return {"title": f"Story {n}", "body": "Walking helped.", "consent": "on", "website": "", "age_range": ""}


def _report(site: Site, scenario: str, replies: list[Reply], accepted: int, stored: int) -> None:
    errors = sum(r.status >= 500 for r in replies)
    figures = {"database": site.database, "scenario": scenario, "sent": len(replies), "accepted": accepted}
    print(json.dumps(figures | {"stored": stored, "5xx": errors}))  # the figures, with pytest -s


def test_fifty_first_time_visitors_vote_at_once_and_every_vote_is_kept(site: Site) -> None:
    replies = _all_at_once(
        site,
        [
            _form(
                site, "/conditions/muscle_strain/feedback/", {"helpful": "yes", "comment": f"vote {n}"}, f"10.1.0.{n}"
            )
            for n in range(WRITERS)
        ],
    )
    accepted = {f"vote {n}" for n, r in enumerate(replies) if r.status == 302 and "done=feedback#" in r.location}
    rows = site.query("SELECT comment, voter FROM feedback_feedback WHERE condition = 'muscle_strain'")
    _report(site, "votes, 50 addresses", replies, len(accepted), len(rows))
    assert [r.status for r in replies] == [302] * WRITERS
    assert len(accepted) == WRITERS
    assert sorted(c for c, _ in rows) == sorted(accepted)
    assert len({v for _, v in rows}) == WRITERS  # one voter each


def test_fifty_votes_at_once_from_one_address_without_cookies_count_once(site: Site) -> None:
    replies = _all_at_once(
        site,
        [
            _form(site, "/conditions/sciatica/feedback/", {"helpful": "no", "comment": f"vote {n}"}, "10.2.0.1")
            for n in range(WRITERS)
        ],
    )
    accepted = [f"vote {n}" for n, r in enumerate(replies) if r.status == 302 and "done=feedback#" in r.location]
    rows = site.query("SELECT comment FROM feedback_feedback WHERE condition = 'sciatica'")
    _report(site, "votes, one address", replies, len(accepted), len(rows))
    assert all(r.status == 302 for r in replies)
    assert len(accepted) == 1 and [c for (c,) in rows] == accepted


def test_fifty_stories_at_once_from_fifty_addresses_are_all_kept(site: Site) -> None:
    replies = _all_at_once(
        site, [_form(site, "/conditions/sciatica/stories/", _story(n), f"10.3.0.{n}") for n in range(WRITERS)]
    )
    accepted = {f"Story {n}" for n, r in enumerate(replies) if r.status == 302}
    rows = site.query("SELECT title FROM stories_story WHERE title LIKE 'Story %' AND condition = 'sciatica'")
    _report(site, "stories, 50 addresses", replies, len(accepted), len(rows))
    assert [r.status for r in replies] == [302] * WRITERS
    assert sorted(t for (t,) in rows) == sorted(accepted)


def test_fifty_stories_at_once_from_one_address_stop_at_the_limit(site: Site) -> None:
    replies = _all_at_once(
        site, [_form(site, "/conditions/kidney_stone/stories/", _story(n), "10.4.0.1") for n in range(WRITERS)]
    )
    accepted = {f"Story {n}" for n, r in enumerate(replies) if r.status == 302}
    rows = site.query("SELECT title FROM stories_story WHERE condition = 'kidney_stone'")
    _report(site, "stories, one address", replies, len(accepted), len(rows))
    assert sorted(r.status for r in replies) == [302] * STORIES_PER_HOUR + [429] * (WRITERS - STORIES_PER_HOUR)
    assert sorted(t for (t,) in rows) == sorted(accepted)


def test_fifty_api_calls_at_once_from_one_address_stop_at_the_throttle(site: Site) -> None:
    replies = _all_at_once(
        site, [("GET", "/api/search?q=back", {"X-Forwarded-For": "10.5.0.1"}, "") for _ in range(WRITERS)]
    )
    _report(site, "API calls, one address", replies, sum(r.status == 200 for r in replies), 0)
    assert sorted(r.status for r in replies) == [200] * 10 + [429] * (WRITERS - 10)
    assert all(int(r.headers["Retry-After"]) >= 1 for r in replies if r.status == 429)
