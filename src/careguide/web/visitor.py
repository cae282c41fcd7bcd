"""The anonymous visitor: a hash of the session cookie, the only handle the site keeps on a person."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.http import HttpRequest

__all__ = ["visitor_id"]


def visitor_id(request: HttpRequest) -> str:
    """A stable, non-reversible id for this browser session (creating the session if needed)."""
    if request.session.session_key is None:
        request.session["v"] = 1
        request.session.save()
    key = request.session.session_key or ""
    return hashlib.sha256(f"{settings.SECRET_KEY}:{key}".encode()).hexdigest()
