"""In what sense a mention holds: now, in the family, in the past, or only feared; clinical shorthand."""

from __future__ import annotations

import pytest

from careguide.kb import Knowledge
from careguide.text import parse


def _present(k: Knowledge, text: str) -> set[str]:
    return set(parse(k, text).present)


@pytest.mark.parametrize(
    ("text", "not_now", "now"),
    [
        # A relative named right before a condition, as notes write it, with no verb between.
        ("Pt 58M. Father MI at 49, sister angina. Chest feels tight on the stairs.", {"heart_disease"}, set()),
        # "Has" is a relative's condition too, when the text is about the writer.
        ("Me 40M: loose stools for weeks. Brother has Crohn's.", {"inflammatory_conditions"}, {"diarrhoea"}),
        # A relative who only reports does not own the symptom.
        ("my husband says I snore and I wake up with headaches", set(), {"headache"}),
        # A first-person clause after the relative is the writer's own.
        ("ever since my gran passed away I can't sleep", set(), {"insomnia"}),
    ],
)
def test_relatives(general: Knowledge, text: str, not_now: set[str], now: set[str]) -> None:
    present = _present(general, text)
    assert not (not_now & present)
    assert now <= present


@pytest.mark.parametrize(
    ("text", "not_now", "now"),
    [
        ("I have a cough and I'm scared it's lung cancer", {"history_of_cancer"}, {"cough"}),
        ("terrified its a tumour, headaches every morning", {"history_of_cancer"}, {"headache"}),
        ("worried re leukaemia", {"history_of_cancer"}, set()),
        # What the person has, and worries about, stays present; the feared diagnosis does not.
        ("worried this tiredness is cancer", {"history_of_cancer"}, {"fatigue"}),
        # A worry ends at a comma: what follows is reported as it is.
        ("scared it might be a stroke, my face feels numb", set(), {"numbness"}),
        ("GP sending me for an AAA screen", {"known_aneurysm"}, set()),
    ],
)
def test_fears_and_questions(general: Knowledge, text: str, not_now: set[str], now: set[str]) -> None:
    present = _present(general, text)
    assert not (not_now & present)
    assert now <= present


def test_a_query_mark_stuck_to_a_word_is_a_question_not_a_sentence_end(general: Knowledge) -> None:
    present = _present(general, "Me 31F: ?pregnant, nausea in mornings")
    assert "pregnant" not in present
    assert "nausea_vomiting" in present
    # A question mark at the end of a sentence still ends it: the next sentence is reported as it is.
    present = _present(general, "Is it normal? I am pregnant")
    assert "pregnant" in present


@pytest.mark.parametrize(
    ("text", "not_now", "now"),
    [
        ("bad cough 3 years ago, fine since. Now my ankle is swollen", {"cough"}, {"ankle_swelling"}),
        ("I had blurry vision last yr. Sore throat now", {"reduced_vision"}, {"sore_throat"}),
        ("vomiting 2/52 before. Knee swollen", {"nausea_vomiting"}, set()),
        # A time that says when the present problem started is not the past.
        ("the cough started 3 weeks ago", set(), {"cough"}),
        ("noticed a lump in my breast 2 weeks ago", set(), {"breast_lump"}),
        # A weakness that came and went today is reported, not history.
        ("my arm went weak for ten minutes this morning, resolved now", set(), {"arm_weakness"}),
    ],
)
def test_the_past(general: Knowledge, text: str, not_now: set[str], now: set[str]) -> None:
    present = _present(general, text)
    assert not (not_now & present)
    assert now <= present


def test_a_duration_long_ago_is_not_how_long_the_problem_has_lasted(general: Knowledge) -> None:
    present = _present(general, "my knee aches, I had an operation on it 6 years ago")
    assert not any(r.startswith("symptom_duration:") for r in present)
    present = _present(general, "my knee started aching 2 years ago")
    assert "symptom_duration:over_3_months" in present


def test_a_recent_time_before_ago_dates_a_present_problem(general: Knowledge) -> None:
    """'3 h ago' says when something happening now began: a sudden severe pain then is a present warning sign,
    while '2 years ago' still makes a mention past."""
    assert "sudden_severe_pain" in parse(general, "Sudden onset severe left leg pain 3 h ago.").present
    assert "chest_pain" in parse(general, "chest pain came on 2 days ago").present
    assert "reduced_vision" not in parse(general, "blurred vision 2 years ago, resolved").present


@pytest.mark.parametrize(
    ("text", "early"),
    [
        ("Dad died of MI at 70.", False),
        ("my mum had a heart attack aged 68", False),
        ("dad MI at 52", True),
        ("my brother had a heart attack at 45", True),
    ],
)
def test_a_relative_past_the_age_a_family_history_asks_about_does_not_count(
    general: Knowledge, text: str, early: bool
) -> None:
    assert ("family_history_early_heart_disease" in parse(general, text).present) is early
