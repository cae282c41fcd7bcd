"""The engine's faster forms give the same numbers, to the last digit, as the plain forms they replaced.

Each reference below is the straightforward computation the engine used before it was made faster
(docs/engine.md, "Speed"); the engine's own function must match it exactly (``==`` on floats, not approx) on
the states of simulated interviews over the general pack.
"""

from __future__ import annotations

import numpy as np
import pytest

from careguide.engine import Case, Config, observe, posterior, step
from careguide.engine.case import Observations
from careguide.engine.explain import _logsumexp_rows, answer_log_likelihoods
from careguide.engine.questions import askable
from careguide.engine.stopping import _answers, settled
from careguide.engine.tables import answer_table, priors
from careguide.engine.triage import (
    fits_person,
    least_harm,
    level_masses,
    present_refs,
    rules_fitting,
)
from careguide.evaluation.simulate import interview, sample_with_complaint
from careguide.kb import Knowledge
from careguide.kb.schema import CareLevel


@pytest.fixture(scope="module")
def states(general: Knowledge) -> list[Case]:
    """Every step's case of 25 simulated interviews on the general pack."""
    rng = np.random.default_rng(7)
    cases: list[Case] = []
    config = Config.for_knowledge(general)

    def record(k: Knowledge, case: Case, c: Config | None) -> object:
        cases.append(case)
        return step(k, case, c)

    for _ in range(25):
        patient, complaint = sample_with_complaint(general, rng)
        interview(general, patient, complaint, config, stepper=record)  # type: ignore[arg-type]
    return cases


def _reference_answer_log_likelihoods(k: Knowledge, obs: Observations) -> np.ndarray:
    atoms = np.array([a for _, yes, no in obs.answers for a in (*yes, *no)], dtype=np.intp)
    signs = np.array([s for _, yes, no in obs.answers for s in (*(1,) * len(yes), *(0,) * len(no))], dtype=bool)
    owner = np.array([i for i, (_, yes, no) in enumerate(obs.answers) for _ in (*yes, *no)], dtype=np.intp)
    # The compiled log figures: log P and log(1 - P), with a required exposure's "no" folded into the prior.
    per_atom = np.where(signs, k.log_l_t[atoms].T, k.log_1ml_t[atoms].T)
    out = np.zeros((k.likelihood.shape[0], len(obs.answers)))
    np.add.at(out.T, owner, per_atom.T)
    if obs.complaint >= 0:
        start = k.finding_start[obs.complaint]
        for i, (_, yes, _) in enumerate(obs.answers):
            if start in yes:
                out[:, i] += k.complaint_adjust[obs.complaint]
    return out


def _reference_logsumexp(x: np.ndarray) -> np.ndarray:
    """Over axis 0 of a (conditions, answers) array, as explain() did."""
    top = np.max(x, axis=0, keepdims=True)
    top = np.where(np.isfinite(top), top, 0.0)
    with np.errstate(divide="ignore"):
        return np.asarray(np.log(np.exp(x - top).sum(axis=0)) + np.squeeze(top, axis=0))


def _reference_present_refs(k: Knowledge, obs: Observations) -> frozenset[str]:
    refs = {k.findings[int(fi)].id for fi in np.flatnonzero(obs.present_findings)}
    for a in np.flatnonzero(obs.present_atom_mask):
        option = k.atom_option[int(a)]
        if option is not None:
            refs.add(f"{k.findings[int(k.atom_finding[a])].id}:{option}")
    return frozenset(refs)


def _reference_askable(k: Knowledge, obs: Observations) -> np.ndarray:
    parent = k.parent_finding
    has_parent = parent >= 0
    parent_ok = obs.present_findings[np.where(has_parent, parent, 0)]
    by_option = k.parent_atom >= 0
    option_ok = obs.present_atom_mask[np.where(by_option, k.parent_atom, 0)]
    gate = ~has_parent | np.where(by_option, option_ok, parent_ok)
    fits = (k.min_age <= obs.age) & (obs.age <= k.max_age) & k.sex_ok[obs.sex_index]
    return np.asarray(~obs.answered & gate & fits)


def _reference_least_harm(masses: np.ndarray, costs: dict[CareLevel, float], floor: int) -> int:
    step_cost = [0.0, costs[CareLevel.ROUTINE], costs[CareLevel.URGENT], costs[CareLevel.EMERGENCY]]
    best, best_harm = floor, float("inf")
    for a in range(floor, 4):
        harm = 0.0
        for t in range(4):
            harm += masses[t] * (sum(step_cost[a + 1 : t + 1]) if t > a else float(a - t))
        if harm <= best_harm + 1e-12:
            best, best_harm = a, harm
    return best


def _reference_settled(
    k: Knowledge, log_p: np.ndarray, candidates: np.ndarray, costs: dict[CareLevel, float], floor: int
) -> bool:
    p = np.exp(log_p)
    level = least_harm(level_masses(k, p), costs, floor)
    leaders = set(np.argsort(-p, kind="stable")[:3].tolist())
    for fi in candidates.tolist():
        for yes, no in _answers(k, int(fi)):
            log_like = np.zeros_like(log_p)
            for a in yes:
                log_like += k.log_l_t[a]
            for a in no:
                log_like += k.log_1ml_t[a]
            joint = log_p + log_like
            top = float(joint.max())
            if float(np.exp(top) * np.exp(joint - top).sum()) < 0.05:
                continue
            scores = log_p + k.likelihood_scale * log_like
            q = np.exp(scores - scores.max())
            q /= q.sum()
            if int(np.argmax(q)) not in leaders or least_harm(level_masses(k, q), costs, floor) != level:
                return False
    return True


def test_answer_log_likelihoods_are_the_same_numbers(general: Knowledge, states: list[Case]) -> None:
    for case in states:
        obs = observe(general, case)
        fast = answer_log_likelihoods(general, obs)
        assert fast.flags.c_contiguous
        assert np.array_equal(fast, _reference_answer_log_likelihoods(general, obs))


def test_log_sum_exp_over_rows_adds_in_condition_order(general: Knowledge, states: list[Case]) -> None:
    rng = np.random.default_rng(3)
    for n in (1, 2, 3, 8, 21):
        x = rng.normal(-20, 15, (n, general.n_conditions))
        x[:, rng.integers(0, general.n_conditions, 40)] = -np.inf  # impossible conditions
        assert np.array_equal(_logsumexp_rows(x), _reference_logsumexp(np.ascontiguousarray(x.T)))
    everything_impossible = np.full((2, 5), -np.inf)
    assert np.array_equal(_logsumexp_rows(everything_impossible), _reference_logsumexp(everything_impossible.T))


def test_per_pack_tables_hold_the_numbers_they_stand_for(general: Knowledge) -> None:
    table = answer_table(general)
    n_atoms = len(general.atom_finding)
    assert np.array_equal(table[:n_atoms], general.log_l_t)
    assert np.array_equal(table[n_atoms:], general.log_1ml_t)
    # Outside the exposure columns of gated conditions these are plain log P and log(1 - P).
    gated = np.array([c.requires is not None for c in general.conditions])
    assert gated.any()
    plain = ~gated
    assert np.array_equal(table[:n_atoms][:, plain], np.log(general.likelihood).T[:, plain])
    assert np.array_equal(table[n_atoms:][:, plain], np.log1p(-general.likelihood).T[:, plain])
    assert np.array_equal(priors(general), np.exp(general.log_prior))
    assert not table.flags.writeable


def test_present_refs_and_askable_match_the_masks(general: Knowledge, states: list[Case]) -> None:
    for case in states:
        obs = observe(general, case)
        assert present_refs(general, obs) == _reference_present_refs(general, obs)
        assert np.array_equal(askable(general, obs), _reference_askable(general, obs))


def test_rules_fitting_is_fits_person_for_every_age_and_sex(general: Knowledge) -> None:
    for age in (0, 1, 2, 4, 5, 13, 16, 40, 70, 120):
        months_choices = [None, *range(12 * age, 12 * age + 12, 5)] if age < 2 else [None]
        for months in months_choices:
            for sex in ("female", "male"):
                obs = observe(general, Case(age, sex, age_months=months))
                expected = tuple(fits_person(general, obs, rule) for rule in general.rules)
                assert rules_fitting(general, obs.age, obs.age_months, obs.sex_index) == expected


def test_least_harm_is_unchanged_for_any_masses_and_costs() -> None:
    rng = np.random.default_rng(5)
    for _ in range(2000):
        masses = rng.dirichlet(np.ones(4) * rng.uniform(0.1, 2))
        costs = {
            CareLevel.ROUTINE: float(rng.uniform(0.5, 5)),
            CareLevel.URGENT: float(rng.uniform(1, 10)),
            CareLevel.EMERGENCY: float(rng.choice([19.0, 7, rng.uniform(1, 40)])),
        }
        floor = int(rng.integers(0, 4))
        assert least_harm(masses, costs, floor) == _reference_least_harm(masses, costs, floor)


def test_settled_decides_as_the_answer_by_answer_loop(general: Knowledge, states: list[Case]) -> None:
    costs = dict(Config.for_knowledge(general).care_costs)
    decided = set()
    for case in states[::2]:
        obs = observe(general, case)
        p = posterior(general, obs)
        log_p = np.log(np.clip(p, 1e-300, None))
        can_ask = askable(general, obs)
        for width in (1, 3, 8):
            candidates = np.flatnonzero(can_ask)[:: max(1, can_ask.sum() // width)][:width]
            expected = _reference_settled(general, log_p, candidates, costs, 0)
            assert settled(general, log_p, candidates, costs, 0) == expected
            decided.add(expected)
    assert decided == {True, False}  # both outcomes were exercised
