"""The inference and interview engine: pure functions over compiled knowledge.

step = careguide.engine.step(knowledge, Case(age=63, sex="female", evidence=[("back_pain", "present")]))
"""

from __future__ import annotations

from careguide.engine.case import Answer, Case, InputError, Observations, check_age, observe, validate
from careguide.engine.config import Config
from careguide.engine.explain import Explanation, Reason, explain
from careguide.engine.posterior import log_posterior, posterior
from careguide.engine.questions import askable, gains
from careguide.engine.step import SUBJECTS, Question, RankedCondition, Step, Subject, question_text, step
from careguide.engine.treatments import TreatmentOption, treatment_options
from careguide.engine.triage import CareAdvice, CareReason, care_advice, fired_rules

__all__ = [
    "SUBJECTS",
    "Answer",
    "CareAdvice",
    "CareReason",
    "Case",
    "Config",
    "Explanation",
    "InputError",
    "Observations",
    "Question",
    "RankedCondition",
    "Reason",
    "Step",
    "Subject",
    "TreatmentOption",
    "askable",
    "care_advice",
    "check_age",
    "explain",
    "fired_rules",
    "gains",
    "log_posterior",
    "observe",
    "posterior",
    "question_text",
    "step",
    "treatment_options",
    "validate",
]
