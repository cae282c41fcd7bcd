"""`careguide eval parse`: precision and recall of free-text parsing on annotated sentences.

Each line: {"id", "text", "present": [refs], "absent": [refs]}; refs are finding ids or "finding:option".
Optional: "not_present" (refs the text mentions of a relative, in the past or as a fear: predicting one of them
present is a context error), "about" ({"who": "child"|"other", "age_years", "age_months"}) and "style".
A predicted ref counts as correct when it is in the same list (present or absent) of the annotation. Parse time
is measured per sentence (CPU time of this process), as median and 95th percentile.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

from careguide.kb.compile import Knowledge
from careguide.text.parse import parse

__all__ = ["ParseScores", "score_file"]


@dataclass(frozen=True)
class ParseScores:
    sentences: int
    precision: float
    recall: float
    f1: float
    present_precision: float
    present_recall: float
    absent_precision: float
    absent_recall: float
    context_mentions: int  # annotated not_present refs
    context_errors: int  # of those, predicted present
    about_checked: int  # sentences annotated as about someone else
    about_correct: int  # of those, who (and age, when annotated) read right
    median_ms: float
    p95_ms: float
    errors: list[dict[str, object]]

    @property
    def context_error_rate(self) -> float:
        return self.context_errors / self.context_mentions if self.context_mentions else 0.0

    def as_dict(self, with_errors: bool = False) -> dict[str, object]:
        out = dict(self.__dict__)
        if not with_errors:
            out.pop("errors")
        return out


def _pr(tp: int, fp: int, fn: int) -> tuple[float, float]:
    return (tp / (tp + fp) if tp + fp else 1.0, tp / (tp + fn) if tp + fn else 1.0)


def score_file(knowledge: Knowledge, path: Path) -> ParseScores:
    counts = {"present": [0, 0, 0], "absent": [0, 0, 0]}
    errors = []
    n = 0
    context_n = context_err = about_n = about_ok = 0
    times: list[float] = []
    parse(knowledge, "warm-up: a sore throat for 2 days, no fever")  # build the phrase indexes once
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        n += 1
        started = time.process_time()
        got = parse(knowledge, item["text"])
        times.append((time.process_time() - started) * 1000)
        wrong = set(item.get("not_present", [])) & set(got.present)
        context_n += len(item.get("not_present", []))
        context_err += len(wrong)
        if wrong:
            errors.append({"id": item["id"], "kind": "context", "extra": sorted(wrong), "missed": []})
        who = item.get("about")
        if who:
            about_n += 1
            age_ok = all(who.get(key) is None or who.get(key) == getattr(got.about, key) for key in ("age_years",))
            about_ok += got.about.who == who.get("who") and age_ok
        for kind, predicted in (("present", set(got.present)), ("absent", set(got.absent))):
            gold = set(item.get(kind, []))
            tp, fp, fn = len(predicted & gold), len(predicted - gold), len(gold - predicted)
            c = counts[kind]
            c[0] += tp
            c[1] += fp
            c[2] += fn
            if fp or fn:
                errors.append(
                    {
                        "id": item["id"],
                        "kind": kind,
                        "extra": sorted(predicted - gold),
                        "missed": sorted(gold - predicted),
                    }
                )
    tp = counts["present"][0] + counts["absent"][0]
    fp = counts["present"][1] + counts["absent"][1]
    fn = counts["present"][2] + counts["absent"][2]
    p, r = _pr(tp, fp, fn)
    pp, pr = _pr(*counts["present"])
    ap, ar = _pr(*counts["absent"])
    ordered = sorted(times) or [0.0]
    median = ordered[len(ordered) // 2]
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return ParseScores(
        n, p, r, 2 * p * r / (p + r) if p + r else 0.0, pp, pr, ap, ar,
        context_n, context_err, about_n, about_ok, median, p95, errors,
    )  # fmt: skip
