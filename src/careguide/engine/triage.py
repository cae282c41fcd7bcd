"""Care level: how urgently to seek care, from red-flag rules and from the posterior."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import numpy.typing as npt

from careguide.engine.case import Observations
from careguide.engine.tables import atom_refs
from careguide.kb.compile import SEXES, Knowledge
from careguide.kb.schema import CareLevel, RedFlagRule

# A condition less likely than 1 in 200 does not count towards the care level (see level_masses); chosen on the
# development vignettes (over-triage 69 -> 63 of 185 with under-triage unchanged) and documented in docs/engine.md.
CARE_FLOOR = 0.005

__all__ = [
    "CARE_FLOOR",
    "CARE_WORDS",
    "CareAdvice",
    "CareReason",
    "care_advice",
    "fired_rules",
    "fits_person",
    "is_present",
    "least_harm",
    "level_masses",
    "present_refs",
    "rules_by_ref",
    "rules_fitting",
]

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
    advice: str | None = None  # what to do now and while waiting (from the rule)


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


def present_refs(knowledge: Knowledge, obs: Observations) -> frozenset[str]:
    """Every ``finding`` and ``finding:option`` answered present / chosen, as the refs rules use: checking a
    rule is then set lookups (hundreds of rules are checked at every step). Read from the answers (a finding
    is present exactly when an answer to it ticks an atom) rather than from the (F,) and (A,) masks."""
    findings, refs_of_atom = knowledge.findings, atom_refs(knowledge)
    refs = set()
    for fi, yes, _ in obs.answers:
        if yes:
            refs.add(findings[fi].id)
            refs.update(r for r in (refs_of_atom[a] for a in yes) if r is not None)
    return frozenset(refs)


def fits_person(knowledge: Knowledge, obs: Observations, rule: RedFlagRule) -> bool:
    """Whether the rule's age and sex limits admit this person.

    Month bounds concern children under 2. When the months are not known, a child of that age in years is
    taken to fit (a baby of 0 years may be under 3 months): the rule errs on the safe side.
    """
    return _fits(rule, obs.age, obs.age_months, obs.sex_index)


def _fits(rule: RedFlagRule, age: int, age_months: int | None, sex_index: int) -> bool:
    if rule.min_age is not None and age < rule.min_age:
        return False
    if rule.max_age is not None and age > rule.max_age:
        return False
    if rule.min_age_months is not None or rule.max_age_months is not None:
        if age_months is not None:
            months = age_months
            if rule.min_age_months is not None and months < rule.min_age_months:
                return False
            if rule.max_age_months is not None and months > rule.max_age_months:
                return False
        else:
            lowest, highest = 12 * age, 12 * age + 11
            if rule.min_age_months is not None and highest < rule.min_age_months:
                return False
            if rule.max_age_months is not None and lowest > rule.max_age_months:
                return False
    return rule.sex is None or SEXES[sex_index] == rule.sex


@functools.lru_cache(maxsize=4096)
def rules_fitting(knowledge: Knowledge, age: int, age_months: int | None, sex_index: int) -> tuple[bool, ...]:
    """Per rule (in ``knowledge.rules`` order), :func:`fits_person` for a person of this age and sex: it
    depends on nothing else, so it is worked out once per pack and person rather than at every step."""
    return tuple(_fits(rule, age, age_months, sex_index) for rule in knowledge.rules)


def _fitting(knowledge: Knowledge, obs: Observations) -> tuple[bool, ...]:
    return rules_fitting(knowledge, obs.age, obs.age_months, obs.sex_index)


def _fires(rule: RedFlagRule, fits: bool, present: frozenset[str]) -> bool:
    return (
        all(r in present for r in rule.all)
        and (not rule.any or any(r in present for r in rule.any))
        and not any(r in present for r in rule.none)
        and fits
    )


@functools.lru_cache(maxsize=32)
def rules_by_ref(knowledge: Knowledge) -> Mapping[str, tuple[int, ...]]:
    """Ref -> positions (in knowledge.rules) of the rules that name it in ``all`` or ``any``: only those can
    fire or come near firing when it is present (fixed by the knowledge, so cached per pack)."""
    index: dict[str, list[int]] = {}
    for i, rule in enumerate(knowledge.rules):
        for ref in {*rule.all, *rule.any}:
            index.setdefault(ref, []).append(i)
    return MappingProxyType({ref: tuple(rules) for ref, rules in index.items()})


def fired_rules(knowledge: Knowledge, obs: Observations) -> list[RedFlagRule]:
    present = present_refs(knowledge, obs)
    index = rules_by_ref(knowledge)
    near = sorted({i for ref in present for i in index.get(ref, ())})
    fits = _fitting(knowledge, obs)
    return [knowledge.rules[i] for i in near if _fires(knowledge.rules[i], fits[i], present)]


def level_masses(
    knowledge: Knowledge, p: npt.NDArray[np.float64], floor: float = CARE_FLOOR
) -> npt.NDArray[np.float64]:
    """P(the person needs each level), self-care .. emergency: the posterior summed by condition care level.

    Conditions below ``floor`` do not count: with hundreds of conditions, the crumbs of probability left on
    conditions the answers do not point to would otherwise add up to a level of their own.
    """
    kept = np.where(p >= floor, p, 0.0)
    return np.asarray(np.bincount(knowledge.care_rank, weights=kept, minlength=4), dtype=np.float64)


def least_harm(masses: npt.NDArray[np.float64], costs: dict[CareLevel, float], floor: int = 0) -> int:
    """The care rank with the least expected harm, no lower than ``floor`` (the fired rules' level).

    Choosing rank a when the person needs rank t costs, if a < t, the sum of costs[L] of each level L
    failed (a < L <= t); if a > t, 1 for each level too urgent. Ties go to the more urgent level.
    """
    harms = _harm_table(costs[CareLevel.ROUTINE], costs[CareLevel.URGENT], costs[CareLevel.EMERGENCY])
    need = [float(m) for m in masses]
    best, best_harm = floor, float("inf")
    for a in range(floor, 4):
        harm = 0.0
        for t in range(4):
            harm += need[t] * harms[a][t]
        if harm <= best_harm + 1e-12:
            best, best_harm = a, harm
    return best


@functools.lru_cache(maxsize=64)
def _harm_table(routine: float, urgent: float, emergency: float) -> tuple[tuple[float, ...], ...]:
    """[a][t]: the harm of choosing rank a when the person needs rank t (see least_harm)."""
    step_cost = [0.0, routine, urgent, emergency]
    return tuple(tuple(sum(step_cost[a + 1 : t + 1]) if t > a else float(a - t) for t in range(4)) for a in range(4))


_BY_RANK = {lv.rank: lv for lv in CareLevel}


def care_advice(
    knowledge: Knowledge, obs: Observations, p: npt.NDArray[np.float64], costs: dict[CareLevel, float]
) -> CareAdvice:
    """The care level with the least expected harm under the posterior, and at least the level of every
    red-flag rule that fired (see least_harm and docs/engine.md)."""
    reasons = [
        CareReason(rule.level, rule.reason, rule.id, tuple(rule.conditions), rule.advice)
        for rule in sorted(fired_rules(knowledge, obs), key=lambda r: -r.level.rank)
    ]
    floor = max((r.level.rank for r in reasons), default=0)
    chosen = least_harm(level_masses(knowledge, p), costs, floor)
    if chosen > floor:
        level = _BY_RANK[chosen]
        members = np.flatnonzero((knowledge.care_rank >= chosen) & (p >= CARE_FLOOR))
        mass = float(p[members].sum())
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
    level = _BY_RANK[chosen]
    if not reasons:
        reasons.append(
            CareReason(
                CareLevel.SELF_CARE,
                "No warning signs in your answers, and the likely causes can usually be looked after at home.",
            )
        )
    return CareAdvice(level, tuple(reasons))
