"""The main complaint: with a pack's complaint_leak, conditions that do not cause it are held to that leak."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

import careguide
from careguide.engine import Case, observe, posterior, step
from careguide.evaluation.simulate import sample_with_complaint
from careguide.kb import Knowledge
from careguide.kb.conformance import conformance_problems
from careguide.kb.loader import read_pack
from tests.test_posterior import PRIORS, _normalise, _probs


def _with(pack: Path, line: str) -> Knowledge:
    (pack / "pack.yaml").write_text((pack / "pack.yaml").read_text() + line + "\n")
    return careguide.load(pack)


def test_without_complaint_leak_the_complaint_is_an_ordinary_yes(tiny: Knowledge) -> None:
    as_complaint = _probs(tiny, Case(40, "female", (), complaint="fever"))
    as_answer = _probs(tiny, Case(40, "female", [("fever", "present")]))
    assert as_complaint == pytest.approx(as_answer)


def test_complaint_leak_applies_to_conditions_that_do_not_list_the_complaint(
    pack_copy: Callable[[], Path],
) -> None:
    k = _with(pack_copy(), "complaint_leak: 0.001")
    got = _probs(k, Case(40, "female", (), complaint="fever"))
    # cold 0.2 and pneumonia 0.8 list fever; lung_cancer and embolism do not: 0.001 instead of the leak 0.01.
    want = _normalise(
        {"cold": 0.6 * 0.2, "pneumonia": 0.1 * 0.8, "lung_cancer": 0.01 * 0.001, "embolism": 0.005 * 0.001}
    )
    assert got == pytest.approx(want)
    # Answered as an ordinary question, fever keeps the leak.
    answered = _probs(k, Case(40, "female", [("fever", "present")]))
    assert answered["lung_cancer"] == pytest.approx(
        _normalise({"cold": 0.6 * 0.2, "pneumonia": 0.1 * 0.8, "lung_cancer": 0.01 * 0.01, "embolism": 0.005 * 0.01})[
            "lung_cancer"
        ]
    )


def test_a_finding_the_condition_does_not_explain_counts_as_unlisted_only_as_the_complaint(
    pack_copy: Callable[[], Path],
) -> None:
    pack = pack_copy()
    cold = pack / "conditions" / "cold.yaml"
    cold.write_text(
        cold.read_text().replace(
            "fever: {p: 0.2, source: textbook}", "fever: {p: 0.2, source: textbook, explains: false}"
        )
    )
    k = _with(pack, "complaint_leak: 0.001")
    got = _probs(k, Case(40, "female", (), complaint="fever"))
    want = _normalise(
        {"cold": 0.6 * 0.001, "pneumonia": 0.1 * 0.8, "lung_cancer": 0.01 * 0.001, "embolism": 0.005 * 0.001}
    )
    assert got == pytest.approx(want)
    answered = _probs(k, Case(40, "female", [("fever", "present")]))
    assert answered["cold"] > 0.5  # as an answer, cold's own 0.2 counts
    # The explanation of the complaint uses the same figure as the posterior: it lowers cold.
    s = step(k, Case(40, "female", (), complaint="fever"))
    cold_row = next(rc for rc in s.conditions if rc.condition.id == "cold")
    assert [r.finding for r in cold_row.explanation.lowered] == ["fever"]


def test_conformance_needs_a_complaint_the_condition_explains(pack_copy: Callable[[], Path]) -> None:
    pack = pack_copy()
    emb = pack / "conditions" / "embolism.yaml"
    emb.write_text(
        emb.read_text().replace(
            "cough: {p: 0.3, source: textbook}", "cough: {p: 0.3, source: textbook, explains: false}"
        )
    )
    problems = conformance_problems(read_pack(pack)[0])
    assert any(p.startswith("embolism: no main complaint") for p in problems)


def test_simulated_patients_start_from_a_complaint_their_condition_causes(tiny: Knowledge) -> None:
    rng = np.random.default_rng(3)
    for _ in range(200):
        patient, complaint = sample_with_complaint(tiny, rng)
        condition = tiny.conditions[patient.condition]
        assert complaint in condition.findings and condition.findings[complaint].explains
        assert patient.answers[complaint] == "present"


def test_prior_of_the_fixture_is_unchanged_by_complaint_leak(pack_copy: Callable[[], Path]) -> None:
    k = _with(pack_copy(), "complaint_leak: 0.001")
    p = posterior(k, observe(k, Case(40, "female")))
    assert dict(zip([c.id for c in k.conditions], p.tolist(), strict=True)) == pytest.approx(_normalise(PRIORS))
