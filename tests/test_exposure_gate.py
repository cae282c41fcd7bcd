"""Exposure-bound conditions (`requires`): likely only once their exposure is answered "yes".

On a copy of the fixture pack, lung cancer is made to require smoking (listed at p = 0.8): until "Do you smoke?" is
answered, lung cancer counts it as answered "no"; once answered, the posterior is plain naive Bayes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import careguide
from careguide.engine import Case, observe, posterior
from careguide.engine.questions import choose
from careguide.kb import Knowledge, check

PRIORS = {"cold": 0.6, "pneumonia": 0.1, "lung_cancer": 0.01, "embolism": 0.005}


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"fixture text {old!r} not found in {path}"
    path.write_text(text.replace(old, new, 1))


def _requiring(root: Path, finding: str = "smoker") -> Path:
    _edit(root / "conditions" / "lung_cancer.yaml", "findings:\n", f"requires: {finding}\nfindings:\n")
    return root


def _probs(k: Knowledge, case: Case) -> dict[str, float]:
    p = posterior(k, observe(k, case))
    return {c.id: float(p[i]) for i, c in enumerate(k.conditions)}


def _normalise(scores: dict[str, float]) -> dict[str, float]:
    total = sum(scores.values())
    return {c: s / total for c, s in scores.items()}


@pytest.fixture
def gated(pack_copy: Callable[[], Path]) -> Knowledge:
    root = _requiring(pack_copy())
    assert check(root) == []
    return careguide.load(root)


def test_an_unanswered_exposure_counts_as_no_for_the_condition_that_requires_it(gated: Knowledge) -> None:
    got = _probs(gated, Case(40, "female"))
    assert got == pytest.approx(_normalise({**PRIORS, "lung_cancer": 0.01 * (1 - 0.8)}))


def test_once_the_exposure_is_answered_the_posterior_is_plain_naive_bayes(gated: Knowledge, tiny: Knowledge) -> None:
    for answer in ("present", "absent"):
        case = Case(40, "female", [("smoker", answer), ("fever", "present")], complaint="cough")
        assert _probs(gated, case) == pytest.approx(_probs(tiny, case))
    smoker = _probs(gated, Case(40, "female", [("smoker", "present")], complaint="cough"))
    unknown = _probs(gated, Case(40, "female", [("smoker", "unknown")], complaint="cough"))
    assert smoker["lung_cancer"] > 10 * unknown["lung_cancer"]


def test_questions_and_explanations_keep_the_true_figure(gated: Knowledge, tiny: Knowledge) -> None:
    ci, ai = gated.condition_index["lung_cancer"], int(gated.finding_start[gated.finding_index["smoker"]])
    assert gated.likelihood[ci, ai] == tiny.likelihood[ci, ai] == pytest.approx(0.8)


@pytest.mark.parametrize(
    ("finding", "message"),
    [
        ("smokr", "requires: unknown finding 'smokr' (did you mean 'smoker'?)"),
        ("sputum", "requires: 'sputum' is a one_choice finding, not yes_no"),
        (
            "fever",
            "requires: 'fever' must be listed in findings with p >= 0.5 (the share of people with the condition who "
            "had the exposure); it is not listed",
        ),
    ],
)
def test_the_check_rejects_a_requirement_it_cannot_honour(
    pack_copy: Callable[[], Path], finding: str, message: str
) -> None:
    root = _requiring(pack_copy(), finding)
    assert [str(p) for p in check(root)] == [f"{root}/conditions/lung_cancer.yaml:11: {message}"]


def test_a_warning_sign_that_waits_on_its_parent_is_screened_through_the_parent(
    pack_copy: Callable[[], Path],
) -> None:
    root = pack_copy()
    rules = root / "rules.yaml"
    _edit(rules, "  level: urgent\n", "  level: emergency\n  complaints: [fever]\n")
    _edit(rules, '  all: [cough, "sputum:bloody"]', '  all: ["sputum:bloody"]')
    k = careguide.load(root)
    obs = observe(k, Case(40, "female", [], complaint="fever"))
    safety, _, _ = choose(k, obs, posterior(k, obs), safety_threshold=1.0)
    assert safety is not None and safety.rule is not None
    assert (k.findings[safety.finding].id, safety.rule.id) == ("cough", "coughing_blood")
    # An urgent rule is screened only from one answer away: the parent is not asked for it.
    _edit(rules, "  level: emergency\n  complaints: [fever]\n", "  level: urgent\n  complaints: [fever]\n")
    k = careguide.load(root)
    safety, _, _ = choose(k, obs, posterior(k, obs), safety_threshold=1.0)
    assert safety is None
