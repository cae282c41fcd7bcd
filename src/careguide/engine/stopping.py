"""When the interview can stop early: no likely answer to the best remaining questions would change the care
level or bring a condition from outside the three leading ones to the top ("settled").

Asking on after that costs the person time and teaches nothing that changes what they are told to do. The check
looks ahead one answer: for each of the most informative questions left, and each answer at least
``min_answer`` likely under the current posterior, the posterior after that answer is computed; if no such answer
moves the care level (least expected harm, above the fired rules' floor) or puts a condition outside the current
three leading ones first, the interview is settled.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from careguide.engine.tables import answer_table
from careguide.engine.triage import CARE_FLOOR, least_harm, level_masses
from careguide.kb.compile import KIND_ONE, KIND_SEVERAL, Knowledge
from careguide.kb.schema import CareLevel

__all__ = ["settled"]

FloatArray = npt.NDArray[np.float64]


def _answers(knowledge: Knowledge, fi: int) -> list[tuple[list[int], list[int]]]:
    """The answers to finding ``fi`` looked ahead at, as (atoms present, atoms absent)."""
    start, stop = int(knowledge.finding_start[fi]), int(knowledge.finding_stop[fi])
    atoms = list(range(start, stop))
    kind = knowledge.finding_kind[fi]
    if kind == KIND_ONE:
        return [([a], []) for a in atoms]
    if kind == KIND_SEVERAL:
        # None ticked, or one option ticked (the rest not): the answers that differ most.
        return [([], atoms)] + [([a], [b for b in atoms if b != a]) for a in atoms]
    return [([start], []), ([], [start])]


def settled(
    knowledge: Knowledge,
    log_p: FloatArray,
    candidates: npt.NDArray[np.intp],
    costs: dict[CareLevel, float],
    floor: int,
    exponent: float = 1.0,
    min_answer: float = 0.05,
    warning_signs: tuple[int, ...] = (),
) -> bool:
    """Whether no likely answer to any of ``candidates`` (finding indexes) changes the care level or puts a
    condition outside the three leading ones first, under the log posterior ``log_p``. For ``warning_signs``
    (a must-not-miss condition's red flag pending), every answer counts however unlikely: a warning sign that
    would change the advice is always asked."""
    p = np.exp(log_p)
    level = least_harm(level_masses(knowledge, p), costs, floor)
    leaders = set(np.argsort(-p, kind="stable")[:3].tolist())
    # Every answer looked at, one row each: its log likelihood, the terms added one after another from zero
    # (the first as it is), so each row holds the same numbers as summing that answer on its own.
    table, n_atoms = answer_table(knowledge), len(knowledge.atom_finding)
    terms: list[tuple[int, ...]] = []
    chance_floor: list[float] = []
    for fi in [*warning_signs, *candidates.tolist()]:
        floor_chance = 0.0 if fi in warning_signs else min_answer
        for yes, no in _answers(knowledge, int(fi)):
            terms.append((*yes, *(n_atoms + a for a in no)))
            chance_floor.append(floor_chance)
    if not terms:
        return True
    log_like = table[[t[0] for t in terms]]
    for i, t in enumerate(terms):
        for a in t[1:]:
            log_like[i] += table[a]
    # P(each answer); a row's sum runs along it as the sum of that row alone would.
    joint = log_p + log_like
    top = joint.max(axis=1)
    chance = np.exp(top) * np.exp(joint - top[:, None]).sum(axis=1)
    rows = np.flatnonzero(~(chance < np.array(chance_floor)))
    if rows.size == 0:
        return True
    scores = log_p + (exponent * knowledge.likelihood_scale) * log_like[rows]
    q = np.exp(scores - scores.max(axis=1, keepdims=True))
    q /= q.sum(axis=1, keepdims=True)
    if any(int(c) not in leaders for c in np.argmax(q, axis=1)):
        return False
    return all(least_harm(m, costs, floor) == level for m in _level_masses_rows(knowledge, q))


def _level_masses_rows(knowledge: Knowledge, q: FloatArray) -> FloatArray:
    """(rows, 4): :func:`level_masses` of each row of ``q``, in one ``bincount`` that adds each row's conditions
    in the same order as it does for that row alone."""
    kept = np.where(q >= CARE_FLOOR, q, 0.0)
    bins = (np.arange(q.shape[0])[:, None] * 4 + knowledge.care_rank).ravel()
    masses = np.bincount(bins, weights=kept.ravel(), minlength=4 * q.shape[0])
    return np.asarray(masses, dtype=np.float64).reshape(-1, 4)
