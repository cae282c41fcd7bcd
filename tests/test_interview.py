"""The interview: gating, no repeats, the safety rule, stopping, care levels, explanations, treatments."""

from __future__ import annotations

import numpy as np
import pytest

from careguide.engine import Case, Config, askable, observe, step, treatment_options
from careguide.evaluation import interview, sample_patient
from careguide.kb import CareLevel, Knowledge


def _askable_ids(k: Knowledge, case: Case) -> set[str]:
    mask = askable(k, observe(k, case))
    return {f.id for f, ok in zip(k.findings, mask, strict=True) if ok}


def test_a_child_is_askable_only_once_its_parent_is_present(tiny: Knowledge) -> None:
    assert "sputum" not in _askable_ids(tiny, Case(40, "female"))
    assert "sputum" not in _askable_ids(tiny, Case(40, "female", [("cough", "absent")]))
    assert "sputum" not in _askable_ids(tiny, Case(40, "female", [("cough", "unknown")]))
    assert "sputum" in _askable_ids(tiny, Case(40, "female", complaint="cough"))


def test_a_child_of_an_option_waits_for_that_option(shipped: Knowledge) -> None:
    base = Case(60, "male", [("sudden_severe_pain", "absent")], complaint="back_pain")
    assert "tearing_pain" not in _askable_ids(shipped, base)
    yes = Case(60, "male", [("sudden_severe_pain", "present")], complaint="back_pain")
    assert "tearing_pain" in _askable_ids(shipped, yes)


def test_findings_limited_by_sex_and_age_are_not_asked_of_others(tiny: Knowledge) -> None:
    assert "pregnant" in _askable_ids(tiny, Case(30, "female"))
    assert "pregnant" not in _askable_ids(tiny, Case(30, "male"))
    assert "pregnant" not in _askable_ids(tiny, Case(70, "female"))


def test_full_interviews_never_repeat_a_question_and_respect_gating(shipped: Knowledge) -> None:
    rng = np.random.default_rng(7)
    config = Config.for_knowledge(shipped)
    for _ in range(40):
        patient = sample_patient(shipped, rng)
        patient.answers["back_pain"] = "present"
        asked: list[str] = []

        def check(s: object, asked: list[str] = asked) -> None:
            q = getattr(s, "question", None)
            if q is None:
                return
            assert q.id not in asked, f"{q.id} asked twice"
            asked.append(q.id)

        final, case = interview(shipped, patient, "back_pain", config, on_step=check)
        assert final.should_stop
        assert len(asked) <= config.budget
        for fid, _ in case.evidence:
            parent = shipped.finding(fid).parent
            if parent:
                pid, _, opt = parent.partition(":")
                answer = dict(case.evidence).get(pid, "present" if pid == "back_pain" else None)
                assert answer not in (None, "absent", "unknown", []), f"{fid} asked before its parent {pid}"
                if opt:
                    assert answer == opt or (isinstance(answer, list) and opt in answer)


def test_a_question_that_would_set_off_a_red_flag_rule_comes_first(tiny: Knowledge) -> None:
    off = Config.for_knowledge(tiny, safety_threshold=0.99, care_thresholds={CareLevel.URGENT: 0.5})
    q = step(tiny, Case(40, "male", complaint="cough"), off).question
    # Coughing up blood (cough + sputum:bloody) is an urgent rule one answer away: ask it first.
    assert q is not None and q.id == "sputum" and q.safety and q.tells_apart == ("lung_cancer",)
    assert q.reason.startswith("A warning sign of Lung cancer")
    # A care level that rests on probabilities alone can fall again, so the rule is still screened for...
    urgent = Case(40, "male", [("fever", "present"), ("pain_sites", ["chest"])], complaint="cough")
    by_mass = step(tiny, urgent, off)
    assert by_mass.care.level.rank >= 2 and not by_mass.care.red_flags
    assert by_mass.question is not None and by_mass.question.id == "sputum" and by_mass.question.safety
    # ...but a rule no more urgent than one that has fired does not jump the queue.
    fired = step(tiny, Case(40, "male", [("sputum", "bloody")], complaint="cough"), off)
    assert [r.rule for r in fired.care.red_flags] == ["coughing_blood"]
    assert fired.question is None or not fired.question.reason.startswith("A warning sign")


def test_the_safety_rule_asks_a_must_not_miss_red_flag_first(tiny: Knowledge) -> None:
    on = Config.for_knowledge(tiny, safety_threshold=0.001, confidence=0.99)
    off = Config.for_knowledge(tiny, safety_threshold=0.99, confidence=0.99)
    case = Case(40, "male", [("sputum", "clear")], complaint="cough")
    plain = step(tiny, case, off).question
    safe = step(tiny, case, on).question
    assert plain is not None and safe is not None
    assert not plain.safety
    # Pneumonia is the most probable must-not-miss condition; its red flag is fever.
    assert safe.id == "fever" and safe.safety and safe.tells_apart == ("pneumonia",)
    assert "rule out Pneumonia" in safe.reason
    # Once fever is answered, the next must-not-miss condition's red flags come next ("pregnant" is not
    # asked of a man).
    after = step(tiny, case.answered("fever", "absent"), on).question
    assert after is not None and after.safety and after.tells_apart == ("embolism",)
    assert after.id == "pain_sites"


def test_an_emergency_rule_is_screened_for_from_two_answers_away(tiny: Knowledge) -> None:
    # Chest pain in pregnancy (pain_sites:chest + pregnant) is an emergency rule: a woman who may be
    # pregnant is asked about chest pain first; a man is not (he cannot complete the rule).
    config = Config.for_knowledge(tiny, safety_threshold=0.99, care_thresholds={CareLevel.URGENT: 0.5})
    woman = step(tiny, Case(30, "female", complaint="cough"), config).question
    assert woman is not None and woman.id in {"pain_sites", "pregnant"} and woman.safety
    man = step(tiny, Case(30, "male", complaint="cough"), config).question
    assert man is not None and man.id == "sputum"


def test_the_safety_rule_ignores_negligible_conditions(tiny: Knowledge) -> None:
    config = Config.for_knowledge(tiny, safety_threshold=0.5)
    q = step(tiny, Case(40, "male", complaint="cough"), config).question
    # (The red-flag rule for coughing blood may still be screened for; no condition is asked about.)
    assert q is not None and not q.reason.startswith("Asked early to rule out")


def test_it_stops_at_the_question_budget(tiny: Knowledge) -> None:
    config = Config.for_knowledge(tiny, budget=2)
    s = step(tiny, Case(40, "female", [("fever", "absent"), ("smoker", "absent")], complaint="cough"), config)
    assert s.should_stop and s.stop_reason == "budget" and s.question is None


def test_it_stops_when_confident(tiny: Knowledge) -> None:
    config = Config.for_knowledge(tiny, confidence=0.8, safety_threshold=0.9)
    case = Case(30, "female", [("fever", "absent"), ("pain_sites", ["throat"]), ("sputum", "clear")], complaint="cough")
    s = step(tiny, case, config)
    assert s.conditions[0].condition.id == "cold" and s.conditions[0].probability >= 0.8
    assert s.should_stop and s.stop_reason == "confident"


def test_it_stops_when_nothing_is_left_to_ask(tiny: Knowledge) -> None:
    evidence = [
        ("fever", "unknown"),
        ("sputum", "clear"),
        ("pain_sites", []),
        ("smoker", "absent"),
        ("pregnant", "absent"),
    ]
    s = step(tiny, Case(40, "female", evidence, complaint="cough"), Config.for_knowledge(tiny, confidence=0.999))
    assert s.should_stop and s.stop_reason == "nothing_left"


def test_a_red_flag_rule_raises_the_care_level_with_its_reason(tiny: Knowledge) -> None:
    s = step(tiny, Case(30, "female", [("sputum", "bloody")], complaint="cough"))
    assert s.care.level is CareLevel.URGENT
    assert [r.rule for r in s.care.red_flags] == ["coughing_blood"]
    assert "Coughing up blood" in s.care.red_flags[0].text


def test_the_most_urgent_fired_rule_wins(tiny: Knowledge) -> None:
    evidence = [("sputum", "bloody"), ("pain_sites", ["chest"]), ("pregnant", "present")]
    s = step(tiny, Case(30, "female", evidence, complaint="cough"))
    assert s.care.level is CareLevel.EMERGENCY
    assert [r.rule for r in s.care.red_flags] == ["chest_pain_pregnant", "coughing_blood"]


def test_care_follows_the_probability_of_conditions_needing_it(tiny: Knowledge) -> None:
    low = step(tiny, Case(30, "female", [("fever", "absent"), ("pain_sites", ["throat"])], complaint="cough"))
    assert low.care.level is CareLevel.SELF_CARE
    high = step(tiny, Case(30, "female", [("fever", "present"), ("sputum", "yellow")], complaint="cough"))
    assert high.care.level is CareLevel.URGENT
    assert high.care.red_flags == ()
    assert "Pneumonia" in high.care.reasons[0].text


def test_explanations_name_the_answers_that_raised_and_lowered(tiny: Knowledge) -> None:
    s = step(tiny, Case(40, "female", [("fever", "present")], complaint="cough"))
    by_id = {rc.condition.id: rc for rc in s.conditions}
    pneu, cold = by_id["pneumonia"].explanation, by_id["cold"].explanation
    assert [r.finding for r in pneu.raised] == ["fever"]
    # Against the alternatives: P(fever | pneumonia) over P(fever | the other conditions), these weighted by
    # the posterior from the other answers (here the main complaint alone).
    before = {
        rc.condition.id: rc.probability for rc in step(tiny, Case(40, "female", [], complaint="cough")).conditions
    }
    fever = tiny.likelihood[:, tiny.finding_start[tiny.finding_index["fever"]]]
    others = [c for c in before if c != "pneumonia"]
    alt = sum(before[c] * fever[tiny.condition_index[c]] for c in others) / sum(before[c] for c in others)
    assert pneu.raised[0].factor == pytest.approx(0.8 / alt)
    assert [r.finding for r in cold.lowered] == ["fever"]
    assert "Fever: yes" in cold.text and "less likely" in cold.text
    assert [rc.probability for rc in s.conditions] == sorted((rc.probability for rc in s.conditions), reverse=True)


def test_questions_say_what_they_tell_apart(tiny: Knowledge) -> None:
    case = Case(40, "male", [("sputum", "yellow")], complaint="cough")  # no red-flag rule left to screen
    q = step(tiny, case, Config.for_knowledge(tiny, safety_threshold=0.99)).question
    assert q is not None and len(q.tells_apart) >= 1
    assert q.reason.startswith("This helps tell")


def test_treatments_follow_the_likely_conditions_and_their_findings(tiny: Knowledge) -> None:
    no_fever = Case(40, "female", [("fever", "absent")], complaint="cough")
    names = [o.treatment.id for o in treatment_options(tiny, no_fever, step(tiny, no_fever))]
    assert names == ["rest_fluids"]
    fever = Case(40, "female", [("fever", "present"), ("sputum", "yellow")], complaint="cough")
    options = treatment_options(tiny, fever, step(tiny, fever))
    by_id = {o.treatment.id: o for o in options}
    assert set(by_id) == {"rest_fluids", "antibiotics"}
    assert by_id["antibiotics"].because == ("fever",)
