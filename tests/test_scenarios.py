"""Clinical scenarios for the shipped back-pain knowledge (knowledge/scenarios/*.yaml).

Each scenario names the care level and a condition expected in the top 3. A failure here is a finding
about the knowledge: fix the knowledge, not the scenario.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import careguide
from careguide.evaluation.scenarios import Scenario, load_scenarios, run_scenario
from careguide.kb import CareLevel, Knowledge, back_pain_path

SCENARIOS = [s for path in sorted((back_pain_path() / "scenarios").glob("*.yaml")) for s in load_scenarios(path)]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.id for s in SCENARIOS])
def test_scenario(shipped: Knowledge, scenario: Scenario) -> None:
    result = run_scenario(shipped, scenario)
    assert result.care is scenario.care, f"care {result.care.value}, expected {scenario.care.value}"
    assert scenario.top3 in result.top3, f"top 3 {result.top3}, expected {scenario.top3} among them"
    assert set(scenario.rules) <= set(result.fired), f"rules fired {result.fired}, expected {scenario.rules}"


def test_scenarios_cover_every_condition_rule_and_care_level() -> None:
    k = careguide.load(back_pain_path())
    assert len(SCENARIOS) >= 40
    assert {s.top3 for s in SCENARIOS} == {c.id for c in k.conditions}
    assert {r for s in SCENARIOS for r in s.rules} == {r.id for r in k.rules}
    assert {s.care for s in SCENARIOS} == set(CareLevel)


def test_scenario_answers_are_valid_for_the_knowledge() -> None:
    k = careguide.load(back_pain_path())
    for s in SCENARIOS:
        assert s.complaint in k.finding_index, s.id
        assert set(s.answers) <= set(k.finding_index), s.id


def test_eval_scenarios_command_reports_each_scenario(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from careguide.cli import app

    result = CliRunner().invoke(app, ["eval", "scenarios", "--kb", str(back_pain_path())])
    assert result.exit_code == 0, result.output
    assert f"{len(SCENARIOS)} passed, 0 failed" in result.output
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        "- {id: wrong, description: x, age: 40, sex: male, complaint: back_pain, care: emergency, "
        "top3: heart_attack, answers: {}}\n"
    )
    failed = CliRunner().invoke(app, ["eval", "scenarios", str(broken)])
    assert failed.exit_code == 1
    assert "FAIL wrong" in failed.output
