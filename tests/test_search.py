"""Finding a main complaint from a person's own words."""

from __future__ import annotations

from careguide.kb import Knowledge
from careguide.text import search


def _top(k: Knowledge, query: str) -> str | None:
    hits = search(k, query, complaints_only=True)
    return hits[0].finding.id if hits else None


def test_it_finds_a_complaint_by_name_synonym_and_with_a_typo(shipped: Knowledge) -> None:
    assert _top(shipped, "back pain") == "back_pain"
    assert _top(shipped, "backache") == "back_pain"
    assert _top(shipped, "lumbago") == "back_pain"
    assert _top(shipped, "stomach ache") == "abdominal_pain"
    assert _top(shipped, "feverish") == "fever"
    assert _top(shipped, "bakache") == "back_pain"


def test_it_returns_nothing_for_unrelated_or_empty_words(shipped: Knowledge) -> None:
    assert search(shipped, "", complaints_only=True) == []
    assert search(shipped, "the and of", complaints_only=True) == []
    assert _top(shipped, "xylophone") is None
