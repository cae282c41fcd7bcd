"""The back-pain scenarios (knowledge/scenarios/*.yaml) on the default pack, which must serve back pain as well.

The general scenarios are run by tests/test_hazard_controls.py. Two things must hold for every back-pain one on the
larger differential: the red-flag rules it names fire, and the care level is never less urgent than the guidance
gives (an emergency is never sent home). Over-triage is allowed here and measured by ``careguide eval scenarios
knowledge/scenarios/back_pain.yaml --kb packs/general``: the probability part of the care model may raise a level.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from careguide.evaluation.scenarios import Scenario, load_scenarios, run_scenario
from careguide.kb import Knowledge, back_pain_path

ROOT = Path(__file__).resolve().parents[1]
GENERAL = [s for p in sorted((ROOT / "knowledge/general/scenarios").glob("*.yaml")) for s in load_scenarios(p)]
BACK_PAIN = [s for p in sorted((back_pain_path() / "scenarios").glob("*.yaml")) for s in load_scenarios(p)]


def test_the_protocols_have_scenarios_for_children_and_adults_at_every_level() -> None:
    assert len(GENERAL) >= 250
    assert any(s.age < 1 for s in GENERAL) and any(s.age >= 65 for s in GENERAL)
    assert {s.care.value for s in GENERAL} == {"emergency", "urgent", "routine", "self_care"}


@pytest.mark.parametrize("scenario", BACK_PAIN, ids=[s.id for s in BACK_PAIN])
def test_rules_fire_and_care_is_never_less_urgent_than_the_guidance(general: Knowledge, scenario: Scenario) -> None:
    result = run_scenario(general, scenario)
    assert set(scenario.rules) <= set(result.fired), f"rules fired {result.fired}, expected {scenario.rules}"
    assert result.care.rank >= scenario.care.rank, f"care {result.care.value}, guidance {scenario.care.value}"
