"""Choosing the next question: expected information gain, parent/child gating and the safety rule.

The gain of asking finding F is the mutual information I(C; F) = H(F) - sum_c p(c) H(F | c). The
conditional entropies H(F | c) are fixed by the knowledge, so one (sparse) matrix-vector product
with the posterior gives both the predicted answer probabilities and their expected entropies for every
question at once (see ``Knowledge.gain_matrix``).

A several-choices question is scored as the sum of its options' gains, which bounds its true gain from
above (the options are independent given the condition); exact scoring would cost 2^k answer patterns.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from careguide.engine.case import Observations
from careguide.engine.tables import findings_fitting, gates, ref_findings
from careguide.engine.triage import present_refs, rules_by_ref, rules_fitting
from careguide.kb.compile import KIND_ONE, KIND_SEVERAL, Knowledge
from careguide.kb.schema import CareLevel, RedFlagRule

__all__ = ["Choice", "askable", "choose", "gains", "rule_choice", "safety_choice"]

FloatArray = npt.NDArray[np.float64]
_EPS = 1e-12


@dataclass(frozen=True)
class Choice:
    finding: int  # finding index
    gain: float  # expected information gain, nats
    safety_for: int | None  # condition index whose danger the question rules out, if chosen for safety
    rule: RedFlagRule | None = None  # the red-flag rule a "yes" would set off, if chosen for that


def _h(q: FloatArray) -> FloatArray:
    q = np.clip(q, _EPS, 1 - _EPS)
    return np.asarray(-(q * np.log(q) + (1 - q) * np.log1p(-q)))


def askable(knowledge: Knowledge, obs: Observations) -> npt.NDArray[np.bool_]:
    """Findings that may be asked now: unanswered, parent present, fitting age and sex."""
    g = gates(knowledge)
    gate = g.ungated | np.where(g.by_option, obs.present_atom_mask[g.parent_atom], obs.present_findings[g.parent])
    return np.asarray(~obs.answered & gate & findings_fitting(knowledge, obs.age, obs.sex_index))


def gains(knowledge: Knowledge, p: FloatArray) -> FloatArray:
    """Expected information gain (nats) of every finding under posterior ``p``."""
    mixed = knowledge.gain_default * p.sum() + knowledge.gain_delta_t @ p
    n_atoms = len(knowledge.atom_finding)
    n_bin = len(knowledge.binary_atoms)
    q = mixed[:n_atoms]
    per_atom = np.empty(n_atoms)
    # Binary atoms: H(q) - E[H | c]; one-choice atoms: their share -q log q of the answer's entropy.
    per_atom[knowledge.binary_atoms] = _h(q[knowledge.binary_atoms]) - mixed[n_atoms : n_atoms + n_bin]
    cat = ~knowledge.atom_binary
    qc = np.clip(q[cat], _EPS, 1.0)
    per_atom[cat] = -qc * np.log(qc)
    out = np.add.reduceat(per_atom, knowledge.finding_start)
    out[knowledge.one_choice_findings] -= mixed[n_atoms + n_bin :]
    # No question can tell more than the remaining uncertainty; this also caps the upper bound used for
    # several-choices questions with many options.
    possible = p[p > 0]
    entropy = float(-(possible * np.log(possible)).sum())
    return np.clip(out, 0.0, entropy)


def _categorical_entropy(v: FloatArray) -> float:
    return float(-(v * np.log(np.clip(v, _EPS, 1.0))).sum())


def _binary_gain(knowledge: Knowledge, fi: int, ci: int, p: FloatArray) -> float:
    """I(Z; F) where Z is "condition ci or not": how much asking fi tells about that one condition."""
    start, stop = int(knowledge.finding_start[fi]), int(knowledge.finding_stop[fi])
    pc = float(p[ci])
    q = p @ knowledge.likelihood[:, start:stop]
    lc = knowledge.likelihood[ci, start:stop]
    rest = np.clip((q - pc * lc) / max(1 - pc, _EPS), _EPS, 1.0)
    if knowledge.finding_kind[fi] == KIND_ONE:
        ent = _categorical_entropy
        return ent(q) - pc * ent(lc) - (1 - pc) * ent(rest)
    total = _h(q) - pc * _h(lc) - (1 - pc) * _h(rest)
    return float(total.sum()) if knowledge.finding_kind[fi] == KIND_SEVERAL else float(total[0])


def safety_choice(
    knowledge: Knowledge,
    p: FloatArray,
    can_ask: npt.NDArray[np.bool_],
    threshold: float,
    min_gain: float = 1e-4,
) -> Choice | None:
    """The safety rule: while a must-not-miss condition is at or above ``threshold``, ask its most
    telling unasked red-flag question first (most probable such condition first). A red flag that
    would tell less than ``min_gain`` nats about the condition is not worth asking for safety."""
    candidates = np.flatnonzero(knowledge.must_not_miss & (p >= threshold))
    if candidates.size == 0:
        return None
    for ci in candidates[np.argsort(-p[candidates], kind="stable")]:
        best: tuple[float, int] | None = None
        for fi in knowledge.red_flags[ci]:
            if not can_ask[fi]:
                continue
            g = _binary_gain(knowledge, fi, int(ci), p)
            if g > min_gain and (best is None or g > best[0]):
                best = (g, fi)
        if best is not None:
            return Choice(best[1], best[0], int(ci))
    return None


def _in_protocol(knowledge: Knowledge, obs: Observations, rule: RedFlagRule, present: frozenset[str]) -> bool:
    """Whether the rule belongs to the protocol of the person's main complaint (or of a complaint they have)."""
    if obs.complaint >= 0 and knowledge.findings[obs.complaint].id in rule.complaints:
        return True
    return any(c in present for c in rule.complaints)


@functools.lru_cache(maxsize=1024)
def _concern_complaint(knowledge: Knowledge, complaint: int) -> frozenset[int]:
    """Positions of the rules that concern a person with main complaint ``complaint`` before any other answer:
    those of its protocol, and general warning signs (no protocol) whose conditions cause it. Fixed by the
    knowledge, so cached per pack and complaint."""
    fid = knowledge.findings[complaint].id
    out = set()
    for i, rule in enumerate(knowledge.rules):
        if fid in rule.complaints:
            out.add(i)
        elif not rule.complaints:
            links = (knowledge.condition(cid).findings.get(fid) for cid in rule.conditions)
            if any(link is not None and link.explains for link in links):
                out.add(i)
    return frozenset(out)


@functools.lru_cache(maxsize=32)
def _by_protocol(knowledge: Knowledge) -> dict[str, tuple[int, ...]]:
    """Complaint id -> positions of the rules of its protocol."""
    index: dict[str, list[int]] = {}
    for i, rule in enumerate(knowledge.rules):
        for c in rule.complaints:
            index.setdefault(c, []).append(i)
    return {c: tuple(rules) for c, rules in index.items()}


def rule_choice(
    knowledge: Knowledge, obs: Observations, can_ask: npt.NDArray[np.bool_], g: FloatArray, care_rank: int
) -> Choice | None:
    """A question whose "yes" would set off a red-flag rule more urgent than the care level so far.

    Guidelines screen every person with a complaint for its red flags, however rare the conditions behind
    them (NICE NG59: cauda equina, cancer, infection, fracture), so these come before questions chosen for
    information. The most urgent rule first; among its questions the most informative.
    """
    best: tuple[int, float, int, RedFlagRule] | None = None
    present = present_refs(knowledge, obs)
    # Only rules that can concern this person are looked at (see below): those naming an answer they gave,
    # those of the protocol of their complaint or of a complaint they have, and general warning signs whose
    # conditions cause their complaint. In pack order, so ties are broken as before.
    by_ref, by_protocol = rules_by_ref(knowledge), _by_protocol(knowledge)
    near = {i for ref in present for i in (*by_ref.get(ref, ()), *by_protocol.get(ref, ()))}
    complaint_rules = _concern_complaint(knowledge, int(obs.complaint)) if obs.complaint >= 0 else frozenset()
    fits = rules_fitting(knowledge, obs.age, obs.age_months, obs.sex_index)
    ref_finding = ref_findings(knowledge)
    # A ref may still be answered present when its finding is not answered yet and is asked of this person.
    can_come = ~obs.answered & findings_fitting(knowledge, obs.age, obs.sex_index)
    for i in sorted(near | complaint_rules):
        rule = knowledge.rules[i]
        if rule.level.rank <= care_rank or not fits[i]:
            continue
        if any(r in present for r in rule.none):
            continue
        missing = [r for r in rule.all if r not in present]
        any_ok = not rule.any or any(r in present for r in rule.any)
        # A rule is screened for when it concerns this person: it is in the protocol of their main complaint,
        # or they have one of its findings; a rule of no protocol (a general warning sign) also when its
        # conditions cause their main complaint. So a headache is not screened with the back-pain warning
        # signs, and a baby with diarrhoea is not asked about back pain.
        # Emergencies are screened for from two answers away ("sudden severe pain" before "fainting").
        has_one = len(missing) < len(rule.all) or (bool(rule.any) and any_ok)
        if rule.complaints:
            concerns = has_one or _in_protocol(knowledge, obs, rule, present)
        else:
            concerns = has_one or i in complaint_rules
        if not concerns:
            continue
        reach = 2 if rule.level is CareLevel.EMERGENCY and concerns else 1
        if not all(can_come[ref_finding[r]] for r in missing):
            continue  # a missing answer was already given otherwise, or cannot be asked of this person
        if 0 < len(missing) <= reach - (0 if any_ok else 1):
            refs = missing
        elif not missing and not any_ok:
            refs = list(rule.any)
        else:
            continue  # too many answers away
        spare = reach - (0 if any_ok else 1) - len(missing)
        for ref in refs:
            fi = ref_finding[ref]
            parent = int(knowledge.parent_finding[fi])
            if not can_ask[fi] and spare >= 1 and parent >= 0:
                # A warning sign asked only once its parent is present ("a serious accident" after "an injury")
                # is screened through the parent, one answer further away.
                fi = parent
            if can_ask[fi]:
                key = (rule.level.rank, float(g[fi]), fi, rule)
                if best is None or key[:2] > best[:2]:
                    best = key
    if best is None:
        return None
    return Choice(best[2], best[1], None, best[3])


def choose(
    knowledge: Knowledge, obs: Observations, p: FloatArray, safety_threshold: float, care_rank: int = 0
) -> tuple[Choice | None, Choice | None, FloatArray]:
    """(safety choice, best choice by information gain, every finding's gain with -1 where not askable);
    either choice may be None.

    The safety choice is a red flag that would set off a rule raising the care level, else a red flag of
    a must-not-miss condition that is still possible (see safety_choice).
    """
    can_ask = askable(knowledge, obs)
    if not can_ask.any():
        return None, None, np.full(knowledge.n_findings, -1.0)
    g = np.where(can_ask, gains(knowledge, p), -1.0)
    safety = rule_choice(knowledge, obs, can_ask, g, care_rank) or safety_choice(
        knowledge, p, can_ask, safety_threshold
    )
    best = int(np.argmax(g))
    return safety, (Choice(best, float(g[best]), None) if g[best] >= 0 else None), g
