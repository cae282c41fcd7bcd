"""Tables the engine looks up at every step, built once per knowledge pack (or once per pack and person, where
they depend only on age and sex).

Each holds exactly the numbers the step would otherwise compute again on every call, so using them changes
no result, only the time a step takes (`careguide bench`, docs/engine.md). The knowledge is immutable and
hashed by identity, so it keys the caches directly.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import numpy.typing as npt

from careguide.kb.compile import Knowledge

__all__ = [
    "Gates",
    "Layout",
    "answer_table",
    "atom_refs",
    "findings_fitting",
    "gates",
    "layout",
    "priors",
    "ref_findings",
]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Layout:
    """Per-finding figures as Python ints: reading them in a loop is several times faster than from arrays."""

    start: tuple[int, ...]  # first atom
    stop: tuple[int, ...]  # one past the last atom
    kind: tuple[int, ...]  # KIND_YES_NO, KIND_ONE or KIND_SEVERAL
    parent: tuple[int, ...]  # parent finding, -1 for none


@functools.lru_cache(maxsize=32)
def layout(knowledge: Knowledge) -> Layout:
    return Layout(
        tuple(knowledge.finding_start.tolist()),
        tuple(knowledge.finding_stop.tolist()),
        tuple(knowledge.finding_kind.tolist()),
        tuple(knowledge.parent_finding.tolist()),
    )


@dataclass(frozen=True)
class Gates:
    """Parent/child gating as index arrays: a finding is gated by its parent finding being present, or, for a
    parent ``finding:option``, by that option's atom being chosen (indexes 0 where there is no such parent)."""

    ungated: npt.NDArray[np.bool_]  # (F,) no parent
    by_option: npt.NDArray[np.bool_]  # (F,) the parent is an option
    parent: npt.NDArray[np.intp]  # (F,) parent finding, else 0
    parent_atom: npt.NDArray[np.intp]  # (F,) parent option's atom, else 0


@functools.lru_cache(maxsize=32)
def gates(knowledge: Knowledge) -> Gates:
    has_parent = knowledge.parent_finding >= 0
    by_option = knowledge.parent_atom >= 0
    return Gates(
        ~has_parent,
        by_option,
        np.where(has_parent, knowledge.parent_finding, 0),
        np.where(by_option, knowledge.parent_atom, 0),
    )


@functools.lru_cache(maxsize=4)  # about 10 MB for the general pack; a process uses one or two packs
def answer_table(knowledge: Knowledge) -> FloatArray:
    """(2A, C): row ``a`` is log P(atom a | c) and row ``A + a`` is log(1 - P(atom a | c)), so the rows of every
    term of a list of answers are gathered in one indexing. The same numbers as ``log`` and ``log1p`` of the
    likelihood columns (``Knowledge.log_l_t`` and ``log_1ml_t``)."""
    table = np.vstack([knowledge.log_l_t, knowledge.log_1ml_t])
    table.flags.writeable = False
    return table


@functools.lru_cache(maxsize=32)
def priors(knowledge: Knowledge) -> FloatArray:
    """(age bands, sexes, C): the prior probabilities, ``exp`` of ``Knowledge.log_prior``."""
    out = np.exp(knowledge.log_prior)
    out.flags.writeable = False
    return out


@functools.lru_cache(maxsize=32)
def atom_refs(knowledge: Knowledge) -> tuple[str | None, ...]:
    """Per atom, the ``finding:option`` ref that names it in rules, or None for a yes/no finding's atom."""
    return tuple(
        None if option is None else f"{knowledge.findings[int(fi)].id}:{option}"
        for fi, option in zip(knowledge.atom_finding.tolist(), knowledge.atom_option, strict=True)
    )


@functools.lru_cache(maxsize=32)
def ref_findings(knowledge: Knowledge) -> Mapping[str, int]:
    """Every ``finding`` or ``finding:option`` ref a rule names -> the finding's index."""
    refs = {ref for rule in knowledge.rules for ref in (*rule.all, *rule.any, *rule.none)}
    return MappingProxyType({ref: knowledge.finding_index[ref.partition(":")[0]] for ref in refs})


@functools.lru_cache(maxsize=4096)
def findings_fitting(knowledge: Knowledge, age: int, sex_index: int) -> npt.NDArray[np.bool_]:
    """(F,) whether each finding may be asked of a person of this age and sex."""
    fits = np.asarray((knowledge.min_age <= age) & (age <= knowledge.max_age) & knowledge.sex_ok[sex_index])
    fits.flags.writeable = False
    return fits
