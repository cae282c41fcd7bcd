"""Interview and triage settings, with defaults a pack may override in pack.yaml."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

from careguide.kb.compile import Knowledge
from careguide.kb.schema import CareLevel

__all__ = ["Config", "costs_from_thresholds"]

# The harm of leaving a person who needs a level below it, per level failed, against an over-triage cost of 1
# per level too urgent (see docs/engine.md, "Care level"). Going up to level L pays once
# P(needs L or more) > 1 / (1 + cost[L]): 19 -> 5%, 5.67 -> 15%, 1.86 -> 35%.
_DEFAULT_COSTS = MappingProxyType({CareLevel.EMERGENCY: 19.0, CareLevel.URGENT: 5.67, CareLevel.ROUTINE: 1.86})


def costs_from_thresholds(thresholds: dict[CareLevel, float]) -> MappingProxyType[CareLevel, float]:
    """Under-triage costs equivalent to summed-probability thresholds (the model before 2026-12)."""
    return MappingProxyType({**_DEFAULT_COSTS, **{lv: (1 - t) / t for lv, t in thresholds.items()}})


@dataclass(frozen=True)
class Config:
    """How the engine interviews and triages.

    budget: the most questions asked (the main complaint does not count).
    confidence: stop once the top condition reaches this probability (and no safety question is left).
    min_gain: stop once no question is expected to gain this much information (nats).
    safety_threshold: a must-not-miss condition at or above this probability has its red flags asked first.
    care_costs: the harm of failing to give a person the care level they need (per level failed); an
        over-triage costs 1 per level. The care level is the one with the least expected harm.
    likelihood_exponent: tempers the answers' likelihoods (1 = plain naive Bayes, lower = less overconfident).
    top_n: how many conditions a step explains.
    stop_when_settled, settle_after, settle_lookahead, stop_on_emergency: see the fields below.
    """

    budget: int = 20
    confidence: float = 0.9
    min_gain: float = 1e-3
    safety_threshold: float = 0.01
    care_costs: MappingProxyType[CareLevel, float] = field(default_factory=lambda: _DEFAULT_COSTS)
    likelihood_exponent: float = 1.0
    top_n: int = 10
    # Stop once no likely answer to the best remaining questions would change the care level or the leading
    # condition (engine.stopping), after at least settle_after questions, looking at settle_lookahead questions.
    stop_when_settled: bool = True
    settle_after: int = 3
    settle_lookahead: int = 8
    # An answer less likely than this is not looked at when checking whether the interview is settled (a pending
    # red flag of a must-not-miss condition is looked at whatever its chance).
    settle_min_answer: float = 0.15
    # Whether the interview ends when an emergency rule fires. The site, the API and the terminal quiz tell the
    # person at once either way (Step.alert); by default the interview can go on, for those who want to learn
    # more, and the differential keeps improving.
    stop_on_emergency: bool = False

    @classmethod
    def for_knowledge(cls, knowledge: Knowledge, **overrides: Any) -> Config:
        """Defaults, then the pack's own settings, then ``overrides``."""
        settings = knowledge.pack.engine
        config = cls()
        pack_values: dict[str, Any] = {
            k: v for k, v in settings.model_dump().items() if v is not None and k not in ("care_costs",)
        }
        if settings.care_costs:
            pack_values["care_costs"] = MappingProxyType({**_DEFAULT_COSTS, **settings.care_costs})
        if "care_thresholds" in overrides:
            overrides["care_costs"] = costs_from_thresholds(dict(overrides.pop("care_thresholds")))
        if "care_costs" in overrides and not isinstance(overrides["care_costs"], MappingProxyType):
            overrides["care_costs"] = MappingProxyType({**_DEFAULT_COSTS, **overrides["care_costs"]})
        return replace(config, **{**pack_values, **overrides})
