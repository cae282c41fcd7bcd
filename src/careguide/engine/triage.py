"""Care level: how urgently to seek care, from red-flag rules and from the posterior."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from careguide.engine.case import Observations
from careguide.kb.compile import SEXES, Knowledge
from careguide.kb.schema import CareLevel, RedFlagRule

__all__ = ["CARE_WORDS", "CareAdvice", "CareReason", "care_advice", "fired_rules", "fits_person", "is_present"]

_LEVELS = (CareLevel.EMERGENCY, CareLevel.URGENT, CareLevel.ROUTINE)
# How each care level is said in sentences ("... needs care within 24 hours").
CARE_WORDS = {
    CareLevel.EMERGENCY: "emergency care",
    CareLevel.URGENT: "care within 24 hours",
    CareLevel.ROUTINE: "a doctor's appointment",
    CareLevel.SELF_CARE: "self-care",
}


@dataclass(frozen=True)
class CareReason:
    level: CareLevel
    text: str
    rule: str | None = None  # id of the red-flag rule that fired, if any
    conditions: tuple[str, ...] = ()


@dataclass(frozen=True)
class CareAdvice:
    level: CareLevel
    reasons: tuple[CareReason, ...]

    @property
    def red_flags(self) -> tuple[CareReason, ...]:
        return tuple(r for r in self.reasons if r.rule is not None)


def is_present(knowledge: Knowledge, obs: Observations, ref: str) -> bool:
    """Whether ``finding`` or ``finding:option`` was answered present / chosen."""
    fid, _, opt = ref.partition(":")
    if opt:
        return bool(obs.present_atom_mask[knowledge.option_atom[(fid, opt)]])
    return bool(obs.present_findings[knowledge.finding_index[fid]])


def fits_person(knowledge: Knowledge, obs: Observations, rule: RedFlagRule) -> bool:
    """Whether the rule's age and sex limits admit this person."""
    if rule.min_age is not None and obs.age < rule.min_age:
        return False
    if rule.max_age is not None and obs.age > rule.max_age:
        return False
    return rule.sex is None or SEXES[obs.sex_index] == rule.sex


def _fires(knowledge: Knowledge, obs: Observations, rule: RedFlagRule) -> bool:
    if not fits_person(knowledge, obs, rule):
        return False
    return (
        all(is_present(knowledge, obs, r) for r in rule.all)
        and (not rule.any or any(is_present(knowledge, obs, r) for r in rule.any))
        and not any(is_present(knowledge, obs, r) for r in rule.none)
    )


def fired_rules(knowledge: Knowledge, obs: Observations) -> list[RedFlagRule]:
    return [rule for rule in knowledge.rules if _fires(knowledge, obs, rule)]


def care_advice(
    knowledge: Knowledge, obs: Observations, p: npt.NDArray[np.float64], thresholds: dict[CareLevel, float]
) -> CareAdvice:
    """The most urgent of: each fired red-flag rule's level, and the most urgent level L whose
    conditions (those needing L or more urgent care) together reach L's probability threshold.

    Summing over conditions is a safety choice: it reaches every level that a single condition would
    reach alone, and also catches several moderately likely conditions that all need urgent care.
    """
    reasons = [
        CareReason(rule.level, rule.reason, rule.id, tuple(rule.conditions))
        for rule in sorted(fired_rules(knowledge, obs), key=lambda r: -r.level.rank)
    ]
    for level in _LEVELS:
        members = np.flatnonzero(knowledge.care_rank >= level.rank)
        mass = float(p[members].sum())
        if mass >= thresholds[level]:
            top = members[np.argsort(-p[members], kind="stable")][:3]
            names = ", ".join(f"{knowledge.conditions[i].name} ({p[i]:.0%})" for i in top if p[i] >= 0.005)
            text = f"Conditions that need {CARE_WORDS[level]} or sooner are {mass:.0%} likely from your answers"
            reasons.append(
                CareReason(
                    level,
                    f"{text}: {names}." if names else f"{text}.",
                    None,
                    tuple(knowledge.conditions[i].id for i in top),
                )
            )
            break
    level = max((r.level for r in reasons), key=lambda lv: lv.rank, default=CareLevel.SELF_CARE)
    if not reasons:
        reasons.append(
            CareReason(
                CareLevel.SELF_CARE,
                "No warning signs in your answers, and the likely causes can usually be looked after at home.",
            )
        )
    return CareAdvice(level, tuple(reasons))
