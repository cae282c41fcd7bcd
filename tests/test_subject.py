"""Questions worded for whom the answers are about: the person answering, their child or someone else."""

from __future__ import annotations

import pytest

from careguide.engine import SUBJECTS, Case, Question, question_text, step
from careguide.kb import Finding, Knowledge


def _question(finding: Finding, reason: str = "This helps narrow down the possible causes.") -> Question:
    return Question(finding, reason, False, (), 0.1)


def test_text_for_self_is_the_finding_s_own_question(general: Knowledge) -> None:
    f = general.finding("headache")
    assert _question(f).text_for("self") == f.question == "Do you have a headache?"


@pytest.mark.parametrize("subject", ["child", "other"])
def test_text_for_a_child_or_someone_else_is_question_other(general: Knowledge, subject: str) -> None:
    f = general.finding("thunderclap_headache")
    assert f.question_other is not None
    assert _question(f).text_for(subject) == f.question_other
    assert "their headache" in f.question_other


def test_without_question_other_the_question_is_kept_and_says_whom_it_is_about() -> None:
    f = Finding(id="ringing_ears", name="Ringing in the ears", question="Do you hear ringing in your ears?")
    q = _question(f)
    assert q.text_for("child") == "About your child: Do you hear ringing in your ears?"
    assert q.text_for("other") == "About the person you are answering for: Do you hear ringing in your ears?"
    assert q.text_for("self") == "Do you hear ringing in your ears?"


def test_an_unknown_subject_is_refused_by_name() -> None:
    f = Finding(id="cough", name="Cough", question="Do you have a cough?")
    with pytest.raises(ValueError, match="subject must be one of self, child, other, got 'dog'"):
        question_text(f, "dog")


def test_the_reason_speaks_of_the_answers_not_yours_for_someone_else() -> None:
    f = Finding(id="cough", name="Cough", question="Do you have a cough?")
    reason = "With your other answers, this can point to Sepsis, which needs emergency care: we check it to be safe."
    q = _question(f, reason)
    assert q.reason_for("self") == reason
    assert q.reason_for("child").startswith("With the other answers, this can point to Sepsis")
    assert q.reason_for("other") == q.reason_for("child")


def test_questions_asked_for_a_child_never_speak_of_the_answers_as_yours(general: Knowledge) -> None:
    # The first questions of a few common complaints, for a 4-year-old: every reason reads for a parent.
    for complaint in ("fever", "cough", "ear_pain", "abdominal_pain", "headache"):
        case = Case(4, "female", (), complaint)
        for _ in range(6):
            s = step(general, case)
            if s.question is None:
                break
            assert "your other answers" not in s.question.reason_for("child")
            text = s.question.text_for("child")
            if s.question.finding.question_other:
                assert text == s.question.finding.question_other
            else:
                assert text.startswith("About your child: ")
            case = case.answered(s.question.id, "unknown")


def test_subjects_are_self_child_and_other() -> None:
    assert SUBJECTS == ("self", "child", "other")
