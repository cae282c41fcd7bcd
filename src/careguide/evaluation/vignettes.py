"""`careguide eval vignettes`: clinical vignettes in a person's own words, run through parsing and the interview.

Input, one JSON object per line::

    {"id": str, "age": int, "age_months": int (optional, under 2s), "sex": "female"|"male", "text": str,
     "absent": str (optional), "style": "lay"|"clinical" (optional), "source": str (optional: the guidance
     behind the expected care level),
     "expected": {"conditions": [ICD-10-CM code or condition name, ...], "care": level or [levels]} (optional)}

``text`` is parsed for findings present (negated mentions count as absent); everything mentioned in
``absent`` counts as absent. These are given before the questions, as the site's complaint box gives them
(not counted as questions asked); the interview then runs to its end, each question answered "don't know"
(``--unmentioned absent``: "no", as a person answers for a symptom they do not have). A condition matches
an expected ICD-10-CM code when they share the 3-character category, or an expected name case-insensitively
(lay or clinical name, or id).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from careguide.engine import Case, Config, Step, observe, posterior, step
from careguide.engine.triage import level_masses
from careguide.evaluation.simulate import absent_answer
from careguide.kb.compile import Knowledge
from careguide.kb.schema import AnswerType, CareLevel, Condition
from careguide.text import search
from careguide.text.parse import Parsed, parse, to_evidence

__all__ = [
    "Vignette",
    "VignetteError",
    "VignetteResult",
    "describe",
    "load_vignettes",
    "run_vignette",
    "summarise",
    "wilson",
]


class Expected(BaseModel):
    model_config = ConfigDict(extra="forbid")
    conditions: list[str] = Field(default_factory=list)
    care: CareLevel | list[CareLevel] | None = None


class Vignette(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    age: int = Field(ge=0, le=120)
    age_months: int | None = Field(default=None, ge=0, le=23)
    sex: Literal["female", "male"]
    text: str = Field(min_length=1)
    absent: str | None = None
    style: Literal["lay", "clinical"] | None = None
    source: str | None = None
    expected: Expected | None = None

    @model_validator(mode="after")
    def _months_fit_years(self) -> Vignette:
        if self.age_months is not None and self.age_months // 12 != self.age:
            raise ValueError(f"age_months {self.age_months} does not fit age {self.age}")
        return self


class VignetteError(ValueError):
    """A vignette file line that is not valid: ``path:line: message``."""


@dataclass(frozen=True)
class VignetteResult:
    vignette: Vignette
    step: Step
    questions: int
    present: tuple[str, ...]
    absent: tuple[str, ...]
    masses: tuple[float, ...] = ()  # P(needs each care level), self-care .. emergency, at the end

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.vignette.id,
            "care": self.step.care.level.value,
            "conditions": [
                {
                    "id": rc.condition.id,
                    "name": rc.condition.name,
                    "icd10": rc.condition.icd10,
                    "probability": round(rc.probability, 6),
                }
                for rc in self.step.conditions[:10]
            ],
            "questions": self.questions,
            "present": list(self.present),
            "absent": list(self.absent),
        }


def load_vignettes(path: Path) -> list[Vignette]:
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            out.append(Vignette.model_validate_json(line))
        except ValidationError as exc:
            err = exc.errors()[0]
            where = ".".join(str(p) for p in err["loc"])
            raise VignetteError(f"{path}:{n}: {where + ': ' if where else ''}{err['msg']}") from None
    return out


def _complaint(knowledge: Knowledge, parsed: Parsed, text: str) -> str | None:
    for ref in parsed.present:
        f = knowledge.finding(ref.partition(":")[0])
        if f.complaint and f.type is AnswerType.YES_NO:
            return f.id
    hits = search(knowledge, text, complaints_only=True, limit=1)
    return hits[0].finding.id if hits else None


def run_vignette(
    knowledge: Knowledge, vignette: Vignette, config: Config | None = None, unmentioned_absent: bool = False
) -> VignetteResult:
    """Run one vignette as the site does: what its words say is given before the questions (the complaint
    box), then the interview runs, a question its words do not answer getting "don't know", or with
    ``unmentioned_absent`` the answer of a person who does not have it."""
    parsed = parse(knowledge, vignette.text)
    absent_refs: list[str] = list(parsed.absent)
    if vignette.absent:
        # Everything the "absent" words mention is absent, unless the text itself says it is present.
        extra = parse(knowledge, vignette.absent)
        absent_refs += [r for r in (*extra.absent, *extra.present) if r not in absent_refs and r not in parsed.present]
    present = tuple(r for r in parsed.present if r not in absent_refs)
    complaint = _complaint(knowledge, Parsed(present, ()), vignette.text)
    gate = {complaint} if complaint else set()
    answers = to_evidence(knowledge, Parsed(present, tuple(absent_refs)), gate_with=gate)
    answers.pop(complaint or "", None)
    case = Case(vignette.age, vignette.sex, (), complaint, vignette.age_months, tuple(answers.items()))
    config = config or Config.for_knowledge(knowledge)
    while True:
        result = step(knowledge, case, config)
        if result.should_stop or result.question is None:
            break
        default = absent_answer(result.question.finding) if unmentioned_absent else "unknown"
        case = case.answered(result.question.id, default)
    p = posterior(knowledge, observe(knowledge, case), config.likelihood_exponent)
    masses = tuple(float(m) for m in level_masses(knowledge, p))
    return VignetteResult(vignette, result, len(case.evidence), present, tuple(absent_refs), masses)


def _matches(condition: Condition, expected: str) -> bool:
    e = expected.strip()
    if e[:1].isalpha() and e[1:3].isdigit() and len(e) >= 3 and e[:3].upper() == condition.icd10[:3].upper():
        return True
    return e.lower() in {condition.name.lower(), condition.clinical_name.lower(), condition.id.lower()}


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """95% Wilson score interval of a proportion k/n (for small counts such as missed emergencies)."""
    if n == 0:
        return (0.0, 0.0)
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * ((p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5) / (1 + z * z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


def summarise(results: Iterable[VignetteResult]) -> dict[str, Any]:
    """Accuracy and triage in the literature's terms over the vignettes that state expectations.

    top-k: an expected condition among the first k. Care: exact; safe (at the expected level or more urgent,
    Gilbert 2020); under- and over-triaged; emergencies told less than emergency care (with a 95% Wilson
    interval); self-care cases recognised as self-care; questions asked (median and 90th percentile).
    """
    scored = [r for r in results if r.vignette.expected is not None]
    with_conditions = [r for r in scored if r.vignette.expected and r.vignette.expected.conditions]
    with_care = [r for r in scored if r.vignette.expected and r.vignette.expected.care is not None]

    def top(k: int) -> float:
        hits = 0
        for r in with_conditions:
            assert r.vignette.expected is not None
            ranked = [rc.condition for rc in r.step.conditions[:k]]
            hits += any(_matches(c, e) for c in ranked for e in r.vignette.expected.conditions)
        return hits / len(with_conditions) if with_conditions else 0.0

    correct = under = over = 0
    emergencies = missed_emergencies = self_care = self_care_recognised = 0
    for r in with_care:
        assert r.vignette.expected is not None and r.vignette.expected.care is not None
        care = r.vignette.expected.care
        wanted = care if isinstance(care, list) else [care]
        got = r.step.care.level
        lowest = min(w.rank for w in wanted)
        if got in wanted:
            correct += 1
        elif got.rank < lowest:
            under += 1
        else:
            over += 1
        if CareLevel.EMERGENCY in wanted and len(wanted) == 1:
            emergencies += 1
            missed_emergencies += got is not CareLevel.EMERGENCY
        if wanted == [CareLevel.SELF_CARE]:
            self_care += 1
            self_care_recognised += got is CareLevel.SELF_CARE
    questions = sorted(r.questions for r in scored)
    n_care = len(with_care)
    return {
        "vignettes": len(scored),
        "top1": top(1),
        "top3": top(3),
        "top5": top(5),
        "care_accuracy": correct / n_care if n_care else 0.0,
        "care_safe": (n_care - under) / n_care if n_care else 0.0,
        "under_triaged": under,
        "over_triaged": over,
        "emergencies": emergencies,
        "emergencies_under_triaged": missed_emergencies,
        "emergencies_under_triaged_ci95": wilson(missed_emergencies, emergencies),
        "self_care": self_care,
        "self_care_recognised": self_care_recognised / self_care if self_care else 0.0,
        "with_conditions": len(with_conditions),
        "with_care": n_care,
        "mean_questions": sum(questions) / len(questions) if questions else 0.0,
        "median_questions": float(np.median(questions)) if questions else 0.0,
        "p90_questions": float(np.percentile(questions, 90)) if questions else 0.0,
    }


def describe(s: dict[str, Any]) -> str:
    """The summary in a few lines, as the closing notes and docs report it."""
    lo, hi = s["emergencies_under_triaged_ci95"]
    return (
        f"top-1 {s['top1']:.1%}, top-3 {s['top3']:.1%}, top-5 {s['top5']:.1%} ({s['with_conditions']} vignettes)\n"
        f"care: exact {s['care_accuracy']:.1%}, safe {s['care_safe']:.1%}, under-triaged {s['under_triaged']}, "
        f"over-triaged {s['over_triaged']} ({s['with_care']} vignettes)\n"
        f"emergencies under-triaged: {s['emergencies_under_triaged']} of {s['emergencies']} "
        f"(95% CI {lo:.1%}-{hi:.1%}); self-care recognised {s['self_care_recognised']:.1%} of {s['self_care']}\n"
        f"questions: median {s['median_questions']:.0f}, 90th percentile {s['p90_questions']:.0f}, "
        f"mean {s['mean_questions']:.1f}"
    )


def write_results(results: Iterable[VignetteResult], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("".join(json.dumps(r.as_json()) + "\n" for r in results), encoding="utf-8")
