"""Treatment options for the likely conditions, tailored to the person: their answers, age, sex, pregnancy,
the conditions still suspected and the care level."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from careguide.engine.case import Case, Observations, observe
from careguide.engine.config import Config
from careguide.engine.posterior import posterior
from careguide.engine.step import Step
from careguide.engine.triage import is_present
from careguide.kb.compile import SEXES, Knowledge
from careguide.kb.schema import CareLevel, Treatment, TreatmentKind

__all__ = ["PREGNANCY_FINDINGS", "SELF_TREATMENT", "TreatmentOption", "excluded_because", "treatment_options"]

# Answers that say the person is (or may be) pregnant, where the pack has them.
PREGNANCY_FINDINGS = ("pregnant", "late_period")
# Kinds a person starts on their own; not listed when the answers call for emergency care, where they
# would only delay getting help.
SELF_TREATMENT = frozenset({TreatmentKind.SELF_CARE, TreatmentKind.OVER_THE_COUNTER})


@dataclass(frozen=True)
class TreatmentOption:
    treatment: Treatment
    conditions: tuple[str, ...]  # the likely conditions it is for
    because: tuple[str, ...]  # the person's findings that make it relevant, if it is tailored


def _pregnant(knowledge: Knowledge, obs: Observations) -> bool:
    return any(f in knowledge.finding_index and is_present(knowledge, obs, f) for f in PREGNANCY_FINDINGS)


def excluded_because(
    knowledge: Knowledge,
    obs: Observations,
    treatment: Treatment,
    probability: dict[str, float],
    level: CareLevel,
    red_flag: bool,
) -> str | None:
    """Why ``treatment`` is not for this person, or None when nothing in its data rules it out.

    ``probability`` maps condition ids to their probability; ``red_flag`` is whether a red-flag rule that
    guards against a serious condition fired (a rule with no condition, such as "pain for over 6 weeks, see a
    doctor", is a reason to be checked, not a sign of one).
    """
    if level is CareLevel.EMERGENCY and treatment.kind in SELF_TREATMENT:
        return "the answers call for emergency care"
    if treatment.min_age is not None and obs.age < treatment.min_age:
        return f"for people aged {treatment.min_age} and over"
    if treatment.max_age is not None and obs.age > treatment.max_age:
        return f"for people aged {treatment.max_age} and under"
    if treatment.sexes and SEXES[obs.sex_index] not in treatment.sexes:
        return "not for this sex"
    if treatment.not_in_pregnancy and _pregnant(knowledge, obs):
        return "not in pregnancy"
    if treatment.not_when_red_flag and red_flag:
        return "a warning sign is in the answers"
    present = [ref for ref in treatment.not_when if is_present(knowledge, obs, ref)]
    if present:
        return f"not with {present[0]}"
    suspected = [c for c in treatment.not_when_suspected if probability.get(c, 0.0) >= treatment.suspected_above]
    if suspected:
        return f"not while {suspected[0]} is suspected"
    return None


def treatment_options(
    knowledge: Knowledge,
    case: Case,
    step: Step,
    min_probability: float = 0.05,
    config: Config | None = None,
) -> list[TreatmentOption]:
    """Treatments for conditions at or above ``min_probability``, most likely condition first.

    A treatment tied to findings (e.g. steroids when there is leg weakness) is offered only when one of
    those findings is present; one whose contraindications apply to this person (see excluded_because)
    is not offered at all. ``config`` must be the one ``step`` was computed with (default: the pack's).
    """
    obs = observe(knowledge, case)
    likely = [rc.condition.id for rc in step.conditions if rc.probability >= min_probability]
    probability = {rc.condition.id: rc.probability for rc in step.conditions}
    if any(c not in probability for t in knowledge.treatments for c in t.not_when_suspected):
        # A suspected condition may rank below the explained few: take it from the whole posterior.
        config = config or Config.for_knowledge(knowledge)
        p = posterior(knowledge, obs, config.likelihood_exponent)
        probability = {c.id: float(v) for c, v in zip(knowledge.conditions, np.asarray(p), strict=True)}
    red_flag = any(r.conditions for r in step.care.red_flags)
    out = []
    for t in sorted(
        knowledge.treatments,
        key=lambda t: min((likely.index(c) for c in t.conditions if c in likely), default=99),
    ):
        for_conditions = tuple(c for c in likely if c in t.conditions)
        if not for_conditions:
            continue
        because = tuple(ref for ref in t.findings if is_present(knowledge, obs, ref))
        if t.findings and not because:
            continue
        if excluded_because(knowledge, obs, t, probability, step.care.level, red_flag) is not None:
            continue
        out.append(TreatmentOption(t, for_conditions, because))
    return out
