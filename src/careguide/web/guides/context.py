"""Template context shared by every page: emergency numbers and the organisation's name."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, str]:
    return {
        "emergency_number": settings.CAREGUIDE_EMERGENCY_NUMBER,
        "urgent_number": settings.CAREGUIDE_URGENT_NUMBER,
        "organisation": settings.CAREGUIDE_ORGANISATION,
    }
