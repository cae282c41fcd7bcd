"""Interview and triage settings, with defaults a pack may override in pack.yaml."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

from careguide.kb.compile import Knowledge
from careguide.kb.schema import CareLevel

__all__ = ["Config"]

_DEFAULT_THRESHOLDS = MappingProxyType({CareLevel.EMERGENCY: 0.05, CareLevel.URGENT: 0.15, CareLevel.ROUTINE: 0.35})


@dataclass(frozen=True)
class Config:
    """How the engine interviews and triages.

    budget: the most questions asked (the main complaint does not count).
    confidence: stop once the top condition reaches this probability (and no safety question is left).
    min_gain: stop once no question is expected to gain this much information (nats).
    safety_threshold: a must-not-miss condition at or above this probability has its red flags asked first.
    care_thresholds: the care level is the most urgent level whose conditions together reach its threshold.
    likelihood_exponent: tempers the answers' likelihoods (1 = plain naive Bayes, lower = less overconfident).
    top_n: how many conditions a step explains.
    """

    budget: int = 20
    confidence: float = 0.9
    min_gain: float = 1e-3
    safety_threshold: float = 0.01
    care_thresholds: MappingProxyType[CareLevel, float] = field(default_factory=lambda: _DEFAULT_THRESHOLDS)
    likelihood_exponent: float = 1.0
    top_n: int = 10

    @classmethod
    def for_knowledge(cls, knowledge: Knowledge, **overrides: Any) -> Config:
        """Defaults, then the pack's own settings, then ``overrides``."""
        settings = knowledge.pack.engine
        config = cls()
        pack_values: dict[str, Any] = {
            k: v for k, v in settings.model_dump().items() if v is not None and k != "care_thresholds"
        }
        if settings.care_thresholds:
            pack_values["care_thresholds"] = MappingProxyType({**_DEFAULT_THRESHOLDS, **settings.care_thresholds})
        if "care_thresholds" in overrides and not isinstance(overrides["care_thresholds"], MappingProxyType):
            overrides["care_thresholds"] = MappingProxyType({**_DEFAULT_THRESHOLDS, **overrides["care_thresholds"]})
        return replace(config, **{**pack_values, **overrides})
