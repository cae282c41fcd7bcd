"""A person's case (age, sex, answers) and its checked, array form.

Answers are strings or lists, as they arrive from a form or JSON:

- yes/no finding: ``"present"``, ``"absent"`` or ``"unknown"`` (don't know);
- one-choice finding: an option id, or ``"unknown"``;
- several-choices finding: a list of option ids (empty: none of them), ``"absent"`` (none), or ``"unknown"``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import numpy.typing as npt

from careguide.engine.tables import layout
from careguide.kb.compile import KIND_ONE, KIND_SEVERAL, KIND_YES_NO, SEXES, Knowledge
from careguide.kb.schema import age_band_index

__all__ = ["MAX_AGE", "Answer", "Case", "InputError", "Observations", "check_age", "observe", "validate"]

MAX_AGE = 120
PRESENT, ABSENT, UNKNOWN = "present", "absent", "unknown"
Answer = str | Sequence[str]


class InputError(ValueError):
    """Input the engine cannot use; ``field`` names where it is (e.g. ``evidence[2].answer``)."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


@dataclass(frozen=True)
class Case:
    """Everything the engine needs about a person; a quiz session is just this."""

    age: int
    sex: str
    evidence: Sequence[tuple[str, Answer]] = ()
    # The main complaint the person started from: present, and not counted as a question asked.
    complaint: str | None = None
    # Age in completed months, for children under 2 (``age`` is then 0 or 1): rules such as "fever in a
    # baby under 3 months" need it. Unknown months are read on the safe side (see triage.fits_person).
    age_months: int | None = None
    # Answers the person gave in their own words before the questions (the complaint box): they count as
    # answers but not as questions asked. An answer in ``evidence`` to the same finding replaces one here.
    volunteered: Sequence[tuple[str, Answer]] = ()

    def answered(self, finding_id: str, answer: Answer) -> Case:
        """A new case with ``finding_id`` answered (replacing any earlier answer to it)."""
        kept = [(f, a) for f, a in self.evidence if f != finding_id]
        return replace(self, evidence=(*kept, (finding_id, answer)))

    def without(self, finding_id: str) -> Case:
        """A new case with the answer to ``finding_id`` taken back."""
        return replace(self, evidence=tuple((f, a) for f, a in self.evidence if f != finding_id))


@dataclass(frozen=True)
class Observations:
    """A case checked against the knowledge and turned into index arrays."""

    age: int
    sex_index: int
    band: int
    age_months: int | None  # completed months for under-2s, when known
    present_atoms: npt.NDArray[np.intp]  # atoms whose log P is added (yes, chosen options)
    absent_atoms: npt.NDArray[np.intp]  # binary atoms whose log(1 - P) is added (no, unticked options)
    answered: npt.NDArray[np.bool_]  # (F,) asked already, whatever the answer (incl. don't know)
    present_findings: npt.NDArray[np.bool_]  # (F,) present, or with an option chosen
    present_atom_mask: npt.NDArray[np.bool_]  # (A,)
    # One entry per informative answer: (finding index, atoms counted present, atoms counted absent).
    answers: tuple[tuple[int, tuple[int, ...], tuple[int, ...]], ...] = field(default=())
    questions_asked: int = 0
    complaint: int = -1  # finding index of the main complaint, or -1


def _options(knowledge: Knowledge, fi: int, chosen: Sequence[str], where: str) -> list[int]:
    fid = knowledge.findings[fi].id
    atoms = []
    for j, opt in enumerate(chosen):
        if not isinstance(opt, str):
            raise InputError(f"{where}[{j}]", f"expected an option id string, got {type(opt).__name__}")
        if opt in chosen[:j]:
            raise InputError(f"{where}[{j}]", f"option {opt!r} is chosen more than once")
        atom = knowledge.option_atom.get((fid, opt))
        if atom is None:
            valid = ", ".join(o.id for o in knowledge.findings[fi].options)
            raise InputError(f"{where}[{j}]", f"{fid!r} has no option {opt!r}; expected one of: {valid}")
        atoms.append(atom)
    return atoms


def observe(knowledge: Knowledge, case: Case) -> Observations:
    """Check ``case`` against ``knowledge``; raise InputError naming the field at fault."""
    if isinstance(case.age, bool) or not isinstance(case.age, int | np.integer):
        raise InputError("age", f"expected a whole number of years, got {case.age!r}")
    if not 0 <= case.age <= MAX_AGE:
        raise InputError("age", f"must be between 0 and {MAX_AGE}, got {case.age}")
    if case.sex not in SEXES:
        raise InputError("sex", f"expected 'female' or 'male', got {case.sex!r}")
    months = case.age_months
    if months is not None:
        if isinstance(months, bool) or not isinstance(months, int | np.integer):
            raise InputError("age_months", f"expected a whole number of months, got {months!r}")
        if not 0 <= months < 24:
            raise InputError("age_months", f"is for children under 2: between 0 and 23, got {months}")
        if months // 12 != case.age:
            raise InputError("age_months", f"{months} months does not fit an age of {case.age} year(s)")

    # Sets and the per-pack layout as Python ints while reading the answers (faster than numpy scalars),
    # turned into the arrays at the end.
    lay = layout(knowledge)
    answered: set[int] = set()
    present_f: set[int] = set()
    present_a: set[int] = set()
    pos: list[int] = []
    neg: list[int] = []
    answers: list[tuple[int, tuple[int, ...], tuple[int, ...]]] = []
    unknown: set[int] = set()

    asked = _pairs(case.evidence, "evidence")
    items: list[tuple[str, str, Answer]] = [(f"evidence[{i}]", f, a) for i, (f, a) in enumerate(asked)]
    replaced = {f for f, _ in asked} | ({case.complaint} if case.complaint is not None else set())
    items[:0] = [
        (f"volunteered[{i}]", f, a)
        for i, (f, a) in enumerate(_pairs(case.volunteered, "volunteered"))
        if f not in replaced
    ]
    if case.complaint is not None:
        items.insert(0, ("complaint", case.complaint, PRESENT))
    for where, fid, answer in items:
        fi = knowledge.finding_index.get(fid) if isinstance(fid, str) else None
        if fi is None:
            field = where if where == "complaint" else f"{where}.finding"
            raise InputError(field, f"unknown finding {fid!r}")
        kind = lay.kind[fi]
        if where == "complaint" and kind != KIND_YES_NO:
            raise InputError(where, f"{fid!r} is not a yes/no finding, so it cannot be the main complaint")
        if fi in answered:
            raise InputError(where, f"finding {fid!r} is answered more than once")
        answered.add(fi)
        where = where if where == "complaint" else f"{where}.answer"
        start, stop = lay.start[fi], lay.stop[fi]
        if isinstance(answer, str) and answer == UNKNOWN:
            unknown.add(fi)
            continue
        if kind == KIND_YES_NO:
            if answer == PRESENT:
                yes: tuple[int, ...] = (start,)
                no: tuple[int, ...] = ()
            elif answer == ABSENT:
                yes, no = (), (start,)
            else:
                raise InputError(
                    where,
                    f"{fid!r} is a yes/no question: expected present, absent or unknown, got {answer!r}",
                )
        elif kind == KIND_ONE:
            if not isinstance(answer, str) or answer in (PRESENT, ABSENT):
                raise InputError(where, f"{fid!r} takes one option id or unknown, got {answer!r}")
            yes, no = tuple(_options(knowledge, fi, [answer], where)), ()
        else:
            assert kind == KIND_SEVERAL
            if answer == ABSENT:
                chosen: list[int] = []
            elif isinstance(answer, str):
                raise InputError(where, f"{fid!r} takes a list of option ids, absent or unknown, got {answer!r}")
            else:
                chosen = _options(knowledge, fi, answer, where)
            yes = tuple(sorted(set(chosen)))
            no = tuple(a for a in range(start, stop) if a not in yes)
        pos.extend(yes)
        neg.extend(no)
        present_a.update(yes)
        if yes:
            present_f.add(fi)
        answers.append((fi, yes, no))

    # A present finding implies its yes/no parent ("sharp tummy pain" -> tummy pain): counted as present
    # and not asked. The parent's own figures then count too, as when it is answered.
    changed = True
    while changed:
        changed = False
        for child in sorted(present_f):
            parent = lay.parent[child]
            free = parent not in answered or parent in unknown  # "don't know" says nothing either way
            if parent >= 0 and free and lay.kind[parent] == KIND_YES_NO:
                unknown.discard(parent)
                answered.add(parent)
                present_f.add(parent)
                atom = lay.start[parent]
                present_a.add(atom)
                pos.append(atom)
                answers.append((parent, (atom,), ()))
                changed = True

    answered_mask = np.zeros(knowledge.n_findings, dtype=bool)
    answered_mask[list(answered)] = True
    present_f_mask = np.zeros(knowledge.n_findings, dtype=bool)
    present_f_mask[list(present_f)] = True
    present_a_mask = np.zeros(len(knowledge.atom_finding), dtype=bool)
    present_a_mask[list(present_a)] = True
    return Observations(
        age=int(case.age),
        age_months=int(months) if months is not None else None,
        sex_index=SEXES.index(case.sex),
        band=age_band_index(int(case.age)),
        present_atoms=np.array(pos, dtype=np.intp),
        absent_atoms=np.array(neg, dtype=np.intp),
        answered=answered_mask,
        present_findings=present_f_mask,
        present_atom_mask=present_a_mask,
        answers=tuple(answers),
        questions_asked=len(case.evidence),
        complaint=knowledge.finding_index[case.complaint] if case.complaint is not None else -1,
    )


def check_age(knowledge: Knowledge, age: int) -> None:
    """Refuse a person younger than the pack is written for (``pack.yaml``'s ``min_age``).

    Every entry point that takes a person's age (the API, the site's quiz, the terminal quiz) calls this,
    through :func:`validate` or directly, so that all of them refuse in the same words.
    """
    youngest = knowledge.pack.min_age
    if age < youngest:
        raise InputError(
            "age",
            f"this knowledge pack ({knowledge.pack.name}) is written for people aged {youngest} and over, "
            f"got {age}; it cannot advise on a younger person",
        )


def validate(knowledge: Knowledge, case: Case) -> Observations:
    """Check a person's case as it arrives from outside, and observe it.

    Beyond what :func:`observe` checks: the age is one the pack is written for, and every child finding
    is answered only when its parent is present (answered present, that option chosen, or implied by a
    present child: "lower back" implies back pain). A child answered while its parent is absent, or not
    present at all (an "absent" or "don't know" child without its parent), is refused, since its figures
    are conditional on the parent. Benchmarks that feed the engine whole simulated records use
    :func:`observe` directly.
    """
    obs = observe(knowledge, case)
    check_age(knowledge, obs.age)
    items = [(f"evidence[{i}].finding", f) for i, (f, _) in enumerate(_pairs(case.evidence, "evidence"))]
    if case.complaint is not None:
        items.insert(0, ("complaint", case.complaint))
    for where, fid in items:
        fi = knowledge.finding_index[fid]
        parent = int(knowledge.parent_finding[fi])
        if parent < 0:
            continue
        atom = int(knowledge.parent_atom[fi])
        if atom >= 0:
            present = bool(obs.present_atom_mask[atom])
            option = knowledge.findings[fi].parent or ""
            needs = f"option {option!r} is chosen"
        else:
            present = bool(obs.present_findings[parent])
            needs = f"{knowledge.findings[parent].id!r} is present"
        if not present:
            raise InputError(where, f"{fid!r} is asked only when {needs}; answer that first")
    return obs


def _pairs(items: Sequence[tuple[str, Answer]], name: str) -> list[tuple[str, Answer]]:
    out = []
    for i, item in enumerate(items):
        if not isinstance(item, tuple | list) or len(item) != 2:
            raise InputError(f"{name}[{i}]", "expected a (finding, answer) pair")
        out.append((item[0], item[1]))
    return out
