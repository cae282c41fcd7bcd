"""Compiling a validated pack into the read-only arrays the engine works on.

Each finding becomes one or more *atoms*, the columns of the likelihood matrix:

- a yes/no finding is one binary atom, P(present | condition);
- a one-choice finding is one atom per option, a categorical distribution over its options;
- a several-choice finding is one binary atom per option, each option ticked independently.

A finding a condition does not list gets the leak probability (per finding, or the pack's default) so
that one unexpected answer lowers a condition without ruling it out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TypeVar

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from careguide.kb.articles import Article
from careguide.kb.loader import PackFiles
from careguide.kb.schema import (
    AGE_BANDS,
    AnswerType,
    Condition,
    Finding,
    Pack,
    RedFlagRule,
    Source,
    Treatment,
)

__all__ = ["KIND_ONE", "KIND_SEVERAL", "KIND_YES_NO", "SEXES", "Knowledge", "compile_pack", "finding_leak"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]

KIND_YES_NO, KIND_ONE, KIND_SEVERAL = 0, 1, 2
_KIND = {
    AnswerType.YES_NO: KIND_YES_NO,
    AnswerType.ONE_CHOICE: KIND_ONE,
    AnswerType.SEVERAL_CHOICES: KIND_SEVERAL,
}
SEXES: tuple[str, str] = ("female", "male")
_EPS = 1e-12


_A = TypeVar("_A", bound=np.ndarray)


def _frozen(a: _A) -> _A:
    a.setflags(write=False)
    return a


def _entropy(p: FloatArray) -> FloatArray:
    """Binary entropy in nats, elementwise."""
    q = np.clip(p, _EPS, 1 - _EPS)
    return np.asarray(-(q * np.log(q) + (1 - q) * np.log1p(-q)))


@dataclass(frozen=True, eq=False)
class Knowledge:
    """A compiled knowledge pack: the models, id indexes and the engine's arrays (all read-only)."""

    pack: Pack
    root: Path | None
    findings: tuple[Finding, ...]
    conditions: tuple[Condition, ...]
    rules: tuple[RedFlagRule, ...]
    treatments: tuple[Treatment, ...]
    sources: Mapping[str, Source]
    finding_index: Mapping[str, int]
    condition_index: Mapping[str, int]
    # Atoms (columns): which finding and option each is; findings own contiguous ranges of atoms.
    atom_finding: IntArray
    atom_option: tuple[str | None, ...]
    atom_binary: BoolArray
    finding_start: IntArray
    finding_stop: IntArray
    finding_kind: npt.NDArray[np.int8]
    option_atom: Mapping[tuple[str, str], int]
    # Gating: parent finding (-1 none) and, when the parent is a "finding:option", that option's atom.
    parent_finding: IntArray
    parent_atom: IntArray
    min_age: IntArray
    max_age: IntArray
    sex_ok: BoolArray  # (2, F): may finding f be asked of sex s (SEXES order)
    # Figures.
    likelihood: FloatArray  # (C, A) P(atom | condition)
    # (A, C) log P(atom | condition), atom-major so an answer's row is contiguous, and log(1 - P) for binary
    # atoms; in a required exposure's column, relative to the "no" folded into the prior (_exposure_gates).
    log_l_t: FloatArray
    log_1ml_t: FloatArray
    # (F, C) added to the log likelihood of the main complaint: log(complaint_leak / leak) where the
    # condition does not list the finding, else 0 (all 0 when the pack sets no complaint_leak).
    complaint_adjust: FloatArray
    log_prior: FloatArray  # (bands, 2, C) log prior, normalised per band and sex; -inf where impossible
    # (C,) how much each condition's answers count: 1, or the pack's imported_exponent for imported conditions
    likelihood_scale: FloatArray
    # For expected information gain: the matrix G = [P(atom | c) | H(binary atom | c) | H(one-choice
    # finding | c)], (C, A + n_binary + n_one). p @ G gives, in one product, every atom's predicted
    # answer probability and the expected conditional entropies (see careguide.engine.questions).
    # Conditions list few findings and the rest take per-column defaults (the leak), so G is kept as
    # its column defaults plus a sparse (transposed) difference: p @ G = gain_default + gain_delta_t @ p.
    gain_default: FloatArray
    gain_delta_t: sp.csr_array
    binary_atoms: IntArray
    one_choice_findings: IntArray
    care_rank: IntArray  # (C,) 0 self-care .. 3 emergency
    must_not_miss: BoolArray
    red_flags: tuple[tuple[int, ...], ...]  # per condition, finding indexes that are its red flags
    provenance: Mapping[tuple[str, str], tuple[str | None, bool]] = field(repr=False)
    articles: Mapping[str, Article] = field(default_factory=lambda: MappingProxyType({}), repr=False)

    @property
    def n_conditions(self) -> int:
        return len(self.conditions)

    @property
    def n_findings(self) -> int:
        return len(self.findings)

    def finding(self, finding_id: str) -> Finding:
        return self.findings[self.finding_index[finding_id]]

    def condition(self, condition_id: str) -> Condition:
        return self.conditions[self.condition_index[condition_id]]


def finding_leak(pack: Pack, f: Finding) -> float:
    """The leak of ``f``: its own, else the pack's child_leak for a yes/no child, else the pack's leak."""
    if f.leak is not None:
        return f.leak
    if pack.child_leak is not None and f.parent and f.type is AnswerType.YES_NO:
        return pack.child_leak
    return pack.leak


def _condition_rows(conditions: list[Condition], findings: list[Finding], pack: Pack) -> FloatArray:
    n_atoms = sum(1 if f.type is AnswerType.YES_NO else len(f.options) for f in findings)
    like = np.empty((len(conditions), n_atoms))
    col = 0
    for f in findings:
        f_leak = finding_leak(pack, f)
        if f.type is AnswerType.YES_NO:
            for ci, c in enumerate(conditions):
                link = c.findings.get(f.id)
                like[ci, col] = link.p if link is not None and link.p is not None else f_leak
            col += 1
            continue
        k = len(f.options)
        ids = [o.id for o in f.options]
        for ci, c in enumerate(conditions):
            link = c.findings.get(f.id)
            given = link.options if link is not None and link.options is not None else (f.background or {})
            if f.type is AnswerType.SEVERAL_CHOICES:
                row = np.array([given.get(o, f_leak) for o in ids])
            elif not given:
                row = np.full(k, 1.0 / k)
            else:
                missing = [o for o in ids if o not in given]
                rest = max(1.0 - sum(given.values()), 0.0)
                fill = max(rest / len(missing), f_leak / k) if missing else 0.0
                row = np.array([given.get(o, fill) for o in ids])
                row /= row.sum()
            like[ci, col : col + k] = row
        col += k
    return np.clip(like, 1e-9, 1 - 1e-9)


# A finding that a condition causes in this share of people or more is a cardinal feature: as the main
# complaint it counts with its full probability. Below that, see _complaint_adjust.
CARDINAL = 0.2


def _complaint_adjust(
    pack: Pack, findings: list[Finding], conditions: list[Condition], like: FloatArray, starts: list[int]
) -> FloatArray:
    """(F, C): added to log P(main complaint | condition) beyond log P(finding | condition).

    The main complaint is the symptom that made the person seek help, not merely one they have. A condition
    that does not list it (or lists it with ``explains: false``) makes it the main complaint with the pack's
    ``complaint_leak``. A condition that lists it with probability p makes it the main complaint with a
    figure that rises from ``complaint_leak`` (at p = the finding's leak) to p itself (at p >= CARDINAL),
    on a straight line in log-log space: a symptom a condition causes only now and then is seldom the reason
    a person with that condition seeks help. (An expert modelling choice; see docs/engine.md.)
    """
    adjust = np.zeros((len(findings), len(conditions)))
    if pack.complaint_leak is None:
        return adjust
    c_leak = pack.complaint_leak
    for fi, f in enumerate(findings):
        if f.type is not AnswerType.YES_NO:
            continue
        f_leak = finding_leak(pack, f)
        p = like[:, starts[fi]]
        unlisted = np.array([f.id not in c.findings or not c.findings[f.id].explains for c in conditions], dtype=bool)
        adjust[fi, unlisted] = np.log(c_leak) - np.log(p[unlisted])
        low = ~unlisted & (p < CARDINAL)
        if low.any() and f_leak < CARDINAL and c_leak < CARDINAL:
            x = np.log(np.clip(p[low], f_leak, CARDINAL))
            x0, x1, y0, y1 = np.log(f_leak), np.log(CARDINAL), np.log(c_leak), np.log(CARDINAL)
            target = y0 + (x - x0) * (y1 - y0) / (x1 - x0)
            adjust[fi, low] = np.minimum(target - np.log(p[low]), 0.0)
    return adjust


def _log_prior(conditions: list[Condition], imported_weight: float = 1.0, gate: FloatArray | None = None) -> FloatArray:
    table = np.zeros((len(AGE_BANDS), len(SEXES), len(conditions)))
    for ci, c in enumerate(conditions):
        weight = (imported_weight if c.imported else 1.0) * (1.0 if gate is None else float(gate[ci]))
        for bi, band in enumerate(AGE_BANDS):
            for si, sex in enumerate(SEXES):
                value = c.prior.value * c.prior.age.get(band, 1.0) * c.prior.sex.get(sex, 1.0)  # type: ignore[call-overload]
                table[bi, si, ci] = weight * value
    totals = table.sum(axis=2, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray(np.log(np.where(totals > 0, table / np.where(totals > 0, totals, 1), 0.0)))


def _exposure_gates(
    conditions: list[Condition], f_index: Mapping[str, int], starts: list[int], like: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Fold each condition's ``requires`` into the arrays the posterior reads: until its exposure is answered
    "yes", the condition counts it as answered "no".

    With p = P(exposure | c), the prior takes the factor 1 - p (the "no" before any answer); then a "yes" adds
    log p - log(1 - p) and a "no" adds nothing, so once the exposure is answered the posterior is exactly the plain
    naive Bayes one (with the default likelihood exponent of 1). Returns the prior factors (C,) and log P(atom | c)
    and log(1 - P(atom | c)) atom-major, changed in the exposure's column for the gated conditions only.
    ``like`` itself (what questions and explanations read) keeps the true figures.
    """
    gate = np.ones(len(conditions))
    log_l_t = np.ascontiguousarray(np.log(like).T)
    log_1ml_t = np.ascontiguousarray(np.log1p(-like).T)
    for ci, c in enumerate(conditions):
        if c.requires is None:
            continue
        atom = starts[f_index[c.requires]]
        gate[ci] = 1.0 - like[ci, atom]
        log_l_t[atom, ci] -= log_1ml_t[atom, ci]
        log_1ml_t[atom, ci] = 0.0
    return gate, log_l_t, log_1ml_t


def _column_mode(m: FloatArray) -> FloatArray:
    """Each column's most frequent value (its default: the leak for conditions that do not list it)."""
    out = np.empty(m.shape[1])
    for j in range(m.shape[1]):
        values, counts = np.unique(m[:, j], return_counts=True)
        out[j] = values[np.argmax(counts)]
    return out


def compile_pack(files: PackFiles) -> Knowledge:
    """Compile a pack that has passed :func:`careguide.kb.validate.check_files`."""
    if files.pack is None:
        raise ValueError("cannot compile a pack without pack.yaml")
    pack = files.pack.model
    findings = [f.model for f in files.findings]
    conditions = [c.model for c in files.conditions]
    f_index = {f.id: i for i, f in enumerate(findings)}
    c_index = {c.id: i for i, c in enumerate(conditions)}

    atom_finding: list[int] = []
    atom_option: list[str | None] = []
    starts, stops = [], []
    option_atom: dict[tuple[str, str], int] = {}
    for fi, f in enumerate(findings):
        starts.append(len(atom_finding))
        if f.type is AnswerType.YES_NO:
            atom_finding.append(fi)
            atom_option.append(None)
        for o in f.options:
            option_atom[(f.id, o.id)] = len(atom_finding)
            atom_finding.append(fi)
            atom_option.append(o.id)
        stops.append(len(atom_finding))
    kinds = np.array([_KIND[f.type] for f in findings], dtype=np.int8)
    atom_kind = kinds[np.array(atom_finding, dtype=np.intp)]
    atom_binary = atom_kind != KIND_ONE

    parent_f = np.full(len(findings), -1, dtype=np.intp)
    parent_a = np.full(len(findings), -1, dtype=np.intp)
    for fi, f in enumerate(findings):
        if f.parent:
            pid, _, opt = f.parent.partition(":")
            parent_f[fi] = f_index[pid]
            if opt:
                parent_a[fi] = option_atom[(pid, opt)]

    like = _condition_rows(conditions, findings, pack)
    binary_atoms = np.flatnonzero(atom_binary)
    one_findings = np.flatnonzero(kinds == KIND_ONE)
    h_binary = _entropy(like[:, binary_atoms])
    h_one = np.zeros((len(conditions), len(one_findings)))
    for j, one in enumerate(one_findings.tolist()):
        block = like[:, starts[one] : stops[one]]
        h_one[:, j] = -(block * np.log(block)).sum(axis=1)

    gain = np.hstack([like, h_binary, h_one])
    gain_default = _column_mode(gain)
    gain_delta_t = sp.csr_array(
        np.where(np.isclose(gain, gain_default, rtol=0, atol=1e-15), 0.0, gain - gain_default).T
    )

    red_flags: list[tuple[int, ...]] = []
    for c in conditions:
        flagged = {f_index[fid] for fid, link in c.findings.items() if link.red_flag}
        for rule in files.rules:
            if c.id in rule.model.conditions:
                flagged |= {f_index[ref.partition(":")[0]] for ref in (*rule.model.all, *rule.model.any)}
        red_flags.append(tuple(sorted(flagged)))

    complaint_adjust = _complaint_adjust(pack, findings, conditions, like, starts)
    gate, log_l_t, log_1ml_t = _exposure_gates(conditions, f_index, starts, like)

    provenance = {
        (c.id, fid): (link.source, link.expert_estimate) for c in conditions for fid, link in c.findings.items()
    }
    sex_ok = np.array([[f.sex in (None, sex) for f in findings] for sex in SEXES], dtype=bool)
    return Knowledge(
        pack=pack,
        root=files.root,
        findings=tuple(findings),
        conditions=tuple(conditions),
        rules=tuple(r.model for r in files.rules),
        treatments=tuple(t.model for t in files.treatments),
        sources=MappingProxyType({s.model.id: s.model for s in files.sources}),
        finding_index=MappingProxyType(f_index),
        condition_index=MappingProxyType(c_index),
        atom_finding=_frozen(np.array(atom_finding, dtype=np.intp)),
        atom_option=tuple(atom_option),
        atom_binary=_frozen(atom_binary),
        finding_start=_frozen(np.array(starts, dtype=np.intp)),
        finding_stop=_frozen(np.array(stops, dtype=np.intp)),
        finding_kind=_frozen(kinds),
        option_atom=MappingProxyType(option_atom),
        parent_finding=_frozen(parent_f),
        parent_atom=_frozen(parent_a),
        min_age=_frozen(np.array([f.min_age if f.min_age is not None else 0 for f in findings], dtype=np.intp)),
        max_age=_frozen(np.array([f.max_age if f.max_age is not None else 999 for f in findings], dtype=np.intp)),
        sex_ok=_frozen(sex_ok),
        likelihood=_frozen(like),
        log_l_t=_frozen(log_l_t),
        log_1ml_t=_frozen(log_1ml_t),
        complaint_adjust=_frozen(complaint_adjust),
        log_prior=_frozen(_log_prior(conditions, pack.imported_weight, gate)),
        likelihood_scale=_frozen(np.array([pack.imported_exponent if c.imported else 1.0 for c in conditions])),
        gain_default=_frozen(gain_default),
        gain_delta_t=gain_delta_t,
        binary_atoms=_frozen(binary_atoms),
        one_choice_findings=_frozen(one_findings),
        care_rank=_frozen(np.array([c.care.rank for c in conditions], dtype=np.intp)),
        must_not_miss=_frozen(np.array([c.must_not_miss for c in conditions], dtype=bool)),
        red_flags=tuple(red_flags),
        provenance=MappingProxyType(provenance),
        articles=MappingProxyType(dict(files.article_bodies)),
    )
