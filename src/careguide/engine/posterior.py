"""Posterior over conditions from age, sex and answers, in log space."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from careguide.engine.case import InputError, Observations
from careguide.kb.compile import Knowledge

__all__ = ["log_likelihood", "log_posterior", "posterior"]

FloatArray = npt.NDArray[np.float64]


def log_likelihood(knowledge: Knowledge, obs: Observations) -> FloatArray:
    """log P(answers | condition) for every condition, answers independent given the condition."""
    total = knowledge.log_l_t[obs.present_atoms].sum(axis=0)
    if obs.absent_atoms.size:
        total += knowledge.log_1ml_t[obs.absent_atoms].sum(axis=0)
    if obs.complaint >= 0:
        total += knowledge.complaint_adjust[obs.complaint]
    return np.asarray(total)


def log_posterior(knowledge: Knowledge, obs: Observations, likelihood_exponent: float = 1.0) -> FloatArray:
    """Normalised log posterior; -inf for conditions impossible at this age and sex."""
    log_prior = knowledge.log_prior[obs.band, obs.sex_index]
    if not np.isfinite(log_prior).any():
        raise InputError("age", f"no condition in this knowledge applies to age {obs.age} and this sex")
    scores = log_prior + likelihood_exponent * knowledge.likelihood_scale * log_likelihood(knowledge, obs)
    top = scores.max()
    return np.asarray(scores - (top + np.log(np.exp(scores - top).sum())))


def posterior(knowledge: Knowledge, obs: Observations, likelihood_exponent: float = 1.0) -> FloatArray:
    """Probabilities over conditions, summing to 1."""
    return np.exp(log_posterior(knowledge, obs, likelihood_exponent))
