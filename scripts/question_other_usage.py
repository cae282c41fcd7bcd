"""Which findings without a ``question_other`` (the wording for someone answering for another person) are
asked most often: the first questions the engine asks for every main complaint, for a few people.

    PYTHONPATH=src python3 scripts/question_other_usage.py [PACK] [--top N]

Each main complaint is run for a child, an adult and an older person, answering yes and no in turn (the
first option of a choice question) so that follow-up questions come up too. Prints how many findings of the
pack lack ``question_other``, then the most asked of them with the file to edit. Measured, not asserted.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

import careguide
from careguide.engine import Case, InputError, step
from careguide.kb import AnswerType

PEOPLE = ((4, "male"), (30, "female"), (70, "male"))
QUESTIONS = 10


def _answer(finding_type: AnswerType, first_option: str, n: int) -> str | list[str]:
    if finding_type is AnswerType.YES_NO:
        return "present" if n % 2 == 0 else "absent"
    if finding_type is AnswerType.SEVERAL_CHOICES:
        return [first_option]
    return first_option


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pack", nargs="?", default="packs/general")
    parser.add_argument("--top", type=int, default=60)
    args = parser.parse_args()
    k = careguide.load(args.pack)
    asked: Counter[str] = Counter()
    for complaint in (f for f in k.findings if f.complaint):
        for age, sex in PEOPLE:
            if complaint.sex not in (None, sex) or (complaint.max_age is not None and age > complaint.max_age):
                continue
            if complaint.min_age is not None and age < complaint.min_age:
                continue
            case = Case(age, sex, (), complaint.id)
            for n in range(QUESTIONS):
                try:
                    s = step(k, case)
                except InputError:
                    break
                if s.question is None:
                    break
                f = s.question.finding
                asked[f.id] += 1
                case = case.answered(f.id, _answer(f.type, f.options[0].id if f.options else "", n))
    lacking = [f for f in k.findings if not f.question_other]
    print(f"{len(lacking)} of {len(k.findings)} findings in {args.pack} have no question_other")
    ranked = sorted((f for f in lacking if asked[f.id]), key=lambda f: -asked[f.id])
    print(f"{len(ranked)} of them were asked in the first {QUESTIONS} questions of some complaint; most asked:")
    homes = _homes()
    for f in ranked[: args.top]:
        print(f"{asked[f.id]:5d}  {f.id:40s} {homes.get(f.id, '?')}")


def _homes() -> dict[str, str]:
    """The knowledge file where each finding is written (to edit it there, not in the built pack)."""
    out: dict[str, str] = {}
    files = [*Path("knowledge/general/findings").glob("*.yaml"), *Path("knowledge/findings").glob("*.yaml")]
    files += [
        Path("knowledge/curation/symcat/findings.yaml"),
        *Path("knowledge/curation/symcat/added/findings").glob("*.yaml"),
    ]
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            for prefix in ("- id: ", "  id: "):
                if line.startswith(prefix):
                    out.setdefault(line[len(prefix) :].strip(), str(path))
    return out


if __name__ == "__main__":
    main()
