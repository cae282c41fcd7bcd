"""`careguide eval parse`: precision and recall of free-text parsing on annotated sentences.

Each line: {"id", "text", "present": [refs], "absent": [refs]}; refs are finding ids or "finding:option".
A predicted ref counts as correct when it is in the same list (present or absent) of the annotation.
"""

from __future__ import annotations

import json
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
    errors: list[dict[str, object]]

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
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        n += 1
        got = parse(knowledge, item["text"])
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
    return ParseScores(n, p, r, 2 * p * r / (p + r) if p + r else 0.0, pp, pr, ap, ar, errors)
