"""The back-pain scenarios (knowledge/scenarios/*.yaml) on the default pack, which must serve back pain as well.

The general scenarios are run by tests/test_hazard_controls.py. Two things must hold for every back-pain one on the
larger differential: the red-flag rules it names fire, and the care level is never less urgent than the guidance
gives (an emergency is never sent home). Over-triage is allowed here and measured by ``careguide eval scenarios
knowledge/scenarios/back_pain.yaml --kb packs/general``: the probability part of the care model may raise a level.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from careguide.engine import Case, step
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


# Back-pain scenarios the general pack does not pass yet, each with why (docs/general-knowledge.md). Strict: a fix
# makes the test fail until the entry is removed.
_NOT_YET = {
    "metastases_prostate_neck": "urgent as wanted, but the neck-pain profiles keep spinal metastases 5th (5.7%)",
    "myeloma_thirst_tiredness": "emergency: a heart attack keeps 4.6% while chest pain is not answered",
}


@pytest.mark.parametrize(
    "scenario",
    [
        pytest.param(s, marks=pytest.mark.xfail(strict=True, reason=_NOT_YET[s.id])) if s.id in _NOT_YET else s
        for s in BACK_PAIN
    ],
    ids=[s.id for s in BACK_PAIN],
)
def test_the_general_pack_gives_the_back_pain_pack_s_care_and_condition(general: Knowledge, scenario: Scenario) -> None:
    result = run_scenario(general, scenario)
    assert result.care is scenario.care, f"care {result.care.value}, guidance {scenario.care.value}"
    assert scenario.top3 is None or scenario.top3 in result.top3, f"top 3 {result.top3}"


def _asked_before(knowledge: Knowledge, case: Case, finding: str, within: int) -> bool:
    """Whether ``finding`` is asked among the first ``within`` questions when every other answer is "no" (or
    "don't know" for a question with options)."""
    answers: list[tuple[str, str]] = []
    for _ in range(within):
        question = step(knowledge, replace(case, evidence=tuple(answers))).question
        if question is None:
            return False
        if question.id == finding:
            return True
        answers.append((question.id, "unknown" if question.options else "absent"))
    return False


@pytest.mark.parametrize(
    ("age", "sex", "complaint"),
    [
        (34, "male", "back_pain"),
        (80, "female", "back_pain"),
        (28, "male", "chest_pain"),
        (25, "male", "abdominal_pain"),
    ],
)
def test_an_injury_is_asked_about_when_injuries_could_explain_the_complaint(
    general: Knowledge, age: int, sex: str, complaint: str
) -> None:
    # Injuries need "injury before it started" to be answered (requires: trauma), so it must be asked early.
    assert _asked_before(general, Case(age, sex, (), complaint), "trauma", within=5)


def test_an_unasked_injury_does_not_make_back_pain_an_emergency(general: Knowledge) -> None:
    case = Case(30, "female", (("fever", "present"), ("leg_weakness", "absent")), "back_pain")
    top = [rc.condition.id for rc in step(general, case).conditions[:10]]
    assert not {"vertebral_dislocation", "spinal_cord_injury", "lung_contusion"} & set(top)
    injured = step(general, replace(case, evidence=(*case.evidence, ("trauma", "present"))))
    assert {"vertebral_dislocation", "spinal_cord_injury"} & {rc.condition.id for rc in injured.conditions[:10]}
