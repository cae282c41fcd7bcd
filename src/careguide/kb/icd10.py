"""ICD-10-CM look-ups, backed by the CMS code set that simple-icd-10-cm ships."""

from __future__ import annotations

from functools import cache

import simple_icd_10_cm as _cm

__all__ = ["describe", "is_code"]


@cache
def is_code(code: str) -> bool:
    """Whether ``code`` is an ICD-10-CM code or category (e.g. ``M54.50`` or ``M54``)."""
    return bool(_cm.is_valid_item(code))


def describe(code: str) -> str:
    """The official description of ``code``."""
    return str(_cm.get_description(code))
