"""API throttling per client address, with django-ninja's throttle interface (429 and Retry-After).

The counts are the site's atomic rate-limit counters (:mod:`careguide.web.limits.rate`): keyed on a keyed
hash of the client's address, shared by every worker and host through the database, and forgotten when the
window ends. Rates come from settings such as ``CAREGUIDE_API_RATE`` ("120/minute"; "off" for none) and are
read on each request.
"""

from __future__ import annotations

import threading

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import BaseThrottle

from careguide.web.env import parse_rate
from careguide.web.limits.rate import hit

__all__ = ["AddressThrottle"]


class AddressThrottle(BaseThrottle):
    """At most the rate in ``settings.<setting>`` per client address, counted under ``scope``."""

    def __init__(self, scope: str, setting: str) -> None:
        self.scope = scope
        self.setting = setting
        self._local = threading.local()  # one instance serves every request of a (threaded) worker

    def allow_request(self, request: HttpRequest) -> bool:
        rate = parse_rate(self.setting, getattr(settings, self.setting))
        if rate is None:
            return True
        limit, window = rate
        result = hit(request, f"api:{self.scope}", limit, window)
        self._local.wait = result.retry_after
        return result.allowed

    def wait(self) -> float | None:
        return float(getattr(self._local, "wait", 1))
