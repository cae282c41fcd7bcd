"""One step of the interview: posterior, care level, explanations and the next question."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, NamedTuple, get_args

import numpy as np

from careguide.engine.case import Case, Observations, observe
from careguide.engine.config import Config
from careguide.engine.explain import Explanation, explain, question_reason, tells_apart
from careguide.engine.posterior import posterior
from careguide.engine.questions import choose
from careguide.engine.stopping import settled
from careguide.engine.triage import CareAdvice, CareReason, care_advice
from careguide.kb.compile import Knowledge
from careguide.kb.schema import CareLevel, Condition, Finding, Option

__all__ = ["SUBJECTS", "Question", "RankedCondition", "Step", "Subject", "question_text", "step"]

# Who the answers are about: the person answering, their child, or someone else they are answering for.
Subject = Literal["self", "child", "other"]
SUBJECTS: tuple[str, ...] = get_args(Subject)

# Said before a question that has no wording for someone else (no ``question_other``). A prefix rather than
# rewriting "you" to "they": "you" is both subject and object ("Has a doctor told you...?") and "your" may be
# the writer's or the patient's, so a mechanical rewrite would turn some questions ungrammatical or change
# what they ask; the prefix keeps the question as written and says whom it is about.
_FOR_WHOM = {
    "child": "About your child: ",
    "other": "About the person you are answering for: ",
}


@dataclass(frozen=True)
class Question:
    finding: Finding
    reason: str  # why it is asked, for the person
    safety: bool  # asked to rule out a dangerous condition
    tells_apart: tuple[str, ...]  # condition ids the answer helps tell apart (or the one it rules out)
    gain: float  # expected information gain, nats

    @property
    def id(self) -> str:
        return self.finding.id

    @property
    def text(self) -> str:
        return self.finding.question

    @property
    def options(self) -> list[Option]:
        return self.finding.options

    def text_for(self, subject: str = "self") -> str:
        """The question worded for whom the answers are about (see :func:`question_text`)."""
        return question_text(self.finding, subject)

    def reason_for(self, subject: str = "self") -> str:
        """Why it is asked, worded for whom the answers are about: the answers are the answerer's, but "your
        other answers" would read as if they were about the answerer, so it becomes "the other answers"."""
        if subject == "self":
            return self.reason
        return self.reason.replace("With your other answers", "With the other answers")


def question_text(finding: Finding, subject: str = "self") -> str:
    """What to ask about ``finding`` when the answers are about ``subject`` ("self", "child" or "other").

    For a child and for someone else alike the finding's ``question_other`` is used: it is written with
    "they" and "their", which reads naturally for a child too ("Is their headache throbbing?"), and one
    wording per finding is less for editors to keep right than two. Without it, the question is kept as
    written with a short prefix saying whom it is about.
    """
    if subject not in SUBJECTS:
        raise ValueError(f"subject must be one of {', '.join(SUBJECTS)}, got {subject!r}")
    if subject == "self":
        return finding.question
    if finding.question_other:
        return finding.question_other
    return _FOR_WHOM[subject] + finding.question


class RankedCondition(NamedTuple):
    condition: Condition
    probability: float
    explanation: Explanation


@dataclass(frozen=True)
class Step:
    question: Question | None
    should_stop: bool
    # "emergency", "budget", "confident", "settled", "nothing_left" or None
    stop_reason: str | None
    conditions: tuple[RankedCondition, ...]
    care: CareAdvice
    questions_asked: int

    @property
    def alert(self) -> CareReason | None:
        """The most urgent red-flag rule that fired, if it calls for urgent or emergency care: what the
        person must be told at once, whatever else the interview goes on to ask."""
        flags = [r for r in self.care.red_flags if r.level.rank >= CareLevel.URGENT.rank]
        return max(flags, key=lambda r: r.level.rank) if flags else None


def _ranked(
    knowledge: Knowledge, obs: Observations, p: np.ndarray, top_n: int, exponent: float
) -> tuple[RankedCondition, ...]:
    n = min(top_n, p.size)
    top = np.argpartition(-p, n - 1)[:n] if n < p.size else np.arange(p.size)
    top = top[np.argsort(-p[top], kind="stable")]
    top = top[p[top] > 0]
    with np.errstate(divide="ignore"):
        log_p = np.log(p)
    explanations = explain(knowledge, obs, [int(c) for c in top], log_p, exponent)
    return tuple(
        RankedCondition(knowledge.conditions[c], float(p[c]), e) for c, e in zip(top, explanations, strict=True)
    )


def step(knowledge: Knowledge, case: Case, config: Config | None = None) -> Step:
    """Everything the interview needs after the answers in ``case``. Pure: same input, same output.

    Raises careguide.engine.InputError (naming the field) for input that does not fit the knowledge.
    """
    config = config or Config.for_knowledge(knowledge)
    obs = observe(knowledge, case)
    p = posterior(knowledge, obs, config.likelihood_exponent)
    care = care_advice(knowledge, obs, p, dict(config.care_costs))
    ranked = _ranked(knowledge, obs, p, config.top_n, config.likelihood_exponent)

    asked = obs.questions_asked
    # Red flags are screened for above the level the fired rules set, not the level the probabilities
    # set: that one can fall again as answers come in, and a warning sign is the firmer reason.
    rule_rank = max((r.level.rank for r in care.red_flags), default=0)
    safety, best, g = choose(knowledge, obs, p, config.safety_threshold, rule_rank)
    informative = best if best is not None and best.gain >= config.min_gain else None
    pick = safety or informative
    stop_reason: str | None = None
    if config.stop_on_emergency and rule_rank == CareLevel.EMERGENCY.rank:
        stop_reason = "emergency"
    elif asked >= config.budget:
        stop_reason = "budget"
    elif safety is None and ranked and ranked[0].probability >= config.confidence:
        stop_reason = "confident"
    elif pick is None:
        stop_reason = "nothing_left"
    elif (safety is None or safety.rule is None) and config.stop_when_settled and asked >= config.settle_after:
        # A screened warning sign of a red-flag rule is always asked; a must-not-miss condition's red flag is
        # asked unless no answer to it could change the advice.
        ahead = np.argsort(-g, kind="stable")[: config.settle_lookahead]
        ahead = ahead[g[ahead] >= config.min_gain]
        signs = (safety.finding,) if safety is not None else ()
        log_p = np.log(np.clip(p, 1e-300, None))
        costs = dict(config.care_costs)
        exponent = config.likelihood_exponent
        if settled(knowledge, log_p, ahead, costs, rule_rank, exponent, config.settle_min_answer, signs):
            stop_reason = "settled"

    question = None
    if stop_reason is None and pick is not None:
        if pick.rule is not None:
            apart = [knowledge.condition_index[c] for c in pick.rule.conditions]
        elif pick.safety_for is not None:
            apart = [pick.safety_for]
        else:
            apart = tells_apart(knowledge, p, pick.finding, np.argsort(-p, kind="stable")[: config.top_n])
        question = Question(
            knowledge.findings[pick.finding],
            question_reason(knowledge, apart, pick.safety_for, pick.rule, pick.finding),
            pick.safety_for is not None or pick.rule is not None,
            tuple(knowledge.conditions[c].id for c in apart),
            pick.gain,
        )
    return Step(question, stop_reason is not None, stop_reason, ranked, care, asked)
