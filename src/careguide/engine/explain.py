"""Readable reasons: why a condition is likely, and why a question is asked.

An answer's weight for a condition is its likelihood ratio: how much more (or less) likely that answer
is with the condition than among people of the same age and sex in general (under the prior). For a
several-choices answer the general probability is taken option by option.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from careguide.engine.case import Observations
from careguide.engine.triage import CARE_WORDS
from careguide.kb.compile import KIND_YES_NO, Knowledge
from careguide.kb.schema import RedFlagRule

__all__ = ["Explanation", "Reason", "explain", "question_reason", "tells_apart"]

FloatArray = npt.NDArray[np.float64]
_MIN_FACTOR = 1.25  # weaker answers are not worth listing
_SHOWN = 3


@dataclass(frozen=True)
class Reason:
    finding: str
    name: str
    answer: str  # "yes", "no", or the chosen options' labels
    factor: float  # likelihood ratio of this answer for the condition

    @property
    def text(self) -> str:
        if self.factor >= 1:
            effect = f"{self.factor:.1f} times more likely"
        else:
            effect = f"{1 / self.factor:.1f} times less likely"
        return f"{self.name}: {self.answer} (makes it {effect})"


@dataclass(frozen=True)
class Explanation:
    prior: float  # probability for this age and sex before any answer
    raised: tuple[Reason, ...]
    lowered: tuple[Reason, ...]

    @property
    def text(self) -> str:
        parts = [f"{self.prior:.1%} for your age and sex before your answers"]
        if self.raised:
            parts.append("raised by " + "; ".join(r.text for r in self.raised))
        if self.lowered:
            parts.append("lowered by " + "; ".join(r.text for r in self.lowered))
        return ". ".join(p[0].upper() + p[1:] for p in parts) + "."


def _answer_text(knowledge: Knowledge, fi: int, yes: tuple[int, ...]) -> str:
    if knowledge.finding_kind[fi] == KIND_YES_NO:
        return "yes" if yes else "no"
    labels = {o.id: o.label for o in knowledge.findings[fi].options}
    chosen = [labels[str(knowledge.atom_option[a])] for a in yes]
    return ", ".join(chosen) if chosen else "none of these"


def explain(knowledge: Knowledge, obs: Observations, conditions: list[int]) -> list[Explanation]:
    """Explanations for the given condition indexes."""
    prior = np.exp(knowledge.log_prior[obs.band, obs.sex_index])
    if not obs.answers or not conditions:
        return [Explanation(float(prior[c]), (), ()) for c in conditions]
    atoms = np.array([a for _, yes, no in obs.answers for a in (*yes, *no)], dtype=np.intp)
    signs = np.array([s for _, yes, no in obs.answers for s in (*(1,) * len(yes), *(0,) * len(no))], dtype=bool)
    owner = np.array([i for i, (_, yes, no) in enumerate(obs.answers) for _ in (*yes, *no)], dtype=np.intp)
    cols = knowledge.likelihood[:, atoms]
    if obs.complaint >= 0:  # the main complaint counts with its own leak (see Knowledge.complaint_adjust)
        at = atoms == knowledge.finding_start[obs.complaint]
        cols[:, at] *= np.exp(knowledge.complaint_adjust[obs.complaint])[:, None]
    general = np.clip(prior @ cols, 1e-12, 1 - 1e-12)
    rows = cols[conditions]
    log_ratio = np.where(signs, np.log(rows) - np.log(general), np.log1p(-rows) - np.log1p(-general))
    per_answer = np.zeros((len(conditions), len(obs.answers)))
    np.add.at(per_answer.T, owner, log_ratio.T)

    texts: dict[int, str] = {}

    def reason(i: int, log_factor: float) -> Reason:
        fi, yes, _ = obs.answers[i]
        if i not in texts:
            texts[i] = _answer_text(knowledge, fi, yes)
        f = knowledge.findings[fi]
        return Reason(f.id, f.name, texts[i], float(np.exp(log_factor)))

    cut = np.log(_MIN_FACTOR)
    order = np.argsort(-per_answer, axis=1, kind="stable")
    out = []
    for row, ranks, c in zip(per_answer, order, conditions, strict=True):
        raised = tuple(reason(int(i), row[i]) for i in ranks[:_SHOWN] if row[i] >= cut)
        lowered = tuple(reason(int(i), row[i]) for i in ranks[::-1][:_SHOWN] if row[i] <= -cut)
        out.append(Explanation(float(prior[c]), raised, lowered))
    return out


def tells_apart(knowledge: Knowledge, p: FloatArray, finding: int, top: npt.NDArray[np.intp]) -> list[int]:
    """The likely conditions whose answers to ``finding`` differ most from the rest (up to three)."""
    start, stop = int(knowledge.finding_start[finding]), int(knowledge.finding_stop[finding])
    block = knowledge.likelihood[:, start:stop]
    mix = p @ block
    spread = p[top] * np.abs(block[top] - mix).sum(axis=1)
    order = top[np.argsort(-spread, kind="stable")]
    return [int(c) for c in order[:3] if p[c] >= 0.005]


def _names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def question_reason(
    knowledge: Knowledge,
    apart: list[int],
    safety_for: int | None,
    rule: RedFlagRule | None = None,
    finding: int | None = None,
) -> str:
    if rule is not None:
        need = CARE_WORDS[rule.level]
        guarded = [knowledge.condition(c).name for c in rule.conditions[:2] if c in knowledge.condition_index]
        what = _names(guarded) if guarded else "a serious problem"
        background = finding is not None and knowledge.findings[finding].category.value in ("history", "risk_factor")
        if background:
            return f"With your other answers, this can point to {what}, which needs {need}: we check it to be safe."
        return f"A warning sign of {what}, which needs {need}: we check for it in everyone with these symptoms."
    if safety_for is not None:
        c = knowledge.conditions[safety_for]
        level = "emergency care" if c.care.value == "emergency" else "prompt care"
        return f"Asked early to rule out {c.name}, which is uncommon but needs {level}."
    names = [knowledge.conditions[c].name for c in apart]
    if len(names) >= 2:
        return f"This helps tell apart {', '.join(names[:-1])} and {names[-1]}."
    if names:
        return f"This helps tell whether {names[0]} is the cause."
    return "This helps narrow down the possible causes."
