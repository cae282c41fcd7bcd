"""Safety controls named in docs/hazard-log.md that no other test pinned down, and the open hazards it records.

The tests marked ``xfail(strict=True)`` assert the safe behaviour a control should give and record that it does
not yet: each names its hazard (HAZ-nn). When a fix makes one pass, the strict marker fails the suite, so the
hazard log is updated with the fix instead of going on describing a gap that is closed.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from careguide.engine import Case, Config, step, treatment_options
from careguide.engine.triage import CARE_FLOOR, least_harm, level_masses
from careguide.evaluation.scenarios import load_scenarios, run_scenario
from careguide.kb import CareLevel, Knowledge
from careguide.text import parse, to_evidence

GENERAL_SCENARIOS = Path(__file__).resolve().parents[1] / "knowledge" / "general" / "scenarios"
DEFAULT_COSTS = dict(Config().care_costs)


def _rules(k: Knowledge, case: Case) -> set[str]:
    return {r.rule for r in step(k, case).care.red_flags if r.rule}


def test_a_baby_whose_age_in_months_is_unknown_is_held_to_the_under_3_months_fever_rule(general: Knowledge) -> None:
    # Age 0 with months unknown may be a baby of 6 weeks: the rule must fire (triage.fits_person).
    unknown = _rules(general, Case(0, "female", [], "fever", age_months=None))
    assert "fever_baby_under_3_months" in unknown
    assert step(general, Case(0, "female", [], "fever")).care.level is CareLevel.EMERGENCY
    # Months known to be past the rule's bound: it does not fire.
    assert "fever_baby_under_3_months" not in _rules(general, Case(0, "female", [], "fever", age_months=5))


def test_a_fired_rule_sets_a_floor_the_probabilities_cannot_lower() -> None:
    all_self_care = np.array([1.0, 0.0, 0.0, 0.0])
    assert least_harm(all_self_care, DEFAULT_COSTS) == CareLevel.SELF_CARE.rank
    assert least_harm(all_self_care, DEFAULT_COSTS, floor=CareLevel.EMERGENCY.rank) == CareLevel.EMERGENCY.rank


def test_equal_expected_harm_goes_to_the_more_urgent_level() -> None:
    # Half self-care, half routine, with a routine cost of 1: both choices cost 0.5; the more urgent one wins.
    costs = {**DEFAULT_COSTS, CareLevel.ROUTINE: 1.0}
    assert least_harm(np.array([0.5, 0.5, 0.0, 0.0]), costs) == CareLevel.ROUTINE.rank


def test_the_emergency_threshold_is_5_to_10_percent_depending_on_where_the_rest_lies() -> None:
    """Pins the residual risk of HAZ-03: with the rest of the probability on self-care, an emergency needs more
    than about 10% before emergency care is advised; with the rest on urgent care, 5% is enough."""
    emergency = CareLevel.EMERGENCY.rank
    assert least_harm(np.array([0.0, 0.0, 0.95, 0.05]), DEFAULT_COSTS) == emergency
    assert least_harm(np.array([0.93, 0.0, 0.0, 0.07]), DEFAULT_COSTS) == CareLevel.SELF_CARE.rank
    assert least_harm(np.array([0.9, 0.0, 0.0, 0.1]), DEFAULT_COSTS) == CareLevel.SELF_CARE.rank
    assert least_harm(np.array([0.88, 0.0, 0.0, 0.12]), DEFAULT_COSTS) == emergency


def test_conditions_below_the_care_floor_do_not_count_towards_a_level(general: Knowledge) -> None:
    emergencies = np.flatnonzero(general.care_rank == CareLevel.EMERGENCY.rank)
    assert emergencies.size >= 20
    p = np.zeros(len(general.conditions))
    # Twenty emergency conditions just under the floor (9.8% together) and the rest on one self-care condition.
    p[emergencies[:20]] = CARE_FLOOR * 0.98
    rest = int(np.flatnonzero(general.care_rank == CareLevel.SELF_CARE.rank)[0])
    p[rest] = 1.0 - p.sum()
    masses = level_masses(general, p)
    assert masses[CareLevel.EMERGENCY.rank] == 0.0
    assert level_masses(general, p, floor=0.0)[CareLevel.EMERGENCY.rank] == pytest.approx(20 * CARE_FLOOR * 0.98)


def test_no_general_scenario_is_under_triaged_and_each_fires_its_rules(general: Knowledge) -> None:
    """The 302 scenarios of knowledge/general/scenarios, written from the guidance each protocol cites. Care
    more urgent than wanted is over-triage (HAZ-07) and is allowed here; care less urgent is not."""
    scenarios = [s for path in sorted(GENERAL_SCENARIOS.glob("*.yaml")) for s in load_scenarios(path)]
    assert len(scenarios) >= 300
    problems = []
    for s in scenarios:
        r = run_scenario(general, s)
        if r.care.rank < s.care.rank:
            problems.append(f"{s.id}: care {r.care.value}, needs {s.care.value}")
        if not set(s.rules) <= set(r.fired):
            problems.append(f"{s.id}: rules {sorted(set(s.rules) - set(r.fired))} did not fire")
        if s.top3 is not None and s.top3 not in r.top3:
            problems.append(f"{s.id}: {s.top3} not in the top 3 {r.top3}")
    assert not problems, "\n".join(problems)


def test_a_fear_or_a_denial_is_not_read_as_present(general: Knowledge) -> None:
    assert "history_of_cancer" not in parse(general, "worried it might be cancer").present
    denied = parse(general, "no chest pain, I feel sick")
    assert "chest_pain" in denied.absent and "chest_pain" not in denied.present


def test_a_relative_s_heart_attack_is_family_history_not_the_person_s(general: Knowledge) -> None:
    found = parse(general, "my dad had a heart attack at 50, I have chest pain").present
    assert "family_history_early_heart_disease" in found
    assert "chest_pain" in found


@pytest.mark.xfail(
    strict=True, raises=AssertionError, reason="HAZ-15: 'my mum had breast cancer' is read as the person's own cancer"
)
def test_a_relative_s_cancer_is_not_read_as_the_person_s(general: Knowledge) -> None:
    found = parse(general, "my mum had breast cancer and now I have back pain").present
    assert "family_history_cancer" in found
    assert "history_of_cancer" not in found


@pytest.mark.xfail(
    strict=True,
    raises=AssertionError,
    reason="HAZ-15, HAZ-02: a sister's asthma excludes the tight-chest emergency rule",
)
def test_a_relative_s_asthma_does_not_switch_off_the_tight_chest_rule(general: Knowledge) -> None:
    given = to_evidence(general, parse(general, "my sister has asthma, my chest feels tight"), {"breathlessness"})
    assert "has_asthma" not in given
    case = Case(45, "female", [], "breathlessness", volunteered=tuple(given.items()))
    assert "breathless_with_tight_or_heavy_chest" in _rules(general, case)


def test_a_fever_given_as_a_thermometer_reading_is_read(general: Knowledge) -> None:
    assert "fever" in parse(general, "the thermometer under her arm reads 38.3").present
    assert "fever" in parse(general, "thermometer says 101.5F").present
    assert "fever" not in parse(general, "the thermometer shows 36.9").present  # a normal reading is no fever


@pytest.mark.xfail(
    strict=True, raises=AssertionError, reason="HAZ-01: a family-history clause swallows the red flag after its comma"
)
def test_a_red_flag_after_a_family_history_clause_is_read(general: Knowledge) -> None:
    assert "blood_in_stool" in parse(general, "family history of bowel cancer, blood in my poo").present


def test_manual_therapy_is_not_offered_when_spinal_metastases_are_suspected(shipped: Knowledge) -> None:
    case = Case(70, "female", [("history_of_cancer", "present")], "back_pain")
    result = step(shipped, case)
    assert "spine_metastases" in [rc.condition.id for rc in result.conditions[:3]]
    assert "manual_therapies" not in [o.treatment.id for o in treatment_options(shipped, case, result)]
