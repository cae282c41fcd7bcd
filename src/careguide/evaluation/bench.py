"""`careguide bench`: how long one engine step takes, on the shipped pack and a generated large one."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass

import numpy as np

from careguide.engine import Case, Config, Step, step
from careguide.evaluation.simulate import interview, sample_with_complaint
from careguide.kb.compile import Knowledge

__all__ = ["Timing", "time_steps"]


@dataclass(frozen=True)
class Timing:
    pack: str
    conditions: int
    findings: int
    steps: int
    interviews: int
    median_ms: float
    p95_ms: float
    steps_per_second: float

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def time_steps(knowledge: Knowledge, name: str, min_steps: int = 2000, seed: int = 0) -> Timing:
    """Time every step of simulated interviews (each step = posterior, care, explanations and the
    next question) until at least ``min_steps`` steps have run."""
    rng = np.random.default_rng(seed)
    durations: list[float] = []
    config = Config.for_knowledge(knowledge)

    def timed(k: Knowledge, case: Case, c: Config | None) -> Step:
        t0 = time.perf_counter()
        out = step(k, case, c)
        durations.append(time.perf_counter() - t0)
        return out

    interviews = 0
    while len(durations) < min_steps:
        patient, complaint = sample_with_complaint(knowledge, rng)
        interview(knowledge, patient, complaint, config, stepper=timed)
        interviews += 1
    d = np.array(durations)
    return Timing(
        name,
        knowledge.n_conditions,
        knowledge.n_findings,
        d.size,
        interviews,
        float(np.median(d) * 1e3),
        float(np.percentile(d, 95) * 1e3),
        float(d.size / d.sum()),
    )
