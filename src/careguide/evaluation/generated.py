"""A generated knowledge pack of any size, for benchmarks: realistic shape, meaningless content."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from careguide.kb.compile import Knowledge, compile_pack
from careguide.kb.loader import Located, PackFiles
from careguide.kb.schema import (
    AnswerType,
    CareLevel,
    Condition,
    Finding,
    FindingLink,
    Option,
    Pack,
    Prior,
    RedFlagRule,
    Source,
)
from careguide.kb.yamlfile import YamlDoc

__all__ = ["generated_pack"]

_LEVELS = (CareLevel.SELF_CARE, CareLevel.ROUTINE, CareLevel.URGENT, CareLevel.EMERGENCY)


def generated_pack(n_conditions: int = 1000, n_findings: int = 600, seed: int = 0) -> Knowledge:
    """A pack shaped like a real one: mostly yes/no findings, some choices and child findings,
    15-40 findings per condition, skewed priors, a few must-not-miss conditions with red flags."""
    rng = np.random.default_rng(seed)
    doc = YamlDoc(Path("<generated>"), None)
    findings: list[Finding] = []
    for i in range(n_findings):
        kind = rng.choice(3, p=[0.8, 0.1, 0.1])
        options = [Option(id=f"o{j}", label=f"Option {j}") for j in range(int(rng.integers(3, 6)))] if kind else []
        parent = f"f{int(rng.integers(0, i))}" if i > 10 and kind == 0 and rng.random() < 0.1 else None
        if parent is not None and findings[int(parent[1:])].type is not AnswerType.YES_NO:
            parent = None
        findings.append(
            Finding(
                id=f"f{i}",
                name=f"Finding {i}",
                question=f"Question {i}?",
                type=(AnswerType.YES_NO, AnswerType.ONE_CHOICE, AnswerType.SEVERAL_CHOICES)[kind],
                options=options,
                parent=parent,
                complaint=i < 80 and kind == 0,
            )
        )
    conditions: list[Condition] = []
    for c in range(n_conditions):
        links: dict[str, FindingLink] = {}
        for fi in rng.choice(n_findings, size=int(rng.integers(15, 41)), replace=False):
            f = findings[int(fi)]
            if f.type is AnswerType.YES_NO:
                links[f.id] = FindingLink(p=float(rng.uniform(0.05, 0.95)), source="gen")
            elif f.type is AnswerType.ONE_CHOICE:
                w = rng.dirichlet(np.ones(len(f.options)))
                links[f.id] = FindingLink(
                    options={o.id: float(x) for o, x in zip(f.options, w, strict=True)}, source="gen"
                )
            else:
                links[f.id] = FindingLink(
                    options={o.id: float(rng.uniform(0.05, 0.9)) for o in f.options}, source="gen"
                )
        mnm = rng.random() < 0.05
        if mnm:
            first = next(iter(links))
            links[first] = links[first].model_copy(update={"red_flag": True})
        conditions.append(
            Condition(
                id=f"c{c}",
                name=f"Condition {c}",
                clinical_name=f"Condition {c}",
                icd10="R69",
                care=_LEVELS[int(rng.choice(4, p=[0.4, 0.35, 0.15, 0.1]))],
                must_not_miss=mnm,
                prior=Prior(value=float(min(rng.lognormal(-7, 1.5), 0.5)), source="gen"),
                findings=links,
            )
        )
    rules = [
        RedFlagRule(
            id=f"r{i}",
            level=CareLevel.EMERGENCY,
            reason="Generated rule.",
            all=[f"f{i}", f"f{i + 1}"],
            source="gen",
        )
        for i in range(0, 40, 2)
        if findings[i].type is AnswerType.YES_NO and findings[i + 1].type is AnswerType.YES_NO
    ]
    files = PackFiles(
        root=Path("<generated>"),
        pack=Located(Pack(name="Generated", version="0", license="CC0-1.0", description="Benchmark pack."), doc, ()),
        sources=[Located(Source(id="gen", citation="Generated figures.", url="https://example.org/"), doc, ())],
        findings=[Located(f, doc, ()) for f in findings],
        conditions=[Located(c, doc, ()) for c in conditions],
        rules=[Located(r, doc, ()) for r in rules],
    )
    return compile_pack(files)
