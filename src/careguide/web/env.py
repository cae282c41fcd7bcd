"""Strict helpers for reading settings from environment variables.

A malformed value stops the site at start-up with a message naming the variable, rather than being
silently replaced by a default.
"""

from __future__ import annotations

import os
import re

from django.core.exceptions import ImproperlyConfigured

__all__ = ["env_bool", "env_int", "env_list", "env_phone", "env_rate", "env_str", "parse_rate"]

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


_PHONE = re.compile(r"^\+?[0-9][0-9 \-]{1,19}$")


def env_phone(name: str, default: str) -> str:
    """A telephone number people can dial from a link (``tel:``): digits, an optional leading +, spaces."""
    value = os.environ.get(name, default).strip()
    if not _PHONE.match(value):
        raise ImproperlyConfigured(f"{name} must be a telephone number such as 112 or +44 20 7946 0000, got {value!r}")
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false (1/0, yes/no, on/off), got {raw!r}")


def env_int(name: str, default: int, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {raw!r}") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {value}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


_UNITS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(second|minute|hour|day)\s*$")


def parse_rate(name: str, value: str) -> tuple[int, int] | None:
    """``"120/minute"`` -> (120, 60); ``"off"`` -> None. Raises ImproperlyConfigured naming the setting."""
    if value.strip().lower() == "off":
        return None
    m = _RATE.match(value)
    if m is None or int(m.group(1)) < 1:
        raise ImproperlyConfigured(
            f"{name} must be a number of requests per second, minute, hour or day (e.g. 120/minute) or off, "
            f"got {value!r}"
        )
    return int(m.group(1)), _UNITS[m.group(2)]


def env_rate(name: str, default: str) -> str:
    """A rate such as ``120/minute``, or ``off``; checked now, parsed where it is used."""
    value = os.environ.get(name, default)
    parse_rate(name, value)
    return value
