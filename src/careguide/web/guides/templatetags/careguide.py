"""Small template filters for turning knowledge ids into words."""

from __future__ import annotations

from django import template

register = template.Library()

_CARE = {
    "emergency": "emergency care",
    "urgent": "care within 24 hours",
    "routine": "a doctor's appointment",
    "self_care": "self-care",
}


@register.filter
def words(value: object) -> str:
    """`over_the_counter` -> `over the counter`."""
    return str(getattr(value, "value", value)).replace("_", " ")


@register.filter
def care_words(value: object) -> str:
    return _CARE.get(str(getattr(value, "value", value)), str(value))


@register.filter
def percent(value: float) -> str:
    """A probability as a whole percentage; below 1% shown as '<1%'."""
    p = float(value) * 100
    return "<1%" if 0 < p < 1 else f"{p:.0f}%"
