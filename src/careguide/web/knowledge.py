"""The compiled knowledge, loaded once per process (each gunicorn worker) and shared read-only."""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from careguide.engine import Config
from careguide.kb import Knowledge, KnowledgeError, load

__all__ = ["config", "knowledge"]


@cache
def knowledge() -> Knowledge:
    """The validated pack; the site refuses to start on an invalid one."""
    try:
        return load(settings.CAREGUIDE_KB or None)
    except KnowledgeError as exc:
        raise ImproperlyConfigured(f"refusing to start: {exc}") from exc


@cache
def config() -> Config:
    return Config.for_knowledge(knowledge())
