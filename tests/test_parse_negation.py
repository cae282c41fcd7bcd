"""Negation words that do not deny: a problem that persists ("won't go away", "can't keep ... down")."""

from __future__ import annotations

from careguide.kb import Knowledge
from careguide.text import parse


def test_a_problem_that_will_not_go_away_is_present_and_so_is_what_follows(general: Knowledge) -> None:
    got = parse(general, "a dry cough that won't go away, worse at night, tickly throat")
    assert {"cough", "throat_irritation"} <= set(got.present)
    assert not got.absent


def test_not_keeping_fluids_down_is_a_symptom(general: Knowledge) -> None:
    got = parse(general, "I can't keep fluids down, tummy pain too")
    assert {"cannot_keep_fluids_down", "abdominal_pain"} <= set(got.present)
    assert not got.absent


def test_a_plain_denial_still_reaches_a_list(general: Knowledge) -> None:
    got = parse(general, "no fever or rash, and I'm not vomiting but I feel nauseous")
    assert {"fever", "rash"} <= set(got.absent)
    assert "nausea_vomiting" in got.present  # "nauseous" is said plainly after the "but"
