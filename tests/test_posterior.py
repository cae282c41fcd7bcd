"""Posteriors on the fixture pack, checked against values computed by hand from its YAML files.

Fixture priors (age 40, band 30-44, female): cold 0.6, pneumonia 0.1, lung_cancer 0.01, embolism 0.005.
Unlisted yes/no findings take the pack leak 0.01.
"""

from __future__ import annotations

import math

import pytest

from careguide.engine import Case, observe, posterior
from careguide.kb import Knowledge

PRIORS = {"cold": 0.6, "pneumonia": 0.1, "lung_cancer": 0.01, "embolism": 0.005}


def _probs(k: Knowledge, case: Case) -> dict[str, float]:
    p = posterior(k, observe(k, case))
    return {c.id: float(p[i]) for i, c in enumerate(k.conditions)}


def _normalise(scores: dict[str, float]) -> dict[str, float]:
    total = sum(scores.values())
    return {c: s / total for c, s in scores.items()}


def test_no_answers_gives_the_prior(tiny: Knowledge) -> None:
    got = _probs(tiny, Case(40, "female"))
    assert got == pytest.approx(_normalise(PRIORS))


def test_yes_no_answers_multiply_by_p_or_one_minus_p(tiny: Knowledge) -> None:
    got = _probs(tiny, Case(40, "female", [("fever", "present"), ("smoker", "absent")], complaint="cough"))
    want = _normalise(
        {
            "cold": 0.6 * 0.8 * 0.2 * (1 - 0.01),
            "pneumonia": 0.1 * 0.9 * 0.8 * (1 - 0.01),
            "lung_cancer": 0.01 * 0.7 * 0.01 * (1 - 0.8),
            "embolism": 0.005 * 0.3 * 0.01 * (1 - 0.01),
        }
    )
    assert got == pytest.approx(want)
    assert got["cold"] == pytest.approx(0.09504 / 0.16634885)


def test_one_choice_uses_the_option_probability_and_fills_unlisted_options(tiny: Knowledge) -> None:
    got = _probs(tiny, Case(40, "female", [("sputum", "bloody")], complaint="cough"))
    # cold lists clear 0.7 + yellow 0.3 = 1: the unlisted "bloody" gets leak/3, then the row is renormalised.
    cold_bloody = (0.01 / 3) / (1 + 0.01 / 3)
    # embolism does not list sputum at all: uniform over its three options.
    want = _normalise(
        {
            "cold": 0.6 * 0.8 * cold_bloody,
            "pneumonia": 0.1 * 0.9 * 0.1,
            "lung_cancer": 0.01 * 0.7 * 0.3,
            "embolism": 0.005 * 0.3 / 3,
        }
    )
    assert got == pytest.approx(want)


def test_several_choices_multiply_chosen_and_unchosen_options(tiny: Knowledge) -> None:
    got = _probs(tiny, Case(40, "female", [("pain_sites", ["chest"])]))
    want = _normalise(
        {
            "cold": 0.6 * 0.1 * (1 - 0.6),
            "pneumonia": 0.1 * 0.5 * (1 - 0.01),
            "lung_cancer": 0.01 * 0.01 * (1 - 0.01),
            "embolism": 0.005 * 0.7 * (1 - 0.01),
        }
    )
    assert got == pytest.approx(want)


def test_age_and_sex_multipliers_change_the_prior(tiny: Knowledge) -> None:
    old_man = _probs(tiny, Case(80, "male"))
    want = _normalise({"cold": 0.6, "pneumonia": 0.1 * 3.0, "lung_cancer": 0.01, "embolism": 0.005 * 0.8})
    assert old_man == pytest.approx(want)


def test_a_zero_age_multiplier_rules_a_condition_out_at_that_age(tiny: Knowledge) -> None:
    child = _probs(tiny, Case(3, "female", [("smoker", "present")]))
    assert child["lung_cancer"] == 0.0
    assert math.isclose(sum(child.values()), 1.0)


def test_an_unexpected_answer_lowers_but_never_rules_out(tiny: Knowledge) -> None:
    # Lung cancer does not list fever: the leak keeps it possible.
    got = _probs(tiny, Case(60, "male", [("fever", "present"), ("smoker", "present")], complaint="cough"))
    assert 0 < got["lung_cancer"] < 0.1
