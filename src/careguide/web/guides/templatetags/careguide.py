"""Small template filters for turning knowledge ids into words."""

from __future__ import annotations

from django import template

from careguide.engine.triage import CARE_WORDS
from careguide.kb.schema import CareLevel

register = template.Library()


@register.filter
def words(value: object) -> str:
    """`over_the_counter` -> `over the counter`."""
    return str(getattr(value, "value", value)).replace("_", " ")


@register.filter
def care_words(value: object) -> str:
    try:
        return CARE_WORDS[CareLevel(str(getattr(value, "value", value)))]
    except ValueError:
        return str(value)


@register.filter
def percent(value: float) -> str:
    """A probability as a whole percentage; below 1% shown as '<1%'."""
    p = float(value) * 100
    return "<1%" if 0 < p < 1 else f"{p:.0f}%"
