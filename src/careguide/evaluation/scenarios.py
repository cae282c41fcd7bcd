"""Clinical scenarios: an age, sex and answers, with the care level and the condition expected in the top 3.

A scenario that fails is a finding about the knowledge, to be fixed in the knowledge, not in the scenario.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from careguide.engine import Case, Step, step
from careguide.kb.compile import Knowledge
from careguide.kb.schema import CareLevel

__all__ = ["Scenario", "ScenarioResult", "load_scenarios", "run_scenario"]


class Scenario(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    description: str
    age: int = Field(ge=0, le=120)
    age_months: int | None = Field(default=None, ge=0, le=23)  # for babies under 2
    sex: Literal["female", "male"]
    complaint: str
    answers: dict[str, str | list[str]] = Field(default_factory=dict)
    care: CareLevel
    top3: str | None = None  # condition id expected among the three most probable (triage scenarios may omit it)
    rules: list[str] = Field(default_factory=list)  # red-flag rules expected to fire
    source: str | None = None  # the guidance the expected care level follows


@dataclass(frozen=True)
class ScenarioResult:
    scenario: Scenario
    step: Step

    @property
    def care(self) -> CareLevel:
        return self.step.care.level

    @property
    def top3(self) -> list[str]:
        return [rc.condition.id for rc in self.step.conditions[:3]]

    @property
    def fired(self) -> list[str]:
        return [r.rule for r in self.step.care.red_flags if r.rule]

    @property
    def passed(self) -> bool:
        s = self.scenario
        top_ok = s.top3 is None or s.top3 in self.top3
        return self.care is s.care and top_ok and set(s.rules) <= set(self.fired)


def load_scenarios(path: Path) -> list[Scenario]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [Scenario.model_validate(item) for item in data]


def run_scenario(knowledge: Knowledge, scenario: Scenario) -> ScenarioResult:
    case = Case(scenario.age, scenario.sex, tuple(scenario.answers.items()), scenario.complaint, scenario.age_months)
    return ScenarioResult(scenario, step(knowledge, case))
