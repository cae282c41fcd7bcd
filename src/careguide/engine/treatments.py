"""Treatment options for the likely conditions, tailored to the person's findings."""

from __future__ import annotations

from dataclasses import dataclass

from careguide.engine.case import Case, observe
from careguide.engine.step import Step
from careguide.engine.triage import is_present
from careguide.kb.compile import Knowledge
from careguide.kb.schema import Treatment

__all__ = ["TreatmentOption", "treatment_options"]


@dataclass(frozen=True)
class TreatmentOption:
    treatment: Treatment
    conditions: tuple[str, ...]  # the likely conditions it is for
    because: tuple[str, ...]  # the person's findings that make it relevant, if it is tailored


def treatment_options(
    knowledge: Knowledge, case: Case, step: Step, min_probability: float = 0.05
) -> list[TreatmentOption]:
    """Treatments for conditions at or above ``min_probability``, most likely condition first.

    A treatment tied to findings (e.g. steroids when there is leg weakness) is offered only when one of
    those findings is present.
    """
    obs = observe(knowledge, case)
    likely = [rc.condition.id for rc in step.conditions if rc.probability >= min_probability]
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
        out.append(TreatmentOption(t, for_conditions, because))
    return out
