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

from careguide.engine.triage import least_harm, level_masses
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
    for fi in [*warning_signs, *candidates.tolist()]:
        floor_chance = 0.0 if fi in warning_signs else min_answer
        for yes, no in _answers(knowledge, int(fi)):
            log_like = np.zeros_like(log_p)
            for a in yes:
                log_like += knowledge.log_l_t[a]
            for a in no:
                log_like += knowledge.log_1ml_t[a]
            joint = log_p + log_like
            top = float(joint.max())
            chance = float(np.exp(top) * np.exp(joint - top).sum())  # P(this answer)
            if chance < floor_chance:
                continue
            scores = log_p + exponent * knowledge.likelihood_scale * log_like
            q = np.exp(scores - scores.max())
            q /= q.sum()
            if int(np.argmax(q)) not in leaders or least_harm(level_masses(knowledge, q), costs, floor) != level:
                return False
    return True
