"""The same finding in different word orders, inflections and spellings, and typed vital signs."""

from __future__ import annotations

import pytest

from careguide.kb import Knowledge
from careguide.text import parse


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("pain in my leg", "pain_in_leg"),
        ("leg pain", "pain_in_leg"),
        ("my legs hurt", "pain_in_leg"),
        ("painful legs", "pain_in_leg"),
        ("my leg is painful", "pain_in_leg"),
        ("my legs are aching", "pain_in_leg"),
        ("achy knees", "knee_pain"),
        ("sore knees", "knee_pain"),
        ("my knee hurts", "knee_pain"),
        ("stomache ache", "abdominal_pain"),
        ("my tummy hurts", "abdominal_pain"),
        ("diarrea", "diarrhoea"),
        ("headach", "headache"),
        ("swollen ankles", "ankle_swelling"),
        ("my ankles have swelled up", "ankle_swelling"),
    ],
)
def test_a_finding_is_read_in_its_word_orders_inflections_and_slips(
    general: Knowledge, text: str, finding: str
) -> None:
    assert finding in parse(general, text).present


@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        ("HR 120", {"fast_heart_rate"}, set()),
        ("pulse 130", {"fast_heart_rate"}, set()),
        ("heart rate 45", {"slow_heart_rate"}, set()),
        ("RR 30", {"fast_breathing"}, set()),
        ("BP 190/120", {"high_bp_reading", "very_high_bp_reading"}, set()),
        ("BP 150/95", {"high_bp_reading"}, set()),
        ("temp 101F", {"fever"}, set()),
        ("T 39.5", {"fever"}, set()),
        ("temp 36.8", set(), {"fever"}),
    ],
)
def test_typed_vital_signs_answer_the_findings_that_use_them(
    general: Knowledge, text: str, present: set[str], absent: set[str]
) -> None:
    got = parse(general, text)
    assert present <= set(got.present)
    assert absent <= set(got.absent)
    assert not (present & set(got.absent))


def test_a_normal_pulse_is_not_a_fast_or_slow_one(general: Knowledge) -> None:
    got = parse(general, "pulse 72, BP 120/80")
    assert not {"fast_heart_rate", "slow_heart_rate", "high_bp_reading"} & set(got.present)


@pytest.mark.parametrize(
    ("text", "fever"),
    [
        ("temperature 36.8", "absent"),  # the word is part of the reading: the number answers
        ("fever 37.9", None),  # a reading between normal and a fever answers neither way
        ("temperature of 39.5", "present"),
        ("she has a temp", "present"),
        ("no temp", "absent"),
        ("temp normal", "absent"),
    ],
)
def test_a_typed_reading_decides_over_the_word_it_follows(general: Knowledge, text: str, fever: str | None) -> None:
    got = parse(general, text)
    state = "present" if "fever" in got.present else "absent" if "fever" in got.absent else None
    assert state == fever
