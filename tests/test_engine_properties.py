"""Properties of the posterior and the step function, over random valid cases (hypothesis)."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import careguide
from careguide.engine import Answer, Case, observe, posterior, step
from careguide.kb import AnswerType, Finding, Knowledge, back_pain_path
from tests.conftest import GOOD_PACK

PACKS = {"tiny": careguide.load(GOOD_PACK), "shipped": careguide.load(back_pain_path())}


def _answer(f: Finding) -> st.SearchStrategy[Answer]:
    ids = [o.id for o in f.options]
    if f.type is AnswerType.YES_NO:
        return st.sampled_from(["present", "absent"])
    if f.type is AnswerType.ONE_CHOICE:
        return st.sampled_from(ids)
    return st.lists(st.sampled_from(ids), unique=True)


@st.composite
def cases(draw: st.DrawFn) -> tuple[Knowledge, Case]:
    k = PACKS[draw(st.sampled_from(sorted(PACKS)))]
    chosen = draw(st.lists(st.sampled_from(k.findings), unique_by=lambda f: f.id, max_size=12))
    evidence = [(f.id, draw(_answer(f))) for f in chosen]
    return k, Case(draw(st.integers(16, 100)), draw(st.sampled_from(["female", "male"])), evidence)


FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(cases())
def test_probabilities_sum_to_one(kc: tuple[Knowledge, Case]) -> None:
    k, case = kc
    p = posterior(k, observe(k, case))
    assert np.all(p >= 0)
    assert abs(p.sum() - 1) < 1e-9


@FAST
@given(cases(), st.data())
def test_dont_know_changes_nothing(kc: tuple[Knowledge, Case], data: st.DataObject) -> None:
    k, case = kc
    answered = {f for f, _ in case.evidence}
    free = [f.id for f in k.findings if f.id not in answered]
    extra = data.draw(st.lists(st.sampled_from(free), unique=True, max_size=5)) if free else []
    with_unknown = Case(case.age, case.sex, [*case.evidence, *((f, "unknown") for f in extra)])
    np.testing.assert_allclose(posterior(k, observe(k, case)), posterior(k, observe(k, with_unknown)), atol=1e-12)


@FAST
@given(cases(), st.randoms(use_true_random=False))
def test_answer_order_does_not_change_the_posterior(kc: tuple[Knowledge, Case], rnd: object) -> None:
    k, case = kc
    shuffled = list(case.evidence)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    np.testing.assert_allclose(
        posterior(k, observe(k, case)),
        posterior(k, observe(k, Case(case.age, case.sex, shuffled))),
        atol=1e-12,
    )


@FAST
@given(cases())
def test_the_same_input_gives_the_same_step(kc: tuple[Knowledge, Case]) -> None:
    k, case = kc
    assert step(k, case) == step(k, case)


@FAST
@given(cases())
def test_a_step_never_asks_an_answered_finding(kc: tuple[Knowledge, Case]) -> None:
    k, case = kc
    s = step(k, case)
    answered = {f for f, _ in case.evidence}
    assert s.question is None or s.question.id not in answered
    assert s.should_stop == (s.question is None)
