"""Conformance: what every knowledge pack, shipped or imported, must satisfy beyond its schema.

- it validates (schema, references, ICD-10-CM codes, probabilities inside (0, 1), provenance);
- every condition is reachable by the quiz: some main complaint that it causes is common in it (P >= 0.1),
  so a person with it can start from a complaint that leads there;
- every must-not-miss condition has a red flag the interview can ask first;
- every condition has a prior above zero for at least one age band and sex.
"""

from __future__ import annotations

import numpy as np

from careguide.kb.compile import Knowledge, compile_pack
from careguide.kb.loader import PackFiles
from careguide.kb.schema import AnswerType
from careguide.kb.validate import check_files

__all__ = ["conformance_problems"]

_REACH = 0.1


def conformance_problems(files: PackFiles) -> list[str]:
    """Every way ``files`` falls short of the conformance rules, as readable sentences."""
    problems = [str(p) for p in check_files(files)]
    if problems:
        return problems
    k: Knowledge = compile_pack(files)
    complaints = [f for f in k.findings if f.complaint and f.type is AnswerType.YES_NO]
    if not complaints:
        problems.append("no finding is marked as a main complaint, so the quiz cannot start")
    for ci, c in enumerate(k.conditions):
        if not any(
            (link := c.findings.get(f.id)) is not None and link.explains and (link.p or 0.0) >= _REACH
            for f in complaints
        ):
            problems.append(f"{c.id}: no main complaint it causes has P >= {_REACH}, so the quiz cannot reach it")
        if c.must_not_miss and not k.red_flags[ci]:
            problems.append(f"{c.id}: must-not-miss but has no red flag")
        if not np.isfinite(k.log_prior[:, :, ci]).any():
            problems.append(f"{c.id}: its prior is zero for every age band and sex")
    return problems
