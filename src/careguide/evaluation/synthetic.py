"""`careguide eval synthetic`: interviews of patients drawn from the knowledge itself.

Each patient has a condition drawn from the prior of a random age band and sex, and answers drawn from
the knowledge's P(finding | condition). The interview starts from a main complaint the patient has and
its condition causes (see simulate.sample_with_complaint), asks up to the budget, and is scored on the true
condition's rank and on the care level: correct when the care given equals the condition's own level,
under-triaged when less urgent; emergencies told less than emergency care are counted on their own.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from careguide.engine import Config
from careguide.evaluation.simulate import interview, sample_with_complaint
from careguide.kb.compile import Knowledge
from careguide.kb.schema import CareLevel

__all__ = ["SyntheticResult", "evaluate_synthetic"]


@dataclass(frozen=True)
class SyntheticResult:
    patients: int
    budget: int
    top1: float
    top3: float
    top5: float
    mean_questions: float
    care_accuracy: float
    under_triaged: float
    over_triaged: float
    emergencies: int  # patients whose condition needs emergency care
    emergencies_missed: int  # of those, told less than emergency care

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def evaluate_synthetic(knowledge: Knowledge, patients: int = 500, budget: int = 20, seed: int = 0) -> SyntheticResult:
    rng = np.random.default_rng(seed)
    config = Config.for_knowledge(knowledge, budget=budget)
    ranks, questions, care_ok, under, over, emergencies, missed = [], [], 0, 0, 0, 0, 0
    for _ in range(patients):
        p, complaint = sample_with_complaint(knowledge, rng)
        final, _ = interview(knowledge, p, complaint, config)
        truth = knowledge.conditions[p.condition]
        ids = [rc.condition.id for rc in final.conditions]
        ranks.append(ids.index(truth.id) + 1 if truth.id in ids else 99)
        questions.append(final.questions_asked)
        got, want = final.care.level.rank, truth.care.rank
        care_ok += got == want
        under += got < want
        over += got > want
        emergencies += want == CareLevel.EMERGENCY.rank
        missed += want == CareLevel.EMERGENCY.rank and got < want
    r = np.array(ranks)
    return SyntheticResult(
        patients=patients,
        budget=budget,
        top1=float(np.mean(r <= 1)),
        top3=float(np.mean(r <= 3)),
        top5=float(np.mean(r <= 5)),
        mean_questions=float(np.mean(questions)),
        care_accuracy=care_ok / patients,
        under_triaged=under / patients,
        over_triaged=over / patients,
        emergencies=emergencies,
        emergencies_missed=missed,
    )
