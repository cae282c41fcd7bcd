"""Simulated patients drawn from the knowledge itself, and interviews that answer from them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from careguide.engine import Case, Config, Step, step
from careguide.kb.compile import KIND_ONE, KIND_YES_NO, SEXES, Knowledge
from careguide.kb.schema import AGE_BANDS, Finding

__all__ = ["Patient", "absent_answer", "interview", "sample_patient", "sample_with_complaint"]

_BAND_AGES = {
    "0-0": (0, 0),
    "1-4": (1, 4),
    "5-14": (5, 14),
    "15-29": (15, 29),
    "30-44": (30, 44),
    "45-59": (45, 59),
    "60-74": (60, 74),
    "75+": (75, 95),
}


@dataclass(frozen=True)
class Patient:
    condition: int
    age: int
    sex: str
    answers: dict[str, str | list[str]]  # the answer the patient would give to every finding


def sample_patient(knowledge: Knowledge, rng: np.random.Generator, condition: int | None = None) -> Patient:
    """A patient with ``condition`` (else drawn from the prior of a random age and sex) whose answers
    are drawn from the knowledge's P(finding | condition), respecting parent/child structure."""
    like = knowledge.likelihood
    for _ in range(1000):
        band = int(rng.integers(len(AGE_BANDS)))
        sex_i = int(rng.integers(2))
        prior = np.exp(knowledge.log_prior[band, sex_i])
        if condition is None:
            c = int(rng.choice(prior.size, p=prior / prior.sum()))
        elif prior[condition] > 0:
            c = condition
        else:
            continue
        break
    else:
        raise ValueError(f"condition {condition} has no age band or sex where it can occur")
    low, high = _BAND_AGES[AGE_BANDS[band]]
    answers: dict[str, str | list[str]] = {}
    for fi, f in enumerate(knowledge.findings):
        start, stop = int(knowledge.finding_start[fi]), int(knowledge.finding_stop[fi])
        kind = knowledge.finding_kind[fi]
        if kind == KIND_YES_NO:
            answers[f.id] = "present" if rng.random() < like[c, start] else "absent"
        elif kind == KIND_ONE:
            answers[f.id] = f.options[
                int(rng.choice(stop - start, p=like[c, start:stop] / like[c, start:stop].sum()))
            ].id
        else:
            answers[f.id] = [o.id for o, x in zip(f.options, like[c, start:stop], strict=True) if rng.random() < x]
    # A child finding cannot be present without its parent.
    for f in knowledge.findings:
        if f.parent and not _present(knowledge, answers, f.parent):
            answers[f.id] = absent_answer(f)
    return Patient(c, int(rng.integers(low, high + 1)), SEXES[sex_i], answers)


def sample_with_complaint(knowledge: Knowledge, rng: np.random.Generator) -> tuple[Patient, str]:
    """A patient and the main complaint it starts from: one of the complaints it has that its condition
    lists (a main complaint is a symptom the condition explains), else one its condition lists, drawn by
    its probability (the patient is then taken to have it), else any complaint it has."""
    patient = sample_patient(knowledge, rng)
    condition = knowledge.conditions[patient.condition]
    complaints = [f.id for f in knowledge.findings if f.complaint]
    listed = [c for c in complaints if c in condition.findings and condition.findings[c].explains]
    present = [c for c in listed if patient.answers.get(c) == "present"]
    if present:
        complaint = present[int(rng.integers(len(present)))]
    elif listed:
        weights = np.array([condition.findings[c].p or 0.0 for c in listed]) + 1e-9
        complaint = listed[int(rng.choice(len(listed), p=weights / weights.sum()))]
    else:
        present = [c for c in complaints if patient.answers.get(c) == "present"]
        complaint = (
            present[int(rng.integers(len(present)))] if present else complaints[int(rng.integers(len(complaints)))]
        )
    patient.answers[complaint] = "present"
    return patient, complaint


def absent_answer(f: Finding) -> str | list[str]:
    """The answer of someone who does not have ``f``: no, none of the options, or don't know which."""
    if f.type.value == "yes_no":
        return "absent"
    return [] if f.type.value == "several_choices" else "unknown"


def _present(knowledge: Knowledge, answers: dict[str, str | list[str]], ref: str) -> bool:
    fid, _, opt = ref.partition(":")
    a = answers.get(fid)
    if opt:
        return a == opt or (isinstance(a, list) and opt in a)
    return (
        a == "present" or (isinstance(a, list) and bool(a)) or (isinstance(a, str) and a not in ("absent", "unknown"))
    )


def interview(
    knowledge: Knowledge,
    patient: Patient,
    complaint: str,
    config: Config | None = None,
    on_step: Callable[[Step], None] | None = None,
    stepper: Callable[[Knowledge, Case, Config | None], Step] = step,
) -> tuple[Step, Case]:
    """Run the interview to its end, the patient answering every question from its record."""
    case = Case(patient.age, patient.sex, (), complaint)
    while True:
        result = stepper(knowledge, case, config)
        if on_step is not None:
            on_step(result)
        if result.should_stop or result.question is None:
            return result, case
        case = case.answered(result.question.id, patient.answers[result.question.id])
