"""What a report says: the person, their answers, the care level and why, and the differential."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from careguide.engine import Answer, Case, RankedCondition, Step
from careguide.kb import Finding, Knowledge

__all__ = ["CARE_ADVICE", "CARE_TITLES", "AnswerRow", "Report", "answer_text", "build_report"]

# The same words as the results page (careguide.web.checker.care), so the person and their doctor read one message.
CARE_TITLES = {
    "emergency": "Get emergency help now",
    "urgent": "Get medical help today",
    "routine": "Book an appointment with a doctor",
    "self_care": "Can probably be looked after at home",
}

# What to do at each level, in the report's own words; {emergency} and {urgent} are the deployment's numbers.
CARE_ADVICE = {
    "emergency": "Call {emergency} or go to the nearest emergency department now.",
    "urgent": "Contact a doctor today, or call {urgent} for urgent advice.",
    "routine": "Book an appointment with a doctor in the coming days; seek help sooner if things get worse.",
    "self_care": "Home care is usually enough; see a doctor if it does not improve, gets worse or changes.",
}

NOT_A_DIAGNOSIS = (
    "Not a diagnosis: this report lists what the person answered in CareGuide's questionnaire and the "
    "estimates CareGuide computed from those answers, for a health professional to weigh."
)


@dataclass(frozen=True)
class AnswerRow:
    finding: Finding
    answer: Answer
    text: str  # the answer in words
    volunteered: bool  # given in the person's own words before the questions, not asked


@dataclass(frozen=True)
class Report:
    age: int
    age_months: int | None
    sex: str
    complaint: Finding | None
    answers: tuple[AnswerRow, ...]
    care_level: str
    care_title: str
    care_advice: str
    red_flags: tuple[str, ...]  # texts of the red-flag rules that fired
    reasons: tuple[str, ...]  # the other reasons for the care level
    conditions: tuple[RankedCondition, ...]
    complete: bool  # the interview reached its end (not stopped early)
    created: datetime
    pack_name: str
    pack_version: str
    emergency_number: str
    urgent_number: str
    not_a_diagnosis: str = NOT_A_DIAGNOSIS

    @property
    def age_text(self) -> str:
        """The age as a clinician would write it: months for a child under 2 when known, else years."""
        if self.age_months is not None and self.age < 2:
            return f"{self.age_months} months"
        return f"{self.age} years"

    @property
    def urgent_help(self) -> str:
        return (
            f"In an emergency call {self.emergency_number}. For urgent advice that is not an emergency, "
            f"call {self.urgent_number}."
        )


def answer_text(finding: Finding, answer: Answer) -> str:
    """An answer as a person would read it: Yes, No, Don't know, or the options' labels."""
    labels = {o.id: o.label or o.id for o in finding.options}
    if not isinstance(answer, str):
        return ", ".join(labels.get(a, a) for a in answer) or "None of these"
    return _WORDS.get(answer) or labels.get(answer, answer)


_WORDS = {"present": "Yes", "absent": "No", "unknown": "Don't know"}


def build_report(
    knowledge: Knowledge,
    case: Case,
    result: Step,
    created: datetime,
    emergency_number: str,
    urgent_number: str,
    min_probability: float = 0.01,
    top: int = 10,
) -> Report:
    """The report of ``case`` whose engine step is ``result``; conditions under ``min_probability`` are left out."""
    asked = {f for f, _ in case.evidence}
    rows = [
        AnswerRow(knowledge.finding(f), a, answer_text(knowledge.finding(f), a), True)
        for f, a in case.volunteered
        if f not in asked  # an answer to the same question replaces the volunteered one
    ]
    rows += [AnswerRow(knowledge.finding(f), a, answer_text(knowledge.finding(f), a), False) for f, a in case.evidence]
    level = result.care.level.value
    return Report(
        age=case.age,
        age_months=case.age_months,
        sex=case.sex,
        complaint=knowledge.finding(case.complaint) if case.complaint else None,
        answers=tuple(rows),
        care_level=level,
        care_title=CARE_TITLES[level],
        care_advice=CARE_ADVICE[level].format(emergency=emergency_number, urgent=urgent_number),
        red_flags=tuple(r.text for r in result.care.red_flags),
        reasons=tuple(r.text for r in result.care.reasons if r.rule is None),
        conditions=tuple(rc for rc in result.conditions if rc.probability >= min_probability)[:top],
        complete=result.should_stop,
        created=created,
        pack_name=knowledge.pack.name,
        pack_version=knowledge.pack.version,
        emergency_number=emergency_number,
        urgent_number=urgent_number,
    )
