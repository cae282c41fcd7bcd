"""Rate limits that a client cannot get round by dropping its cookie, counted atomically.

A limit counts requests per client address in fixed windows (``limit`` per ``window`` seconds). The count
is one SQL statement (``INSERT ... ON CONFLICT DO UPDATE ... RETURNING``), so simultaneous requests in
several workers each get their own number, on SQLite and PostgreSQL alike. What is stored is a keyed hash
of the address (see :mod:`careguide.web.limits.models`), deleted once the window has passed.

The client address is ``REMOTE_ADDR``; behind a reverse proxy, list the proxy's addresses in
``CAREGUIDE_TRUSTED_PROXIES`` and the address the proxy puts in ``X-Forwarded-For`` is used instead.
"""

from __future__ import annotations

import ipaddress
import math
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from careguide.web.limits.models import Counter

__all__ = ["Hit", "client_address", "hit", "purge_expired"]

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@cache
def _trusted(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def _is_trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in networks)


def client_address(request: HttpRequest) -> str:
    """The address of the client: ``REMOTE_ADDR``, or, when that is a trusted proxy, the nearest address in
    ``X-Forwarded-For`` that is not a trusted proxy (read from the right: a client can write anything on the
    left of that header, but not what its proxies append)."""
    remote = str(request.META.get("REMOTE_ADDR") or "")
    networks = _trusted(tuple(settings.CAREGUIDE_TRUSTED_PROXIES))
    if not networks or not _is_trusted(remote, networks):
        return remote
    forwarded = [a.strip() for a in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",") if a.strip()]
    for address in reversed(forwarded):
        try:
            ipaddress.ip_address(address)
        except ValueError:
            return remote  # a malformed header: fall back to the proxy itself rather than trust it
        if not _is_trusted(address, networks):
            return address
    return forwarded[0] if forwarded else remote


@dataclass(frozen=True)
class Hit:
    allowed: bool
    count: int  # requests in this window, this one included
    retry_after: int  # seconds until the window ends


def hit(request: HttpRequest, scope: str, limit: int, window: int, now: float | None = None) -> Hit:
    """Count one request of this client against ``limit`` per ``window`` seconds for ``scope``."""
    now = time.time() if now is None else now
    index = math.floor(now / window)
    ends = (index + 1) * window
    key = salted_hmac("careguide.web.limits", f"{scope}\n{index}\n{client_address(request)}", algorithm="sha256")
    q = connection.ops.quote_name
    table = q(Counter._meta.db_table)
    expires = connection.ops.adapt_datetimefield_value(datetime.fromtimestamp(ends, tz=UTC))
    current = connection.ops.adapt_datetimefield_value(datetime.fromtimestamp(now, tz=UTC))
    with transaction.atomic(), connection.cursor() as cursor:
        # Windows that have ended are forgotten first, so that no counter outlives its window.
        cursor.execute(f"DELETE FROM {table} WHERE {q('expires')} <= %s", [current])
        cursor.execute(
            f"INSERT INTO {table} ({q('key')}, {q('count')}, {q('expires')}) VALUES (%s, 1, %s) "
            f"ON CONFLICT ({q('key')}) DO UPDATE SET {q('count')} = {table}.{q('count')} + 1 RETURNING {q('count')}",
            [key.hexdigest(), expires],
        )
        row = cursor.fetchone()
    count = int(row[0]) if row else limit + 1
    return Hit(allowed=count <= limit, count=count, retry_after=max(1, math.ceil(ends - now)))


def purge_expired(now: datetime | None = None) -> int:
    """Delete the counters of windows that have ended; returns how many."""
    deleted, _ = Counter.objects.filter(expires__lte=now or datetime.now(tz=UTC)).delete()
    return deleted
