"""Rate limits keyed on the client's address (not its cookie), counted atomically, kept no longer than needed."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.http import HttpRequest
from django.test import RequestFactory, override_settings

from careguide.web.limits.models import Counter
from careguide.web.limits.rate import client_address, hit, purge_expired

pytestmark = pytest.mark.django_db


def _request(remote: str = "203.0.113.5", forwarded: str | None = None) -> HttpRequest:
    request = RequestFactory().get("/")
    request.META["REMOTE_ADDR"] = remote
    if forwarded is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return request


def test_without_trusted_proxies_the_forwarded_header_is_ignored() -> None:
    assert client_address(_request("203.0.113.5", "198.51.100.1")) == "203.0.113.5"


@override_settings(CAREGUIDE_TRUSTED_PROXIES=["10.0.0.0/8", "127.0.0.1"])
@pytest.mark.parametrize(
    ("remote", "forwarded", "client"),
    [
        ("127.0.0.1", "198.51.100.1", "198.51.100.1"),
        ("127.0.0.1", "1.2.3.4, 198.51.100.1", "198.51.100.1"),  # the left part is the client's own words
        ("127.0.0.1", "198.51.100.1, 10.1.2.3", "198.51.100.1"),  # two proxies of ours
        ("127.0.0.1", "not-an-address", "127.0.0.1"),
        ("127.0.0.1", "", "127.0.0.1"),
        ("203.0.113.5", "198.51.100.1", "203.0.113.5"),  # not from a trusted proxy: header ignored
    ],
)
def test_behind_a_trusted_proxy_the_nearest_untrusted_forwarded_address_is_the_client(
    remote: str, forwarded: str, client: str
) -> None:
    assert client_address(_request(remote, forwarded)) == client


def test_a_limit_counts_per_address_and_window() -> None:
    a, b = _request("203.0.113.5"), _request("203.0.113.6")
    t = 7200.0 * 1000 + 10  # ten seconds into a window of an hour
    assert [hit(a, "story", 2, 3600, now=t).allowed for _ in range(3)] == [True, True, False]
    assert hit(b, "story", 2, 3600, now=t).allowed  # another address
    assert hit(a, "vote:x", 2, 3600, now=t).allowed  # another limit
    refused = hit(a, "story", 2, 3600, now=t + 5)
    assert not refused.allowed and refused.count == 4 and refused.retry_after == 3600 - 15
    assert hit(a, "story", 2, 3600, now=t + 3600).allowed  # the next window


def test_counters_hold_no_address_and_go_when_their_window_ends() -> None:
    t = 3600.0 * 5000
    hit(_request("203.0.113.5"), "story", 3, 3600, now=t)
    (row,) = Counter.objects.all()
    assert "203.0.113" not in row.key and len(row.key) == 64
    hit(_request("203.0.113.9"), "story", 3, 3600, now=t + 3600)  # the next window: the old counter is gone
    assert Counter.objects.count() == 1
    assert purge_expired() == 1  # run hourly by purge_quiz_sessions
    hit(_request("203.0.113.9"), "story", 3, 3600, now=t)
    call_command("purge_quiz_sessions")
    assert Counter.objects.count() == 0


def test_the_same_address_gets_unrelated_keys_in_two_windows() -> None:
    request = _request("203.0.113.5")
    hit(request, "story", 3, 60, now=6000.0 * 60 + 1)
    first = Counter.objects.get().key
    Counter.objects.all().delete()
    hit(request, "story", 3, 60, now=6001.0 * 60 + 1)
    assert Counter.objects.get().key != first
