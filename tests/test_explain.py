"""Reasons are true and readable: each answer's weight is its likelihood ratio for the condition against the
other likely causes, so a reason against is an answer the other causes explain better."""

from __future__ import annotations

import numpy as np
import pytest

from careguide.engine import Case, Config, Reason, observe, step
from careguide.engine.posterior import log_posterior
from careguide.kb import Knowledge

TIGHT_CHEST = Case(55, "male", [("chest_tightness", "present"), ("sweating", "present")], complaint="chest_pain")


def _brute_factor(k: Knowledge, case: Case, condition: str, finding: str) -> float:
    """P(answer | condition) / P(answer | the others), the others weighted by the posterior from the other
    answers: computed from two posteriors (with and without the answer), independently of explain()."""
    exponent = Config.for_knowledge(k).likelihood_exponent
    with_it = np.exp(log_posterior(k, observe(k, case), exponent))
    without = np.exp(log_posterior(k, observe(k, case.without(finding)), exponent))
    c = k.condition_index[condition]
    # The answer's likelihood for each condition, from the ratio of the two posteriors (tempered as the engine does).
    ratio = np.where(without > 0, with_it / np.where(without > 0, without, 1), 0)
    tempered = ratio / ratio[c]  # relative to the condition: P(a|j)^e / P(a|c)^e
    like_rel = np.where(tempered > 0, tempered, 0) ** (1 / (exponent * k.likelihood_scale))
    weights = without.copy()
    weights[c] = 0
    return float(1 / ((weights * like_rel).sum() / weights.sum()))


def test_a_reason_against_is_a_likelihood_ratio_below_one_against_the_alternatives(general: Knowledge) -> None:
    result = step(general, TIGHT_CHEST)
    ranked = {rc.condition.id: rc for rc in result.conditions}
    heart = ranked["heart_attack"].explanation
    # A tight chest is typical of a heart attack: never a reason against it.
    assert "chest_tightness" not in [r.finding for r in heart.lowered]
    assert "chest_tightness" in [r.finding for r in heart.raised]
    for rc in result.conditions[:5]:
        for r in (*rc.explanation.raised, *rc.explanation.lowered):
            if r.finding == "chest_pain":
                continue  # the main complaint has no "without it" case to compare with
            brute = _brute_factor(general, TIGHT_CHEST, rc.condition.id, r.finding)
            assert r.factor == pytest.approx(brute, rel=1e-6), (rc.condition.id, r.finding)
        assert all(r.factor < 1 for r in rc.explanation.lowered)
        assert all(r.factor > 1 for r in rc.explanation.raised)


def test_an_answer_every_likely_cause_shares_is_not_a_reason_against(general: Knowledge) -> None:
    # Back pain is the main complaint and typical of every likely cause: it must not lower any of them.
    case = Case(35, "male", [("rest_pain", "present"), ("night_pain", "present")], complaint="back_pain")
    result = step(general, case)
    assert result.conditions[0].condition.id == "nonspecific_low_back_pain"
    for rc in result.conditions[:5]:
        assert "back_pain" not in [r.finding for r in rc.explanation.lowered], rc.condition.id


def test_reasons_read_as_phrases_about_the_condition() -> None:
    assert Reason("x", "Tight chest", "yes", 2.0).about("heart attack") == "tight chest is more typical of heart attack"
    assert Reason("x", "Back pain", "yes", 0.5).about("angina") == "back pain is less typical of angina"
    assert Reason("x", "Fever", "no", 1.6).about("muscle strain") == "not having fever fits muscle strain better"
    assert (
        Reason("x", "Fever", "no", 0.4).about("pneumonia")
        == "fever is more typical of pneumonia, and you said no to it"
    )
    assert Reason("x", "Pain onset", "Sudden", 3.0).about("a slipped disc") == (
        "pain onset (sudden) is more typical of a slipped disc"
    )
    assert Reason("x", "HIV infection", "yes", 3.0).about("thrush").startswith("HIV infection")
    assert "than the other likely causes" in Reason("x", "Fever", "yes", 3.0).text
