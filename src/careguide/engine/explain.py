"""Readable reasons: why a condition is likely, and why a question is asked.

An answer's weight for a condition is its likelihood ratio against the alternatives: how much more (or
less) likely that answer is with the condition than with the other conditions, weighted by how likely each
of them is from all the *other* answers (the posterior with that one answer taken out). So a reason
"against" is an answer the other likely causes explain better, never one the condition typically has just
because the general population rarely has it; and an answer every likely cause shares (the main complaint)
says nothing either way and is left out. For a several-choices answer all its options count together.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from careguide.engine.case import Observations
from careguide.engine.posterior import log_posterior
from careguide.engine.tables import answer_table, priors
from careguide.engine.triage import CARE_WORDS
from careguide.kb.compile import KIND_YES_NO, Knowledge
from careguide.kb.schema import RedFlagRule

__all__ = ["Explanation", "Reason", "explain", "question_reason", "tells_apart"]

FloatArray = npt.NDArray[np.float64]
_MIN_FACTOR = 1.25  # weaker answers are not worth listing
_SHOWN = 3


def _lower_first(name: str) -> str:
    """ "Chest pain" -> "chest pain", but "NSAID use" and "HIV" keep their capitals."""
    return name[0].lower() + name[1:] if len(name) > 1 and name[1].islower() else name


@dataclass(frozen=True)
class Reason:
    finding: str
    name: str
    answer: str  # "yes", "no", or the chosen options' labels
    factor: float  # likelihood ratio of this answer for the condition against the other likely causes

    @property
    def text(self) -> str:
        if self.factor >= 1:
            effect = f"{self.factor:.1f} times more likely"
        else:
            effect = f"{1 / self.factor:.1f} times less likely"
        return f"{self.name}: {self.answer} (makes it {effect} than the other likely causes)"

    def about(self, condition: str) -> str:
        """The reason as a phrase about ``condition``, read after "Compared with the other likely causes:"."""
        name, more = _lower_first(self.name), self.factor >= 1
        typical = "more typical of" if more else "less typical of"
        if self.answer == "yes":
            return f"{name} is {typical} {condition}"
        if self.answer == "no":
            if more:
                return f"not having {name} fits {condition} better"
            return f"{name} is more typical of {condition}, and you said no to it"
        return f"{name} ({self.answer.lower()}) is {typical} {condition}"


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


def _logsumexp_rows(x: FloatArray) -> FloatArray:
    """log of the sum of exp over each row of ``x`` (answers, conditions).

    The maximum is taken along the rows (fast), but the exponentials are summed in a condition-major
    (conditions, answers) array over its first axis: numpy then adds them in condition order, the same
    additions as before this layout was chosen for speed, so every figure stays the same to the last digit.
    """
    top = np.max(x, axis=1, keepdims=True)
    top = np.where(np.isfinite(top), top, 0.0)
    terms = np.ascontiguousarray(np.exp(x - top).T)
    with np.errstate(divide="ignore"):
        return np.asarray(np.log(terms.sum(axis=0)) + top[:, 0])


def _answer_rows(knowledge: Knowledge, obs: Observations) -> FloatArray:
    """(answers, conditions): log P(answer | condition), the main complaint with its own leak."""
    table = answer_table(knowledge)
    n_atoms = len(knowledge.atom_finding)
    # Each answer's terms (ticked, then unticked) are added one after another from the first.
    terms = [(*yes, *(n_atoms + a for a in no)) for _, yes, no in obs.answers]
    rows = table[[t[0] for t in terms]]
    for i, t in enumerate(terms):
        for a in t[1:]:
            rows[i] += table[a]
    if obs.complaint >= 0:  # see Knowledge.complaint_adjust, as in the posterior
        start = knowledge.finding_start[obs.complaint]
        for i, (_, yes, _) in enumerate(obs.answers):
            if start in yes:
                rows[i] += knowledge.complaint_adjust[obs.complaint]
    return rows


def answer_log_likelihoods(knowledge: Knowledge, obs: Observations) -> FloatArray:
    """(conditions, answers): log P(answer | condition), the main complaint with its own leak."""
    return np.ascontiguousarray(_answer_rows(knowledge, obs).T)


def explain(
    knowledge: Knowledge,
    obs: Observations,
    conditions: list[int],
    log_p: FloatArray | None = None,
    likelihood_exponent: float = 1.0,
) -> list[Explanation]:
    """Explanations for the given condition indexes.

    ``log_p`` is the log posterior the step computed (with ``likelihood_exponent``); computed here if omitted.
    """
    prior = priors(knowledge)[obs.band, obs.sex_index]
    if not obs.answers or not conditions:
        return [Explanation(float(prior[c]), (), ()) for c in conditions]
    if log_p is None:
        log_p = log_posterior(knowledge, obs, likelihood_exponent)
    # Arrays are (answers, conditions): each answer's sums over conditions run along a contiguous row.
    ll = _answer_rows(knowledge, obs)
    scale = likelihood_exponent * knowledge.likelihood_scale
    # The posterior without answer i (unnormalised, log), for every answer i.
    without = log_p - scale * ll
    with np.errstate(invalid="ignore"):
        joint = without + ll
    joint = np.where(np.isfinite(without), joint, -np.inf)

    # log P(answer | the other conditions) for each shown condition c: the sums over all conditions less c's own
    # term, log(exp(total) - exp(own)) = total + log1p(-exp(own - total)), one array operation for all of them.
    # Where c holds nearly all the mass that subtraction loses precision, so those rows are summed directly.
    cs = np.asarray(conditions, dtype=np.intp)
    total_without, total_joint = _logsumexp_rows(without), _logsumexp_rows(joint)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        share_without = np.exp(without[:, cs].T - total_without)
        share_joint = np.exp(joint[:, cs].T - total_joint)
        norm = total_without + np.log1p(-share_without)
        alt = total_joint + np.log1p(-share_joint) - norm
    per_answer = np.where(np.isfinite(norm) & np.isfinite(alt), ll[:, cs].T - alt, 0.0)
    for k in np.flatnonzero(((share_without > 1 - 1e-6) | (share_joint > 1 - 1e-6)).any(axis=1)):
        c = int(cs[k])
        others_without = without.copy()
        others_without[:, c] = -np.inf
        others_joint = joint.copy()
        others_joint[:, c] = -np.inf
        exact_norm = _logsumexp_rows(others_without)
        exact_alt = _logsumexp_rows(others_joint) - exact_norm
        per_answer[k] = np.where(np.isfinite(exact_norm), ll[:, c] - exact_alt, 0.0)

    cut = float(np.log(_MIN_FACTOR))
    order = np.argsort(-per_answer, axis=1, kind="stable")
    raising, lowering = order[:, :_SHOWN].tolist(), order[:, ::-1][:, :_SHOWN].tolist()
    with np.errstate(over="ignore"):
        factors = np.exp(per_answer).tolist()  # the same numbers as np.exp of each entry on its own
    weights = per_answer.tolist()
    texts: dict[int, str] = {}

    def reason(k: int, i: int) -> Reason:
        fi, yes, _ = obs.answers[i]
        if i not in texts:
            texts[i] = _answer_text(knowledge, fi, yes)
        f = knowledge.findings[fi]
        return Reason(f.id, f.name, texts[i], factors[k][i])

    out = []
    for j, c in enumerate(conditions):
        row = weights[j]
        raised = tuple(reason(j, i) for i in raising[j] if row[i] >= cut)
        lowered = tuple(reason(j, i) for i in lowering[j] if row[i] <= -cut)
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
